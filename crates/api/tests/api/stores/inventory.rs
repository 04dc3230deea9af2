//! A store's stock: receipts, adjustments, prices, the movements they leave, who may make
//! them, and the rule `0 <= reserved <= on_hand` under concurrent changes.

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

use super::{STORES, product, seller_with_store};

fn line(code: &str, product: i64) -> String {
    format!("{STORES}/{code}/inventory/{product}")
}

async fn receive(app: &TestApp, token: &str, code: &str, product: i64, quantity: i64) -> Value {
    let response = app
        .post_json_as(
            token,
            &format!("{}/receipts", line(code, product)),
            &json!({ "quantity": quantity }),
        )
        .await;
    assert_eq!(response.status(), 201, "receiving {quantity}");
    response.json().await.unwrap()
}

async fn adjust(
    app: &TestApp,
    token: &str,
    code: &str,
    product: i64,
    delta: i64,
) -> reqwest::Response {
    app.post_json_as(
        token,
        &format!("{}/adjustments", line(code, product)),
        &json!({ "delta": delta, "reason": "stock count" }),
    )
    .await
}

#[tokio::test]
async fn receiving_lists_the_product_at_its_list_price_and_writes_a_movement() {
    let app = spawn_app().await;
    let seller = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "29.9").await;

    let change = app
        .post_json_as(
            &seller.token,
            &format!("{}/receipts", line("shop", book)),
            &json!({"quantity": 12, "note": "first delivery"}),
        )
        .await;
    assert_eq!(change.status(), 201);
    let change: Value = change.json().await.unwrap();
    let item = &change["item"];
    assert_eq!(item["product_id"], book);
    assert_eq!(item["sku"], "B-1");
    assert_eq!(
        (
            item["on_hand"].as_i64(),
            item["reserved"].as_i64(),
            item["available"].as_i64()
        ),
        (Some(12), Some(0), Some(12))
    );
    assert_eq!(item["price"], json!({"amount": "29.90", "currency": "CNY"}));
    let movement = &change["movement"];
    assert_eq!(movement["reason"], "receipt");
    assert_eq!(movement["on_hand_delta"], 12);
    assert_eq!(movement["on_hand_after"], 12);
    assert_eq!(movement["note"], "first delivery");
    assert_eq!(movement["actor"], "lin");

    let again = receive(&app, &seller.token, "shop", book, 3).await;
    assert_eq!(again["item"]["on_hand"], 15);
    let read: Value = app
        .get_as(&seller.token, &line("shop", book))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, again["item"]);
    assert_eq!(app.db.count("stock_movements").await, 2);
}

#[tokio::test]
async fn a_store_sets_its_own_price_and_the_change_is_recorded() {
    let app = spawn_app().await;
    let seller = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "29.90").await;
    let price = format!("{}/price", line("shop", book));

    // Pricing a product not stocked yet lists it with nothing on hand.
    let response = app
        .put_json_as(&seller.token, &price, &json!({"price": "25.5"}))
        .await;
    assert_eq!(response.status(), 200);
    let change: Value = response.json().await.unwrap();
    assert_eq!(change["item"]["price"]["amount"], "25.50");
    assert_eq!(change["item"]["on_hand"], 0);
    assert_eq!(change["movement"]["reason"], "repricing");
    assert_eq!(change["movement"]["on_hand_delta"], 0);
    assert_eq!(change["movement"]["price_after"]["amount"], "25.50");

    let received = receive(&app, &seller.token, "shop", book, 1).await;
    assert_eq!(
        received["item"]["price"]["amount"], "25.50",
        "a receipt keeps the price"
    );

    for bad in [json!({"price": "-1"}), json!({"price": "1.234"})] {
        let response = app.put_json_as(&seller.token, &price, &bad).await;
        let body = problem::expect(response, 422, "validation_failed").await;
        assert_eq!(problem::fields(&body), ["price"]);
    }
    assert_eq!(app.db.count("stock_movements").await, 2);
}

#[tokio::test]
async fn adjustments_need_a_reason_and_never_take_what_is_not_there() {
    let app = spawn_app().await;
    let seller = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "10").await;
    let adjustments = format!("{}/adjustments", line("shop", book));

    // Not stocked: nothing to adjust.
    let response = adjust(&app, &seller.token, "shop", book, 1).await;
    problem::expect(response, 404, "not_found").await;

    receive(&app, &seller.token, "shop", book, 5).await;
    let response = app
        .post_json_as(
            &seller.token,
            &adjustments,
            &json!({"delta": 0, "reason": " "}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["delta", "reason"]);

    let response = adjust(&app, &seller.token, "shop", book, -2).await;
    assert_eq!(response.status(), 201);
    let change: Value = response.json().await.unwrap();
    assert_eq!(change["item"]["on_hand"], 3);
    assert_eq!(change["movement"]["note"], "stock count");

    // Items held by orders cannot be adjusted away.
    app.db
        .execute(&format!(
            "UPDATE store_inventory SET reserved = 2 WHERE product_id = {book}"
        ))
        .await;
    let response = adjust(&app, &seller.token, "shop", book, -2).await;
    let body = problem::expect(response, 409, "insufficient_stock").await;
    assert!(
        body["detail"].as_str().unwrap().contains("Only 1"),
        "{body}"
    );
    let on_hand = app
        .db
        .query_text("SELECT on_hand || '/' || reserved FROM store_inventory")
        .await;
    assert_eq!(on_hand.as_deref(), Some("3/2"));
    assert_eq!(app.db.count("stock_movements").await, 2);
}

#[tokio::test]
async fn the_database_refuses_reserved_outside_zero_to_on_hand() {
    let app = spawn_app().await;
    let seller = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "10").await;
    receive(&app, &seller.token, "shop", book, 2).await;
    for sql in [
        "UPDATE store_inventory SET reserved = 3",
        "UPDATE store_inventory SET reserved = -1",
        "UPDATE store_inventory SET on_hand = -1",
    ] {
        let error = app.db.refused(sql).await;
        assert!(
            error.contains("store_inventory_reserved_check"),
            "{sql}: {error}"
        );
    }
}

#[tokio::test]
async fn only_the_owner_and_staff_see_or_change_a_stores_stock() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    let rival = seller_with_store(&app, "wang", "rival").await;
    let customer = app.new_user("buyer").await;
    let manager = app.new_user_with_role("boss", "manager").await;
    let book = product(&app, "B-1", "10").await;
    receive(&app, &owner.token, "shop", book, 4).await;

    for token in [&rival.token, &customer.token] {
        let response = adjust(&app, token, "shop", book, -1).await;
        problem::expect(response, 403, "forbidden").await;
        let response = app
            .post_json_as(
                token,
                &format!("{}/receipts", line("shop", book)),
                &json!({"quantity": 1}),
            )
            .await;
        problem::expect(response, 403, "forbidden").await;
        let response = app.get_as(token, &format!("{STORES}/shop/inventory")).await;
        problem::expect(response, 403, "forbidden").await;
        let response = app
            .get_as(token, &format!("{STORES}/shop/stock-movements"))
            .await;
        problem::expect(response, 403, "forbidden").await;
    }
    let response = app.get(&format!("{STORES}/shop/inventory")).await;
    problem::expect(response, 401, "unauthorized").await;

    let response = adjust(&app, &manager.token, "shop", book, -1).await;
    assert_eq!(response.status(), 201, "staff with stores:manage");
    let page: Value = app
        .get_as(&manager.token, &format!("{STORES}/shop/inventory"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["on_hand"], 3);
    assert_eq!(app.db.count("stock_movements").await, 2);
}

#[tokio::test]
async fn a_closed_store_stock_does_not_change_and_unknown_products_are_404() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "10").await;
    let response = app
        .post_json_as(
            &owner.token,
            &format!("{}/receipts", line("shop", 999_999)),
            &json!({"quantity": 1}),
        )
        .await;
    problem::expect(response, 404, "not_found").await;

    app.post_json_as(&owner.token, &format!("{STORES}/shop/close"), &json!({}))
        .await;
    let response = app
        .post_json_as(
            &owner.token,
            &format!("{}/receipts", line("shop", book)),
            &json!({"quantity": 1}),
        )
        .await;
    problem::expect(response, 409, "store_closed").await;
    assert_eq!(app.db.count("store_inventory").await, 0);
}

#[tokio::test]
async fn movements_are_listed_newest_first_in_pages_and_by_product() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    let a = product(&app, "A", "10").await;
    let b = product(&app, "B", "10").await;
    for quantity in 1..=3 {
        receive(&app, &owner.token, "shop", a, quantity).await;
    }
    receive(&app, &owner.token, "shop", b, 9).await;

    let first: Value = app
        .get_as(
            &owner.token,
            &format!("{STORES}/shop/stock-movements?limit=2"),
        )
        .await
        .json()
        .await
        .unwrap();
    let deltas = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["on_hand_delta"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(deltas(&first), [9, 3]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get_as(
            &owner.token,
            &format!("{STORES}/shop/stock-movements?limit=2&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(deltas(&second), [2, 1]);
    assert_eq!(second["next_cursor"], Value::Null);

    let of_b: Value = app
        .get_as(
            &owner.token,
            &format!("{STORES}/shop/stock-movements?product_id={b}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(deltas(&of_b), [9]);
}

/// Twenty people take one item each from ten at once: exactly ten succeed, none is lost or
/// counted twice, and every success has its movement.
#[tokio::test]
async fn concurrent_changes_apply_one_after_the_other() {
    let app = spawn_app().await;
    let owner = seller_with_store(&app, "lin", "shop").await;
    let book = product(&app, "B-1", "10").await;
    receive(&app, &owner.token, "shop", book, 10).await;

    let attempts = (0..20).map(|_| adjust(&app, &owner.token, "shop", book, -1));
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        10,
        "{statuses:?}"
    );

    let receipts_path = format!("{}/receipts", line("shop", book));
    let three = json!({"quantity": 3});
    let receipts = (0..10).map(|_| app.post_json_as(&owner.token, &receipts_path, &three));
    assert!(join_all(receipts).await.iter().all(|r| r.status() == 201));

    let on_hand = app
        .db
        .query_text("SELECT on_hand::text FROM store_inventory")
        .await;
    assert_eq!(on_hand.as_deref(), Some("30"));
    let summed = app
        .db
        .query_text("SELECT sum(on_hand_delta)::text FROM stock_movements")
        .await;
    assert_eq!(summed.as_deref(), Some("30"));
    assert_eq!(app.db.count("stock_movements").await, 1 + 10 + 10);
}
