//! A parcel tracking service played by a local HTTP server: `GET /v1/track?carrier=&number=`
//! answers the details the test put in for that parcel as JSON, 404 for one it does not know;
//! every request recorded. A test can make the next calls fail or hang.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::fake_server::FakeServer;

/// One request as the service received it.
#[derive(Debug, Clone)]
pub struct TrackerRequest {
    pub path: String,
    /// The query's parameters, decoded.
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
}

impl TrackerRequest {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Default)]
struct State {
    parcels: BTreeMap<(String, String), Value>,
    requests: Vec<TrackerRequest>,
    failures: VecDeque<u16>,
    delays: VecDeque<Duration>,
}

pub struct FakeTracker {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeTracker {
    /// Starts the server on a free port (inside a Tokio runtime).
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = web::Data::from(state.clone());
        let server = FakeServer::start("the fake tracker", move |cfg| {
            cfg.app_data(shared.clone())
                .default_service(web::to(answer));
        });
        Self {
            base: server.base.clone(),
            state,
            _server: server,
        }
    }

    /// The URL template to configure (`ATELIER_TRACKING_URL`).
    pub fn url_template(&self) -> String {
        format!(
            "{}/v1/track?carrier={{carrier}}&number={{number}}",
            self.base
        )
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// What the service answers for a parcel from now on.
    pub fn set_parcel(&self, carrier: &str, number: &str, details: Value) {
        self.state()
            .parcels
            .insert((carrier.to_owned(), number.to_owned()), details);
    }

    pub fn requests(&self) -> Vec<TrackerRequest> {
        self.state().requests.clone()
    }

    /// The next call is answered with `status` and an error body; calls queue up in order.
    pub fn fail_next(&self, status: u16) {
        self.state().failures.push_back(status);
    }

    /// The next call is answered only after `delay`.
    pub fn delay_next(&self, delay: Duration) {
        self.state().delays.push_back(delay);
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn answer(req: HttpRequest, state: web::Data<Mutex<State>>) -> HttpResponse {
    let request = TrackerRequest {
        path: req.path().to_owned(),
        query: url::form_urlencoded::parse(req.query_string().as_bytes())
            .into_owned()
            .collect(),
        authorization: req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let delay = {
        let mut state = lock(&state);
        state.requests.push(request.clone());
        state.delays.pop_front()
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut state = lock(&state);
    if let Some(status) = state.failures.pop_front() {
        let status = StatusCode::from_u16(status).expect("a status");
        return HttpResponse::build(status).json(json!({"error": status.to_string()}));
    }
    let parcel = (
        request.param("carrier").unwrap_or_default().to_owned(),
        request.param("number").unwrap_or_default().to_owned(),
    );
    match state.parcels.get(&parcel) {
        Some(details) => HttpResponse::Ok().json(details),
        None => HttpResponse::NotFound().json(json!({"error": "unknown parcel"})),
    }
}
