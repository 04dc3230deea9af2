//! The cart: lines per person, store and product, shown with the stores' prices and stock now.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

use super::offered;
use crate::stores::{STORES, product};

const CART: &str = "/api/v1/cart";

async fn add(
    app: &TestApp,
    token: &str,
    store: &str,
    product: i64,
    quantity: i64,
) -> reqwest::Response {
    app.post_json_as(
        token,
        &format!("{CART}/items"),
        &json!({"store": store, "product_id": product, "quantity": quantity}),
    )
    .await
}

async fn cart(app: &TestApp, token: &str) -> Value {
    let response = app.get_as(token, CART).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_cart_is_filled_changed_and_emptied_with_current_prices() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "12.50").await;
    let (_, b) = offered(&app, "wang", "wang-books", "B", 5, "3.00").await;
    let buyer = app.new_user("buyer").await;

    let response = add(&app, &buyer.token, "lin-books", a, 2).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let line = &body["items"][0];
    assert_eq!(line["store"], "lin-books");
    assert_eq!(line["sku"], "A");
    assert_eq!(line["quantity"], 2);
    assert_eq!(
        line["unit_price"],
        json!({"amount": "12.50", "currency": "CNY"})
    );
    assert_eq!(line["line_total"]["amount"], "25.00");
    assert_eq!(line["available"], 10);
    assert_eq!(line["issue"], Value::Null);

    // The same product at the same store is one line; another store's is another.
    add(&app, &buyer.token, "lin-books", a, 1).await;
    add(&app, &buyer.token, "wang-books", b, 4).await;
    let body = cart(&app, &buyer.token).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["quantity"], 3);
    assert_eq!(body["total"]["amount"], "49.50");

    let line_b = format!("{CART}/items/{}", items[1]["id"]);
    let response = app
        .put_json_as(&buyer.token, &line_b, &json!({"quantity": 1}))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["total"]["amount"], "40.50");

    assert_eq!(app.delete_as(&buyer.token, &line_b).await.status(), 204);
    assert_eq!(
        cart(&app, &buyer.token).await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(app.delete_as(&buyer.token, CART).await.status(), 204);
    let empty = cart(&app, &buyer.token).await;
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["total"]["amount"], "0.00");
}

#[tokio::test]
async fn what_cannot_be_bought_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (owner, a) = offered(&app, "lin", "lin-books", "A", 3, "10.00").await;
    let unstocked = product(&app, "U", "10.00").await;
    let buyer = app.new_user("buyer").await;

    let body = problem::expect(
        add(&app, &buyer.token, "lin-books", a, 0).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["quantity"]);
    let body = problem::expect(
        add(&app, &buyer.token, "nowhere", a, 1).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["store"]);
    let body = problem::expect(
        add(&app, &buyer.token, "lin-books", 999_999, 1).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["product_id"]);
    problem::expect(
        add(&app, &buyer.token, "lin-books", unstocked, 1).await,
        409,
        "not_stocked",
    )
    .await;
    problem::expect(
        add(&app, &buyer.token, "lin-books", a, 4).await,
        409,
        "insufficient_stock",
    )
    .await;

    let admin = app.admin_token().await;
    app.send(
        app.request_as(
            &admin,
            Method::PATCH,
            &format!("/api/v1/catalog/products/{a}"),
        )
        .json(&json!({"status": "archived"})),
    )
    .await;
    problem::expect(
        add(&app, &buyer.token, "lin-books", a, 1).await,
        409,
        "product_archived",
    )
    .await;
    app.send(
        app.request_as(
            &admin,
            Method::PATCH,
            &format!("/api/v1/catalog/products/{a}"),
        )
        .json(&json!({"status": "active"})),
    )
    .await;
    app.post_json_as(
        &owner.token,
        &format!("{STORES}/lin-books/close"),
        &json!({}),
    )
    .await;
    problem::expect(
        add(&app, &buyer.token, "lin-books", a, 1).await,
        409,
        "store_closed",
    )
    .await;
    assert_eq!(app.db.count("cart_items").await, 0);
}

#[tokio::test]
async fn lines_say_why_they_cannot_be_bought_now_and_leave_the_total() {
    let app = spawn_app().await;
    let (owner, a) = offered(&app, "lin", "lin-books", "A", 5, "10.00").await;
    let (_, b) = offered(&app, "wang", "wang-books", "B", 5, "1.00").await;
    let buyer = app.new_user("buyer").await;
    add(&app, &buyer.token, "lin-books", a, 4).await;
    add(&app, &buyer.token, "wang-books", b, 1).await;
    assert_eq!(cart(&app, &buyer.token).await["total"]["amount"], "41.00");

    let response = app
        .post_json_as(
            &owner.token,
            &format!("{STORES}/lin-books/inventory/{a}/adjustments"),
            &json!({"delta": -2, "reason": "damaged"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body = cart(&app, &buyer.token).await;
    assert_eq!(body["items"][0]["issue"], "insufficient_stock");
    assert_eq!(body["items"][0]["available"], 3);
    assert_eq!(body["total"]["amount"], "1.00");

    app.post_json_as(
        &owner.token,
        &format!("{STORES}/lin-books/close"),
        &json!({}),
    )
    .await;
    assert_eq!(
        cart(&app, &buyer.token).await["items"][0]["issue"],
        "store_closed"
    );
}

#[tokio::test]
async fn a_cart_is_its_owners_alone() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 5, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let other = app.new_user("other").await;
    let body: Value = add(&app, &buyer.token, "lin-books", a, 1)
        .await
        .json()
        .await
        .unwrap();
    let line = format!("{CART}/items/{}", body["items"][0]["id"]);

    assert_eq!(cart(&app, &other.token).await["items"], json!([]));
    problem::expect(
        app.put_json_as(&other.token, &line, &json!({"quantity": 2}))
            .await,
        404,
        "not_found",
    )
    .await;
    problem::expect(app.delete_as(&other.token, &line).await, 404, "not_found").await;
    assert_eq!(app.delete_as(&other.token, CART).await.status(), 204);
    problem::expect(app.get(CART).await, 401, "unauthorized").await;
    assert_eq!(cart(&app, &buyer.token).await["items"][0]["quantity"], 1);

    // Deleting the account takes the cart with it (the anonymised row stays).
    let response = app
        .send(
            app.request_as(&buyer.token, Method::DELETE, "/api/v1/identity/me")
                .json(&json!({"password": buyer.password})),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.db.count("cart_items").await, 0);
}

#[tokio::test]
async fn a_line_and_a_cart_are_bounded() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 2000, "1.00").await;
    let buyer = app.new_user("buyer").await;
    add(&app, &buyer.token, "lin-books", a, 999).await;
    let body = problem::expect(
        add(&app, &buyer.token, "lin-books", a, 1).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["quantity"]);
    assert_eq!(cart(&app, &buyer.token).await["items"][0]["quantity"], 999);

    // 99 more lines (made directly), then the 101st is refused.
    app.db
        .execute(
            "INSERT INTO products (sku, name, list_price) \
             SELECT 'F-' || n, 'Filler ' || n, 1 FROM generate_series(1, 100) AS n;
             INSERT INTO store_inventory (store_id, product_id, on_hand, price) \
             SELECT s.id, p.id, 10, 1 FROM stores s, products p WHERE p.sku LIKE 'F-%';
             INSERT INTO cart_items (user_id, store_id, product_id, quantity) \
             SELECT u.id, s.id, p.id, 1 FROM users u, stores s, products p \
             WHERE u.username = 'buyer' AND p.sku LIKE 'F-%' AND p.sku <> 'F-100'",
        )
        .await;
    let last = app
        .db
        .query_text("SELECT id FROM products WHERE sku = 'F-100'")
        .await
        .unwrap();
    let response = add(&app, &buyer.token, "lin-books", last.parse().unwrap(), 1).await;
    problem::expect(response, 409, "cart_full").await;
    assert_eq!(app.db.count("cart_items").await, 100);
}

/// Ten adds of one product at once make one line of ten.
#[tokio::test]
async fn concurrent_adds_make_one_line() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 50, "1.00").await;
    let buyer = app.new_user("buyer").await;
    let adds = (0..10).map(|_| add(&app, &buyer.token, "lin-books", a, 1));
    assert!(join_all(adds).await.iter().all(|r| r.status() == 201));
    let body = cart(&app, &buyer.token).await;
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
    assert_eq!(body["items"][0]["quantity"], 10);
}
