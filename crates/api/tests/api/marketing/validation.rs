//! Checking a coupon code against the caller's cart: which order it goes to, what it takes
//! off, and why it does not apply; nothing is used up.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{
    COUPONS, add_to_cart, campaign, coupon, marketer, redeemed, store_offering, user_id, validate,
};

#[tokio::test]
async fn a_code_applies_to_the_largest_order_of_the_cart_and_is_not_used_up() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "40.00").await;
    let wang = store_offering(&app, "wang", "wang-books", "33.33").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 1).await;
    add_to_cart(&app, &buyer.token, "wang-books", wang, 3).await;
    let made = coupon(
        &app,
        &staff.token,
        json!({"code": "Spring125", "kind": "percentage", "value": "12.5"}),
    )
    .await;

    let response = validate(&app, &buyer.token, "spring125").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    // 3 × 33.33 = 99.99 at wang-books beats 40.00 at lin-books; 12.5% of 99.99 = 12.49875.
    assert_eq!(
        body,
        json!({
            "code": "Spring125",
            "store": "wang-books",
            "subtotal": {"amount": "99.99", "currency": "CNY"},
            "discount": {"amount": "12.50", "currency": "CNY"},
            "total": {"amount": "87.49", "currency": "CNY"},
        })
    );
    let again: Value = validate(&app, &buyer.token, "SPRING125")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, body, "validating uses nothing up");
    let got: Value = app
        .get_as(&staff.token, &format!("{COUPONS}/{}", made["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["used_count"], 0);
    assert_eq!(app.db.count("coupon_redemptions").await, 0);
}

#[tokio::test]
async fn a_stores_own_coupon_goes_to_that_stores_order_only() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "20.00").await;
    let wang = store_offering(&app, "wang", "wang-books", "90.00").await;
    store_offering(&app, "zhao", "zhao-books", "5.00").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 2).await;
    add_to_cart(&app, &buyer.token, "wang-books", wang, 1).await;
    coupon(
        &app,
        &staff.token,
        json!({"code": "LIN-50", "kind": "fixed", "value": "50", "store": "lin-books"}),
    )
    .await;
    coupon(
        &app,
        &staff.token,
        json!({"code": "ZHAO-1", "kind": "fixed", "value": "1", "store": "zhao-books"}),
    )
    .await;

    let body: Value = validate(&app, &buyer.token, "lin-50")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["store"], "lin-books");
    assert_eq!(body["subtotal"]["amount"], "40.00");
    // A fixed amount never takes more than the order's subtotal.
    assert_eq!(body["discount"]["amount"], "40.00");
    assert_eq!(body["total"]["amount"], "0.00");

    problem::expect(
        validate(&app, &buyer.token, "ZHAO-1").await,
        422,
        "coupon_wrong_store",
    )
    .await;
}

#[tokio::test]
async fn only_lines_that_can_be_bought_count() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "20.00").await;
    let wang = store_offering(&app, "wang", "wang-books", "90.00").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 1).await;
    coupon(
        &app,
        &staff.token,
        json!({"code": "FIVE", "kind": "fixed", "value": "5"}),
    )
    .await;

    problem::expect(
        validate(&app, &app.new_user("empty").await.token, "FIVE").await,
        422,
        "cart_empty",
    )
    .await;

    add_to_cart(&app, &buyer.token, "wang-books", wang, 1).await;
    let body: Value = validate(&app, &buyer.token, "FIVE")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["store"], "wang-books");
    // wang-books closes: its line cannot be bought, so lin-books' order gets the coupon.
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(&admin, "/api/v1/stores/wang-books/close", &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = validate(&app, &buyer.token, "FIVE")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["store"], "lin-books");
    assert_eq!(body["subtotal"]["amount"], "20.00");
    let response = app
        .post_json_as(&admin, "/api/v1/stores/lin-books/close", &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    problem::expect(
        validate(&app, &buyer.token, "FIVE").await,
        422,
        "cart_empty",
    )
    .await;
}

#[tokio::test]
async fn each_reason_a_coupon_does_not_apply_has_its_code() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "50.00").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 2).await;
    let buyer_id = user_id(&app, &buyer.username).await;
    let now = Utc::now();
    let fixed = |code: &str, extra: Value| {
        let mut body = json!({"code": code, "kind": "fixed", "value": "5"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    let stopped = campaign(
        &app,
        &staff.token,
        json!({"name": "Stopped", "starts_on": "2000-01-01", "ends_on": "2999-12-31",
               "active": false}),
    )
    .await;
    let over = campaign(
        &app,
        &staff.token,
        json!({"name": "Over", "starts_on": "2000-01-01", "ends_on": "2000-01-31"}),
    )
    .await;
    let running = campaign(
        &app,
        &staff.token,
        json!({"name": "Running", "starts_on": "2000-01-01", "ends_on": "2999-12-31"}),
    )
    .await;
    let cases = [
        (fixed("OFF", json!({"active": false})), "coupon_inactive"),
        (
            fixed("LATER", json!({"valid_from": now + TimeDelta::days(1)})),
            "coupon_not_started",
        ),
        (
            fixed(
                "PAST",
                json!({"valid_from": now - TimeDelta::days(2), "valid_until": now - TimeDelta::days(1)}),
            ),
            "coupon_expired",
        ),
        (
            fixed("STOPPED", json!({"campaign_id": stopped})),
            "coupon_campaign_inactive",
        ),
        (
            fixed("OVER", json!({"campaign_id": over})),
            "coupon_campaign_inactive",
        ),
        (
            fixed("BIG", json!({"min_order_amount": "100.01"})),
            "coupon_below_minimum",
        ),
        (
            fixed("USEDUP", json!({"usage_limit": 1})),
            "coupon_exhausted",
        ),
        (
            fixed("ONCE", json!({"per_customer_limit": 1})),
            "coupon_customer_limit_reached",
        ),
    ];
    for (body, code) in &cases {
        let made = coupon(&app, &staff.token, body.clone()).await;
        let id = made["id"].as_i64().unwrap();
        match *code {
            "coupon_exhausted" => {
                let other = app.new_user("other").await;
                redeemed(&app, id, user_id(&app, &other.username).await, 1).await;
            }
            "coupon_customer_limit_reached" => redeemed(&app, id, buyer_id, 2).await,
            _ => {}
        }
        let problem = problem::expect(
            validate(&app, &buyer.token, body["code"].as_str().unwrap()).await,
            422,
            code,
        )
        .await;
        if *code == "coupon_below_minimum" {
            assert_eq!(
                problem["minimum"],
                json!({"amount": "100.01", "currency": "CNY"})
            );
        }
    }
    problem::expect(
        validate(&app, &buyer.token, "NOSUCH").await,
        422,
        "coupon_unknown",
    )
    .await;
    problem::expect(
        validate(&app, &buyer.token, "not a code!").await,
        422,
        "coupon_unknown",
    )
    .await;
    let body = problem::expect(
        app.post_json_as(&buyer.token, &format!("{COUPONS}/validate"), &json!({}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["code"]);

    // The same coupons apply once the reason is gone: the minimum met, the campaign running.
    coupon(
        &app,
        &staff.token,
        fixed(
            "JUST",
            json!({"min_order_amount": "100.00", "campaign_id": running}),
        ),
    )
    .await;
    assert_eq!(validate(&app, &buyer.token, "JUST").await.status(), 200);
    // A customer other than the one who used it may still.
    let other = app.new_user("second").await;
    add_to_cart(&app, &other.token, "lin-books", lin, 1).await;
    assert_eq!(validate(&app, &other.token, "ONCE").await.status(), 200);
}

#[tokio::test]
async fn validity_follows_the_clock() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "50.00").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 1).await;
    let until = Utc::now() + TimeDelta::hours(1);
    coupon(
        &app,
        &staff.token,
        json!({"code": "HOUR", "kind": "percentage", "value": "10", "valid_until": until}),
    )
    .await;
    assert_eq!(validate(&app, &buyer.token, "HOUR").await.status(), 200);
    app.clock.advance(TimeDelta::hours(2));
    problem::expect(
        validate(&app, &buyer.token, "HOUR").await,
        422,
        "coupon_expired",
    )
    .await;
}

#[tokio::test]
async fn campaign_days_are_the_deployments_days() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let lin = store_offering(&app, "lin", "lin-books", "50.00").await;
    let buyer = app.new_user("buyer").await;
    add_to_cart(&app, &buyer.token, "lin-books", lin, 1).await;
    // Kiritimati is UTC+14 and Pago Pago UTC-11, all year: their dates always differ.
    let kiritimati_today = (Utc::now() + TimeDelta::hours(14)).date_naive();
    let one_day = campaign(
        &app,
        &staff.token,
        json!({"name": "One day", "starts_on": kiritimati_today, "ends_on": kiritimati_today}),
    )
    .await;
    coupon(
        &app,
        &staff.token,
        json!({"code": "ONEDAY", "kind": "fixed", "value": "5", "campaign_id": one_day}),
    )
    .await;

    let response = app
        .update_setting("studio.time_zone", "Pacific/Kiritimati")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(validate(&app, &buyer.token, "ONEDAY").await.status(), 200);
    let response = app
        .update_setting("studio.time_zone", "Pacific/Pago_Pago")
        .await;
    assert_eq!(response.status(), 200);
    problem::expect(
        validate(&app, &buyer.token, "ONEDAY").await,
        422,
        "coupon_campaign_inactive",
    )
    .await;
}

#[tokio::test]
async fn validating_needs_a_session() {
    let app = spawn_app().await;
    problem::expect(
        app.post_json(&format!("{COUPONS}/validate"), &json!({"code": "SPRING"}))
            .await,
        401,
        "unauthorized",
    )
    .await;
}
