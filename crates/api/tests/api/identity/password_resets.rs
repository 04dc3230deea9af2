//! Forgotten passwords: a token by message, hashed at rest, usable once within the hour.

use chrono::TimeDelta;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app, spawn_app_with};

const REQUEST: &str = "/api/v1/identity/password-resets";
const CONFIRM: &str = "/api/v1/identity/password-resets/confirm";

async fn request_reset(app: &TestApp, email: &str) -> u16 {
    app.post_json(REQUEST, &json!({ "email": email }))
        .await
        .status()
        .as_u16()
}

/// The token in the newest message to `email`.
async fn token_sent_to(app: &TestApp, email: &str) -> String {
    let messages = app.messages_to(email).await;
    let body = messages
        .first()
        .unwrap_or_else(|| panic!("no message to {email}"))["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let start = body.find("atr_").expect("a token in the message");
    body[start..start + 47].to_owned()
}

async fn confirm(app: &TestApp, token: &str, new_password: &str) -> reqwest::Response {
    app.post_json(
        CONFIRM,
        &json!({ "token": token, "new_password": new_password }),
    )
    .await
}

#[tokio::test]
async fn a_token_sets_a_new_password_once_and_ends_every_session() {
    let app = spawn_app().await;
    let user = app.new_user("quinn").await;
    assert_eq!(request_reset(&app, "QUINN@example.com").await, 202);

    let messages = app.messages_to("quinn@example.com").await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["kind"], "password_reset");
    let token = token_sent_to(&app, "quinn@example.com").await;
    let stored = app
        .db
        .query_text("SELECT string_agg(token_hash, ',') FROM password_reset_tokens")
        .await
        .unwrap();
    assert!(!stored.contains(&token), "only a hash is stored");
    assert_eq!(stored.len(), 64);

    let response = confirm(&app, &token, "a whole new password").await;
    assert_eq!(response.status(), 204);
    problem::expect(
        app.get_as(&user.token, "/api/v1/identity/me").await,
        401,
        "unauthorized",
    )
    .await;
    problem::expect(
        app.login("quinn", &user.password).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login("quinn", "a whole new password").await.status(),
        201
    );

    problem::expect(
        confirm(&app, &token, "yet another password").await,
        422,
        "invalid_token",
    )
    .await;
    assert_eq!(
        app.login("quinn", "a whole new password").await.status(),
        201
    );
}

#[tokio::test]
async fn the_answer_is_the_same_for_an_email_nobody_has() {
    let app = spawn_app().await;
    app.new_user("rose").await;
    assert_eq!(request_reset(&app, "nobody@example.com").await, 202);
    assert!(app.messages_to("nobody@example.com").await.is_empty());
    assert_eq!(app.db.count("password_reset_tokens").await, 0);
    assert_eq!(app.db.count("outbound_messages").await, 0);
}

#[tokio::test]
async fn a_token_expires_after_an_hour() {
    let app = spawn_app().await;
    let user = app.new_user("sam").await;
    request_reset(&app, &user.email).await;
    let token = token_sent_to(&app, &user.email).await;

    app.clock.advance(TimeDelta::minutes(61));
    problem::expect(
        confirm(&app, &token, "too late password").await,
        422,
        "invalid_token",
    )
    .await;
    assert_eq!(app.login("sam", &user.password).await.status(), 201);
}

#[tokio::test]
async fn a_new_request_replaces_the_earlier_token() {
    let app = spawn_app().await;
    let user = app.new_user("tina").await;
    request_reset(&app, &user.email).await;
    let first = token_sent_to(&app, &user.email).await;
    request_reset(&app, &user.email).await;
    let second = token_sent_to(&app, &user.email).await;
    assert_ne!(first, second);
    assert_eq!(app.db.count("password_reset_tokens").await, 1);

    problem::expect(
        confirm(&app, &first, "first token password").await,
        422,
        "invalid_token",
    )
    .await;
    assert_eq!(
        confirm(&app, &second, "second token password")
            .await
            .status(),
        204
    );
}

#[tokio::test]
async fn bad_input_is_refused_and_the_token_stays_usable() {
    let app = spawn_app().await;
    let user = app.new_user("uma").await;
    let body = problem::expect(
        app.post_json(REQUEST, &json!({"email": "not an email"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["email"]);

    request_reset(&app, &user.email).await;
    let token = token_sent_to(&app, &user.email).await;
    let body = problem::expect(
        confirm(&app, &token, "short").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["new_password"]);
    problem::expect(
        confirm(&app, "atr_made-up", "long enough password").await,
        422,
        "invalid_token",
    )
    .await;
    assert_eq!(
        confirm(&app, &token, "long enough password").await.status(),
        204
    );
}

#[tokio::test]
async fn requests_are_limited_per_email_quietly_and_per_address_with_429() {
    let app = spawn_app_with(|config| config.reset_requests_per_hour = 2).await;
    let user = app.new_user("vera").await;
    for _ in 0..3 {
        assert_eq!(request_reset(&app, &user.email).await, 202);
    }
    assert_eq!(
        app.messages_to(&user.email).await.len(),
        2,
        "the third request sends nothing"
    );

    // Per address: five times the per-email limit, over any emails.
    for n in 3..10 {
        assert_eq!(
            request_reset(&app, &format!("other{n}@example.com")).await,
            202
        );
    }
    let response = app
        .post_json(REQUEST, &json!({"email": "one-more@example.com"}))
        .await;
    let retry_after: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    problem::expect(response, 429, "rate_limited").await;

    app.clock.advance(TimeDelta::hours(1));
    assert_eq!(request_reset(&app, &user.email).await, 202);
    let sent: Vec<Value> = app.messages_to(&user.email).await;
    assert_eq!(sent.len(), 3, "a new hour, a new allowance");
}
