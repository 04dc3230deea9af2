//! The whole ledger, for staff with `ledger:read`: every row, filtered, newest first.

use serde_json::Value;
use testkit::ledger::assert_wallets_match_ledger;
use testkit::{TestApp, problem, spawn_app};

use super::{LEDGER, funded, withdraw};

/// Every row of a listing, page after page of `limit`.
async fn all_pages(app: &TestApp, token: &str, query: &str, limit: u32) -> Vec<Value> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("{LEDGER}?limit={limit}&{query}");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let response = app.get_as(token, &path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        rows.extend(body["items"].as_array().unwrap().iter().cloned());
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return rows,
        }
    }
}

async fn ids(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    all_pages(app, token, query, 50)
        .await
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn staff_list_every_row_newest_first_and_filter_them() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    let wang = app.new_user("wang").await;
    let manager = app.new_user_with_role("boss", "manager").await;
    let top_up = funded(&app, &lin.token, "100.00").await["entry"]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(withdraw(&app, &lin.token, "30.00").await.status(), 201);
    funded(&app, &wang.token, "50.00").await;
    // Money through the payment provider for order 7 (rows without a wallet), made earlier.
    testkit::builders::orders(&app.db, [7]).await;
    app.db
        .execute(
            "INSERT INTO payments (id, order_id, payer_id, method, status, amount, currency, completed_at) \
                 OVERRIDING SYSTEM VALUE VALUES (3, 7, 1, 'provider', 'succeeded', 80, 'CNY', now()); \
             INSERT INTO financial_transactions \
                 (kind, status, amount, currency, order_id, payment_id, provider_reference, created_at) \
             VALUES ('payment', 'succeeded', 80.00, 'CNY', 7, 3, 'cs_test_1', '2026-01-01T10:00:00Z'); \
             INSERT INTO financial_transactions \
                 (kind, status, amount, currency, order_id, provider_reference, created_at) \
             VALUES ('refund', 'pending', -20.00, 'CNY', 7, 're_test_1', '2026-02-01T10:00:00Z');",
        )
        .await;

    let rows = all_pages(&app, &manager.token, "", 50).await;
    assert_eq!(rows.len(), 5);
    let times: Vec<&str> = rows
        .iter()
        .map(|row| row["created_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let provider = &rows[4];
    assert_eq!(provider["kind"], "payment");
    assert_eq!(provider["amount"], "80.00");
    assert_eq!(provider["wallet"], Value::Null);
    assert_eq!(provider["actor"], Value::Null);
    assert_eq!(provider["order_id"], 7);
    assert_eq!(provider["payment_id"], 3);
    assert_eq!(provider["provider_reference"], "cs_test_1");
    // Pages of two hold the same rows in the same order.
    let paged = all_pages(&app, &manager.token, "", 2).await;
    assert_eq!(paged, rows);

    assert_eq!(ids(&app, &manager.token, "user=lin").await.len(), 2);
    assert_eq!(
        ids(&app, &manager.token, "user=wang&kind=top_up")
            .await
            .len(),
        1
    );
    assert_eq!(ids(&app, &manager.token, "user=nobody").await.len(), 0);
    assert_eq!(
        ids(&app, &manager.token, "kind=top_up&user=lin").await,
        [top_up]
    );
    assert_eq!(ids(&app, &manager.token, "kind=payment").await.len(), 1);
    assert_eq!(ids(&app, &manager.token, "status=pending").await.len(), 1);
    assert_eq!(ids(&app, &manager.token, "order_id=7").await.len(), 2);
    assert_eq!(ids(&app, &manager.token, "order_id=8").await.len(), 0);
    let window = all_pages(
        &app,
        &manager.token,
        "from=2026-01-15T00:00:00Z&to=2026-03-01T00:00:00Z",
        50,
    )
    .await;
    assert_eq!(window.len(), 1);
    assert_eq!(window[0]["kind"], "refund");
    assert_eq!(window[0]["amount"], "-20.00");
    // `from` is inclusive, `to` exclusive.
    assert_eq!(
        ids(
            &app,
            &manager.token,
            "from=2026-01-01T10:00:00Z&to=2026-02-01T10:00:00Z"
        )
        .await
        .len(),
        1
    );
    assert_wallets_match_ledger(&app.db).await;
}

#[tokio::test]
async fn bad_filters_are_named() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (query, field) in [
        ("kind=gift", "kind"),
        ("status=lost", "status"),
        ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
    ] {
        let response = app.get_as(&admin, &format!("{LEDGER}?{query}")).await;
        let body = problem::expect(response, 422, "validation_failed").await;
        assert_eq!(problem::fields(&body), [field], "{query}");
    }
    let response = app
        .get_as(&admin, &format!("{LEDGER}?from=yesterday"))
        .await;
    problem::expect(response, 400, "bad_request").await;
}

#[tokio::test]
async fn only_staff_with_ledger_read_see_the_ledger() {
    let app = spawn_app().await;
    let lin = app.new_user("lin").await;
    funded(&app, &lin.token, "1.00").await;
    let desk = app.new_user_with_role("desk", "front_desk").await;
    problem::expect(app.get_as(&lin.token, LEDGER).await, 403, "forbidden").await;
    problem::expect(app.get_as(&desk.token, LEDGER).await, 403, "forbidden").await;
    problem::expect(app.get(LEDGER).await, 401, "unauthorized").await;
    let admin = app.admin_token().await;
    assert_eq!(app.get_as(&admin, LEDGER).await.status(), 200);
}
