//! Employees: hired, changed and retired by managers; read by the front desk to book them.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{EMPLOYEES, created, fetched, ids, patched, store};

#[tokio::test]
async fn employees_are_hired_listed_changed_and_retired() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;
    store(&app, "east").await;
    app.new_user_with_role("li.si", "photographer").await;

    let response = app
        .post_json_as(
            &manager.token,
            EMPLOYEES,
            &json!({"store": "main", "first_name": "四", "last_name": "李",
                    "position": "photographer", "email": "lisi@example.com",
                    "phone": "139 0013 9000", "account": "li.si"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let li: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{EMPLOYEES}/{}", li["id"]));
    assert_eq!(li["store"], "main");
    assert_eq!(li["first_name"], "四");
    assert_eq!(li["last_name"], "李");
    assert_eq!(li["position"], "photographer");
    assert_eq!(li["email"], "lisi@example.com");
    assert_eq!(li["phone"], "13900139000");
    assert_eq!(li["active"], true);
    assert_eq!(
        li["account"],
        json!({"username": "li.si", "role": "photographer"})
    );
    assert_eq!(fetched(&app, &manager.token, &location).await, li);

    let wang = created(
        &app,
        &manager.token,
        EMPLOYEES,
        json!({"store": "east", "first_name": "芳", "last_name": "王",
               "position": "makeup_artist"}),
    )
    .await;
    assert_eq!(wang["account"], Value::Null);
    assert_eq!(wang["email"], Value::Null);
    let (li_id, wang_id) = (li["id"].as_i64().unwrap(), wang["id"].as_i64().unwrap());

    // By id, a page at a time; filtered by store, position and whether active.
    let first = fetched(&app, &manager.token, &format!("{EMPLOYEES}?limit=1")).await;
    assert_eq!(ids(&first), [li_id]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = fetched(
        &app,
        &manager.token,
        &format!("{EMPLOYEES}?limit=1&cursor={cursor}"),
    )
    .await;
    assert_eq!(ids(&second), [wang_id]);
    let at = |query: &'static str| {
        let app = &app;
        let token = manager.token.clone();
        async move { ids(&fetched(app, &token, &format!("{EMPLOYEES}?{query}")).await) }
    };
    assert_eq!(at("store=east").await, [wang_id]);
    assert_eq!(at("store=nowhere").await, Vec::<i64>::new());
    assert_eq!(at("position=photographer").await, [li_id]);
    assert_eq!(
        at("store=main&position=makeup_artist").await,
        Vec::<i64>::new()
    );

    // Moved to another store, unlinked, retired (there is no delete: shoots refer to people).
    let moved = patched(
        &app,
        &manager.token,
        &location,
        json!({"store": "east", "position": "retoucher", "account": null, "phone": null}),
    )
    .await;
    assert_eq!(moved["store"], "east");
    assert_eq!(moved["position"], "retoucher");
    assert_eq!(moved["account"], Value::Null);
    assert_eq!(moved["phone"], Value::Null);
    assert_eq!(moved["email"], "lisi@example.com");
    let retired = patched(&app, &manager.token, &location, json!({"active": false})).await;
    assert_eq!(retired["active"], false);
    assert_eq!(retired["store"], "east");
    assert_eq!(at("active=true").await, [wang_id]);
    assert_eq!(at("active=false").await, [li_id]);

    problem::expect(
        app.get_as(&manager.token, &format!("{EMPLOYEES}/{}", wang_id + 1))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn invalid_employees_are_refused_field_by_field() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;

    let body = problem::expect(
        app.post_json_as(
            &manager.token,
            EMPLOYEES,
            &json!({"store": "nowhere", "first_name": "", "position": "janitor",
                    "email": "nope", "phone": "abc", "account": "nobody"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem::fields(&body),
        [
            "account",
            "email",
            "first_name",
            "phone",
            "position",
            "store"
        ]
    );
    assert_eq!(app.db.count("employees").await, 0);

    let employee = created(
        &app,
        &manager.token,
        EMPLOYEES,
        json!({"store": "main", "first_name": "四", "position": "sales"}),
    )
    .await;
    let path = format!("{EMPLOYEES}/{}", employee["id"]);
    let body = problem::expect(
        app.patch_json_as(
            &manager.token,
            &path,
            &json!({"store": "nowhere", "position": "boss", "last_name": "x".repeat(51)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["last_name", "position", "store"]);
    assert_eq!(fetched(&app, &manager.token, &path).await, employee);
    problem::expect(
        app.get_as(&manager.token, &format!("{EMPLOYEES}?position=boss"))
            .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn an_account_belongs_to_one_employee() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;
    app.new_user_with_role("desk", "front_desk").await;
    created(
        &app,
        &manager.token,
        EMPLOYEES,
        json!({"store": "main", "first_name": "One", "position": "front_desk",
               "account": "desk"}),
    )
    .await;
    problem::expect(
        app.post_json_as(
            &manager.token,
            EMPLOYEES,
            &json!({"store": "main", "first_name": "Two", "position": "sales",
                    "account": "desk"}),
        )
        .await,
        409,
        "account_linked",
    )
    .await;
    let two = created(
        &app,
        &manager.token,
        EMPLOYEES,
        json!({"store": "main", "first_name": "Two", "position": "sales"}),
    )
    .await;
    problem::expect(
        app.patch_json_as(
            &manager.token,
            &format!("{EMPLOYEES}/{}", two["id"]),
            &json!({"account": "desk"}),
        )
        .await,
        409,
        "account_linked",
    )
    .await;
    assert_eq!(app.db.count("employees").await, 2);
}

#[tokio::test]
async fn managers_change_employees_and_the_front_desk_reads_them() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    store(&app, "main").await;
    let employee = created(
        &app,
        &manager.token,
        EMPLOYEES,
        json!({"store": "main", "first_name": "四", "position": "photographer"}),
    )
    .await;
    let path = format!("{EMPLOYEES}/{}", employee["id"]);

    let desk = app.new_user_with_role("desk", "front_desk").await;
    assert_eq!(ids(&fetched(&app, &desk.token, EMPLOYEES).await).len(), 1);
    assert_eq!(fetched(&app, &desk.token, &path).await, employee);
    problem::expect(
        app.post_json_as(
            &desk.token,
            EMPLOYEES,
            &json!({"store": "main", "first_name": "x", "position": "sales"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(
        app.patch_json_as(&desk.token, &path, &json!({"active": false}))
            .await,
        403,
        "forbidden",
    )
    .await;

    let photographer = app.new_user_with_role("snap", "photographer").await;
    let shopper = app.new_user("shopper").await;
    for token in [&photographer.token, &shopper.token] {
        problem::expect(app.get_as(token, EMPLOYEES).await, 403, "forbidden").await;
        problem::expect(app.get_as(token, &path).await, 403, "forbidden").await;
    }
    problem::expect(app.get(EMPLOYEES).await, 401, "unauthorized").await;
    assert_eq!(fetched(&app, &manager.token, &path).await, employee);
}
