//! Checkout and orders: one order per store, price snapshots, reservations that hold and expire,
//! the order's life through its state machine, and who may see and move an order.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app, spawn_app_with};

use super::offered;
use crate::stores::STORES;

const ORDERS: &str = "/api/v1/orders";

fn address() -> Value {
    json!({"name": "王小明", "phone": "+86 138 0013 8000", "line1": "南京东路 100 号",
           "city": "上海", "country": "cn"})
}

async fn checkout(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_json_as(token, ORDERS, body).await
}

/// Checks out `quantity` of one product and returns the order.
async fn order_one(app: &TestApp, token: &str, store: &str, product: i64, quantity: i64) -> Value {
    let response = checkout(
        app,
        token,
        &json!({"items": [{"store": store, "product_id": product, "quantity": quantity}]}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["orders"][0].clone()
}

async fn stock(app: &TestApp, token: &str, store: &str, product: i64) -> Value {
    let response = app
        .get_as(token, &format!("{STORES}/{store}/inventory/{product}"))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn get_order(app: &TestApp, token: &str, number: &str) -> reqwest::Response {
    app.get_as(token, &format!("{ORDERS}/{number}")).await
}

async fn act(app: &TestApp, token: &str, number: &str, action: &str) -> reqwest::Response {
    app.post_json_as(token, &format!("{ORDERS}/{number}/{action}"), &json!({}))
        .await
}

#[tokio::test]
async fn checkout_of_the_cart_places_one_order_per_store_at_the_prices_of_the_moment() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "12.50").await;
    let (_, b) = offered(&app, "wang", "wang-books", "B", 5, "3.00").await;
    let buyer = app.new_user("buyer").await;
    for (store, product, quantity) in [("lin-books", a, 2), ("wang-books", b, 3)] {
        let response = app
            .post_json_as(
                &buyer.token,
                "/api/v1/cart/items",
                &json!({"store": store, "product_id": product, "quantity": quantity}),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let before = Utc::now();

    let response = checkout(
        &app,
        &buyer.token,
        &json!({"address": address(), "note": "gift"}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let orders = body["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 2);
    let first = &orders[0];
    assert_eq!(first["store"], "lin-books");
    assert_eq!(first["buyer"], "buyer");
    assert_eq!(first["status"], "pending_payment");
    assert_eq!(first["items"][0]["sku"], "A");
    assert_eq!(first["items"][0]["unit_price"]["amount"], "12.50");
    assert_eq!(first["items"][0]["quantity"], 2);
    assert_eq!(first["items"][0]["line_total"]["amount"], "25.00");
    assert_eq!(first["subtotal"]["amount"], "25.00");
    assert_eq!(
        first["total"],
        json!({"amount": "25.00", "currency": "CNY"})
    );
    assert_eq!(first["owed"]["amount"], "25.00");
    assert_eq!(first["paid"]["amount"], "0.00");
    assert_eq!(first["note"], "gift");
    assert_eq!(first["shipping_address"]["country"], "CN");
    assert_eq!(first["shipping_address"]["name"], "王小明");
    assert_eq!(orders[1]["store"], "wang-books");
    assert_eq!(orders[1]["total"]["amount"], "9.00");
    // Held for the default 15 minutes.
    let until: DateTime<Utc> = first["reserved_until"].as_str().unwrap().parse().unwrap();
    let held = until - before;
    assert!(
        held > TimeDelta::seconds(890) && held <= TimeDelta::seconds(905),
        "{held}"
    );

    // The stock is held back, the cart is empty.
    let line = stock(&app, &lin.token, "lin-books", a).await;
    assert_eq!(
        (line["on_hand"].as_i64(), line["reserved"].as_i64()),
        (Some(10), Some(2))
    );
    let cart: Value = app
        .get_as(&buyer.token, "/api/v1/cart")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cart["items"], json!([]));
    let movements: Value = app
        .get_as(&lin.token, &format!("{STORES}/lin-books/stock-movements"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(movements["items"][0]["reason"], "reservation");
    assert_eq!(movements["items"][0]["order_id"], first["id"]);

    // A later price change leaves the order as it was sold.
    let number = first["number"].as_str().unwrap();
    let response = app
        .put_json_as(
            &lin.token,
            &format!("{STORES}/lin-books/inventory/{a}/price"),
            &json!({"price": "99.00"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let detail: Value = get_order(&app, &buyer.token, number)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["items"][0]["unit_price"]["amount"], "12.50");
    assert_eq!(detail["total"]["amount"], "25.00");
    assert_eq!(detail["events"][0]["action"], "place");
    assert_eq!(detail["events"][0]["to_status"], "pending_payment");
    assert_eq!(detail["events"][0]["actor"], "buyer");

    // Mine, newest first.
    let mine: Value = app.get_as(&buyer.token, ORDERS).await.json().await.unwrap();
    let numbers: Vec<_> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["number"].clone())
        .collect();
    assert_eq!(
        numbers,
        vec![orders[1]["number"].clone(), orders[0]["number"].clone()]
    );
}

#[tokio::test]
async fn checkout_lists_every_item_it_cannot_have_and_changes_nothing() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 3, "10.00").await;
    let (_, b) = offered(&app, "wang", "wang-books", "B", 1, "10.00").await;
    let buyer = app.new_user("buyer").await;

    let response = checkout(
        &app,
        &buyer.token,
        &json!({"items": [
            {"store": "lin-books", "product_id": a, "quantity": 2},
            {"store": "wang-books", "product_id": b, "quantity": 2},
            {"store": "wang-books", "product_id": a, "quantity": 1},
        ]}),
    )
    .await;
    // Every item that cannot be had, in lock order (by product id within the store); the code
    // is the first one's issue.
    let body = problem::expect(response, 409, "not_stocked").await;
    assert_eq!(
        body["items"],
        json!([
            {"store": "wang-books", "product_id": a, "requested": 1, "available": 0, "issue": "not_stocked"},
            {"store": "wang-books", "product_id": b, "requested": 2, "available": 1, "issue": "insufficient_stock"},
        ])
    );
    // Nothing was held, nothing was placed.
    assert_eq!(stock(&app, &lin.token, "lin-books", a).await["reserved"], 0);
    assert_eq!(app.db.count("orders").await, 0);

    // Bad input is named by field.
    let response = checkout(
        &app,
        &buyer.token,
        &json!({"items": [{"store": "nowhere", "product_id": a, "quantity": 1}]}),
    )
    .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "items[0].store");
    let response = checkout(
        &app,
        &buyer.token,
        &json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 0}]}),
    )
    .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "items[0].quantity");
    let response = checkout(&app, &buyer.token, &json!({})).await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "items");
    let response = checkout(
        &app,
        &buyer.token,
        &json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}],
                "address": {"name": "", "phone": "x", "line1": "1", "city": "c", "country": "CN"}}),
    )
    .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    let fields: Vec<_> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert!(fields.contains(&json!("address.name")), "{fields:?}");
    let response = checkout(
        &app,
        &buyer.token,
        &json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}], "address_id": 999}),
    )
    .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "address_id");
    assert_eq!(app.db.count("orders").await, 0);
}

#[tokio::test]
async fn the_default_address_is_used_when_none_is_named() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 3, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let response = app
        .post_json_as(&buyer.token, "/api/v1/identity/me/addresses", &address())
        .await;
    assert_eq!(response.status(), 201);
    let order = order_one(&app, &buyer.token, "lin-books", a, 1).await;
    assert_eq!(order["shipping_address"]["line1"], "南京东路 100 号");
}

#[tokio::test]
async fn fifty_concurrent_checkouts_for_ten_available_place_exactly_ten_orders() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let mut buyers = Vec::new();
    for i in 0..50 {
        buyers.push(app.new_user(&format!("buyer{i}")).await);
    }
    let body = json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}]});
    let statuses: Vec<u16> = join_all(
        buyers
            .iter()
            .map(|buyer| async { checkout(&app, &buyer.token, &body).await.status().as_u16() }),
    )
    .await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        40,
        "{statuses:?}"
    );
    assert_eq!(app.db.count("orders").await, 10);
    let line = stock(&app, &lin.token, "lin-books", a).await;
    assert_eq!(
        (line["on_hand"].as_i64(), line["reserved"].as_i64()),
        (Some(10), Some(10))
    );
    let held = app
        .db
        .query_text("SELECT sum(reserved_delta) FROM stock_movements WHERE reason = 'reservation'")
        .await;
    assert_eq!(held.as_deref(), Some("10"));
}

#[tokio::test]
async fn an_unpaid_order_past_its_reservation_is_expired_when_read_and_lets_its_stock_go() {
    let app = spawn_app_with(|config| config.expiry_sweep_ms = 0).await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 5, "10.00").await;
    let buyer = app.new_user("buyer").await;
    assert_eq!(
        app.update_setting("orders.reservation_seconds", "60")
            .await
            .status(),
        200
    );
    let order = order_one(&app, &buyer.token, "lin-books", a, 2).await;
    let number = order["number"].as_str().unwrap();

    app.clock.advance(TimeDelta::seconds(59));
    let detail: Value = get_order(&app, &buyer.token, number)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "pending_payment");

    app.clock.advance(TimeDelta::seconds(1));
    // Listed as it is now, before anyone wrote it down ...
    let mine: Value = app.get_as(&buyer.token, ORDERS).await.json().await.unwrap();
    assert_eq!(mine["items"][0]["status"], "expired");
    // ... and expired for good by the first read of the order.
    let detail: Value = get_order(&app, &buyer.token, number)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "expired");
    assert_eq!(detail["events"][1]["action"], "expire");
    assert_eq!(detail["events"][1]["actor"], Value::Null);
    assert!(detail["closed_at"].is_string());
    assert_eq!(stock(&app, &lin.token, "lin-books", a).await["reserved"], 0);
    // Cancelling it now is refused.
    let response = act(&app, &buyer.token, number, "cancel").await;
    let body = problem::expect(response, 409, "illegal_transition").await;
    assert_eq!(body["order_status"], "expired");
}

#[tokio::test]
async fn the_sweeper_expires_orders_nobody_reads_and_races_readers_without_expiring_twice() {
    let app = spawn_app_with(|config| config.expiry_sweep_ms = 20).await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 20, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let mut numbers = Vec::new();
    for _ in 0..10 {
        let order = order_one(&app, &buyer.token, "lin-books", a, 2).await;
        numbers.push(order["number"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        stock(&app, &lin.token, "lin-books", a).await["reserved"],
        20
    );
    // An order with a deposit paid keeps its stock.
    let response = app
        .post_json_as(
            &buyer.token,
            "/api/v1/wallet/top-ups",
            &json!({"amount": "5.00"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let deposit = numbers.pop().unwrap();
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{deposit}/payments"),
            &json!({"method": "wallet", "amount": "5.00"}),
        )
        .await;
    assert_eq!(response.status(), 201);

    app.clock.advance(TimeDelta::minutes(16));
    // Readers expire what they read while the sweeper expires the rest.
    let reads = join_all(
        numbers
            .iter()
            .take(5)
            .map(|n| get_order(&app, &buyer.token, n)),
    )
    .await;
    assert!(reads.iter().all(|r| r.status() == 200));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let pending = app
            .db
            .query_text(
                "SELECT count(*) FROM orders WHERE status = 'pending_payment' AND paid_amount = 0",
            )
            .await;
        if pending.as_deref() == Some("0") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sweeper left {pending:?} pending"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(stock(&app, &lin.token, "lin-books", a).await["reserved"], 2);
    let expiries = app
        .db
        .query_text("SELECT count(*) FROM order_events WHERE action = 'expire'")
        .await;
    assert_eq!(expiries.as_deref(), Some("9"));
    let releases = app
        .db
        .query_text("SELECT sum(reserved_delta) FROM stock_movements WHERE reason = 'release'")
        .await;
    assert_eq!(releases.as_deref(), Some("-18"));
    let kept: Value = get_order(&app, &buyer.token, &deposit)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["status"], "pending_payment");
}

#[tokio::test]
async fn an_unpaid_order_is_cancelled_by_its_buyer_and_illegal_moves_are_refused() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 5, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let stranger = app.new_user("stranger").await;
    let order = order_one(&app, &buyer.token, "lin-books", a, 3).await;
    let number = order["number"].as_str().unwrap();

    // Not theirs: not there.
    problem::expect(
        get_order(&app, &stranger.token, number).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        act(&app, &stranger.token, number, "cancel").await,
        404,
        "not_found",
    )
    .await;
    // The store's owner sees it; the buyer does not ship.
    assert_eq!(get_order(&app, &lin.token, number).await.status(), 200);
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/ship"),
            &json!({"carrier": "SF", "tracking_number": "1"}),
        )
        .await;
    problem::expect(response, 403, "forbidden").await;
    // Not paid: nothing to ship, deliver or complete.
    let response = app
        .post_json_as(
            &lin.token,
            &format!("{ORDERS}/{number}/ship"),
            &json!({"carrier": "SF", "tracking_number": "1"}),
        )
        .await;
    let body = problem::expect(response, 409, "illegal_transition").await;
    assert_eq!(body["order_status"], "pending_payment");
    problem::expect(
        act(&app, &buyer.token, number, "deliver").await,
        409,
        "illegal_transition",
    )
    .await;
    problem::expect(
        act(&app, &buyer.token, number, "complete").await,
        409,
        "illegal_transition",
    )
    .await;
    let response = app
        .post_json_as(
            &lin.token,
            &format!("{ORDERS}/{number}/ship"),
            &json!({"carrier": " ", "tracking_number": "1"}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "carrier");

    let response = act(&app, &buyer.token, number, "cancel").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "cancelled");
    assert_eq!(stock(&app, &lin.token, "lin-books", a).await["reserved"], 0);
    problem::expect(
        act(&app, &buyer.token, number, "cancel").await,
        409,
        "illegal_transition",
    )
    .await;
    let detail: Value = get_order(&app, &buyer.token, number)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<_> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(actions, vec![json!("place"), json!("cancel")]);
    assert_eq!(detail["events"][1]["from_status"], "pending_payment");
    assert_eq!(detail["events"][1]["to_status"], "cancelled");
}

#[tokio::test]
async fn a_store_lists_its_orders_for_its_owner_and_staff_only() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let (wang, b) = offered(&app, "wang", "wang-books", "B", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        numbers.push(order_one(&app, &buyer.token, "lin-books", a, 1).await["number"].clone());
    }
    order_one(&app, &buyer.token, "wang-books", b, 1).await;
    let cancelled = numbers[0].as_str().unwrap().to_owned();
    assert_eq!(
        act(&app, &buyer.token, &cancelled, "cancel").await.status(),
        200
    );

    let path = format!("{STORES}/lin-books/orders");
    let page: Value = app
        .get_as(&lin.token, &format!("{path}?limit=2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["number"], numbers[2]);
    assert_eq!(page["items"][1]["number"], numbers[1]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let next: Value = app
        .get_as(&lin.token, &format!("{path}?limit=2&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(next["items"][0]["number"], numbers[0]);
    assert_eq!(next["next_cursor"], Value::Null);
    let pending: Value = app
        .get_as(&lin.token, &format!("{path}?status=pending_payment"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["items"].as_array().unwrap().len(), 2);
    problem::expect(
        app.get_as(&lin.token, &format!("{path}?status=lost")).await,
        400,
        "bad_request",
    )
    .await;
    problem::expect(app.get_as(&wang.token, &path).await, 403, "forbidden").await;
    problem::expect(app.get_as(&buyer.token, &path).await, 403, "forbidden").await;
    let admin = app.admin_token().await;
    let all: Value = app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    problem::expect(
        app.get_as(&admin, &format!("{STORES}/nowhere/orders"))
            .await,
        404,
        "not_found",
    )
    .await;
}
