//! `Idempotency-Key` on the POSTs that move money or create orders and bookings (see
//! api-conventions, "Idempotency"): a client that retries after a lost answer gets the first
//! answer instead of a second charge.
//!
//! A route opts in with the [`Idempotent`] middleware (`#[post("", wrap =
//! "crate::idempotency::Idempotent::new()")]`, or `.wrap(..)` on a resource or scope) and
//! documents the header with `params(crate::idempotency::IdempotencyKey)`; the OpenAPI
//! document then adds the `Idempotent-Replayed` header and the problems below to the
//! operation. A request without the header passes through. With it:
//!
//! - the key (1–255 visible ASCII characters, else 400 `invalid_idempotency_key`) names a
//!   record scoped to the credentials (a hash of `Authorization`), the method and the path;
//!   the request's fingerprint is a hash of method, path with query, and body;
//! - the first request claims the record atomically for a lease and runs; its response (any
//!   status below 500: status, content type, `Location`, body) is stored for
//!   `ATELIER_IDEMPOTENCY_TTL_SECS`; a 5xx releases the claim, so a retry runs again;
//! - the handler runs to the end even when the client goes away, so its answer is recorded;
//! - a replay with the same fingerprint gets the stored response with
//!   `Idempotent-Replayed: true`; the same key with another request is 422
//!   `idempotency_key_reused`; one arriving while the first runs is 409
//!   `idempotency_key_in_use` with `Retry-After: 1`;
//! - when the records cannot be reached (Redis down), a request with a key is 503: none runs
//!   unprotected.
//!
//! The records live behind the [`IdempotencyStore`] port, reached through the
//! [`Idempotency`] app data.

use std::future::{Ready, ready};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use futures::StreamExt;
use futures::future::LocalBoxFuture;
use ports::idempotency::{Claim, IdempotencyStore, StoredResponse};
use sha2::{Digest, Sha256};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::problem::{ApiError, ProblemCode};

/// The request header that carries the key.
pub const HEADER: &str = "Idempotency-Key";
/// The response header of a replayed response.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// Where the records are and how long they live: the [`Idempotent`] middleware finds this in
/// the app data (`web::Data<Idempotency>`).
#[derive(Clone)]
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    ttl: Duration,
    lease: Duration,
    max_body_bytes: usize,
}

impl Idempotency {
    /// How long a running request holds its key. A request runs to the end even when its
    /// client leaves, so the claim lapses only when the process dies mid-request; then a
    /// retry runs after this long.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
    pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

    /// Records kept for `ttl`.
    pub fn new(store: Arc<dyn IdempotencyStore>, ttl: Duration) -> Self {
        Self {
            store,
            ttl,
            lease: Self::DEFAULT_LEASE.min(ttl),
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
        }
    }

    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// The largest body read for a fingerprint (413 above); the JSON limit, as a rule.
    pub fn with_max_body_bytes(mut self, max_body_bytes: usize) -> Self {
        self.max_body_bytes = max_body_bytes;
        self
    }
}

/// The middleware; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Idempotent;

impl Idempotent {
    pub fn new() -> Self {
        Self
    }
}

impl<S, B> Transform<S, ServiceRequest> for Idempotent
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Transform = IdempotentService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(IdempotentService {
            service: Rc::new(service),
        }))
    }
}

pub struct IdempotentService<S> {
    service: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for IdempotentService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        Box::pin(async move {
            let Some(raw_key) = req.headers().get(HEADER) else {
                return service
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_boxed_body);
            };
            let key = match parse_key(raw_key) {
                Ok(key) => key.to_owned(),
                Err(error) => return Ok(req.error_response(error)),
            };
            let Some(policy) = req.app_data::<web::Data<Idempotency>>().cloned() else {
                let error = anyhow::anyhow!("no Idempotency in the app data");
                return Ok(req.error_response(ApiError::internal(error)));
            };
            protect(service, req, &key, &policy).await
        })
    }
}

/// The key, if it is 1 to 255 visible ASCII characters.
fn parse_key(raw: &HeaderValue) -> Result<&str, ApiError> {
    raw.to_str()
        .ok()
        .filter(|key| (1..=255).contains(&key.len()))
        .filter(|key| key.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::new(
                ProblemCode::InvalidIdempotencyKey,
                "`Idempotency-Key` must be 1 to 255 visible ASCII characters (a UUID, say).",
            )
        })
}

fn hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        // Lengths first, so no two lists of parts hash alike.
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

async fn protect<S, B>(
    service: Rc<S>,
    mut req: ServiceRequest,
    key: &str,
    policy: &Idempotency,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    let body = match read_body(&mut req, policy.max_body_bytes).await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(error)),
    };
    let credentials = req
        .headers()
        .get(header::AUTHORIZATION)
        .map_or(&b""[..], HeaderValue::as_bytes);
    let method = req.method().as_str().as_bytes();
    let record = hash(&[
        &Sha256::digest(credentials),
        method,
        req.path().as_bytes(),
        key.as_bytes(),
    ]);
    let target = req.uri().path_and_query().map_or("", |p| p.as_str());
    let fingerprint = hash(&[method, target.as_bytes(), &body]);
    req.set_payload(Payload::from(body));

    let claim = match policy
        .store
        .claim(&record, &fingerprint, policy.lease)
        .await
    {
        Ok(claim) => claim,
        Err(error) => return Ok(req.error_response(ApiError::from(error))),
    };
    let token = match claim {
        Claim::Claimed { token } => token,
        Claim::Running { fingerprint: other }
        | Claim::Done {
            fingerprint: other, ..
        } if other != fingerprint => {
            return Ok(req.error_response(reused()));
        }
        Claim::Running { .. } => {
            let error = ApiError::new(
                ProblemCode::IdempotencyKeyInUse,
                "A request with this `Idempotency-Key` is still running; retry shortly.",
            )
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Ok(req.error_response(error));
        }
        Claim::Done { response, .. } => return Ok(replay(req, response)),
    };

    // Run in a task of its own, so the handler finishes and its answer is recorded even if
    // this request's connection closes meanwhile.
    let store = policy.store.clone();
    let (ttl, record_key, task_token) = (policy.ttl, record.clone(), token.clone());
    let run = actix_web::rt::spawn(async move {
        let token = task_token;
        let response = match service.call(req).await {
            Ok(response) => response,
            Err(error) => {
                release(&*store, &record_key, &token).await;
                return Err(error);
            }
        };
        let (request, response) = response.into_parts();
        let (head, body) = response.into_parts();
        let bytes = match actix_web::body::to_bytes(body).await {
            Ok(bytes) => bytes,
            Err(error) => {
                release(&*store, &record_key, &token).await;
                let error: Box<dyn std::error::Error> = error.into();
                let error =
                    ApiError::internal(anyhow::anyhow!("reading the response body: {error}"));
                return Ok(ServiceResponse::new(request, error.error_response()));
            }
        };
        if head.status().is_server_error() {
            release(&*store, &record_key, &token).await;
        } else {
            let stored = StoredResponse {
                status: head.status().as_u16(),
                content_type: header_text(&head, header::CONTENT_TYPE),
                location: header_text(&head, header::LOCATION),
                body: bytes.to_vec(),
            };
            if let Err(error) = store
                .complete(&record_key, &token, &fingerprint, &stored, ttl)
                .await
            {
                // The claim stays until its lease ends: retries meanwhile get 409, not a
                // second run.
                tracing::error!(
                    error = format!("{error:#}"),
                    "storing an idempotent response"
                );
            }
        }
        Ok(ServiceResponse::new(
            request,
            head.set_body(BoxBody::new(bytes)),
        ))
    });
    match run.await {
        Ok(outcome) => outcome,
        Err(join) => {
            release(&*policy.store, &record, &token).await;
            Err(ApiError::internal(anyhow::anyhow!("the handler panicked: {join}")).into())
        }
    }
}

fn reused() -> ApiError {
    ApiError::new(
        ProblemCode::IdempotencyKeyReused,
        "This `Idempotency-Key` was used for a different request; use a new key for a new request.",
    )
}

async fn release(store: &dyn IdempotencyStore, key: &str, token: &str) {
    if let Err(error) = store.release(key, token).await {
        tracing::warn!(
            error = format!("{error:#}"),
            "releasing an idempotency claim"
        );
    }
}

fn header_text(response: &HttpResponse<()>, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The request's body, up to `limit` bytes (413 beyond).
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::bad_request(format!("The body could not be read: {e}.")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::new(
                ProblemCode::PayloadTooLarge,
                format!("The body is larger than the limit of {limit} bytes."),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn replay(req: ServiceRequest, stored: StoredResponse) -> ServiceResponse<BoxBody> {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((REPLAYED_HEADER, "true"));
    if let Some(content_type) = stored.content_type {
        response.insert_header((header::CONTENT_TYPE, content_type));
    }
    if let Some(location) = stored.location {
        response.insert_header((header::LOCATION, location));
    }
    req.into_response(response.body(stored.body))
}

/// Documents the `Idempotency-Key` header: `params(crate::idempotency::IdempotencyKey)` in a
/// handler's `#[utoipa::path]`.
pub struct IdempotencyKey;

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name(HEADER)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Makes a retry safe: a request repeated with the same key (and the same \
                     credentials, method, path and body) within 24 hours is not run again but \
                     answered with the first response, marked `Idempotent-Replayed: true`. \
                     1 to 255 visible ASCII characters; a new UUID per intended operation.",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255))
                        .pattern(Some("^[\\x21-\\x7E]+$"))
                        .examples(["0192f5e4-8b1c-7c1e-9a3e-3f1f2b6c9d10"]),
                ))
                .build(),
        ]
    }
}
