//! Registering, logging in, the profile, changing the password, deleting the account.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

#[tokio::test]
async fn registering_gives_a_customer_account_that_can_log_in_by_username_or_email() {
    let app = spawn_app().await;
    let response = app
        .register(
            "xiaoming",
            "correct horse battery",
            Some("XiaoMing@Example.com"),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        "/api/v1/identity/users/xiaoming"
    );
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["username"], "xiaoming");
    assert_eq!(user["email"], "XiaoMing@Example.com");
    assert_eq!(user["role"], "customer");
    assert!(!user.to_string().contains("password"), "{user}");

    let stored = app
        .db
        .query_text("SELECT password_hash FROM users WHERE username = 'xiaoming'")
        .await
        .unwrap();
    assert!(stored.starts_with("$2"), "a bcrypt hash: {stored}");
    assert!(!stored.contains("correct horse"));

    for login in ["xiaoming", "XIAOMING", "xiaoming@example.com"] {
        let response = app.login(login, "correct horse battery").await;
        assert_eq!(response.status(), 201, "{login}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert!(token.starts_with("ats_"), "{token}");
        assert_eq!(body["token_type"], "Bearer");
        assert_eq!(body["user"]["id"], user["id"]);
        assert_eq!(body["session"]["terminal"], "tests");
        assert_eq!(body["session"]["current"], true);

        let me: Value = app
            .get_as(token, "/api/v1/identity/me")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me, user);
    }
}

#[tokio::test]
async fn usernames_and_emails_are_unique_ignoring_case() {
    let app = spawn_app().await;
    assert_eq!(
        app.register("Alice", "password-one", Some("alice@example.com"))
            .await
            .status(),
        201
    );
    problem::expect(
        app.register("alice", "password-two", None).await,
        409,
        "username_taken",
    )
    .await;
    problem::expect(
        app.register("alice2", "password-two", Some("ALICE@example.com"))
            .await,
        409,
        "email_taken",
    )
    .await;
    // The admin and Alice.
    assert_eq!(app.db.count("users").await, 2);
}

#[tokio::test]
async fn a_bad_registration_names_every_field_and_stores_nothing() {
    let app = spawn_app().await;
    let body = problem::expect(
        app.register("has space", "short", Some("not-an-email"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["email", "password", "username"]);
    let body = problem::expect(
        app.post_json(
            "/api/v1/identity/users",
            &json!({"username": "bob", "password": "long enough", "role": "admin"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem::fields(&body),
        ["role"],
        "unknown fields are refused"
    );
    assert_eq!(app.db.count("users").await, 1);
}

#[tokio::test]
async fn a_wrong_username_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let user = app.new_user("carol").await;
    let strip = |mut body: Value| {
        body.as_object_mut().unwrap().remove("request_id");
        body
    };
    let wrong_password = problem::expect(
        app.login(&user.username, "not the password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let wrong_username = problem::expect(
        app.login("nobody-at-all", "not the password").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(strip(wrong_password), strip(wrong_username));
}

#[tokio::test]
async fn the_profile_changes_field_by_field_and_null_clears() {
    let app = spawn_app().await;
    let user = app.new_user("dave").await;
    app.new_user("erin").await;
    let path = "/api/v1/identity/me";

    let changed: Value = app
        .patch_json_as(&user.token, path, &json!({"display_name": "  戴夫 "}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(changed["display_name"], "戴夫");
    assert_eq!(changed["email"], "dave@example.com", "left as it was");

    let changed: Value = app
        .patch_json_as(&user.token, path, &json!({"email": null}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(changed["email"], Value::Null);
    assert_eq!(changed["display_name"], "戴夫");

    problem::expect(
        app.patch_json_as(&user.token, path, &json!({"email": "ERIN@example.com"}))
            .await,
        409,
        "email_taken",
    )
    .await;
    let body = problem::expect(
        app.patch_json_as(
            &user.token,
            path,
            &json!({"email": "x", "display_name": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["display_name", "email"]);
    let stored = app
        .db
        .query_text("SELECT coalesce(email, 'none') || '/' || display_name FROM users WHERE username = 'dave'")
        .await;
    assert_eq!(stored.as_deref(), Some("none/戴夫"));
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    let user = app.new_user("frank").await;
    let other = app.token_for("frank", &user.password).await;
    let path = "/api/v1/identity/me/password";

    let body = problem::expect(
        app.put_json_as(
            &user.token,
            path,
            &json!({"old_password": "wrong one", "new_password": "brand new password"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["old_password"]);
    assert_eq!(
        app.get_as(&other, "/api/v1/identity/me").await.status(),
        200
    );

    let response = app
        .put_json_as(
            &user.token,
            path,
            &json!({"old_password": user.password, "new_password": "brand new password"}),
        )
        .await;
    assert_eq!(response.status(), 204);
    problem::expect(
        app.get_as(&other, "/api/v1/identity/me").await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(
        app.get_as(&user.token, "/api/v1/identity/me")
            .await
            .status(),
        200,
        "the session that changed it stays"
    );
    problem::expect(
        app.login("frank", &user.password).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(app.login("frank", "brand new password").await.status(), 201);
}

#[tokio::test]
async fn a_deleted_account_is_anonymised_its_sessions_end_and_it_cannot_log_in() {
    let app = spawn_app().await;
    let user = app.new_user("grace").await;
    let other = app.token_for("grace", &user.password).await;
    let address = json!({"name": "Grace", "phone": "+86 138 0013 8000", "line1": "1 Road",
                         "city": "Shanghai", "country": "CN"});
    app.post_json_as(&user.token, "/api/v1/identity/me/addresses", &address)
        .await;
    let id = app
        .db
        .query_text("SELECT id FROM users WHERE username = 'grace'")
        .await
        .unwrap();

    let body = problem::expect(
        app.send(
            app.request_as(&user.token, reqwest::Method::DELETE, "/api/v1/identity/me")
                .json(&json!({"password": "wrong password"})),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["password"]);
    assert_eq!(
        app.get_as(&other, "/api/v1/identity/me").await.status(),
        200
    );

    let response = app
        .send(
            app.request_as(&user.token, reqwest::Method::DELETE, "/api/v1/identity/me")
                .json(&json!({"password": user.password})),
        )
        .await;
    assert_eq!(response.status(), 204);
    for token in [&user.token, &other] {
        problem::expect(
            app.get_as(token, "/api/v1/identity/me").await,
            401,
            "unauthorized",
        )
        .await;
    }
    problem::expect(
        app.login("grace", &user.password).await,
        401,
        "invalid_credentials",
    )
    .await;
    problem::expect(
        app.login("grace@example.com", &user.password).await,
        401,
        "invalid_credentials",
    )
    .await;

    // The row stays for the history that refers to it, with nothing personal left.
    let row = app
        .db
        .query_text(&format!(
            "SELECT username || '|' || coalesce(email, '-') || '|' || coalesce(display_name, '-') \
             || '|' || (deleted_at IS NOT NULL) FROM users WHERE id = {id}"
        ))
        .await;
    assert_eq!(row, Some(format!("deleted-user-{id}|-|-|true")));
    assert_eq!(app.db.count("addresses").await, 0);
    // The name is free again.
    assert_eq!(
        app.register("grace", "another password", Some("grace@example.com"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn the_last_admin_cannot_delete_itself() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    problem::expect(
        app.send(
            app.request_as(&admin, reqwest::Method::DELETE, "/api/v1/identity/me")
                .json(&json!({"password": testkit::ADMIN_PASSWORD})),
        )
        .await,
        409,
        "last_admin",
    )
    .await;
    assert_eq!(
        app.get_as(&admin, "/api/v1/identity/me").await.status(),
        200
    );
}

#[tokio::test]
async fn demo_data_gives_one_account_per_role_once() {
    let app = testkit::spawn_app_with(|config| config.demo_data = true).await;
    let admin = app.admin_token().await;
    for role in [
        "manager",
        "front_desk",
        "photographer",
        "makeup_artist",
        "retoucher",
        "seller",
        "customer",
    ] {
        let token = app.token_for(role, app::identity::DEMO_PASSWORD).await;
        let me: Value = app
            .get_as(&token, "/api/v1/identity/me")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["role"], role, "{me}");
    }
    assert_eq!(app.db.count("users").await, 8);

    // A catalogue, and a store of the demo seller's with stock, to browse at once.
    let store: Value = app
        .get("/api/v1/catalog/products?store=atelier-flagship&sort=price")
        .await
        .json()
        .await
        .unwrap();
    let offers: Vec<&Value> = store["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["offer"])
        .collect();
    assert_eq!(offers.len(), 4, "{store}");
    assert_eq!(offers[0]["price"]["amount"], "25.00");
    assert!(offers.iter().all(|o| o["available"].as_i64() > Some(0)));
    let found: Value = app
        .get("/api/v1/catalog/search?q=三毛")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1);

    // A studio: the package with what it includes, the studio's demo people at work from
    // Tuesday to Sunday (linked to their accounts), rooms, and a customer.
    let package: Value = app
        .get("/api/v1/studio/packages/PKG-WEDDING-GOLD")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(package["retouched_photos"], 30, "{package}");
    let desk = app
        .token_for("front_desk", app::identity::DEMO_PASSWORD)
        .await;
    let staff: Value = app
        .get_as(&desk, "/api/v1/studio/employees?store=atelier-flagship")
        .await
        .json()
        .await
        .unwrap();
    let accounts: Vec<&Value> = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["account"]["username"])
        .collect();
    assert_eq!(
        accounts,
        ["photographer", "makeup_artist", "retoucher", "front_desk"]
    );
    let tuesday = {
        use chrono::Datelike;
        let mut day = chrono::Utc::now().date_naive() + chrono::TimeDelta::days(1);
        while day.weekday() != chrono::Weekday::Tue {
            day += chrono::TimeDelta::days(1);
        }
        day
    };
    let slots: Value = app
        .get_as(
            &desk,
            &format!(
                "/api/v1/studio/stores/atelier-flagship/availability?from={tuesday}&to={tuesday}\
                 &duration_minutes=120&position=photographer"
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!slots["slots"].as_array().unwrap().is_empty(), "{slots}");
    assert_eq!(app.db.count("rooms").await, 2);
    assert_eq!(app.db.count("customers").await, 1);

    // Another start over the same database adds nothing.
    let again = api::startup::Application::build(&app.config, api::startup::Signals::Ignore).await;
    assert!(again.is_ok());
    drop(again);
    assert_eq!(app.db.count("users").await, 8);
    assert_eq!(app.db.count("products").await, 4);
    assert_eq!(app.db.count("stock_movements").await, 5);
    assert_eq!(app.db.count("employees").await, 4);
    assert_eq!(app.db.count("working_hours").await, 4 * 6 * 2);
    assert_eq!(
        app.get_as(&admin, "/api/v1/identity/me").await.status(),
        200
    );
}

#[tokio::test]
async fn a_login_name_longer_than_any_account_is_refused_before_any_work() {
    let app = spawn_app().await;
    let body = problem::expect(
        app.login(&"x".repeat(255), "some password").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["login"]);
    assert!(
        app.redis.keys().iter().all(|key| !key.contains("xxxx")),
        "nothing counted under the name"
    );
}
