//! Wallets and the ledger over HTTP. Every test that moves money ends by checking, straight
//! from the database, that each wallet's balance is the sum of its ledger rows.

mod account;
mod ledger;
mod wallet;

use reqwest::Response;
use serde_json::{Value, json};
use testkit::TestApp;

pub const WALLET: &str = "/api/v1/wallet";
pub const LEDGER: &str = "/api/v1/finance/transactions";

pub async fn top_up(app: &TestApp, token: &str, amount: &str) -> Response {
    app.post_json_as(
        token,
        &format!("{WALLET}/top-ups"),
        &json!({ "amount": amount }),
    )
    .await
}

pub async fn withdraw(app: &TestApp, token: &str, amount: &str) -> Response {
    app.post_json_as(
        token,
        &format!("{WALLET}/withdrawals"),
        &json!({ "amount": amount }),
    )
    .await
}

/// Tops up and checks it was taken.
pub async fn funded(app: &TestApp, token: &str, amount: &str) -> Value {
    let response = top_up(app, token, amount).await;
    assert_eq!(response.status(), 201, "topping up {amount}");
    response.json().await.unwrap()
}

pub async fn balance(app: &TestApp, token: &str) -> String {
    let response = app.get_as(token, WALLET).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["balance"]["currency"], "CNY");
    body["balance"]["amount"].as_str().unwrap().to_owned()
}
