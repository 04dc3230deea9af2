//! An account whose wallet holds money cannot be deleted.

use serde_json::json;
use testkit::ledger::assert_wallets_match_ledger;
use testkit::{problem, spawn_app};

use super::{funded, withdraw};

#[tokio::test]
async fn an_account_is_deleted_only_once_its_wallet_is_empty() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    funded(&app, &lin.token, "12.34").await;
    let delete = || {
        app.send(
            app.request_as(&lin.token, reqwest::Method::DELETE, "/api/v1/identity/me")
                .json(&json!({"password": lin.password})),
        )
    };
    let body = problem::expect(delete().await, 409, "wallet_not_empty").await;
    assert_eq!(body["balance"], "12.34");
    // Still there, still able to log in.
    assert_eq!(
        app.get_as(&lin.token, "/api/v1/identity/me").await.status(),
        200
    );

    assert_eq!(withdraw(&app, &lin.token, "12.34").await.status(), 201);
    assert_eq!(delete().await.status(), 204);
    // The history stays, under the anonymised name.
    let owner = app
        .db
        .query_text("SELECT u.username::text FROM financial_transactions t JOIN users u ON u.id = t.wallet_user_id LIMIT 1")
        .await
        .unwrap();
    assert!(owner.starts_with("deleted-user-"), "{owner}");
    assert_eq!(app.db.count("financial_transactions").await, 2);
    assert_wallets_match_ledger(&app.db).await;
}
