use serde_json::Value;
use testkit::proxy::{socket_of, with_port};
use testkit::{TcpProxy, problem, spawn_app, spawn_app_with};

#[tokio::test]
async fn liveness_answers_ok() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn readiness_reports_both_dependencies_up() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    let names: Vec<&str> = body["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["status"], "up", "{d}");
            d["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(names, ["postgres", "redis"]);
}

#[tokio::test]
async fn readiness_fails_while_postgres_is_down_and_recovers() {
    let db_proxy_target = {
        let url = testkit::env::database_url();
        socket_of(url.as_str())
    };
    let proxy = TcpProxy::start(db_proxy_target).await;
    let app = spawn_app_with(|config| {
        config.database_url = with_port(&config.database_url, proxy.port());
    })
    .await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let admin = app.admin_token().await;

    proxy.cut().await;
    let body = problem::expect(app.get("/readyz").await, 503, "service_unavailable").await;
    let states: Vec<(&str, &str)> = body["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("postgres", "down"), ("redis", "up")]);
    assert!(
        body["detail"].as_str().unwrap().contains("postgres"),
        "{body}"
    );
    // The process is still alive, and a call that needs the database says why it cannot answer.
    assert_eq!(app.get("/healthz").await.status(), 200);
    let response = app.get_as(&admin, "/api/v1/backoffice/settings").await;
    assert_eq!(response.headers()["retry-after"], "5");
    problem::expect(response, 503, "service_unavailable").await;

    proxy.restore().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    assert_eq!(
        app.get_as(&admin, "/api/v1/backoffice/settings")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn readiness_fails_while_redis_is_down_and_recovers() {
    let proxy = TcpProxy::start(socket_of(&testkit::env::redis_url())).await;
    let app = spawn_app_with(|config| {
        config.redis_url = with_port(&config.redis_url, proxy.port());
    })
    .await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    proxy.cut().await;
    let body = problem::expect(app.get("/readyz").await, 503, "service_unavailable").await;
    assert_eq!(body["dependencies"][0]["status"], "up", "{body}");
    assert_eq!(body["dependencies"][1]["name"], "redis", "{body}");
    assert_eq!(body["dependencies"][1]["status"], "down", "{body}");
    assert_eq!(app.get("/healthz").await.status(), 200);

    proxy.restore().await;
    assert_eq!(app.get("/readyz").await.status(), 200);
}
