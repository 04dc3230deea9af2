//! Marketing over HTTP: campaigns, coupons, and checking a code against a cart.

mod campaigns;
mod coupons;
mod validation;

use reqwest::Response;
use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

use crate::stores::{STORES, product, seller_with_store};

pub const CAMPAIGNS: &str = "/api/v1/marketing/campaigns";
pub const COUPONS: &str = "/api/v1/marketing/coupons";

/// Someone with `marketing:manage` (the manager role), signed in.
pub async fn marketer(app: &TestApp) -> TestUser {
    app.new_user_with_role("marketer", "manager").await
}

/// Creates a coupon as `token`, expecting success; its body.
pub async fn coupon(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post_json_as(token, COUPONS, &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "creating a coupon: {body}");
    body
}

/// Creates a campaign as `token`, expecting success; its id.
pub async fn campaign(app: &TestApp, token: &str, body: Value) -> i64 {
    let response = app.post_json_as(token, CAMPAIGNS, &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "creating a campaign: {body}");
    body["id"].as_i64().unwrap()
}

/// A new seller's store `code`, offering 10 of a new product at `price`; the product's id.
pub async fn store_offering(app: &TestApp, seller: &str, code: &str, price: &str) -> i64 {
    let owner = seller_with_store(app, seller, code).await;
    let id = product(app, &format!("{code}-item"), price).await;
    let line = format!("{STORES}/{code}/inventory/{id}");
    let response = app
        .post_json_as(
            &owner.token,
            &format!("{line}/receipts"),
            &json!({"quantity": 10}),
        )
        .await;
    assert_eq!(response.status(), 201);
    id
}

/// Puts `quantity` of the product of `store` in the cart of `token`.
pub async fn add_to_cart(app: &TestApp, token: &str, store: &str, product: i64, quantity: i64) {
    let response = app
        .post_json_as(
            token,
            "/api/v1/cart/items",
            &json!({"store": store, "product_id": product, "quantity": quantity}),
        )
        .await;
    assert_eq!(response.status(), 201, "adding to the cart");
}

/// `POST /api/v1/marketing/coupons/validate`.
pub async fn validate(app: &TestApp, token: &str, code: &str) -> Response {
    app.post_json_as(
        token,
        &format!("{COUPONS}/validate"),
        &json!({"code": code}),
    )
    .await
}

/// The id of the account `username`.
pub async fn user_id(app: &TestApp, username: &str) -> i64 {
    app.db
        .query_text(&format!(
            "SELECT id FROM users WHERE username = '{username}'"
        ))
        .await
        .unwrap()
        .parse()
        .unwrap()
}

/// Records a use of coupon `coupon` by `user` on an empty order `order`, as checkout does.
pub async fn redeemed(app: &TestApp, coupon: i64, user: i64, order: i64) {
    testkit::builders::orders(&app.db, [order]).await;
    app.db
        .execute(&format!(
            "UPDATE coupons SET used_count = used_count + 1 WHERE id = {coupon};
             INSERT INTO coupon_redemptions (coupon_id, user_id, order_id, discount)
             VALUES ({coupon}, {user}, {order}, 1.00);"
        ))
        .await;
}
