//! Stores and their stock over HTTP.

mod inventory;
mod lifecycle;
mod listings;
mod offers;

use serde_json::{Value, json};
use testkit::{TestApp, TestUser};

pub const STORES: &str = "/api/v1/stores";

/// A seller with a store of their own, `code`.
pub async fn seller_with_store(app: &TestApp, username: &str, code: &str) -> TestUser {
    let seller = app.new_user_with_role(username, "seller").await;
    let response = app
        .post_json_as(
            &seller.token,
            STORES,
            &json!({"code": code, "name": format!("{username}'s shop")}),
        )
        .await;
    assert_eq!(response.status(), 201, "opening {code}");
    seller
}

/// A product made by the admin, with the list price `price`.
pub async fn product(app: &TestApp, sku: &str, price: &str) -> i64 {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            "/api/v1/catalog/products",
            &json!({"sku": sku, "name": format!("Product {sku}"), "list_price": price}),
        )
        .await;
    assert_eq!(response.status(), 201, "creating {sku}");
    let body: Value = response.json().await.unwrap();
    body["id"].as_i64().unwrap()
}
