//! A payment provider speaking Stripe's API, played by a local HTTP server: checkout sessions
//! (`POST /v1/checkout/sessions`) and refunds (`POST /v1/refunds`), answered the way Stripe
//! answers them (form-encoded requests, a bearer secret key, `Idempotency-Key` honoured,
//! Stripe-shaped error bodies), every request recorded. A test can make the next calls fail
//! or hang, and builds the webhook events Stripe would send, signed like Stripe signs them
//! (or signed wrongly, on purpose).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::fake_server::FakeServer;

/// The secret key the fake accepts.
pub const SECRET_KEY: &str = "sk_test_atelier_fake";
/// The secret the fake signs webhook events with.
pub const WEBHOOK_SECRET: &str = "whsec_atelier_fake";

/// One request as the provider received it.
#[derive(Debug, Clone)]
pub struct StripeRequest {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub content_type: Option<String>,
    /// The form's fields, in order.
    pub form: Vec<(String, String)>,
}

impl StripeRequest {
    /// The value of a form field.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A checkout session the fake made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSession {
    pub id: String,
    pub url: String,
    /// Minor units.
    pub amount_total: i64,
    /// Lower case, as Stripe spells it.
    pub currency: String,
    /// `open`, `complete` or `expired`.
    pub status: String,
    /// Set when it completes.
    pub payment_intent: Option<String>,
    pub client_reference_id: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub expires_at: i64,
}

impl FakeSession {
    fn to_json(&self, payment_status: &str) -> Value {
        json!({
            "id": self.id,
            "object": "checkout.session",
            "mode": "payment",
            "url": self.url,
            "amount_total": self.amount_total,
            "currency": self.currency,
            "status": self.status,
            "payment_status": payment_status,
            "payment_intent": self.payment_intent,
            "client_reference_id": self.client_reference_id,
            "metadata": self.metadata,
            "expires_at": self.expires_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRefund {
    pub id: String,
    pub payment_intent: String,
    /// Minor units.
    pub amount: i64,
}

/// A webhook request as Stripe would send it: the body and its `Stripe-Signature` header.
#[derive(Debug, Clone)]
pub struct SignedEvent {
    /// `evt_…`
    pub id: String,
    pub body: String,
    pub signature: String,
}

/// An answer given to an idempotency key, with the form it answered.
struct Answered {
    form: Vec<(String, String)>,
    status: u16,
    body: Value,
}

#[derive(Default)]
struct State {
    requests: Vec<StripeRequest>,
    sessions: Vec<FakeSession>,
    refunds: Vec<FakeRefund>,
    /// Idempotency key → the request's form and the answer given.
    answered: BTreeMap<String, Answered>,
    failures: VecDeque<u16>,
    delays: VecDeque<Duration>,
}

pub struct FakeStripe {
    /// `http://127.0.0.1:<port>`, the API base to configure.
    pub api_base: String,
    pub secret_key: String,
    pub webhook_secret: String,
    state: Arc<Mutex<State>>,
    _server: FakeServer,
}

impl FakeStripe {
    /// Starts the server on a free port (inside a Tokio runtime).
    pub fn start() -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = web::Data::from(state.clone());
        let server = FakeServer::start("the fake Stripe", move |cfg| {
            cfg.app_data(shared.clone())
                .default_service(web::to(answer));
        });
        Self {
            api_base: server.base.clone(),
            secret_key: SECRET_KEY.to_owned(),
            webhook_secret: WEBHOOK_SECRET.to_owned(),
            state,
            _server: server,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<StripeRequest> {
        self.state().requests.clone()
    }

    /// Every session made so far, in order.
    pub fn sessions(&self) -> Vec<FakeSession> {
        self.state().sessions.clone()
    }

    pub fn session(&self, id: &str) -> Option<FakeSession> {
        self.state().sessions.iter().find(|s| s.id == id).cloned()
    }

    /// Every refund made so far, in order.
    pub fn refunds(&self) -> Vec<FakeRefund> {
        self.state().refunds.clone()
    }

    /// The next call is answered with `status` (402: a declined card, 400: an invalid request,
    /// 401, 429, 500, 503 ...) and a Stripe error body; calls queue up in order.
    pub fn fail_next(&self, status: u16) {
        self.state().failures.push_back(status);
    }

    /// The next call is answered only after `delay`.
    pub fn delay_next(&self, delay: Duration) {
        self.state().delays.push_back(delay);
    }

    /// The buyer pays: the session completes with a payment intent, and this is the
    /// `checkout.session.completed` event, signed now.
    pub fn completed_event(&self, session_id: &str) -> SignedEvent {
        let object = {
            let mut state = self.state();
            let session = state
                .sessions
                .iter_mut()
                .find(|s| s.id == session_id)
                .unwrap_or_else(|| panic!("no session {session_id}"));
            session.status = "complete".to_owned();
            session.payment_intent.get_or_insert_with(|| new_id("pi"));
            session.to_json("paid")
        };
        self.event("checkout.session.completed", object)
    }

    /// The session expires unpaid; this is the `checkout.session.expired` event, signed now.
    pub fn expired_event(&self, session_id: &str) -> SignedEvent {
        let object = {
            let mut state = self.state();
            let session = state
                .sessions
                .iter_mut()
                .find(|s| s.id == session_id)
                .unwrap_or_else(|| panic!("no session {session_id}"));
            session.status = "expired".to_owned();
            session.to_json("unpaid")
        };
        self.event("checkout.session.expired", object)
    }

    /// An event of any type about `object`, with a new id, signed now.
    pub fn event(&self, event_type: &str, object: Value) -> SignedEvent {
        let id = new_id("evt");
        let body = json!({
            "id": id,
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": Utc::now().timestamp(),
            "livemode": false,
            "type": event_type,
            "data": {"object": object},
        })
        .to_string();
        let signature = self.sign(&body);
        SignedEvent {
            id,
            body,
            signature,
        }
    }

    /// A `Stripe-Signature` header for `body`, signed now.
    pub fn sign(&self, body: &str) -> String {
        self.sign_at(body, Utc::now())
    }

    /// A `Stripe-Signature` header for `body`, signed at `at` (a clock moved by the test, or
    /// a time long past).
    pub fn sign_at(&self, body: &str, at: DateTime<Utc>) -> String {
        sign_with(&self.webhook_secret, body, at)
    }
}

/// A `Stripe-Signature` header for `body` under any secret: `t=<at>,v1=<hex HMAC-SHA256 of
/// "<at>.<body>">`.
pub fn sign_with(secret: &str, body: &str, at: DateTime<Utc>) -> String {
    format!(
        "t={},v1={}",
        at.timestamp(),
        signature(secret, at.timestamp(), body)
    )
}

/// The hex HMAC-SHA256 under `secret` of `"<timestamp>.<body>"`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_test_{}", uuid::Uuid::new_v4().simple())
}

fn header_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A Stripe error body.
fn error(status: u16, kind: &str, code: Option<&str>, message: &str) -> (u16, Value) {
    (
        status,
        json!({"error": {"type": kind, "code": code, "message": message}}),
    )
}

fn injected(status: u16) -> (u16, Value) {
    match status {
        402 => error(
            402,
            "card_error",
            Some("card_declined"),
            "Your card was declined.",
        ),
        401 => error(
            401,
            "invalid_request_error",
            None,
            "Invalid API Key provided.",
        ),
        429 => error(
            429,
            "rate_limit_error",
            Some("rate_limit"),
            "Too many requests hit the API too quickly.",
        ),
        400..=499 => error(
            status,
            "invalid_request_error",
            Some("parameter_invalid"),
            "Invalid request.",
        ),
        _ => error(status, "api_error", None, "An unknown error occurred."),
    }
}

async fn answer(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<Mutex<State>>,
    api_base: web::Data<String>,
) -> HttpResponse {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let request = StripeRequest {
        method: req.method().to_string(),
        path: req.path().to_owned(),
        authorization: header_value(&req, "authorization"),
        idempotency_key: header_value(&req, "idempotency-key"),
        content_type: header_value(&req, "content-type"),
        form,
    };
    let delay = {
        let mut state = lock(&state);
        state.requests.push(request.clone());
        state.delays.pop_front()
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let (status, body) = respond(&mut lock(&state), &request, &api_base);
    HttpResponse::build(StatusCode::from_u16(status).expect("a status"))
        .insert_header(("Request-Id", new_id("req")))
        .json(body)
}

fn respond(state: &mut State, request: &StripeRequest, api_base: &str) -> (u16, Value) {
    if request.authorization.as_deref() != Some(&format!("Bearer {SECRET_KEY}")) {
        return injected(401);
    }
    if let Some(status) = state.failures.pop_front() {
        return injected(status);
    }
    // Stripe replays the first answer to a key, and refuses the key with other parameters.
    if let Some(key) = &request.idempotency_key
        && let Some(answered) = state.answered.get(key)
    {
        return if answered.form == request.form {
            (answered.status, answered.body.clone())
        } else {
            error(
                400,
                "idempotency_error",
                None,
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            )
        };
    }
    let (status, body) = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/v1/checkout/sessions") => create_session(state, request, api_base),
        ("POST", "/v1/refunds") => create_refund(state, request),
        _ => error(
            404,
            "invalid_request_error",
            None,
            "Unrecognized request URL.",
        ),
    };
    if let Some(key) = &request.idempotency_key
        && status < 500
    {
        let answered = Answered {
            form: request.form.clone(),
            status,
            body: body.clone(),
        };
        state.answered.insert(key.clone(), answered);
    }
    (status, body)
}

fn missing(name: &str) -> (u16, Value) {
    error(
        400,
        "invalid_request_error",
        Some("parameter_missing"),
        &format!("Missing required param: {name}."),
    )
}

fn create_session(state: &mut State, request: &StripeRequest, api_base: &str) -> (u16, Value) {
    const REQUIRED: &[&str] = &[
        "mode",
        "line_items[0][price_data][currency]",
        "line_items[0][price_data][unit_amount]",
        "line_items[0][price_data][product_data][name]",
        "line_items[0][quantity]",
        "success_url",
    ];
    if let Some(name) = REQUIRED.iter().find(|name| request.param(name).is_none()) {
        return missing(name);
    }
    let Some(unit_amount) = request
        .param("line_items[0][price_data][unit_amount]")
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|a| *a >= 0)
    else {
        return error(
            400,
            "invalid_request_error",
            Some("parameter_invalid_integer"),
            "Invalid integer: unit_amount.",
        );
    };
    let quantity = request
        .param("line_items[0][quantity]")
        .and_then(|q| q.parse::<i64>().ok())
        .unwrap_or(1);
    let id = new_id("cs");
    let metadata = request
        .form
        .iter()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix("metadata[")?.strip_suffix(']')?;
            Some((name.to_owned(), value.clone()))
        })
        .collect();
    let session = FakeSession {
        url: format!("{api_base}/pay/{id}"),
        id,
        amount_total: unit_amount * quantity,
        currency: request
            .param("line_items[0][price_data][currency]")
            .unwrap_or_default()
            .to_owned(),
        status: "open".to_owned(),
        payment_intent: None,
        client_reference_id: request.param("client_reference_id").map(str::to_owned),
        metadata,
        expires_at: (Utc::now() + TimeDelta::hours(24)).timestamp(),
    };
    let body = session.to_json("unpaid");
    state.sessions.push(session);
    (200, body)
}

fn create_refund(state: &mut State, request: &StripeRequest) -> (u16, Value) {
    let Some(payment_intent) = request.param("payment_intent") else {
        return missing("payment_intent");
    };
    let Some(paid) = state
        .sessions
        .iter()
        .find(|s| s.payment_intent.as_deref() == Some(payment_intent))
        .map(|s| s.amount_total)
    else {
        return error(
            400,
            "invalid_request_error",
            Some("resource_missing"),
            &format!("No such payment_intent: '{payment_intent}'"),
        );
    };
    let refunded: i64 = state
        .refunds
        .iter()
        .filter(|r| r.payment_intent == payment_intent)
        .map(|r| r.amount)
        .sum();
    let amount = match request.param("amount").map(str::parse::<i64>) {
        None => paid - refunded,
        Some(Ok(amount)) if amount > 0 => amount,
        Some(_) => {
            return error(
                400,
                "invalid_request_error",
                Some("parameter_invalid_integer"),
                "Invalid integer: amount.",
            );
        }
    };
    if refunded + amount > paid {
        return error(
            400,
            "invalid_request_error",
            Some("amount_too_large"),
            &format!(
                "Refund amount ({amount}) is greater than unrefunded amount on charge ({})",
                paid - refunded
            ),
        );
    }
    let refund = FakeRefund {
        id: new_id("re"),
        payment_intent: payment_intent.to_owned(),
        amount,
    };
    let body = json!({
        "id": refund.id,
        "object": "refund",
        "amount": amount,
        "payment_intent": payment_intent,
        "status": "succeeded",
        "metadata": {"refund_id": request.param("metadata[refund_id]")},
    });
    state.refunds.push(refund);
    (200, body)
}
