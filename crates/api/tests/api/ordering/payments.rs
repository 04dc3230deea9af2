//! Paying for orders: from the wallet in full or in parts, through the provider's checkout page
//! and its signed webhook, refunds on cancel, coupons at checkout, and retries that never charge
//! twice. After every money movement the wallets equal the sums of their ledger rows.

use chrono::TimeDelta;
use futures::future::join_all;
use ports::clock::Clock as _;
use reqwest::Response;
use serde_json::{Value, json};
use testkit::ledger::{assert_wallets_match_ledger, wallet_balance};
use testkit::{FakeStripe, TestApp, TestUser, problem, spawn_app, spawn_app_with};

use super::offered;
use crate::stores::STORES;

const ORDERS: &str = "/api/v1/orders";
const EVENTS: &str = "/api/v1/finance/provider-events";

async fn top_up(app: &TestApp, user: &TestUser, amount: &str) {
    let response = app
        .post_json_as(
            &user.token,
            "/api/v1/wallet/top-ups",
            &json!({"amount": amount}),
        )
        .await;
    assert_eq!(response.status(), 201);
}

async fn order(
    app: &TestApp,
    buyer: &TestUser,
    store: &str,
    product: i64,
    quantity: i64,
) -> String {
    let response = app
        .post_json_as(
            &buyer.token,
            ORDERS,
            &json!({"items": [{"store": store, "product_id": product, "quantity": quantity}]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["orders"][0]["number"].as_str().unwrap().to_owned()
}

async fn pay(app: &TestApp, token: &str, number: &str, body: &Value) -> Response {
    app.post_json_as(token, &format!("{ORDERS}/{number}/payments"), body)
        .await
}

async fn detail(app: &TestApp, token: &str, number: &str) -> Value {
    let response = app.get_as(token, &format!("{ORDERS}/{number}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn stock(app: &TestApp, owner: &TestUser, store: &str, product: i64) -> (i64, i64) {
    let line: Value = app
        .get_as(
            &owner.token,
            &format!("{STORES}/{store}/inventory/{product}"),
        )
        .await
        .json()
        .await
        .unwrap();
    (
        line["on_hand"].as_i64().unwrap(),
        line["reserved"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn an_order_is_paid_from_the_wallet_in_parts_and_the_store_owner_is_paid() {
    let app = spawn_app_with(|config| config.expiry_sweep_ms = 0).await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "12.50").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "100.00").await;
    let number = order(&app, &buyer, "lin-books", a, 2).await;

    // A deposit: the order waits for the rest and no longer expires.
    let response = pay(
        &app,
        &buyer.token,
        &number,
        &json!({"method": "wallet", "amount": "10.00"}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    assert_eq!(made["payment"]["method"], "wallet");
    assert_eq!(made["payment"]["status"], "succeeded");
    assert_eq!(made["payment"]["amount"]["amount"], "10.00");
    assert_eq!(made["order"]["status"], "pending_payment");
    assert_eq!(made["order"]["paid"]["amount"], "10.00");
    assert_eq!(made["order"]["owed"]["amount"], "15.00");
    app.clock.advance(TimeDelta::hours(1));
    assert_eq!(
        detail(&app, &buyer.token, &number).await["status"],
        "pending_payment"
    );

    // More than is owed, or nothing, is refused.
    let response = pay(
        &app,
        &buyer.token,
        &number,
        &json!({"method": "wallet", "amount": "15.01"}),
    )
    .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["amount"]);
    let response = pay(&app, &buyer.token, &number, &json!({"method": "cash"})).await;
    assert_eq!(
        problem::fields(&problem::expect(response, 422, "validation_failed").await),
        ["method"]
    );

    // The rest: paid, the stock sold.
    let response = pay(&app, &buyer.token, &number, &json!({"method": "wallet"})).await;
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    assert_eq!(made["payment"]["amount"]["amount"], "15.00");
    assert_eq!(made["order"]["status"], "paid");
    assert!(made["order"]["paid_at"].is_string());
    assert_eq!(stock(&app, &lin, "lin-books", a).await, (8, 0));
    assert_eq!(wallet_balance(&app.db, "buyer").await, "75.00");
    assert_eq!(wallet_balance(&app.db, "lin").await, "25.00");
    assert_wallets_match_ledger(&app.db).await;

    let paid = detail(&app, &buyer.token, &number).await;
    let actions: Vec<_> = paid["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [json!("place"), json!("part_payment"), json!("pay")]
    );
    assert_eq!(paid["payments"].as_array().unwrap().len(), 2);

    // Paid is paid.
    let response = pay(&app, &buyer.token, &number, &json!({"method": "wallet"})).await;
    let body = problem::expect(response, 409, "order_not_payable").await;
    assert_eq!(body["order_status"], "paid");
    // Only the buyer pays.
    let response = pay(&app, &lin.token, &number, &json!({"method": "wallet"})).await;
    problem::expect(response, 403, "forbidden").await;

    // Shipped, delivered, completed.
    let response = app
        .post_json_as(
            &lin.token,
            &format!("{ORDERS}/{number}/ship"),
            &json!({"carrier": "SF Express", "tracking_number": "SF1234567890"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let shipped: Value = response.json().await.unwrap();
    assert_eq!(shipped["status"], "shipped");
    assert_eq!(shipped["shipment"]["tracking_number"], "SF1234567890");
    problem::expect(
        app.post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await,
        409,
        "illegal_transition",
    )
    .await;
    for (action, status) in [("deliver", "delivered"), ("complete", "completed")] {
        let response = app
            .post_json_as(
                &buyer.token,
                &format!("{ORDERS}/{number}/{action}"),
                &json!({}),
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>().await.unwrap()["status"], status);
    }
}

#[tokio::test]
async fn a_wallet_too_low_pays_nothing() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "30.00").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "20.00").await;
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    let response = pay(&app, &buyer.token, &number, &json!({"method": "wallet"})).await;
    problem::expect(response, 409, "insufficient_funds").await;
    let unpaid = detail(&app, &buyer.token, &number).await;
    assert_eq!(unpaid["paid"]["amount"], "0.00");
    assert_eq!(unpaid["payments"], json!([]));
    assert_eq!(wallet_balance(&app.db, "buyer").await, "20.00");
    assert_eq!(stock(&app, &lin, "lin-books", a).await, (10, 1));
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn the_same_payment_sent_ten_times_at_once_is_charged_once() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "100.00").await;
    let body = json!({"method": "wallet"});

    // Without a key: the order's lock lets one through.
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    let statuses: Vec<u16> = join_all((0..10).map(|_| async {
        pay(&app, &buyer.token, &number, &body)
            .await
            .status()
            .as_u16()
    }))
    .await;
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        9,
        "{statuses:?}"
    );

    // With one key: one runs, the others are told it is running or get its answer again.
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    let path = format!("{ORDERS}/{number}/payments");
    let responses = join_all((0..10).map(|_| {
        app.send(
            app.request_as(&buyer.token, reqwest::Method::POST, &path)
                .header("Idempotency-Key", "pay-once")
                .json(&body),
        )
    }))
    .await;
    let mut created = 0;
    for response in responses {
        match response.status().as_u16() {
            201 => created += 1,
            409 => {
                problem::expect(response, 409, "idempotency_key_in_use").await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(created >= 1);
    let replay = app
        .send(
            app.request_as(&buyer.token, reqwest::Method::POST, &path)
                .header("Idempotency-Key", "pay-once")
                .json(&body),
        )
        .await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["Idempotent-Replayed"], "true");

    assert_eq!(app.db.count("payments").await, 2);
    assert_eq!(wallet_balance(&app.db, "buyer").await, "80.00");
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn cancelling_a_paid_order_gives_the_money_back_from_the_store_owner() {
    let app = spawn_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "100.00").await;
    let number = order(&app, &buyer, "lin-books", a, 3).await;
    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "wallet"}))
            .await
            .status(),
        201
    );
    assert_eq!(stock(&app, &lin, "lin-books", a).await, (7, 0));

    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let refunded: Value = response.json().await.unwrap();
    assert_eq!(refunded["status"], "refunded");
    assert_eq!(refunded["refunded"]["amount"], "30.00");
    assert_eq!(wallet_balance(&app.db, "buyer").await, "100.00");
    assert_eq!(wallet_balance(&app.db, "lin").await, "0.00");
    assert_eq!(stock(&app, &lin, "lin-books", a).await, (10, 0));
    let cancelled = detail(&app, &buyer.token, &number).await;
    assert_eq!(cancelled["payments"][0]["status"], "refunded");
    assert_wallets_match_ledger(&app.db).await;

    // An owner who took the money out cannot be made to give it back: nothing changes.
    let number = order_and_pay(&app, &buyer, a).await;
    let response = app
        .post_json_as(
            &lin.token,
            "/api/v1/wallet/withdrawals",
            &json!({"amount": "30.00"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await;
    problem::expect(response, 409, "refund_not_covered").await;
    assert_eq!(detail(&app, &buyer.token, &number).await["status"], "paid");
    assert_eq!(wallet_balance(&app.db, "buyer").await, "70.00");
    assert_wallets_match_ledger(&app.db).await;
}

async fn order_and_pay(app: &TestApp, buyer: &TestUser, product: i64) -> String {
    let number = order(app, buyer, "lin-books", product, 3).await;
    assert_eq!(
        pay(app, &buyer.token, &number, &json!({"method": "wallet"}))
            .await
            .status(),
        201
    );
    number
}

async fn provider_app() -> (TestApp, FakeStripe) {
    provider_app_with(|_| {}).await
}

/// The app paid through a fake Stripe, its configuration adjusted by `customize`.
async fn provider_app_with(
    customize: impl FnOnce(&mut api::config::Config) + Send + 'static,
) -> (TestApp, FakeStripe) {
    let fake = FakeStripe::start();
    let (base, key, secret) = (
        fake.api_base.clone(),
        fake.secret_key.clone(),
        fake.webhook_secret.clone(),
    );
    let app = spawn_app_with(move |config| {
        config.stripe_api_base = base;
        config.stripe_secret_key = Some(key);
        config.stripe_webhook_secret = Some(secret);
        customize(config);
    })
    .await;
    (app, fake)
}

async fn post_event(app: &TestApp, body: &str, signature: Option<&str>) -> Response {
    let mut request = app
        .request(reqwest::Method::POST, EVENTS)
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    app.send(request).await
}

#[tokio::test]
async fn a_payment_through_the_provider_is_settled_by_its_signed_webhook_once() {
    let (app, fake) = provider_app().await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "12.50").await;
    let buyer = app.new_user("buyer").await;
    let number = order(&app, &buyer, "lin-books", a, 2).await;

    let response = pay(&app, &buyer.token, &number, &json!({"method": "provider"})).await;
    assert_eq!(response.status(), 201);
    let made: Value = response.json().await.unwrap();
    assert_eq!(made["payment"]["status"], "pending");
    assert_eq!(made["order"]["status"], "pending_payment");
    let sessions = fake.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].amount_total, 2500);
    assert_eq!(sessions[0].currency, "cny");
    assert_eq!(made["payment"]["checkout_url"], sessions[0].url.as_str());

    // Refused: unsigned, signed with another secret, tampered, an unknown session.
    let event = fake.completed_event(&sessions[0].id);
    problem::expect(
        post_event(&app, &event.body, None).await,
        400,
        "invalid_signature",
    )
    .await;
    let forged = testkit::fake_stripe::sign_with("whsec_wrong", &event.body, app.clock.now());
    problem::expect(
        post_event(&app, &event.body, Some(&forged)).await,
        400,
        "invalid_signature",
    )
    .await;
    let tampered = event.body.replace("2500", "1");
    problem::expect(
        post_event(&app, &tampered, Some(&event.signature)).await,
        400,
        "invalid_signature",
    )
    .await;
    let stranger = fake.event(
        "checkout.session.completed",
        json!({"id": "cs_test_unknown", "object": "checkout.session", "status": "complete",
               "payment_status": "paid", "amount_total": 2500, "currency": "cny",
               "payment_intent": "pi_unknown"}),
    );
    problem::expect(
        post_event(&app, &stranger.body, Some(&stranger.signature)).await,
        422,
        "unknown_checkout_session",
    )
    .await;
    assert_eq!(
        detail(&app, &buyer.token, &number).await["status"],
        "pending_payment"
    );

    // Signed: paid, the owner paid out, the stock sold.
    let response = post_event(&app, &event.body, Some(&event.signature)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["applied"], true);
    let paid = detail(&app, &buyer.token, &number).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payments"][0]["status"], "succeeded");
    assert_eq!(wallet_balance(&app.db, "lin").await, "25.00");
    assert_eq!(stock(&app, &lin, "lin-books", a).await, (8, 0));
    // The same event again is refused and changes nothing.
    problem::expect(
        post_event(&app, &event.body, Some(&event.signature)).await,
        409,
        "event_replayed",
    )
    .await;
    assert_eq!(wallet_balance(&app.db, "lin").await, "25.00");
    assert_eq!(app.db.count("financial_transactions").await, 2);

    // Cancelled before shipping: the owner's payout comes back and the provider refunds.
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let refunds = fake.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, 2500);
    let refund_row = app
        .db
        .query_text("SELECT status || ' ' || provider_reference FROM financial_transactions WHERE kind = 'refund'")
        .await
        .unwrap();
    assert_eq!(refund_row, format!("succeeded {}", refunds[0].id));
    assert_eq!(wallet_balance(&app.db, "lin").await, "0.00");
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn money_paid_through_the_provider_for_an_order_paid_another_way_is_given_back() {
    let (app, fake) = provider_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "50.00").await;
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "provider"}))
            .await
            .status(),
        201
    );
    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "wallet"}))
            .await
            .status(),
        201
    );

    let event = fake.completed_event(&fake.sessions()[0].id);
    let response = post_event(&app, &event.body, Some(&event.signature)).await;
    assert_eq!(response.status(), 200);
    let receipt: Value = response.json().await.unwrap();
    assert_eq!(receipt["applied"], false);
    // The order is as it was; what the provider took is given back through it.
    let paid = detail(&app, &buyer.token, &number).await;
    assert_eq!(paid["paid"]["amount"], "10.00");
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payments"][0]["status"], "refunded");
    assert_eq!(paid["payments"][0]["refunded"]["amount"], "10.00");
    let refunds = fake.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, 1000);
    let rows = app
        .db
        .query_text(
            "SELECT string_agg(kind || ' ' || amount || ' ' || status, ', ' ORDER BY id) \
             FROM financial_transactions WHERE wallet_user_id IS NULL",
        )
        .await;
    assert_eq!(
        rows.as_deref(),
        Some("payment 10.00 succeeded, refund -10.00 succeeded")
    );
    assert_eq!(wallet_balance(&app.db, "lin").await, "10.00");
    assert_wallets_match_ledger(&app.db).await;

    // An expired checkout marks its payment failed.
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "provider"}))
            .await
            .status(),
        201
    );
    let session = fake.sessions().last().unwrap().id.clone();
    let expired = fake.expired_event(&session);
    assert_eq!(
        post_event(&app, &expired.body, Some(&expired.signature))
            .await
            .status(),
        200
    );
    assert_eq!(
        detail(&app, &buyer.token, &number).await["payments"][0]["status"],
        "failed"
    );
}

#[tokio::test]
async fn without_a_provider_only_the_wallet_pays() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    let response = pay(&app, &buyer.token, &number, &json!({"method": "provider"})).await;
    assert_eq!(
        problem::fields(&problem::expect(response, 422, "validation_failed").await),
        ["method"]
    );
    assert_eq!(app.db.count("payments").await, 0);
}

async fn coupon(app: &TestApp, body: Value) {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(&admin, "/api/v1/marketing/coupons", &body)
        .await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn a_coupon_takes_its_discount_off_one_order_and_an_unpaid_cancel_gives_the_use_back() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "40.00").await;
    let (_, b) = offered(&app, "wang", "wang-books", "B", 10, "10.00").await;
    coupon(
        &app,
        json!({"code": "Spring10", "kind": "percentage", "value": "10", "usage_limit": 1}),
    )
    .await;
    let buyer = app.new_user("buyer").await;
    let response = app
        .post_json_as(
            &buyer.token,
            ORDERS,
            &json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1},
                              {"store": "wang-books", "product_id": b, "quantity": 1}],
                    "coupon": "SPRING10"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let placed: Value = response.json().await.unwrap();
    // A coupon of no store goes to the largest order.
    let lin_order = &placed["orders"][0];
    assert_eq!(lin_order["coupon"], "SPRING10");
    assert_eq!(lin_order["discount"]["amount"], "4.00");
    assert_eq!(lin_order["total"]["amount"], "36.00");
    assert_eq!(placed["orders"][1]["discount"]["amount"], "0.00");
    let used = || app.db.query_text("SELECT used_count FROM coupons");
    assert_eq!(used().await.as_deref(), Some("1"));

    // Used up: refused with its code, nothing placed.
    let response = app
        .post_json_as(
            &buyer.token,
            ORDERS,
            &json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}], "coupon": "spring10"}),
        )
        .await;
    problem::expect(response, 422, "coupon_exhausted").await;
    assert_eq!(app.db.count("orders").await, 2);

    // Cancelling the unpaid order gives the use back.
    let number = lin_order["number"].as_str().unwrap();
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(used().await.as_deref(), Some("0"));
    assert_eq!(app.db.count("coupon_redemptions").await, 0);
    problem::expect(
        app.post_json_as(
            &buyer.token,
            ORDERS,
            &json!({"items": [], "coupon": "nope"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn twenty_checkouts_racing_for_a_coupon_limited_to_five_get_exactly_five() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 100, "20.00").await;
    coupon(
        &app,
        json!({"code": "FIVE", "kind": "fixed", "value": "5.00", "usage_limit": 5}),
    )
    .await;
    let mut buyers = Vec::new();
    for i in 0..20 {
        buyers.push(app.new_user(&format!("buyer{i}")).await);
    }
    let body = json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}], "coupon": "FIVE"});
    let responses = join_all(
        buyers
            .iter()
            .map(|buyer| app.post_json_as(&buyer.token, ORDERS, &body)),
    )
    .await;
    let mut placed = 0;
    for response in responses {
        match response.status().as_u16() {
            201 => placed += 1,
            _ => {
                problem::expect(response, 422, "coupon_exhausted").await;
            }
        }
    }
    assert_eq!(placed, 5);
    assert_eq!(app.db.count("orders").await, 5);
    assert_eq!(app.db.count("coupon_redemptions").await, 5);
    assert_eq!(
        app.db
            .query_text("SELECT used_count FROM coupons")
            .await
            .as_deref(),
        Some("5")
    );
    assert_eq!(
        app.db
            .query_text("SELECT sum(discount) FROM orders")
            .await
            .as_deref(),
        Some("25.00")
    );
}

#[tokio::test]
async fn a_retried_checkout_with_its_key_places_its_orders_once() {
    let app = spawn_app().await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let body = json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 1}]});
    let send = |body: Value| {
        app.send(
            app.request_as(&buyer.token, reqwest::Method::POST, ORDERS)
                .header("Idempotency-Key", "checkout-1")
                .json(&body),
        )
    };
    let first = send(body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["Idempotent-Replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(app.db.count("orders").await, 1);
    let other =
        send(json!({"items": [{"store": "lin-books", "product_id": a, "quantity": 2}]})).await;
    problem::expect(other, 422, "idempotency_key_reused").await;
    assert_eq!(app.db.count("orders").await, 1);
}

#[tokio::test]
async fn a_shipped_order_asks_the_carrier_where_it_is_at_most_once_per_interval() {
    let tracker = testkit::FakeTracker::start();
    let template = tracker.url_template();
    let app = spawn_app_with(move |config| {
        config.tracking_url = Some(template);
        config.tracking_min_interval_secs = 600;
    })
    .await;
    let (lin, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    top_up(&app, &buyer, "10.00").await;
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    let refresh = |token: String| {
        let path = format!("{ORDERS}/{number}/tracking/refresh");
        let app = &app;
        async move { app.post_json_as(&token, &path, &json!({})).await }
    };
    problem::expect(refresh(buyer.token.clone()).await, 409, "not_shipped").await;

    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "wallet"}))
            .await
            .status(),
        201
    );
    let response = app
        .post_json_as(
            &lin.token,
            &format!("{ORDERS}/{number}/ship"),
            &json!({"carrier": "SF Express", "tracking_number": "SF1"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    tracker.set_parcel(
        "SF Express",
        "SF1",
        json!({"status": "in_transit", "at": "上海"}),
    );

    // Concurrent refreshes ask the service once.
    let answers = join_all((0..5).map(|_| refresh(buyer.token.clone()))).await;
    assert!(answers.iter().all(|r| r.status() == 200));
    assert_eq!(tracker.requests().len(), 1);
    let order = detail(&app, &buyer.token, &number).await;
    assert_eq!(order["shipment"]["tracking_details"]["at"], "上海");
    assert!(order["shipment"]["tracking_last_sync"].is_string());

    // Within the interval the kept details are returned; after it, the service is asked again.
    tracker.set_parcel("SF Express", "SF1", json!({"status": "delivered"}));
    let kept: Value = refresh(lin.token.clone()).await.json().await.unwrap();
    assert_eq!(kept["shipment"]["tracking_details"]["status"], "in_transit");
    app.clock.advance(TimeDelta::minutes(11));
    let fresh: Value = refresh(lin.token.clone()).await.json().await.unwrap();
    assert_eq!(fresh["shipment"]["tracking_details"]["status"], "delivered");
    assert_eq!(tracker.requests().len(), 2);
    let stranger = app.new_user("stranger").await;
    problem::expect(refresh(stranger.token.clone()).await, 404, "not_found").await;
}

#[tokio::test]
async fn a_refund_the_provider_could_not_take_is_asked_for_again_by_the_sweeper() {
    let (app, fake) = provider_app_with(|config| config.expiry_sweep_ms = 50).await;
    let (_, a) = offered(&app, "lin", "lin-books", "A", 10, "10.00").await;
    let buyer = app.new_user("buyer").await;
    let number = order(&app, &buyer, "lin-books", a, 1).await;
    assert_eq!(
        pay(&app, &buyer.token, &number, &json!({"method": "provider"}))
            .await
            .status(),
        201
    );
    let event = fake.completed_event(&fake.sessions()[0].id);
    assert_eq!(
        post_event(&app, &event.body, Some(&event.signature))
            .await
            .status(),
        200
    );

    // The provider is down when the order is cancelled: the refund waits, pending.
    fake.fail_next(503);
    let response = app
        .post_json_as(
            &buyer.token,
            &format!("{ORDERS}/{number}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let refund_status = || {
        app.db.query_text(
            "SELECT status FROM financial_transactions WHERE kind = 'refund' AND wallet_user_id IS NULL",
        )
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if refund_status().await.as_deref() == Some("succeeded") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sweeper left the refund {:?}",
            refund_status().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    // Asked twice (refused, then made), made once.
    let asked = fake
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/refunds")
        .count();
    assert!(asked >= 2, "{asked}");
    assert_eq!(fake.refunds().len(), 1);
    assert_wallets_match_ledger(&app.db).await;
}
