//! Roles and permissions, and staff managing accounts.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

const ROLES: &str = "/api/v1/identity/roles";

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

async fn assign(app: &TestApp, token: &str, username: &str, role: &str) -> reqwest::Response {
    app.put_json_as(
        token,
        &format!("/api/v1/identity/users/{username}/role"),
        &json!({ "role": role }),
    )
    .await
}

#[tokio::test]
async fn the_built_in_roles_and_the_permission_catalogue_are_listed() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let roles = get_json(&app, &admin, ROLES).await;
    let names: Vec<&str> = roles["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "admin",
            "customer",
            "front_desk",
            "makeup_artist",
            "manager",
            "photographer",
            "retoucher",
            "seller"
        ]
    );
    let front_desk = get_json(&app, &admin, &format!("{ROLES}/front_desk")).await;
    assert_eq!(
        front_desk["permissions"],
        json!(["customers:manage", "orders:read_all", "studio:schedule"])
    );
    assert_eq!(front_desk["is_built_in"], true);

    let catalogue = get_json(&app, &admin, "/api/v1/identity/permissions").await;
    let permissions: HashSet<&str> = catalogue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for expected in [
        "catalog:write",
        "orders:read_all",
        "studio:schedule",
        "users:manage",
    ] {
        assert!(permissions.contains(expected), "{expected}");
    }
    // Stored as the seed has it: a JSON array of names.
    let stored = app
        .db
        .query_text("SELECT permissions FROM roles WHERE name = 'front_desk'")
        .await;
    assert_eq!(
        stored.as_deref(),
        Some(r#"["customers:manage", "orders:read_all", "studio:schedule"]"#)
    );
}

#[tokio::test]
async fn a_new_role_grants_what_it_lists_at_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            ROLES,
            &json!({"name": "auditor", "description": "Reads settings.",
                    "permissions": ["settings:read"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        "/api/v1/identity/roles/auditor"
    );
    let role: Value = response.json().await.unwrap();
    assert_eq!(role["permissions"], json!(["settings:read"]));
    assert_eq!(role["is_built_in"], false);

    let user = app.new_user_with_role("ada", "auditor").await;
    let settings = "/api/v1/backoffice/settings";
    assert_eq!(app.get_as(&user.token, settings).await.status(), 200);
    problem::expect(
        app.put_json_as(
            &user.token,
            &format!("{settings}/currency"),
            &json!({"value": "EUR"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    let response = app
        .send(
            app.request_as(&admin, Method::PATCH, &format!("{ROLES}/auditor"))
                .json(&json!({"permissions": ["settings:read", "settings:write"]})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["description"], "Reads settings.", "left as it was");
    assert_eq!(
        app.put_json_as(
            &user.token,
            &format!("{settings}/currency"),
            &json!({"value": "EUR"})
        )
        .await
        .status(),
        200,
        "the open session has the new permission"
    );
}

#[tokio::test]
async fn role_names_are_unique_and_checked_and_permissions_must_exist() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.post_json_as(&admin, ROLES, &json!({"name": "editor"}))
            .await
            .status(),
        201
    );
    problem::expect(
        app.post_json_as(&admin, ROLES, &json!({"name": "Editor"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    problem::expect(
        app.post_json_as(&admin, ROLES, &json!({"name": "editor"}))
            .await,
        409,
        "role_name_taken",
    )
    .await;
    let body = problem::expect(
        app.post_json_as(
            &admin,
            ROLES,
            &json!({"name": "writer", "permissions": ["catalog:write", "catalog:everything"]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["permissions[1]"]);
    assert_eq!(
        app.db
            .query_text("SELECT count(*) FROM roles WHERE NOT is_built_in")
            .await
            .as_deref(),
        Some("1")
    );
}

#[tokio::test]
async fn built_in_roles_stay_and_roles_in_use_stay() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    problem::expect(
        app.send(
            app.request_as(&admin, Method::PATCH, &format!("{ROLES}/admin"))
                .json(&json!({"permissions": []})),
        )
        .await,
        409,
        "built_in_role",
    )
    .await;
    problem::expect(
        app.delete_as(&admin, &format!("{ROLES}/customer")).await,
        409,
        "built_in_role",
    )
    .await;

    app.post_json_as(&admin, ROLES, &json!({"name": "temp"}))
        .await;
    app.new_user_with_role("bea", "temp").await;
    problem::expect(
        app.delete_as(&admin, &format!("{ROLES}/temp")).await,
        409,
        "role_in_use",
    )
    .await;
    assert_eq!(assign(&app, &admin, "bea", "customer").await.status(), 200);
    assert_eq!(
        app.delete_as(&admin, &format!("{ROLES}/temp"))
            .await
            .status(),
        204
    );
    problem::expect(
        app.get_as(&admin, &format!("{ROLES}/temp")).await,
        404,
        "not_found",
    )
    .await;

    // The manager's permissions may change; the admin keeps every permission regardless.
    let response = app
        .send(
            app.request_as(&admin, Method::PATCH, &format!("{ROLES}/manager"))
                .json(&json!({"description": "Runs the studio."})),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.db.count("roles").await, 8);
}

#[tokio::test]
async fn there_is_always_an_admin() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    problem::expect(
        assign(&app, &admin, "admin", "manager").await,
        409,
        "last_admin",
    )
    .await;

    let second = app.new_user_with_role("cleo", "admin").await;
    assert_eq!(
        assign(&app, &second.token, "admin", "manager")
            .await
            .status(),
        200
    );
    problem::expect(
        assign(&app, &second.token, "cleo", "customer").await,
        409,
        "last_admin",
    )
    .await;
}

#[tokio::test]
async fn demoting_both_admins_at_once_leaves_one() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Someone who manages accounts without being an admin, so neither demotion is refused
    // before it reaches the database.
    app.post_json_as(
        &admin,
        ROLES,
        &json!({"name": "account_manager", "permissions": ["users:manage"]}),
    )
    .await;
    let manager = app.new_user_with_role("dora", "account_manager").await;
    app.new_user_with_role("earl", "admin").await;
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            assign(&app, &manager.token, "admin", "customer"),
            assign(&app, &manager.token, "earl", "customer"),
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "exactly one demotion wins");
        let admins = app
            .db
            .query_text(
                "SELECT string_agg(users.username, ',') FROM users \
                 JOIN roles ON roles.id = users.role_id WHERE roles.name = 'admin'",
            )
            .await
            .unwrap();
        assert!(admins == "admin" || admins == "earl", "{admins}");
        // Make both admins again for the next round.
        let demoted = if admins == "admin" { "earl" } else { "admin" };
        assert_eq!(
            assign(&app, &manager.token, demoted, "admin")
                .await
                .status(),
            200
        );
    }
}

#[tokio::test]
async fn assigning_names_an_existing_account_and_role() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.new_user("eve").await;
    let body = problem::expect(
        assign(&app, &admin, "eve", "overlord").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["role"]);
    problem::expect(
        assign(&app, &admin, "nobody", "manager").await,
        404,
        "not_found",
    )
    .await;
    let user = get_json(&app, &admin, "/api/v1/identity/users/EVE").await;
    assert_eq!(user["role"], "customer");
}

#[tokio::test]
async fn accounts_are_listed_page_by_page_and_filtered() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for name in ["fay", "gus", "hal", "ivy", "jon"] {
        app.new_user(name).await;
    }
    assign(&app, &admin, "hal", "photographer").await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("limit", "2".to_owned())];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let response = app
            .send(
                app.request_as(&admin, Method::GET, "/api/v1/identity/users")
                    .query(&query),
            )
            .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|u| u["username"].as_str().unwrap().to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ["admin", "fay", "gus", "hal", "ivy", "jon"]);

    let filtered = |query: &'static [(&'static str, &'static str)]| {
        let app = &app;
        let admin = &admin;
        async move {
            let page: Value = app
                .send(
                    app.request_as(admin, Method::GET, "/api/v1/identity/users")
                        .query(query),
                )
                .await
                .json()
                .await
                .unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["username"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(filtered(&[("role", "photographer")]).await, ["hal"]);
    assert_eq!(filtered(&[("q", "IV")]).await, ["ivy"]);
    assert_eq!(filtered(&[("q", "%")]).await, Vec::<String>::new());

    for bad in [
        [("limit", "0")],
        [("limit", "201")],
        [("cursor", "garbage")],
    ] {
        let response = app
            .send(
                app.request_as(&admin, Method::GET, "/api/v1/identity/users")
                    .query(&bad),
            )
            .await;
        problem::expect(response, 400, "bad_request").await;
    }
}

async fn set_status(app: &TestApp, token: &str, username: &str, status: &str) -> reqwest::Response {
    app.put_json_as(
        token,
        &format!("/api/v1/identity/users/{username}/status"),
        &json!({ "status": status }),
    )
    .await
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_its_sessions_end() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let user = app.new_user("finn").await;

    let response = set_status(&app, &admin, "finn", "disabled").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "disabled");
    problem::expect(
        app.get_as(&user.token, "/api/v1/identity/me").await,
        401,
        "unauthorized",
    )
    .await;
    problem::expect(
        app.login("finn", &user.password).await,
        403,
        "account_disabled",
    )
    .await;
    // A wrong password still says only that.
    problem::expect(
        app.login("finn", "wrong password").await,
        401,
        "invalid_credentials",
    )
    .await;
    // No reset for a disabled account.
    app.post_json(
        "/api/v1/identity/password-resets",
        &json!({"email": user.email}),
    )
    .await;
    assert!(app.messages_to(&user.email).await.is_empty());

    let disabled = get_json(&app, &admin, "/api/v1/identity/users?status=disabled").await;
    assert_eq!(disabled["items"][0]["username"], "finn", "{disabled}");

    assert_eq!(
        set_status(&app, &admin, "finn", "active").await.status(),
        200
    );
    assert_eq!(app.login("finn", &user.password).await.status(), 201);
    let body = problem::expect(
        set_status(&app, &admin, "finn", "asleep").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["status"]);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_disabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    problem::expect(
        set_status(&app, &admin, "admin", "disabled").await,
        409,
        "last_admin",
    )
    .await;
    let second = app.new_user_with_role("gina", "admin").await;
    assert_eq!(
        set_status(&app, &second.token, "admin", "disabled")
            .await
            .status(),
        200
    );
    // The disabled admin no longer counts: the other may not be demoted now.
    problem::expect(
        assign(&app, &second.token, "gina", "customer").await,
        409,
        "last_admin",
    )
    .await;
}
