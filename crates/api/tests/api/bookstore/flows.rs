//! The contract's journeys from start to end, as a client runs them.

use serde_json::json;
use testkit::ledger::assert_wallets_match_ledger;
use testkit::spawn_app;

use super::{Bookstore, book};

#[tokio::test]
async fn register_open_a_store_stock_it_order_pay_ship_and_receive() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let seller = bookstore.account("flow_seller").await;
    bookstore
        .create_store(&seller, "flow_store")
        .await
        .assert_ok();
    bookstore
        .add_book(&seller, "flow_store", &book("6000001", "红楼梦", 5_990), 0)
        .await
        .assert_ok();
    bookstore
        .add_book(&seller, "flow_store", &book("6000002", "西游记", 4_550), 1)
        .await
        .assert_ok();
    bookstore
        .add_stock_level(&seller, "flow_store", "6000001", 5)
        .await
        .assert_ok();

    let buyer = bookstore.account("flow_buyer").await;
    bookstore.add_funds(&buyer, 20_000).await.assert_ok();
    let order_id = bookstore
        .order_id(&buyer, "flow_store", &[("6000001", 2), ("6000002", 1)])
        .await;
    bookstore.payment(&buyer, &order_id).await.assert_ok();
    let total = 2 * 5_990 + 4_550;
    assert_eq!(bookstore.balance("flow_buyer").await, 20_000 - total);
    assert_eq!(bookstore.balance("flow_seller").await, total);

    bookstore
        .ship(&seller, "flow_store", &order_id)
        .await
        .assert_ok();
    bookstore
        .buyer_moves("receive", &buyer, &order_id)
        .await
        .assert_ok();
    let history = bookstore.orders(&buyer, 1, 5).await;
    history.assert_ok();
    assert_eq!(history.body["orders"][0]["order_id"], order_id.as_str());
    assert_eq!(history.body["orders"][0]["status"], "delivered");
    assert_eq!(history.body["orders"][0]["total"], total);
    assert_eq!(history.body["orders"][0]["paid"], total);
    assert_eq!(bookstore.stock("flow_store", "6000001").await, "3/0 59.90");
    assert_eq!(bookstore.stock("flow_store", "6000002").await, "0/0 45.50");

    // The native API sees the same order, in decimals.
    let token = app.token_for("flow_buyer", &buyer.password).await;
    let native: serde_json::Value = app
        .get_as(&token, &format!("/api/v1/orders/{order_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(native["status"], "delivered", "{native}");
    assert_eq!(native["total"]["amount"], json!("165.30"), "{native}");
    assert_wallets_match_ledger(&app.db).await;
}
