//! `finance::ledger::post_in`, the function other contexts post money movements through inside
//! their own transactions, and the database's own guards on wallets and the ledger.

use adapters_pg::finance::ledger::{PostError, post_in};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::finance::ledger::{Amount, EntryKind, EntryStatus, NewLedgerEntry};
use rust_decimal::Decimal;
use testkit::TestDatabase;
use testkit::ledger::{assert_wallets_match_ledger, wallet_balance};

fn amount(text: &str) -> Amount {
    Amount::parse(text.parse::<Decimal>().unwrap()).unwrap()
}

/// A database with the accounts `buyer` (id 1) and `owner` (id 2), the buyer's wallet holding
/// `buyer_balance` through a top-up.
async fn arranged(buyer_balance: &str) -> (TestDatabase, AsyncPgConnection) {
    let db = TestDatabase::new().await;
    db.execute(&format!(
        "INSERT INTO roles (name) VALUES ('customer'); \
         INSERT INTO users (username, password_hash, role_id) \
             SELECT name, '!', (SELECT id FROM roles) FROM unnest(ARRAY['buyer', 'owner']) AS name; \
         INSERT INTO wallets (user_id, balance) VALUES (1, {buyer_balance}); \
         INSERT INTO financial_transactions (kind, wallet_user_id, amount, currency) \
             VALUES ('top_up', 1, {buyer_balance}, 'CNY');"
    ))
    .await;
    // Order 41 and its payments 5 and 6, for rows that point at them.
    testkit::builders::orders(&db, [41]).await;
    db.execute(
        "INSERT INTO payments (id, order_id, payer_id, method, status, amount, currency, completed_at) \
             OVERRIDING SYSTEM VALUE \
             VALUES (5, 41, 1, 'wallet', 'succeeded', 30, 'CNY', now()), \
                    (6, 41, 1, 'wallet', 'succeeded', 50, 'CNY', now());",
    )
    .await;
    let conn = db.connect().await;
    (db, conn)
}

async fn post(
    conn: &mut AsyncPgConnection,
    entries: &[NewLedgerEntry],
) -> Result<Vec<i64>, PostError> {
    conn.transaction::<_, PostError, _>(async |conn| post_in(conn, entries).await)
        .await
}

#[tokio::test]
async fn a_payment_and_its_payout_post_rows_and_wallets_together() {
    let (db, mut conn) = arranged("100.00").await;
    let entries = [
        NewLedgerEntry::wallet(EntryKind::Payment, 1, amount("30"), "CNY")
            .order(41)
            .payment(5)
            .actor(1),
        NewLedgerEntry::external(
            EntryKind::Payment,
            EntryStatus::Succeeded,
            amount("50"),
            "CNY",
        )
        .unwrap()
        .order(41)
        .payment(6)
        .provider_reference("cs_test_9"),
        NewLedgerEntry::wallet(EntryKind::Payout, 2, amount("80"), "CNY")
            .order(41)
            .note("order 41"),
    ];
    let ids = post(&mut conn, &entries).await.unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
    let amounts = db
        .query_text(&format!(
            "SELECT string_agg(amount::text || ' ' || coalesce(provider_reference, '-'), ', ' ORDER BY id) \
             FROM financial_transactions WHERE id IN ({}, {}, {})",
            ids[0], ids[1], ids[2]
        ))
        .await
        .unwrap();
    assert_eq!(amounts, "-30.00 -, 50.00 cs_test_9, 80.00 -");
    assert_eq!(wallet_balance(&db, "buyer").await, "70.00");
    assert_eq!(wallet_balance(&db, "owner").await, "80.00");
    assert_eq!(post(&mut conn, &[]).await.unwrap(), Vec::<i64>::new());
    assert_wallets_match_ledger(&db).await;
}

#[tokio::test]
async fn a_debit_beyond_the_balance_is_refused_and_the_caller_rolls_back() {
    let (db, mut conn) = arranged("10.00").await;
    // The owner's credit comes first (by user id the buyer's wallet is taken first anyway).
    let entries = [
        NewLedgerEntry::wallet(EntryKind::Payout, 2, amount("10.01"), "CNY"),
        NewLedgerEntry::wallet(EntryKind::Payment, 1, amount("10.01"), "CNY"),
    ];
    let error = post(&mut conn, &entries).await.unwrap_err();
    assert!(
        matches!(error, PostError::InsufficientFunds { user: 1 }),
        "{error:?}"
    );
    // Another wallet that never had one is refused a debit too.
    let error = post(
        &mut conn,
        &[NewLedgerEntry::wallet(
            EntryKind::Withdrawal,
            2,
            amount("1"),
            "CNY",
        )],
    )
    .await
    .unwrap_err();
    assert!(matches!(error, PostError::InsufficientFunds { user: 2 }));
    assert_eq!(db.count("financial_transactions").await, 1);
    assert_eq!(wallet_balance(&db, "buyer").await, "10.00");
    assert_eq!(db.count("wallets").await, 1);
    assert_wallets_match_ledger(&db).await;
}

#[tokio::test]
async fn a_credit_past_the_largest_balance_is_refused() {
    let (db, mut conn) = arranged("9999999999.00").await;
    let error = post(
        &mut conn,
        &[NewLedgerEntry::wallet(
            EntryKind::Refund,
            1,
            amount("1.00"),
            "CNY",
        )],
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, PostError::BalanceLimit { user: 1 }),
        "{error:?}"
    );
    assert_eq!(wallet_balance(&db, "buyer").await, "9999999999.00");
    assert_wallets_match_ledger(&db).await;
}

#[tokio::test]
async fn posting_outside_a_transaction_is_refused() {
    let (db, mut conn) = arranged("10.00").await;
    let entry = NewLedgerEntry::wallet(EntryKind::Payment, 1, amount("1"), "CNY");
    let error = post_in(&mut conn, &[entry]).await.unwrap_err();
    assert!(
        matches!(
            error,
            PostError::Db(diesel::result::Error::NotInTransaction)
        ),
        "{error:?}"
    );
    assert_eq!(db.count("financial_transactions").await, 1);
    assert_eq!(wallet_balance(&db, "buyer").await, "10.00");
}

#[tokio::test]
async fn the_database_refuses_what_breaks_the_ledger_rules() {
    let (db, _conn) = arranged("10.00").await;
    let refusals = [
        (
            "UPDATE wallets SET balance = -0.01",
            "wallets_balance_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency) VALUES ('top_up', 5, 'CNY')",
            "financial_transactions_wallet_kind_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, wallet_user_id, amount, currency) VALUES ('withdrawal', 1, 5, 'CNY')",
            "financial_transactions_sign_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency) VALUES ('payment', -5, 'CNY')",
            "financial_transactions_sign_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, wallet_user_id, amount, currency) VALUES ('refund', 1, -5, 'CNY')",
            "financial_transactions_sign_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, wallet_user_id, amount, currency, status) VALUES ('payout', 2, 5, 'CNY', 'pending')",
            "financial_transactions_wallet_status_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency) VALUES ('payment', 0, 'CNY')",
            "financial_transactions_amount_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency) VALUES ('gift', 5, 'CNY')",
            "financial_transactions_kind_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency, status) VALUES ('payment', 5, 'CNY', 'lost')",
            "financial_transactions_status_check",
        ),
        (
            "INSERT INTO financial_transactions (kind, amount, currency) VALUES ('payment', 5, 'cny')",
            "financial_transactions_currency_check",
        ),
        (
            "INSERT INTO wallets (user_id) VALUES (99)",
            "wallets_user_id_fkey",
        ),
    ];
    for (sql, constraint) in refusals {
        let message = db.refused(sql).await;
        assert!(message.contains(constraint), "{sql}: {message}");
    }
    // What the rules allow: money through the provider, pending, either way.
    db.execute(
        "INSERT INTO financial_transactions (kind, amount, currency, status) VALUES \
             ('payment', 5, 'CNY', 'pending'), ('refund', -5, 'CNY', 'failed'), \
             ('payout', -5, 'CNY', 'succeeded')",
    )
    .await;
}
