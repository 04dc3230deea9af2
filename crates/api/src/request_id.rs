//! Request ids and the access log.
//!
//! Each request gets an id: the caller's `X-Request-Id` when it is a sane token (so a request can
//! be followed across services), a fresh UUIDv7 otherwise. The id is echoed in the response
//! header, set on the request's tracing span (so every log line of the request carries it), put
//! in every problem body, and available to handlers through the [`RequestId`] extractor.
//!
//! This is written here rather than taken from `tracing-actix-web` because that crate generates
//! its own id and ignores the one the caller sent.

use std::future::{Ready, ready};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use tracing::Instrument;

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being handled, if called while handling one.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// The request's id, as an extractor.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl FromRequest for RequestId {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(|| RequestId(String::new()));
        ready(Ok(id))
    }
}

/// Accepts ids of up to 128 characters of `[A-Za-z0-9._:-]`, so whatever lands in the logs is
/// a token and not, say, a forged log line.
fn acceptable(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The outermost middleware: assigns the id, opens the span, logs the outcome.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let id = req
        .headers()
        .get(&HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));

    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        // Filled in by `auth::middleware` when a session token checks out.
        user_id = tracing::field::Empty,
    );
    span.in_scope(|| tracing::debug!("request started"));
    let started = Instant::now();
    // Handlers' and extractors' errors arrive here as responses; only a failing middleware
    // could return `Err`, and the ones inside this one do not.
    let mut response = CURRENT
        .scope(id.clone(), next.call(req))
        .instrument(span.clone())
        .await?;

    let status = response.status();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), elapsed_ms, "request finished");
        } else {
            tracing::info!(status = status.as_u16(), elapsed_ms, "request finished");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn only_plain_tokens_are_taken_from_the_caller() {
        assert!(acceptable("0192f5e4-8b1c-7c1e-9a3e-3f1f2b6c9d10"));
        assert!(acceptable("lb:abc.123_x"));
        assert!(!acceptable(""));
        assert!(!acceptable("two words"));
        assert!(!acceptable("forged\nline"));
        assert!(!acceptable(&"x".repeat(129)));
    }
}
