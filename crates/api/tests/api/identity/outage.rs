//! With Redis down, calls that need a session answer 503 and change nothing; service resumes
//! when Redis is back.

use serde_json::json;
use testkit::proxy::{socket_of, with_port};
use testkit::{TcpProxy, TestApp, problem, spawn_app_with};

async fn app_behind_a_redis_proxy() -> (TestApp, TcpProxy) {
    let proxy = TcpProxy::start(socket_of(&testkit::env::redis_url())).await;
    let port = proxy.port();
    let app = spawn_app_with(|config| config.redis_url = with_port(&config.redis_url, port)).await;
    (app, proxy)
}

async fn expect_503(response: reqwest::Response) {
    assert_eq!(response.headers()["retry-after"], "5");
    let body = problem::expect(response, 503, "service_unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("Redis"), "{body}");
}

#[tokio::test]
async fn session_calls_answer_503_and_write_nothing_while_redis_is_down() {
    let (app, proxy) = app_behind_a_redis_proxy().await;
    let user = app.new_user("pia").await;
    app.post_json(
        "/api/v1/identity/password-resets",
        &json!({"email": user.email}),
    )
    .await;
    let reset_body = app.messages_to(&user.email).await[0]["body"]
        .as_str()
        .unwrap()
        .to_owned();
    let reset_token = &reset_body[reset_body.find("atr_").unwrap()..][..47];
    let sessions_before = app.redis.keys().len();

    proxy.cut().await;
    expect_503(app.get_as(&user.token, "/api/v1/identity/me").await).await;
    expect_503(app.login("pia", &user.password).await).await;
    expect_503(
        app.put_json_as(
            &user.token,
            "/api/v1/identity/me/password",
            &json!({"old_password": user.password, "new_password": "changed while down"}),
        )
        .await,
    )
    .await;
    expect_503(
        app.post_json(
            "/api/v1/identity/password-resets/confirm",
            &json!({"token": reset_token, "new_password": "changed while down"}),
        )
        .await,
    )
    .await;

    proxy.restore().await;
    // Nothing was written halfway: the old password and session work, the token is unused.
    assert_eq!(app.redis.keys().len(), sessions_before);
    assert_eq!(
        app.get_as(&user.token, "/api/v1/identity/me")
            .await
            .status(),
        200
    );
    assert_eq!(app.login("pia", &user.password).await.status(), 201);
    let unused = app
        .db
        .query_text("SELECT count(*) FROM password_reset_tokens WHERE used_at IS NULL")
        .await;
    assert_eq!(unused.as_deref(), Some("1"));
    assert_eq!(
        app.post_json(
            "/api/v1/identity/password-resets/confirm",
            &json!({"token": reset_token, "new_password": "changed after"}),
        )
        .await
        .status(),
        204
    );
}
