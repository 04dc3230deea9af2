//! Sessions: opaque tokens in Redis, stored as hashes, revocable one by one or all at once,
//! ending when unused.

use chrono::TimeDelta;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{problem, spawn_app, spawn_app_with};

const ME: &str = "/api/v1/identity/me";

fn session_keys(app: &testkit::TestApp) -> Vec<String> {
    app.redis
        .keys()
        .into_iter()
        .filter(|key| key.starts_with(&format!("{}session:", app.redis.prefix())))
        .collect()
}

#[tokio::test]
async fn only_a_hash_of_the_token_is_stored() {
    let app = spawn_app().await;
    let user = app.new_user("henry").await;
    let keys = session_keys(&app);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(!keys[0].contains(&user.token));
    let stored = app.redis.get(&keys[0]).unwrap();
    assert!(!stored.contains(&user.token), "{stored}");
    assert!(stored.contains("tests"), "the terminal: {stored}");
}

#[tokio::test]
async fn calls_without_a_valid_token_are_401_with_a_challenge() {
    let app = spawn_app().await;
    let user = app.new_user("iris").await;
    let cases = [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer ats_not-a-real-token".to_owned()),
        Some(format!("Basic {}", user.token)),
        Some(format!("Bearer {}x", user.token)),
    ];
    for authorization in cases {
        let mut request = app.request(Method::GET, ME);
        if let Some(value) = &authorization {
            request = request.header("authorization", value);
        }
        let response = app.send(request).await;
        assert_eq!(
            response.headers()["www-authenticate"],
            "Bearer realm=\"atelier\"",
            "{authorization:?}"
        );
        problem::expect(response, 401, "unauthorized").await;
    }
    // Public endpoints do not mind a stale token.
    let stale = app
        .send(
            app.request(Method::POST, "/api/v1/identity/sessions")
                .bearer_auth("ats_stale")
                .json(&json!({"login": "iris", "password": user.password})),
        )
        .await;
    assert_eq!(stale.status(), 201);
}

#[tokio::test]
async fn logging_out_ends_only_that_session() {
    let app = spawn_app().await;
    let user = app.new_user("jack").await;
    let other = app.token_for("jack", &user.password).await;
    assert_eq!(session_keys(&app).len(), 2);

    let response = app
        .delete_as(&user.token, "/api/v1/identity/sessions/current")
        .await;
    assert_eq!(response.status(), 204);
    problem::expect(app.get_as(&user.token, ME).await, 401, "unauthorized").await;
    assert_eq!(app.get_as(&other, ME).await.status(), 200);
    assert_eq!(session_keys(&app).len(), 1);
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let user = app.new_user("kate").await;
    let second = app.token_for("kate", &user.password).await;
    let third = app.token_for("KATE", &user.password).await;
    let bystander = app.new_user("liam").await;

    let response = app.delete_as(&second, "/api/v1/identity/sessions").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["revoked"], 3);
    for token in [&user.token, &second, &third] {
        problem::expect(app.get_as(token, ME).await, 401, "unauthorized").await;
    }
    assert_eq!(app.get_as(&bystander.token, ME).await.status(), 200);
}

#[tokio::test]
async fn sessions_are_listed_by_terminal_and_one_can_be_ended() {
    let app = spawn_app().await;
    let user = app.new_user("mia").await;
    let phone: Value = app
        .post_json(
            "/api/v1/identity/sessions",
            &json!({"login": "mia", "password": user.password, "terminal": "iPhone"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let phone_token = phone["token"].as_str().unwrap();

    let listed: Value = app
        .get_as(&user.token, "/api/v1/identity/sessions")
        .await
        .json()
        .await
        .unwrap();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{listed}");
    let current: Vec<(&str, bool)> = items
        .iter()
        .map(|s| {
            (
                s["terminal"].as_str().unwrap(),
                s["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(current.contains(&("tests", true)), "{listed}");
    assert!(current.contains(&("iPhone", false)), "{listed}");
    assert!(!listed.to_string().contains(phone_token));

    let id = phone["session"]["id"].as_str().unwrap();
    let response = app
        .delete_as(&user.token, &format!("/api/v1/identity/sessions/{id}"))
        .await;
    assert_eq!(response.status(), 204);
    problem::expect(app.get_as(phone_token, ME).await, 401, "unauthorized").await;
    assert_eq!(app.get_as(&user.token, ME).await.status(), 200);
    problem::expect(
        app.delete_as(&user.token, &format!("/api/v1/identity/sessions/{id}"))
            .await,
        404,
        "not_found",
    )
    .await;

    // Nobody ends another person's session by its id.
    let stranger = app.new_user("noah").await;
    let own_id = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    problem::expect(
        app.delete_as(
            &stranger.token,
            &format!("/api/v1/identity/sessions/{own_id}"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.get_as(&user.token, ME).await.status(), 200);
}

#[tokio::test]
async fn an_unused_session_ends_and_each_use_moves_the_end() {
    let app = spawn_app_with(|config| config.session_idle_secs = 3600).await;
    let user = app.new_user("olivia").await;

    app.clock.advance(TimeDelta::minutes(50));
    let first: Value = app
        .get_as(&user.token, "/api/v1/identity/sessions")
        .await
        .json()
        .await
        .unwrap();
    app.clock.advance(TimeDelta::minutes(50));
    let second: Value = app
        .get_as(&user.token, "/api/v1/identity/sessions")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        second["items"][0]["expires_at"].as_str() > first["items"][0]["expires_at"].as_str(),
        "{first} then {second}"
    );

    app.clock.advance(TimeDelta::minutes(61));
    problem::expect(app.get_as(&user.token, ME).await, 401, "unauthorized").await;
    assert!(
        session_keys(&app).is_empty(),
        "an expired session is removed"
    );
}

#[tokio::test]
async fn a_new_role_applies_to_open_sessions_at_once() {
    let app = spawn_app().await;
    let user = app.new_user("paul").await;
    problem::expect(
        app.get_as(&user.token, "/api/v1/identity/users").await,
        403,
        "forbidden",
    )
    .await;
    let admin = app.admin_token().await;
    let response = app
        .put_json_as(
            &admin,
            "/api/v1/identity/users/paul/role",
            &json!({"role": "manager"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.get_as(&user.token, "/api/v1/identity/users")
            .await
            .status(),
        200
    );
}
