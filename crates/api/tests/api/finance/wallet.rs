//! A person's wallet: balance, top-ups, withdrawals and statement.

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::ledger::{assert_wallets_match_ledger, wallet_balance, wallet_rows};
use testkit::{problem, spawn_app};

use super::{WALLET, balance, funded, top_up, withdraw};

#[tokio::test]
async fn a_wallet_is_topped_up_and_withdrawn_from_with_a_ledger_row_each() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    assert_eq!(balance(&app, &lin.token).await, "0.00", "no wallet yet");

    let response = app
        .post_json_as(
            &lin.token,
            &format!("{WALLET}/top-ups"),
            &json!({"amount": "150", "note": "  cash at the desk "}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["balance"],
        json!({"amount": "150.00", "currency": "CNY"})
    );
    let entry = &body["entry"];
    assert_eq!(entry["kind"], "top_up");
    assert_eq!(entry["status"], "succeeded");
    assert_eq!(entry["amount"], "150.00");
    assert_eq!(entry["currency"], "CNY");
    assert_eq!(entry["wallet"], "lin");
    assert_eq!(entry["actor"], "lin");
    assert_eq!(entry["note"], "cash at the desk");
    assert_eq!(entry["order_id"], Value::Null);
    assert_eq!(entry["provider_reference"], Value::Null);
    assert!(entry["created_at"].is_string());

    let response = withdraw(&app, &lin.token, "40.5").await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["entry"]["kind"], "withdrawal");
    assert_eq!(body["entry"]["amount"], "-40.50");
    assert_eq!(body["balance"]["amount"], "109.50");
    assert_eq!(balance(&app, &lin.token).await, "109.50");

    // Everything out: a wallet may be emptied, to exactly zero.
    let response = withdraw(&app, &lin.token, "109.50").await;
    assert_eq!(response.status(), 201);
    assert_eq!(balance(&app, &lin.token).await, "0.00");
    assert_eq!(wallet_rows(&app.db, "lin").await, 3);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn amounts_must_be_positive_with_two_places_and_bounded() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    for amount in ["0", "0.00", "-5", "1.234", "100000.01", "99999999999"] {
        for response in [
            top_up(&app, &lin.token, amount).await,
            withdraw(&app, &lin.token, amount).await,
        ] {
            let body = problem::expect(response, 422, "validation_failed").await;
            assert_eq!(problem::fields(&body), ["amount"], "{amount}");
        }
    }
    let response = app
        .post_json_as(
            &lin.token,
            &format!("{WALLET}/top-ups"),
            &json!({"amount": "1", "note": "x".repeat(501)}),
        )
        .await;
    let body = problem::expect(response, 422, "validation_failed").await;
    assert_eq!(problem::fields(&body), ["note"]);
    // The largest amount is taken.
    assert_eq!(top_up(&app, &lin.token, "100000.00").await.status(), 201);
    assert_eq!(app.db.count("financial_transactions").await, 1);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn a_withdrawal_beyond_the_balance_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    // No wallet at all yet.
    let body = problem::expect(
        withdraw(&app, &lin.token, "0.01").await,
        409,
        "insufficient_funds",
    )
    .await;
    assert_eq!(body["balance"], "0.00");
    assert_eq!(app.db.count("wallets").await, 0);

    funded(&app, &lin.token, "30.00").await;
    let body = problem::expect(
        withdraw(&app, &lin.token, "30.01").await,
        409,
        "insufficient_funds",
    )
    .await;
    assert_eq!(body["balance"], "30.00");
    assert_eq!(balance(&app, &lin.token).await, "30.00");
    assert_eq!(wallet_rows(&app.db, "lin").await, 1);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn twenty_concurrent_withdrawals_of_ten_from_a_hundred_take_exactly_ten() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    funded(&app, &lin.token, "100.00").await;

    let attempts = (0..20).map(|_| withdraw(&app, &lin.token, "10.00"));
    let statuses: Vec<u16> = join_all(attempts)
        .await
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 10);
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(wallet_balance(&app.db, "lin").await, "0.00");
    assert_eq!(wallet_rows(&app.db, "lin").await, 11);
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn concurrent_first_top_ups_make_one_wallet_and_lose_nothing() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    let attempts = (0..20).map(|_| top_up(&app, &lin.token, "2.50"));
    for response in join_all(attempts).await {
        assert_eq!(response.status(), 201);
    }
    assert_eq!(app.db.count("wallets").await, 1);
    assert_eq!(wallet_balance(&app.db, "lin").await, "50.00");
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn the_statement_is_mine_newest_first_in_pages() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    let wang = app.new_user("wang").await;
    for amount in ["1.00", "2.00", "3.00", "4.00", "5.00"] {
        funded(&app, &lin.token, amount).await;
    }
    funded(&app, &wang.token, "99.00").await;
    assert_eq!(withdraw(&app, &lin.token, "0.50").await.status(), 201);

    let mut amounts = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = format!("{WALLET}/transactions?limit=2");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let response = app.get_as(&lin.token, &path).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        pages += 1;
        for item in body["items"].as_array().unwrap() {
            assert_eq!(item["wallet"], "lin");
            amounts.push(item["amount"].as_str().unwrap().to_owned());
        }
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        amounts,
        ["-0.50", "5.00", "4.00", "3.00", "2.00", "1.00"],
        "newest first"
    );
    let response = app
        .get_as(&lin.token, &format!("{WALLET}/transactions?cursor=garbage"))
        .await;
    problem::expect(response, 400, "bad_request").await;
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn the_wallet_needs_a_session() {
    let app = spawn_app().await;
    problem::expect(app.get(WALLET).await, 401, "unauthorized").await;
    problem::expect(
        app.post_json(&format!("{WALLET}/top-ups"), &json!({"amount": "1"}))
            .await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(app.db.count("financial_transactions").await, 0);
}
