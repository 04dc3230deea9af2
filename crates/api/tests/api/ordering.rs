//! Ordering over HTTP.

mod cart;
mod orders;
mod payments;

use serde_json::json;
use testkit::{TestApp, TestUser};

use crate::stores::{STORES, product, seller_with_store};

/// A store `code` of a new seller, offering `quantity` of a new product at `price`.
pub async fn offered(
    app: &TestApp,
    seller: &str,
    code: &str,
    sku: &str,
    quantity: i64,
    price: &str,
) -> (TestUser, i64) {
    let owner = seller_with_store(app, seller, code).await;
    let id = product(app, sku, "50.00").await;
    let line = format!("{STORES}/{code}/inventory/{id}");
    let response = app
        .post_json_as(
            &owner.token,
            &format!("{line}/receipts"),
            &json!({"quantity": quantity}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let response = app
        .put_json_as(
            &owner.token,
            &format!("{line}/price"),
            &json!({"price": price}),
        )
        .await;
    assert_eq!(response.status(), 200);
    (owner, id)
}
