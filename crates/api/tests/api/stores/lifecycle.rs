//! Opening, describing, listing, closing and reopening stores, and who may.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{STORES, seller_with_store};

#[tokio::test]
async fn a_seller_opens_a_store_that_anyone_can_read() {
    let app = spawn_app().await;
    let seller = app.new_user_with_role("lin", "seller").await;
    let response = app
        .post_json_as(
            &seller.token,
            STORES,
            &json!({"code": "sanmao-books", "name": " 三毛书屋 ", "description": "Essays.",
                    "time_zone": "Europe/Paris"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let store: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{STORES}/sanmao-books"));
    assert_eq!(store["code"], "sanmao-books");
    assert_eq!(store["name"], "三毛书屋");
    assert_eq!(store["owner"], "lin");
    assert_eq!(store["status"], "open");
    assert_eq!(store["time_zone"], "Europe/Paris");
    assert_eq!(store["closed_at"], Value::Null);

    let read: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(read, store);
    problem::expect(
        app.get(&format!("{STORES}/no-such-store")).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_time_zone_defaults_to_the_business_setting() {
    let app = spawn_app().await;
    assert_eq!(
        app.update_setting("studio.time_zone", "America/New_York")
            .await
            .status(),
        200
    );
    seller_with_store(&app, "lin", "ny-shop").await;
    let store: Value = app
        .get(&format!("{STORES}/ny-shop"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(store["time_zone"], "America/New_York");
}

#[tokio::test]
async fn bad_input_names_every_field_and_opens_nothing() {
    let app = spawn_app().await;
    let seller = app.new_user_with_role("lin", "seller").await;
    let response = app
        .post_json_as(
            &seller.token,
            STORES,
            &json!({"code": "with space", "name": "  ", "time_zone": "Mars/Olympus"}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["code", "name", "time_zone"]);
    assert_eq!(app.db.count("stores").await, 0);
}

#[tokio::test]
async fn codes_are_unique() {
    let app = spawn_app().await;
    seller_with_store(&app, "lin", "shop").await;
    let other = app.new_user_with_role("wang", "seller").await;
    let response = app
        .post_json_as(
            &other.token,
            STORES,
            &json!({"code": "shop", "name": "Mine"}),
        )
        .await;
    problem::expect(response, 409, "store_code_taken").await;
    assert_eq!(app.db.count("stores").await, 1);
}

#[tokio::test]
async fn customers_may_not_open_stores_and_only_staff_open_one_for_someone_else() {
    let app = spawn_app().await;
    let customer = app.new_user("buyer").await;
    let response = app
        .post_json_as(&customer.token, STORES, &json!({"code": "x", "name": "X"}))
        .await;
    problem::expect(response, 403, "forbidden").await;

    let seller = app.new_user_with_role("lin", "seller").await;
    let response = app
        .post_json_as(
            &seller.token,
            STORES,
            &json!({"code": "x", "name": "X", "owner": "buyer"}),
        )
        .await;
    problem::expect(response, 403, "forbidden").await;

    let manager = app.new_user_with_role("boss", "manager").await;
    let response = app
        .post_json_as(
            &manager.token,
            STORES,
            &json!({"code": "branch-1", "name": "Branch", "owner": "lin"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let store: Value = response.json().await.unwrap();
    assert_eq!(store["owner"], "lin");
    let response = app
        .post_json_as(
            &manager.token,
            STORES,
            &json!({"code": "branch-2", "name": "Branch", "owner": "nobody"}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["owner"]);
    assert_eq!(app.db.count("stores").await, 1);
}

#[tokio::test]
async fn the_owner_and_staff_change_a_store_and_others_get_403() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    let rival = seller_with_store(&app, "wang", "rival").await;
    let manager = app.new_user_with_role("boss", "manager").await;
    let path = format!("{STORES}/shop");
    let patch = |token: &str, body: Value| {
        app.send(app.request_as(token, Method::PATCH, &path).json(&body))
    };

    let response = patch(&rival.token, json!({"name": "Stolen"})).await;
    problem::expect(response, 403, "forbidden").await;
    let response = app
        .send(app.request(Method::PATCH, &path).json(&json!({})))
        .await;
    problem::expect(response, 401, "unauthorized").await;

    let response = patch(
        &owner.token,
        json!({"name": "Lin's books", "time_zone": "Asia/Tokyo"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let response = patch(&manager.token, json!({"description": "Run by staff now."})).await;
    let store: Value = response.json().await.unwrap();
    assert_eq!(store["name"], "Lin's books");
    assert_eq!(store["time_zone"], "Asia/Tokyo");
    assert_eq!(store["description"], "Run by staff now.");

    // An owner who is no longer a seller manages the store no more.
    let admin = app.admin_token().await;
    app.put_json_as(
        &admin,
        "/api/v1/identity/users/lin/role",
        &json!({"role": "customer"}),
    )
    .await;
    let response = patch(&owner.token, json!({"name": "Still mine?"})).await;
    problem::expect(response, 403, "forbidden").await;
}

#[tokio::test]
async fn a_closed_store_leaves_the_open_list_until_it_reopens() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    seller_with_store(&app, "wang", "other").await;
    let close = format!("{STORES}/shop/close");

    let closed: Value = app
        .post_json_as(&owner.token, &close, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["status"], "closed");
    let closed_at = closed["closed_at"].clone();
    assert!(closed_at.is_string());
    // Closing again changes nothing.
    let again: Value = app
        .post_json_as(&owner.token, &close, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["closed_at"], closed_at);

    let codes = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let open: Value = app.get(STORES).await.json().await.unwrap();
    assert_eq!(codes(open), ["other"]);
    let closed_list: Value = app
        .get(&format!("{STORES}?status=closed"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes(closed_list), ["shop"]);
    let all: Value = app
        .get(&format!("{STORES}?status=all&owner=lin"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(codes(all), ["shop"]);
    problem::expect(
        app.get(&format!("{STORES}?status=gone")).await,
        400,
        "bad_request",
    )
    .await;

    let reopened: Value = app
        .post_json_as(&owner.token, &format!("{STORES}/shop/reopen"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reopened["status"], "open");
    assert_eq!(reopened["closed_at"], Value::Null);
}

#[tokio::test]
async fn stores_are_listed_in_pages() {
    let app = spawn_app().await;
    let manager = app.new_user_with_role("boss", "manager").await;
    for i in 0..5 {
        let response = app
            .post_json_as(
                &manager.token,
                STORES,
                &json!({"code": format!("s{i}"), "name": "S"}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let mut seen = Vec::new();
    let mut url = format!("{STORES}?limit=2");
    loop {
        let page: Value = app.get(&url).await.json().await.unwrap();
        for store in page["items"].as_array().unwrap() {
            seen.push(store["code"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => url = format!("{STORES}?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["s0", "s1", "s2", "s3", "s4"]);
}
