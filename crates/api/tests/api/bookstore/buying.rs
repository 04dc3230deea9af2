//! `/buyer/*`: new_order, payment, add_funds, and the extensions receive, cancel_order,
//! orders; expiry.

use chrono::TimeDelta;
use serde_json::Value;
use testkit::ledger::assert_wallets_match_ledger;
use testkit::spawn_app;

use super::{Account, Bookstore, book};

/// A store `store_b1` with two books (30.00 and 12.50, 10 of each) and a buyer.
async fn shop(bookstore: &Bookstore<'_>) -> (Account, Account) {
    let seller = bookstore
        .store_with(
            "seller_b1",
            "store_b1",
            &[
                book("4000001", "平凡的世界", 3_000),
                book("4000002", "围城", 1_250),
            ],
            10,
        )
        .await;
    let buyer = bookstore.account("buyer_b1").await;
    (seller, buyer)
}

#[tokio::test]
async fn new_order_reserves_stock_and_answers_json_with_the_order_id_on_every_status() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (_, buyer) = shop(&bookstore).await;

    let placed = bookstore
        .new_order(
            &buyer,
            "store_b1",
            &[("4000001", 2), ("4000002", 1), ("4000001", 1)],
        )
        .await;
    placed.assert_ok();
    let order_id = placed.body["order_id"].as_str().unwrap();
    assert!(!order_id.is_empty());
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/3 30.00");
    assert_eq!(bookstore.stock("store_b1", "4000002").await, "10/1 12.50");
    assert_eq!(
        bookstore
            .figure(&format!(
                "SELECT total::text FROM orders WHERE number = '{order_id}'"
            ))
            .await,
        "102.50"
    );

    let refusals = [
        (
            bookstore
                .new_order(&buyer, "store_b1", &[("4000001", 8)])
                .await,
            517,
            "stock level low, book id 4000001",
        ),
        (
            bookstore
                .new_order(&buyer, "store_b1", &[("4000002", 1), ("4000009", 1)])
                .await,
            515,
            "non exist book id 4000009",
        ),
        (
            bookstore
                .new_order(&buyer, "store_b1_x", &[("4000001", 1)])
                .await,
            513,
            "non exist store id store_b1_x",
        ),
        (
            bookstore
                .new_order(
                    &Account {
                        user_id: "buyer_b1_x".to_owned(),
                        ..buyer.clone()
                    },
                    "store_b1",
                    &[("4000001", 1)],
                )
                .await,
            511,
            "non exist user id buyer_b1_x",
        ),
    ];
    for (reply, status, message) in refusals {
        reply.assert(status, message);
        assert_eq!(
            reply.body["order_id"], "",
            "new_order answers JSON with an empty order id"
        );
    }
    // A book of the catalogue this store does not list.
    bookstore
        .store_with("seller_b2", "store_b2", &[book("4000003", "边城", 900)], 5)
        .await;
    bookstore
        .new_order(&buyer, "store_b1", &[("4000003", 1)])
        .await
        .assert(515, "non exist book id 4000003");
    // Nothing more was reserved by the refused orders.
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/3 30.00");
    assert_eq!(
        bookstore.figure("SELECT count(*)::text FROM orders").await,
        "1"
    );
}

#[tokio::test]
async fn payment_moves_the_total_from_buyer_to_store_owner_once_and_refusals_change_nothing() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (_, buyer) = shop(&bookstore).await;
    let order_id = bookstore
        .order_id(&buyer, "store_b1", &[("4000001", 1), ("4000002", 2)])
        .await;
    let total = 3_000 + 2 * 1_250;

    bookstore.add_funds(&buyer, total - 1).await.assert_ok();
    bookstore
        .payment(&buyer, &order_id)
        .await
        .assert(519, &format!("not sufficient funds, order id {order_id}"));
    bookstore.add_funds(&buyer, 1).await.assert_ok();
    let wrong_password = Account {
        password: "wrong-password".to_owned(),
        ..buyer.clone()
    };
    bookstore
        .payment(&wrong_password, &order_id)
        .await
        .assert(401, "authorization fail.");
    // Somebody else, with their own session, naming the buyer: not the buyer.
    let other = bookstore.account("buyer_b2").await;
    let impostor = Account {
        user_id: buyer.user_id.clone(),
        token: other.token.clone(),
        password: buyer.password.clone(),
    };
    bookstore
        .payment(&impostor, &order_id)
        .await
        .assert(401, "authorization fail.");
    // Their own name, the buyer's order: not theirs to see.
    bookstore
        .payment(&other, &order_id)
        .await
        .assert(518, &format!("invalid order id {order_id}"));
    bookstore
        .payment(&buyer, "no-such-order")
        .await
        .assert(518, "invalid order id no-such-order");
    assert_eq!(
        (
            bookstore.balance("buyer_b1").await,
            bookstore.balance("seller_b1").await
        ),
        (total, 0)
    );

    bookstore.payment(&buyer, &order_id).await.assert_ok();
    assert_eq!(
        (
            bookstore.balance("buyer_b1").await,
            bookstore.balance("seller_b1").await
        ),
        (0, total)
    );
    bookstore.add_funds(&buyer, total).await.assert_ok();
    bookstore
        .payment(&buyer, &order_id)
        .await
        .assert(518, &format!("invalid order id {order_id}"));
    assert_eq!(
        (
            bookstore.balance("buyer_b1").await,
            bookstore.balance("seller_b1").await
        ),
        (total, total)
    );
    assert_eq!(
        bookstore.stock("store_b1", "4000002").await,
        "8/0 12.50",
        "sold"
    );
    // One database transaction (one `now()`): the buyer's debit and the owner's credit.
    assert_eq!(
        bookstore
            .figure(&format!(
                "SELECT count(DISTINCT f.created_at)::text || ' ' || string_agg(f.kind || ' ' || f.amount, ', ' ORDER BY f.id) \
                 FROM financial_transactions f JOIN orders o ON o.id = f.order_id \
                 WHERE o.number = '{order_id}' AND f.wallet_user_id IS NOT NULL"
            ))
            .await,
        "1 payment -55.00, payout 55.00"
    );
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn concurrent_payments_of_one_order_pay_it_once() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (_, buyer) = shop(&bookstore).await;
    let order_id = bookstore
        .order_id(&buyer, "store_b1", &[("4000001", 1)])
        .await;
    bookstore.add_funds(&buyer, 10 * 3_000).await.assert_ok();
    let payments = (0..8).map(|_| bookstore.payment(&buyer, &order_id));
    let replies = futures::future::join_all(payments).await;
    let paid = replies.iter().filter(|reply| reply.status == 200).count();
    assert_eq!(paid, 1, "{replies:?}");
    assert!(
        replies.iter().all(|r| r.status == 200 || r.status == 518),
        "{replies:?}"
    );
    assert_eq!(bookstore.balance("buyer_b1").await, 9 * 3_000);
    assert_eq!(bookstore.balance("seller_b1").await, 3_000);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn concurrent_orders_for_the_last_copies_never_oversell() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    bookstore
        .store_with(
            "seller_c",
            "store_c",
            &[book("4100001", "最后五本", 500)],
            5,
        )
        .await;
    let mut buyers = Vec::new();
    for n in 0..10 {
        buyers.push(bookstore.account(&format!("buyer_c{n}")).await);
    }
    let orders = buyers
        .iter()
        .map(|buyer| bookstore.new_order(buyer, "store_c", &[("4100001", 1)]));
    let replies = futures::future::join_all(orders).await;
    let placed = replies.iter().filter(|reply| reply.status == 200).count();
    assert_eq!(placed, 5, "{replies:?}");
    for refused in replies.iter().filter(|reply| reply.status != 200) {
        refused.assert(517, "stock level low, book id 4100001");
    }
    assert_eq!(bookstore.stock("store_c", "4100001").await, "5/5 5.00");
}

#[tokio::test]
async fn add_funds_adds_and_withdraws_but_never_below_zero() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let buyer = bookstore.account("buyer_f").await;
    bookstore.add_funds(&buyer, 1_000).await.assert_ok();
    bookstore.add_funds(&buyer, -400).await.assert_ok();
    assert_eq!(bookstore.balance("buyer_f").await, 600);
    bookstore
        .add_funds(&buyer, -601)
        .await
        .assert(519, "not sufficient funds, user id buyer_f");
    let wrong = Account {
        password: "wrong-password".to_owned(),
        ..buyer.clone()
    };
    bookstore
        .add_funds(&wrong, 100)
        .await
        .assert(401, "authorization fail.");
    let unknown = Account {
        user_id: "buyer_f_x".to_owned(),
        ..buyer.clone()
    };
    bookstore
        .add_funds(&unknown, 100)
        .await
        .assert(401, "authorization fail.");
    assert_eq!(
        bookstore.balance("buyer_f").await,
        600,
        "unchanged by the refusals"
    );
    bookstore.add_funds(&buyer, 0).await.assert_ok();
    assert_eq!(testkit::ledger::wallet_rows(&app.db, "buyer_f").await, 2);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn ship_and_receive_move_a_paid_order_and_refuse_every_other_state() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (seller, buyer) = shop(&bookstore).await;
    let other_seller = bookstore.store_with("seller_b3", "store_b3", &[], 0).await;
    let order_id = bookstore
        .order_id(&buyer, "store_b1", &[("4000002", 1)])
        .await;

    bookstore.ship(&seller, "store_b1", &order_id).await.assert(
        520,
        &format!("order id {order_id} is pending_payment, not paid"),
    );
    bookstore
        .buyer_moves("receive", &buyer, &order_id)
        .await
        .assert(
            520,
            &format!("order id {order_id} is pending_payment, not shipped yet"),
        );
    bookstore.add_funds(&buyer, 1_250).await.assert_ok();
    bookstore.payment(&buyer, &order_id).await.assert_ok();
    bookstore
        .buyer_moves("receive", &buyer, &order_id)
        .await
        .assert(
            520,
            &format!("order id {order_id} is paid, not shipped yet"),
        );
    bookstore
        .ship(&other_seller, "store_b3", &order_id)
        .await
        .assert(518, &format!("invalid order id {order_id}"));
    bookstore.ship(&seller, "store_b3", &order_id).await.assert(
        520,
        &format!("order id {order_id} is not from store store_b3"),
    );
    bookstore
        .ship(&seller, "store_b1_x", &order_id)
        .await
        .assert(513, "non exist store id store_b1_x");
    bookstore
        .ship(&seller, "store_b1", "no-such-order")
        .await
        .assert(518, "invalid order id no-such-order");

    bookstore
        .ship(&seller, "store_b1", &order_id)
        .await
        .assert_ok();
    bookstore
        .ship(&seller, "store_b1", &order_id)
        .await
        .assert(521, &format!("order already shipped, order id {order_id}"));
    // Only the buyer receives.
    let seller_as_buyer = bookstore.buyer_moves("receive", &seller, &order_id).await;
    seller_as_buyer.assert(401, "authorization fail.");
    bookstore
        .buyer_moves("receive", &buyer, &order_id)
        .await
        .assert_ok();
    bookstore
        .buyer_moves("receive", &buyer, &order_id)
        .await
        .assert(522, &format!("order already received, order id {order_id}"));
    bookstore
        .ship(&seller, "store_b1", &order_id)
        .await
        .assert(521, &format!("order already shipped, order id {order_id}"));
    assert_eq!(
        bookstore
            .figure(&format!(
                "SELECT status FROM orders WHERE number = '{order_id}'"
            ))
            .await,
        "delivered"
    );
}

#[tokio::test]
async fn cancelling_gives_the_stock_back_and_refunds_a_paid_order_but_not_a_shipped_one() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (seller, buyer) = shop(&bookstore).await;

    let unpaid = bookstore
        .order_id(&buyer, "store_b1", &[("4000001", 4)])
        .await;
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/4 30.00");
    bookstore
        .buyer_moves("cancel_order", &buyer, &unpaid)
        .await
        .assert_ok();
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/0 30.00");
    bookstore
        .buyer_moves("cancel_order", &buyer, &unpaid)
        .await
        .assert(
            523,
            &format!("order cannot be cancelled when cancelled, order id {unpaid}"),
        );

    let paid = bookstore
        .order_id(&buyer, "store_b1", &[("4000001", 2)])
        .await;
    bookstore.add_funds(&buyer, 6_000).await.assert_ok();
    bookstore.payment(&buyer, &paid).await.assert_ok();
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "8/0 30.00");
    let cancelled = bookstore.buyer_moves("cancel_order", &buyer, &paid).await;
    cancelled.assert_ok();
    assert_eq!(cancelled.body["order"]["status"], "refunded");
    assert_eq!(cancelled.body["order"]["refunded"], 6_000);
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/0 30.00");
    assert_eq!(
        (
            bookstore.balance("buyer_b1").await,
            bookstore.balance("seller_b1").await
        ),
        (6_000, 0)
    );

    let shipped = bookstore
        .order_id(&buyer, "store_b1", &[("4000002", 1)])
        .await;
    bookstore.payment(&buyer, &shipped).await.assert_ok();
    bookstore
        .ship(&seller, "store_b1", &shipped)
        .await
        .assert_ok();
    bookstore
        .buyer_moves("cancel_order", &buyer, &shipped)
        .await
        .assert(
            523,
            &format!("order cannot be cancelled when shipped, order id {shipped}"),
        );
    bookstore
        .buyer_moves("cancel_order", &buyer, "no-such-order")
        .await
        .assert(518, "invalid order id no-such-order");
    assert_eq!(bookstore.balance("seller_b1").await, 1_250);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn an_unpaid_order_expires_after_the_configured_seconds_and_gives_its_stock_back() {
    let app = spawn_app().await;
    assert_eq!(
        app.update_setting("orders.reservation_seconds", "5")
            .await
            .status(),
        200
    );
    let bookstore = Bookstore::new(&app);
    let (_, buyer) = shop(&bookstore).await;
    let order_id = bookstore
        .order_id(&buyer, "store_b1", &[("4000001", 3)])
        .await;
    let kept = bookstore
        .order_id(&buyer, "store_b1", &[("4000002", 1)])
        .await;
    bookstore.add_funds(&buyer, 10_000).await.assert_ok();
    app.clock.advance(TimeDelta::seconds(4));
    bookstore.payment(&buyer, &kept).await.assert_ok();
    app.clock.advance(TimeDelta::seconds(2));

    bookstore.payment(&buyer, &order_id).await.assert(
        524,
        &format!("order expired (auto-cancelled), order id {order_id}"),
    );
    bookstore
        .buyer_moves("cancel_order", &buyer, &order_id)
        .await
        .assert(
            524,
            &format!("order expired (auto-cancelled), order id {order_id}"),
        );
    assert_eq!(bookstore.stock("store_b1", "4000001").await, "10/0 30.00");
    assert_eq!(
        bookstore.balance("buyer_b1").await,
        10_000 - 1_250,
        "only the paid one"
    );
    let history = bookstore.orders(&buyer, 1, 10).await;
    history.assert_ok();
    let statuses: Vec<&str> = history.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["paid", "expired"]);
}

#[tokio::test]
async fn history_lists_the_buyers_orders_newest_first_by_page_with_items_and_totals() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let (_, buyer) = shop(&bookstore).await;
    let someone_else = bookstore.account("buyer_b9").await;
    bookstore
        .order_id(&someone_else, "store_b1", &[("4000001", 1)])
        .await;
    let mut placed = Vec::new();
    for count in 1..=3 {
        placed.push(
            bookstore
                .order_id(&buyer, "store_b1", &[("4000002", count)])
                .await,
        );
    }

    let first = bookstore.orders(&buyer, 1, 2).await;
    first.assert_ok();
    let orders = first.body["orders"].as_array().unwrap();
    let ids: Vec<&str> = orders
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [placed[2].as_str(), placed[1].as_str()]);
    assert_eq!(first.body["has_more"], true);
    let newest = &orders[0];
    assert_eq!(newest["store_id"], "store_b1");
    assert_eq!(newest["status"], "pending_payment");
    assert_eq!(newest["total"], 3 * 1_250);
    assert_eq!(
        newest["items"],
        serde_json::json!([{"book_id": "4000002", "title": "围城", "count": 3, "price": 1_250}])
    );

    let second = bookstore.orders(&buyer, 2, 2).await;
    let ids: Vec<Value> = second.body["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].clone())
        .collect();
    assert_eq!(ids, [Value::from(placed[0].clone())]);
    assert_eq!(second.body["has_more"], false);
    let beyond = bookstore.orders(&buyer, 3, 2).await;
    assert_eq!(beyond.body["orders"], serde_json::json!([]));
    bookstore.orders(&buyer, 0, 2).await.assert(
        400,
        "page counts from 1, and a page may start at most 10000 items in",
    );
    let unknown = Account {
        user_id: "buyer_b1_x".to_owned(),
        ..buyer.clone()
    };
    bookstore
        .orders(&unknown, 1, 2)
        .await
        .assert(511, "non exist user id buyer_b1_x");
}
