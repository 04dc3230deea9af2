//! Failed logins are limited per account name and per client address, in Redis, and the limit
//! lifts when its window ends.

use chrono::TimeDelta;
use serde_json::json;
use testkit::{problem, spawn_app_with};

fn retry_after(response: &reqwest::Response) -> i64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn failed_logins_for_an_account_are_limited_until_the_window_ends() {
    let app = spawn_app_with(|config| {
        config.login_failures_per_account = 3;
        config.login_failure_window_secs = 900;
    })
    .await;
    let user = app.new_user("kim").await;
    let bystander = app.new_user("lee").await;

    for _ in 0..3 {
        problem::expect(
            app.login("kim", "wrong password").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    // Over the limit even the right password is refused: guessing gains nothing.
    let response = app.login("KIM", &user.password).await;
    let wait = retry_after(&response);
    assert!((1..=900).contains(&wait), "{wait}");
    problem::expect(response, 429, "rate_limited").await;
    // Other accounts are not affected.
    assert_eq!(app.login("lee", &bystander.password).await.status(), 201);

    app.clock.advance(TimeDelta::seconds(wait));
    assert_eq!(app.login("kim", &user.password).await.status(), 201);
}

#[tokio::test]
async fn a_successful_login_clears_the_accounts_failures() {
    let app = spawn_app_with(|config| config.login_failures_per_account = 3).await;
    let user = app.new_user("max").await;
    for _ in 0..2 {
        app.login("max", "wrong password").await;
    }
    assert_eq!(app.login("max", &user.password).await.status(), 201);
    for _ in 0..2 {
        app.login("max", "wrong password").await;
    }
    assert_eq!(app.login("max", &user.password).await.status(), 201);
}

#[tokio::test]
async fn failed_logins_from_one_address_are_limited_over_every_account_name() {
    let app = spawn_app_with(|config| {
        config.login_failures_per_account = 100;
        config.login_failures_per_address = 4;
    })
    .await;
    let user = app.new_user("ned").await;
    for n in 0..4 {
        app.login(&format!("guess{n}"), "wrong password").await;
    }
    problem::expect(app.login("ned", &user.password).await, 429, "rate_limited").await;
    app.clock.advance(TimeDelta::minutes(15));
    assert_eq!(app.login("ned", &user.password).await.status(), 201);
}

#[tokio::test]
async fn wrong_current_passwords_count_as_failed_logins() {
    let app = spawn_app_with(|config| config.login_failures_per_account = 2).await;
    let user = app.new_user("ola").await;
    for _ in 0..2 {
        problem::expect(
            app.put_json_as(
                &user.token,
                "/api/v1/identity/me/password",
                &json!({"old_password": "guess", "new_password": "a new password"}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
    }
    problem::expect(
        app.put_json_as(
            &user.token,
            "/api/v1/identity/me/password",
            &json!({"old_password": user.password, "new_password": "a new password"}),
        )
        .await,
        429,
        "rate_limited",
    )
    .await;
    assert_eq!(app.login("ola", &user.password).await.status(), 429);
}
