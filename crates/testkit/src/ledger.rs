//! Assertions on wallets and the ledger, straight from the database: after a test that moves
//! money, `assert_wallets_match_ledger(&app.db).await` checks invariant 5 (a wallet's balance
//! equals the sum of its ledger rows and is never below zero) for every account at once.

use crate::TestDatabase;

/// Asserts that every account's wallet balance (0 without a wallet row) equals the sum of the
/// amounts of the ledger rows naming its wallet, and that no balance is negative.
pub async fn assert_wallets_match_ledger(db: &TestDatabase) {
    let mismatches = db
        .query_text(
            "SELECT string_agg(format('user %s: balance %s, ledger rows sum to %s', \
                 u.id, COALESCE(w.balance, 0), COALESCE(l.total, 0)), '; ') \
             FROM users u \
             LEFT JOIN wallets w ON w.user_id = u.id \
             LEFT JOIN (SELECT wallet_user_id, sum(amount) AS total FROM financial_transactions \
                        WHERE wallet_user_id IS NOT NULL GROUP BY wallet_user_id) l \
                    ON l.wallet_user_id = u.id \
             WHERE COALESCE(w.balance, 0) <> COALESCE(l.total, 0) OR w.balance < 0",
        )
        .await;
    assert_eq!(
        mismatches, None,
        "wallet balances differ from their ledger rows"
    );
}

/// The stored balance of `username`'s wallet with two places ("0.00" without a wallet row).
pub async fn wallet_balance(db: &TestDatabase, username: &str) -> String {
    db.query_text(&format!(
        "SELECT to_char(COALESCE((SELECT balance FROM wallets w JOIN users u ON u.id = w.user_id \
             WHERE u.username = {}), 0), 'FM9999999990.00')",
        crate::builders::quote(username)
    ))
    .await
    .expect("a balance")
}

/// How many ledger rows name `username`'s wallet.
pub async fn wallet_rows(db: &TestDatabase, username: &str) -> i64 {
    db.query_text(&format!(
        "SELECT count(*) FROM financial_transactions t JOIN users u ON u.id = t.wallet_user_id \
         WHERE u.username = {}",
        crate::builders::quote(username)
    ))
    .await
    .and_then(|count| count.parse().ok())
    .expect("a count")
}
