//! Every error is an RFC 9457 problem, including the ones the framework would answer itself.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;
use testkit::{problem, spawn_app};

const SETTING: &str = "/api/v1/backoffice/settings/currency";

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let body = problem::expect(app.get("/api/v1/nothing-here").await, 404, "not_found").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("GET /api/v1/nothing-here"),
        "{body}"
    );
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_listing_the_allowed_ones() {
    let app = spawn_app().await;
    let response = app.send(app.request(Method::POST, SETTING)).await;
    assert_eq!(response.headers()["allow"], "DELETE, GET, PUT");
    problem::expect(response, 405, "method_not_allowed").await;

    let response = app.send(app.request(Method::PATCH, "/healthz")).await;
    assert_eq!(response.headers()["allow"], "GET");
    problem::expect(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let request = app
        .request_as(&admin, Method::PUT, SETTING)
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"value": "EUR""#);
    let body = problem::expect(app.send(request).await, 400, "malformed_json").await;
    assert!(
        body["detail"].as_str().unwrap().contains("not valid JSON"),
        "{body}"
    );
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let request = app
        .request_as(&admin, Method::PUT, SETTING)
        .header(CONTENT_TYPE, "text/plain")
        .body(r#"{"value": "EUR"}"#);
    problem::expect(app.send(request).await, 415, "unsupported_media_type").await;

    let without_type = app
        .request_as(&admin, Method::PUT, SETTING)
        .body(r#"{"value": "EUR"}"#);
    problem::expect(app.send(without_type).await, 415, "unsupported_media_type").await;
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_problem() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let limit = app.config.json_limit_bytes;
    let oversized = json!({ "value": "x".repeat(limit) });
    let body = problem::expect(
        app.put_json_as(&admin, SETTING, &oversized).await,
        413,
        "payload_too_large",
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(&limit.to_string()),
        "{body}"
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (payload, field, words) in [
        (json!({}), "value", "missing field `value`"),
        (json!({"value": 3}), "value", "invalid type"),
        (
            json!({"value": "EUR", "valeu": "x"}),
            "valeu",
            "unknown field `valeu`",
        ),
        (
            json!({"value": "x".repeat(1001)}),
            "value",
            "at most 1000 characters",
        ),
        (
            json!({"value": "EURO"}),
            "value",
            "three-letter ISO 4217 code",
        ),
    ] {
        let body = problem::expect(
            app.put_json_as(&admin, SETTING, &payload).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem::fields(&body), [field], "{payload}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(words), "{payload}: {message}");
    }
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn an_internal_error_is_a_500_with_the_request_id_and_no_internals() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.db.execute("DROP TABLE system_settings").await;
    let response = app.get_as(&admin, "/api/v1/backoffice/settings").await;
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = problem::expect(response, 500, "internal_error").await;
    assert_eq!(body["request_id"], request_id);
    let text = body.to_string();
    for internal in [
        "system_settings",
        "relation",
        "does not exist",
        "diesel",
        "SELECT",
    ] {
        assert!(!text.contains(internal), "{internal:?} leaked: {text}");
    }
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = spawn_app().await;
    let echoed = app
        .send(
            app.request(Method::GET, "/healthz")
                .header("x-request-id", "lb-7f3a.42"),
        )
        .await;
    assert_eq!(echoed.headers()["x-request-id"], "lb-7f3a.42");

    let generated = app.get("/healthz").await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");

    // A header that could forge log lines is replaced, not echoed.
    let forged = app
        .send(
            app.request(Method::GET, "/healthz")
                .header("x-request-id", "a b"),
        )
        .await;
    assert_ne!(forged.headers()["x-request-id"], "a b");
}
