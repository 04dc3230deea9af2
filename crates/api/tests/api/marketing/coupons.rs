//! Coupons: created, listed, changed and deleted by staff.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{COUPONS, campaign, coupon, marketer, redeemed, user_id};
use crate::stores::seller_with_store;

#[tokio::test]
async fn a_coupon_is_made_with_defaults_and_shows_its_uses() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let before = Utc::now();

    let response = app
        .post_json_as(
            &staff.token,
            COUPONS,
            &json!({"code": "Spring10", "kind": "percentage", "value": "10"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let made: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{COUPONS}/{}", made["id"]));
    assert_eq!(made["code"], "Spring10", "kept as written");
    assert_eq!(made["description"], "");
    assert_eq!(made["kind"], "percentage");
    assert_eq!(made["value"], "10.00");
    let from: DateTime<Utc> = made["valid_from"].as_str().unwrap().parse().unwrap();
    assert!(from >= before - chrono::TimeDelta::seconds(1) && from <= Utc::now());
    assert_eq!(made["valid_until"], Value::Null);
    assert_eq!(
        made["min_order_amount"],
        json!({"amount": "0.00", "currency": "CNY"})
    );
    for field in [
        "usage_limit",
        "per_customer_limit",
        "remaining_uses",
        "campaign_id",
        "store",
    ] {
        assert_eq!(made[field], Value::Null, "{field}");
    }
    assert_eq!(made["used_count"], 0);
    assert_eq!(made["active"], true);
    let got: Value = app
        .get_as(&staff.token, &location)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, made);

    seller_with_store(&app, "lin", "lin-books").await;
    let spring = campaign(
        &app,
        &staff.token,
        json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}),
    )
    .await;
    let full = coupon(
        &app,
        &staff.token,
        json!({"code": "LIN-30", "description": " Thirty off ", "kind": "fixed",
               "value": "30", "valid_from": "2026-03-01T00:00:00Z",
               "valid_until": "2026-04-01T00:00:00Z", "min_order_amount": "100",
               "usage_limit": 50, "per_customer_limit": 2, "campaign_id": spring,
               "store": "lin-books", "active": false}),
    )
    .await;
    assert_eq!(full["description"], "Thirty off");
    assert_eq!(full["kind"], "fixed");
    assert_eq!(full["value"], "30.00");
    assert_eq!(full["valid_from"], "2026-03-01T00:00:00Z");
    assert_eq!(full["valid_until"], "2026-04-01T00:00:00Z");
    assert_eq!(full["min_order_amount"]["amount"], "100.00");
    assert_eq!(full["usage_limit"], 50);
    assert_eq!(full["per_customer_limit"], 2);
    assert_eq!(full["remaining_uses"], 50);
    assert_eq!(full["campaign_id"], spring);
    assert_eq!(full["store"], "lin-books");
    assert_eq!(full["active"], false);

    // Uses taken show as used and remaining.
    let buyer = app.new_user("buyer").await;
    let buyer_id = user_id(&app, &buyer.username).await;
    redeemed(&app, full["id"].as_i64().unwrap(), buyer_id, 1).await;
    redeemed(&app, full["id"].as_i64().unwrap(), buyer_id, 2).await;
    let got: Value = app
        .get_as(&staff.token, &format!("{COUPONS}/{}", full["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["used_count"], 2);
    assert_eq!(got["remaining_uses"], 48);
}

#[tokio::test]
async fn codes_are_unique_ignoring_case() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    coupon(
        &app,
        &staff.token,
        json!({"code": "SPRING10", "kind": "fixed", "value": "5"}),
    )
    .await;
    let other = coupon(
        &app,
        &staff.token,
        json!({"code": "SUMMER", "kind": "fixed", "value": "5"}),
    )
    .await;

    problem::expect(
        app.post_json_as(
            &staff.token,
            COUPONS,
            &json!({"code": "spring10", "kind": "fixed", "value": "9"}),
        )
        .await,
        409,
        "coupon_code_taken",
    )
    .await;
    problem::expect(
        app.patch_json_as(
            &staff.token,
            &format!("{COUPONS}/{}", other["id"]),
            &json!({"code": "Spring10"}),
        )
        .await,
        409,
        "coupon_code_taken",
    )
    .await;
    assert_eq!(app.db.count("coupons").await, 2);
    // A coupon may change the case of its own code.
    let response = app
        .patch_json_as(
            &staff.token,
            &format!("{COUPONS}/{}", other["id"]),
            &json!({"code": "Summer"}),
        )
        .await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn invalid_coupons_name_each_field_and_store_nothing() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let cases = [
        (
            json!({"code": "ab", "kind": "fixed", "value": "5"}),
            vec!["code"],
        ),
        (
            json!({"code": "with space", "kind": "fixed", "value": "5"}),
            vec!["code"],
        ),
        (
            json!({"code": "HALF", "kind": "half", "value": "5"}),
            vec!["kind"],
        ),
        (
            json!({"code": "ZERO", "kind": "percentage", "value": "0"}),
            vec!["value"],
        ),
        (
            json!({"code": "MORE", "kind": "percentage", "value": "100.01"}),
            vec!["value"],
        ),
        (
            json!({"code": "NONE", "kind": "fixed", "value": "0"}),
            vec!["value"],
        ),
        (
            json!({"code": "CENT", "kind": "fixed", "value": "0.001"}),
            vec!["value"],
        ),
        (
            json!({"code": "BACK", "kind": "fixed", "value": "5",
                   "valid_from": "2026-03-02T00:00:00Z", "valid_until": "2026-03-01T00:00:00Z"}),
            vec!["valid_until"],
        ),
        (
            json!({"code": "LIMITS", "kind": "fixed", "value": "5", "usage_limit": 0,
                   "per_customer_limit": -1, "min_order_amount": "-1"}),
            vec!["min_order_amount", "per_customer_limit", "usage_limit"],
        ),
        (
            json!({"code": "SHOP", "kind": "fixed", "value": "5", "store": "nowhere"}),
            vec!["store"],
        ),
        (
            json!({"code": "CAMP", "kind": "fixed", "value": "5", "campaign_id": 999}),
            vec!["campaign_id"],
        ),
        (json!({"code": "NOKIND", "value": "5"}), vec!["kind"]),
    ];
    for (body, fields) in cases {
        let problem = problem::expect(
            app.post_json_as(&staff.token, COUPONS, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem::fields(&problem), fields, "{body}");
    }
    assert_eq!(app.db.count("coupons").await, 0);
}

#[tokio::test]
async fn coupons_are_listed_newest_first_by_campaign_and_state() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let spring = campaign(
        &app,
        &staff.token,
        json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}),
    )
    .await;
    let a = coupon(
        &app,
        &staff.token,
        json!({"code": "AAA", "kind": "fixed", "value": "5", "campaign_id": spring}),
    )
    .await;
    let b = coupon(
        &app,
        &staff.token,
        json!({"code": "BBB", "kind": "fixed", "value": "5"}),
    )
    .await;
    let c = coupon(
        &app,
        &staff.token,
        json!({"code": "CCC", "kind": "fixed", "value": "5", "campaign_id": spring,
               "active": false}),
    )
    .await;

    let ids = |page: &Value| -> Vec<Value> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect()
    };
    let list = |query: String| {
        let app = &app;
        let token = staff.token.clone();
        async move {
            let response = app.get_as(&token, &format!("{COUPONS}{query}")).await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let all = list(String::new()).await;
    assert_eq!(
        ids(&all),
        [c["id"].clone(), b["id"].clone(), a["id"].clone()]
    );
    assert_eq!(all["items"][0]["code"], "CCC");
    assert_eq!(
        ids(&list(format!("?campaign_id={spring}")).await),
        [c["id"].clone(), a["id"].clone()]
    );
    assert_eq!(
        ids(&list(format!("?campaign_id={spring}&active=true")).await),
        [a["id"].clone()]
    );
    assert_eq!(ids(&list("?active=false".into()).await), [c["id"].clone()]);

    let first = list("?limit=2".into()).await;
    assert_eq!(ids(&first), [c["id"].clone(), b["id"].clone()]);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let rest = list(format!("?limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&rest), [a["id"].clone()]);
    assert_eq!(rest["next_cursor"], Value::Null);
    problem::expect(
        app.get_as(&staff.token, &format!("{COUPONS}?active=maybe"))
            .await,
        400,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn a_coupon_is_changed_field_by_field() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    seller_with_store(&app, "lin", "lin-books").await;
    let made = coupon(
        &app,
        &staff.token,
        json!({"code": "CHANGE", "kind": "percentage", "value": "10",
               "valid_from": "2026-03-01T00:00:00Z", "valid_until": "2026-04-01T00:00:00Z",
               "usage_limit": 10, "per_customer_limit": 1}),
    )
    .await;
    let url = format!("{COUPONS}/{}", made["id"]);
    let patch = |body: Value| {
        let (app, url, token) = (&app, url.clone(), staff.token.clone());
        async move { app.patch_json_as(&token, &url, &body).await }
    };

    let response = patch(
        json!({"value": "12.5", "store": "lin-books", "valid_until": null,
                                "per_customer_limit": null, "description": "Lin's"}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["kind"], "percentage");
    assert_eq!(changed["value"], "12.50");
    assert_eq!(changed["store"], "lin-books");
    assert_eq!(changed["valid_until"], Value::Null);
    assert_eq!(changed["per_customer_limit"], Value::Null);
    assert_eq!(changed["usage_limit"], 10, "left out, so kept");
    assert_eq!(changed["description"], "Lin's");

    // A new kind is checked with the value it will have.
    let body = problem::expect(
        patch(json!({"kind": "percentage", "value": "150"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["value"]);
    let response = patch(json!({"kind": "fixed", "value": "150", "store": null})).await;
    let changed: Value = response.json().await.unwrap();
    assert_eq!(
        (&changed["kind"], &changed["value"]),
        (&json!("fixed"), &json!("150.00"))
    );
    assert_eq!(changed["store"], Value::Null);

    // The limit cannot go below the uses so far.
    let buyer = app.new_user("buyer").await;
    let buyer_id = user_id(&app, &buyer.username).await;
    for order in 1..=3 {
        redeemed(&app, made["id"].as_i64().unwrap(), buyer_id, order).await;
    }
    let body = problem::expect(
        patch(json!({"usage_limit": 2})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["usage_limit"]);
    let response = patch(json!({"usage_limit": 3})).await;
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["remaining_uses"], 0);
    let response = patch(json!({"usage_limit": null})).await;
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["remaining_uses"], Value::Null);
    assert_eq!(changed["used_count"], 3);

    problem::expect(
        app.patch_json_as(
            &staff.token,
            &format!("{COUPONS}/999999"),
            &json!({"active": false}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_redeemed_coupon_is_deactivated_rather_than_deleted() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let unused = coupon(
        &app,
        &staff.token,
        json!({"code": "UNUSED", "kind": "fixed", "value": "5"}),
    )
    .await;
    let used = coupon(
        &app,
        &staff.token,
        json!({"code": "USED", "kind": "fixed", "value": "5"}),
    )
    .await;
    let buyer = app.new_user("buyer").await;
    redeemed(
        &app,
        used["id"].as_i64().unwrap(),
        user_id(&app, &buyer.username).await,
        1,
    )
    .await;

    let unused_url = format!("{COUPONS}/{}", unused["id"]);
    assert_eq!(app.delete_as(&staff.token, &unused_url).await.status(), 204);
    problem::expect(
        app.get_as(&staff.token, &unused_url).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.delete_as(&staff.token, &unused_url).await,
        404,
        "not_found",
    )
    .await;

    let used_url = format!("{COUPONS}/{}", used["id"]);
    problem::expect(
        app.delete_as(&staff.token, &used_url).await,
        409,
        "coupon_in_use",
    )
    .await;
    let response = app
        .patch_json_as(&staff.token, &used_url, &json!({"active": false}))
        .await;
    let off: Value = response.json().await.unwrap();
    assert_eq!(off["active"], false);
    assert_eq!(app.db.count("coupon_redemptions").await, 1);
}

#[tokio::test]
async fn only_staff_with_marketing_manage_handle_coupons() {
    let app = spawn_app().await;
    let customer = app.new_user("customer").await;
    let body = json!({"code": "SPRING", "kind": "fixed", "value": "5"});
    problem::expect(app.post_json(COUPONS, &body).await, 401, "unauthorized").await;
    problem::expect(
        app.post_json_as(&customer.token, COUPONS, &body).await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(app.get_as(&customer.token, COUPONS).await, 403, "forbidden").await;
    assert_eq!(app.db.count("coupons").await, 0);
}
