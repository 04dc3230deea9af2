//! Assertions on RFC 9457 problem responses.

use reqwest::{Response, StatusCode};
use serde_json::Value;

/// Asserts that `response` is a problem with this status and code, and returns its body.
/// Also checks what every problem must have: the content type, `type` matching `code`, a
/// title, and the request id of the header repeated in the body.
pub async fn expect(response: Response, status: u16, code: &str) -> Value {
    let actual = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("reading the body");
    assert_eq!(
        actual,
        StatusCode::from_u16(status).unwrap(),
        "status; body: {text}"
    );
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(
        content_type, "application/problem+json",
        "content type; body: {text}"
    );
    let body: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert_eq!(body["code"], code, "code; body: {body}");
    assert_eq!(body["status"], status, "status in body: {body}");
    assert_eq!(
        body["type"],
        format!("urn:atelier:problem:{code}"),
        "{body}"
    );
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "title: {body}"
    );
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("X-Request-Id header");
    assert_eq!(body["request_id"], request_id, "request id: {body}");
    body
}

/// The fields named in a 422's `errors`, in order.
pub fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
