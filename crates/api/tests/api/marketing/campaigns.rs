//! Campaigns: a named period that coupons may belong to.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{CAMPAIGNS, campaign, coupon, marketer};

#[tokio::test]
async fn campaigns_are_created_listed_changed_and_deleted() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;

    let response = app
        .post_json_as(
            &staff.token,
            CAMPAIGNS,
            &json!({"name": " Spring weddings ", "description": "Albums.",
                    "starts_on": "2026-03-01", "ends_on": "2026-03-31"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let spring: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{CAMPAIGNS}/{}", spring["id"]));
    assert_eq!(spring["name"], "Spring weddings");
    assert_eq!(spring["description"], "Albums.");
    assert_eq!(spring["starts_on"], "2026-03-01");
    assert_eq!(spring["ends_on"], "2026-03-31");
    assert_eq!(spring["active"], true);

    let autumn = campaign(
        &app,
        &staff.token,
        json!({"name": "Autumn", "starts_on": "2026-09-01", "ends_on": "2026-09-01",
               "active": false}),
    )
    .await;

    let got: Value = app
        .get_as(&staff.token, &location)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, spring);

    // Newest first, a page at a time; filtered by `active`.
    let first: Value = app
        .get_as(&staff.token, &format!("{CAMPAIGNS}?limit=1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["items"][0]["id"], autumn);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get_as(
            &staff.token,
            &format!("{CAMPAIGNS}?limit=1&cursor={cursor}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"][0]["id"], spring["id"]);
    assert_eq!(second["next_cursor"], Value::Null);
    let active: Value = app
        .get_as(&staff.token, &format!("{CAMPAIGNS}?active=true"))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&Value> = active["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&spring["id"]]);

    let response = app
        .patch_json_as(
            &staff.token,
            &location,
            &json!({"name": "Spring", "ends_on": "2026-04-15", "active": false}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["name"], "Spring");
    assert_eq!(changed["description"], "Albums.", "left out, so kept");
    assert_eq!(changed["starts_on"], "2026-03-01");
    assert_eq!(changed["ends_on"], "2026-04-15");
    assert_eq!(changed["active"], false);

    assert_eq!(app.delete_as(&staff.token, &location).await.status(), 204);
    problem::expect(app.get_as(&staff.token, &location).await, 404, "not_found").await;
    problem::expect(
        app.delete_as(&staff.token, &location).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        app.patch_json_as(&staff.token, &location, &json!({"name": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_campaign_does_not_end_before_it_starts() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let body = problem::expect(
        app.post_json_as(
            &staff.token,
            CAMPAIGNS,
            &json!({"name": " ", "starts_on": "2026-03-02", "ends_on": "2026-03-01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["ends_on", "name"]);

    let id = campaign(
        &app,
        &staff.token,
        json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}),
    )
    .await;
    let body = problem::expect(
        app.patch_json_as(
            &staff.token,
            &format!("{CAMPAIGNS}/{id}"),
            &json!({"starts_on": "2026-04-01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["ends_on"]);
    assert_eq!(
        app.db
            .query_text(&format!(
                "SELECT starts_on FROM marketing_campaigns WHERE id = {id}"
            ))
            .await
            .unwrap(),
        "2026-03-01"
    );
    // Not a date at all.
    problem::expect(
        app.post_json_as(
            &staff.token,
            CAMPAIGNS,
            &json!({"name": "x", "starts_on": "March", "ends_on": "2026-03-01"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_campaign_that_coupons_belong_to_is_not_deleted() {
    let app = spawn_app().await;
    let staff = marketer(&app).await;
    let id = campaign(
        &app,
        &staff.token,
        json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}),
    )
    .await;
    let made = coupon(
        &app,
        &staff.token,
        json!({"code": "SPRING", "kind": "fixed", "value": "5", "campaign_id": id}),
    )
    .await;

    let url = format!("{CAMPAIGNS}/{id}");
    problem::expect(
        app.delete_as(&staff.token, &url).await,
        409,
        "campaign_in_use",
    )
    .await;
    assert_eq!(app.get_as(&staff.token, &url).await.status(), 200);

    // Once the coupon leaves the campaign, it can go.
    let response = app
        .patch_json_as(
            &staff.token,
            &format!("{}/{}", super::COUPONS, made["id"]),
            &json!({"campaign_id": null}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.delete_as(&staff.token, &url).await.status(), 204);
}

#[tokio::test]
async fn only_staff_with_marketing_manage_handle_campaigns() {
    let app = spawn_app().await;
    let customer = app.new_user("customer").await;
    let front_desk = app.new_user_with_role("desk", "front_desk").await;
    let body = json!({"name": "Spring", "starts_on": "2026-03-01", "ends_on": "2026-03-31"});
    problem::expect(app.post_json(CAMPAIGNS, &body).await, 401, "unauthorized").await;
    for token in [&customer.token, &front_desk.token] {
        problem::expect(
            app.post_json_as(token, CAMPAIGNS, &body).await,
            403,
            "forbidden",
        )
        .await;
        problem::expect(app.get_as(token, CAMPAIGNS).await, 403, "forbidden").await;
    }
    assert_eq!(app.db.count("marketing_campaigns").await, 0);
    let admin = app.admin_token().await;
    campaign(&app, &admin, body).await;
}
