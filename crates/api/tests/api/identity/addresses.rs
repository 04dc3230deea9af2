//! The address book: at most one default, each person's own, a bounded size.

use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

const BOOK: &str = "/api/v1/identity/me/addresses";

fn address(name: &str) -> Value {
    json!({
        "name": name, "phone": "+86 138-0013-8000", "line1": "南京东路 100 号", "line2": "  ",
        "city": "上海", "state": "上海", "postal_code": "200001", "country": "cn"
    })
}

async fn add(app: &TestApp, token: &str, name: &str) -> Value {
    let response = app.post_json_as(token, BOOK, &address(name)).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{BOOK}/{}", body["id"]));
    body
}

async fn defaults_of(app: &TestApp, username: &str) -> String {
    app.db
        .query_text(&format!(
            "SELECT coalesce(string_agg(a.name, ','), '') FROM addresses a JOIN users u \
             ON u.id = a.user_id WHERE u.username = '{username}' AND a.is_default"
        ))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_first_address_is_the_default_and_set_default_moves_it() {
    let app = spawn_app().await;
    let user = app.new_user("wendy").await;
    let home = add(&app, &user.token, "家").await;
    assert_eq!(home["is_default"], true);
    assert_eq!(home["country"], "CN");
    assert_eq!(home["line2"], Value::Null);
    let office = add(&app, &user.token, "公司").await;
    assert_eq!(office["is_default"], false);

    let response = app
        .post_json_as(
            &user.token,
            &format!("{BOOK}/{}/set-default", office["id"]),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["is_default"], true);
    assert_eq!(defaults_of(&app, "wendy").await, "公司");

    let listed: Value = app.get_as(&user.token, BOOK).await.json().await.unwrap();
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["公司", "家"], "the default first");
}

#[tokio::test]
async fn an_address_is_read_replaced_and_deleted() {
    let app = spawn_app().await;
    let user = app.new_user("xena").await;
    let home = add(&app, &user.token, "Xena").await;
    let path = format!("{BOOK}/{}", home["id"]);

    let fetched: Value = app.get_as(&user.token, &path).await.json().await.unwrap();
    assert_eq!(fetched, home);

    let mut replacement = address("Xena Home");
    replacement["country"] = json!("de");
    replacement["line2"] = json!(null);
    replacement["state"] = json!(null);
    let response = app.put_json_as(&user.token, &path, &replacement).await;
    assert_eq!(response.status(), 200);
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["name"], "Xena Home");
    assert_eq!(replaced["country"], "DE");
    assert_eq!(replaced["state"], Value::Null);
    assert_eq!(replaced["is_default"], true, "replacing keeps the default");

    assert_eq!(app.delete_as(&user.token, &path).await.status(), 204);
    problem::expect(app.get_as(&user.token, &path).await, 404, "not_found").await;
    assert_eq!(app.db.count("addresses").await, 0);
}

#[tokio::test]
async fn a_bad_address_names_every_field_and_stores_nothing() {
    let app = spawn_app().await;
    let user = app.new_user("yuri").await;
    let bad = json!({"name": " ", "phone": "call me", "line1": "x", "city": "c",
                     "postal_code": "1".repeat(21), "country": "China"});
    let body = problem::expect(
        app.post_json_as(&user.token, BOOK, &bad).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        problem::fields(&body),
        ["country", "name", "phone", "postal_code"]
    );
    assert_eq!(app.db.count("addresses").await, 0);
}

#[tokio::test]
async fn another_persons_address_is_not_found_and_stays_as_it_is() {
    let app = spawn_app().await;
    let owner = app.new_user("zoe").await;
    let intruder = app.new_user("adam").await;
    let home = add(&app, &owner.token, "Zoe").await;
    add(&app, &intruder.token, "Adam").await;
    let path = format!("{BOOK}/{}", home["id"]);

    problem::expect(app.get_as(&intruder.token, &path).await, 404, "not_found").await;
    problem::expect(
        app.put_json_as(&intruder.token, &path, &address("Mine now"))
            .await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.post_json_as(&intruder.token, &format!("{path}/set-default"), &json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.delete_as(&intruder.token, &path).await,
        404,
        "not_found",
    )
    .await;

    let unchanged: Value = app.get_as(&owner.token, &path).await.json().await.unwrap();
    assert_eq!(unchanged, home);
    assert_eq!(defaults_of(&app, "adam").await, "Adam");
    let theirs: Value = app
        .get_as(&intruder.token, BOOK)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_book_holds_at_most_twenty_addresses() {
    let app = spawn_app().await;
    let user = app.new_user("bella").await;
    for n in 0..20 {
        add(&app, &user.token, &format!("Address {n}")).await;
    }
    problem::expect(
        app.post_json_as(&user.token, BOOK, &address("One too many"))
            .await,
        409,
        "address_book_full",
    )
    .await;
    assert_eq!(app.db.count("addresses").await, 20);
}

#[tokio::test]
async fn concurrent_set_defaults_leave_exactly_one_default() {
    let app = spawn_app().await;
    let user = app.new_user("carl").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(add(&app, &user.token, &format!("A{n}")).await["id"].clone());
    }
    let calls = (0..20).map(|n| {
        let path = format!("{BOOK}/{}/set-default", ids[n % ids.len()]);
        let app = &app;
        let token = &user.token;
        async move { app.post_json_as(token, &path, &json!({})).await.status() }
    });
    let statuses = futures::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let defaults = defaults_of(&app, "carl").await;
    assert_eq!(defaults.split(',').count(), 1, "{defaults}");
}

#[tokio::test]
async fn concurrent_additions_to_an_empty_book_make_one_default() {
    let app = spawn_app().await;
    let user = app.new_user("dina").await;
    let calls = (0..10).map(|n| {
        let app = &app;
        let token = &user.token;
        async move {
            app.post_json_as(token, BOOK, &address(&format!("D{n}")))
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(defaults_of(&app, "dina").await.split(',').count(), 1);
    assert_eq!(app.db.count("addresses").await, 10);
}

#[tokio::test]
async fn the_database_itself_refuses_a_second_default() {
    let app = spawn_app().await;
    let user = app.new_user("emma").await;
    add(&app, &user.token, "First").await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    let refused = conn
        .batch_execute(
            "INSERT INTO addresses (user_id, name, phone, line1, city, country, is_default) \
             SELECT id, 'Second', '123', 'l', 'c', 'CN', true FROM users WHERE username = 'emma'",
        )
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("addresses_one_default_per_user_key"),
        "{refused}"
    );
}
