//! An S3-compatible object store played by a local HTTP server: objects kept in memory under
//! their path (`/<bucket>/<key>`), every request recorded. It answers what the media store
//! asks (`PUT`, `GET`, `HEAD`, `DELETE` of one object) the way S3 does, and checks nothing of
//! the signature but its shape: tests look at the recorded requests for that.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::fake_server::FakeServer;

/// One request as the store received it.
#[derive(Debug, Clone)]
pub struct S3Request {
    pub method: String,
    /// `/<bucket>/<key>` (path-style addressing).
    pub path: String,
    pub authorization: Option<String>,
    pub x_amz_date: Option<String>,
    /// What the client says the body's SHA-256 is ...
    pub x_amz_content_sha256: Option<String>,
    /// ... and what it is.
    pub body_sha256: String,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

#[derive(Debug, Clone)]
pub struct S3Object {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
}

#[derive(Default)]
struct State {
    objects: BTreeMap<String, S3Object>,
    requests: Vec<S3Request>,
    failing: bool,
}

pub struct FakeS3 {
    /// `http://127.0.0.1:<port>`, the endpoint to configure.
    pub endpoint: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeS3 {
    /// Starts the server on a free port (inside a Tokio runtime).
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = web::Data::from(state.clone());
        let server = FakeServer::start("the fake S3", move |cfg| {
            cfg.app_data(shared.clone())
                .app_data(web::PayloadConfig::new(64 * 1024 * 1024))
                .default_service(web::to(answer));
        });
        Self {
            endpoint: server.base.clone(),
            state,
            _server: server,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The object at `/<bucket>/<key>`.
    pub fn object(&self, path: &str) -> Option<S3Object> {
        self.state().objects.get(path).cloned()
    }

    /// The paths of every object, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.state().objects.keys().cloned().collect()
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<S3Request> {
        self.state().requests.clone()
    }

    /// While failing, every request is answered 503 (and recorded).
    pub fn set_failing(&self, failing: bool) {
        self.state().failing = failing;
    }
}

fn header_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn error(status: StatusCode, code: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/xml")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code}</Message></Error>"
        ))
}

async fn answer(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
) -> HttpResponse {
    let mut state = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = req.path().to_owned();
    state.requests.push(S3Request {
        method: req.method().to_string(),
        path: path.clone(),
        authorization: header_value(&req, "authorization"),
        x_amz_date: header_value(&req, "x-amz-date"),
        x_amz_content_sha256: header_value(&req, "x-amz-content-sha256"),
        body_sha256: hex::encode(Sha256::digest(&body)),
        content_type: header_value(&req, "content-type"),
        cache_control: header_value(&req, "cache-control"),
    });
    if state.failing {
        return error(StatusCode::SERVICE_UNAVAILABLE, "SlowDown");
    }
    let etag = |bytes: &[u8]| format!("\"{}\"", &hex::encode(Sha256::digest(bytes))[..32]);
    match *req.method() {
        Method::PUT => {
            let response = HttpResponse::Ok()
                .insert_header((header::ETAG, etag(&body)))
                .finish();
            state.objects.insert(
                path,
                S3Object {
                    bytes: body.to_vec(),
                    content_type: header_value(&req, "content-type"),
                },
            );
            response
        }
        Method::GET | Method::HEAD => match state.objects.get(&path) {
            Some(object) => {
                let mut response = HttpResponse::Ok();
                response.insert_header((header::ETAG, etag(&object.bytes)));
                if let Some(content_type) = &object.content_type {
                    response.insert_header((header::CONTENT_TYPE, content_type.clone()));
                }
                if req.method() == Method::HEAD {
                    response.finish()
                } else {
                    response.body(object.bytes.clone())
                }
            }
            None => error(StatusCode::NOT_FOUND, "NoSuchKey"),
        },
        // S3 answers 204 whether or not the object was there.
        Method::DELETE => {
            state.objects.remove(&path);
            HttpResponse::NoContent().finish()
        }
        _ => error(StatusCode::NOT_IMPLEMENTED, "NotImplemented"),
    }
}
