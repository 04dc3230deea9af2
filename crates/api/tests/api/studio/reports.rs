//! The manager's reports: shoots per stage, money taken on package orders, and each person's
//! shoots and hours, over whole local days.

use serde_json::{Value, json};
use testkit::problem;

use super::fetched;
use super::shoots::{Studio, id};

const REPORTS: &str = "/api/v1/studio/reports";

/// A day's report for the store `main`, around the studio's shoot day.
fn days(studio: &Studio, report: &str, extra: &str) -> String {
    let date = studio.day.date_naive();
    format!(
        "{REPORTS}/{report}?store=main&from={}&to={}{extra}",
        date - chrono::TimeDelta::days(3),
        date + chrono::TimeDelta::days(1),
    )
}

fn stage_count(report: &Value, stage: &str) -> i64 {
    report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage)
        .unwrap()["shoots"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_manager_sees_shoots_per_stage_package_revenue_and_each_persons_hours() {
    let studio = Studio::new().await;
    let wei = studio.employee("main", "Wei", "photographer", None).await;
    let mei = studio.employee("main", "Mei", "makeup_artist", None).await;
    let product = studio.package("PKG-GOLD").await;
    let sale = studio.sell(product, "lan", "1000.00").await;
    // The package's shoot: 120 minutes with Wei and Mei, taken to selecting.
    let shoot = studio
        .booked(json!({
            "customer_id": sale.customer, "store": "main", "starts_at": studio.at(600),
            "order": sale.number,
            "staff": [{"employee_id": wei}, {"employee_id": mei}],
        }))
        .await;
    let shoot = id(&shoot);
    // A cancelled shoot counts as cancelled, and for no one's hours.
    let other = studio.customer("Bo").await;
    let cancelled = id(&studio
        .booked(json!({
            "customer_id": other, "store": "main", "starts_at": studio.at(900),
            "duration_minutes": 90, "staff": [{"employee_id": wei}],
        }))
        .await);
    studio.moved(cancelled, "cancelled").await;
    studio.moved(shoot, "confirmed").await;
    // The balance: 4000.00 more on the package order.
    super::created(
        &studio.app,
        &sale.buyer.token,
        "/api/v1/wallet/top-ups",
        json!({"amount": "4000.00"}),
    )
    .await;
    studio.pay(&sale.buyer, &sale.number, None).await;
    let boss = &studio.manager.token;

    let stages = fetched(&studio.app, boss, &days(&studio, "shoots", "")).await;
    assert_eq!(stages["covered"]["store"], "main");
    assert_eq!(stage_count(&stages, "confirmed"), 1);
    assert_eq!(stage_count(&stages, "cancelled"), 1);
    assert_eq!(stage_count(&stages, "booked"), 0);
    assert_eq!(stages["total"], 2);
    assert_eq!(stages["stages"].as_array().unwrap().len(), 10);

    let revenue = fetched(
        &studio.app,
        boss,
        &days(&studio, "package-revenue", "&group=month"),
    )
    .await;
    assert_eq!(revenue["group"], "month");
    assert_eq!(revenue["total_net"]["amount"], "5000.00");
    let periods = revenue["periods"].as_array().unwrap();
    let orders: i64 = periods.iter().map(|p| p["orders"].as_i64().unwrap()).sum();
    assert!((1..=2).contains(&orders), "{revenue}");

    let staff = fetched(&studio.app, boss, &days(&studio, "staff", "")).await;
    let row = |employee: i64| {
        staff["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["employee_id"] == employee)
            .cloned()
            .unwrap()
    };
    assert_eq!(row(wei)["shoots"], 1);
    assert_eq!(row(wei)["hours"], "2.00");
    assert_eq!(row(mei)["shoots"], 1);
    assert_eq!(row(mei)["position"], "makeup_artist");

    // A period that holds none of it.
    let date = studio.day.date_naive() + chrono::TimeDelta::days(10);
    let empty = fetched(
        &studio.app,
        boss,
        &format!("{REPORTS}/staff?store=main&from={date}&to={date}"),
    )
    .await;
    assert!(
        empty["staff"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["shoots"] == 0 && r["hours"] == "0.00")
    );
}

#[tokio::test]
async fn reports_refuse_unknown_stores_backward_periods_and_the_front_desk() {
    let studio = Studio::new().await;
    let boss = &studio.manager.token;
    problem::expect(
        studio
            .app
            .get_as(boss, &format!("{REPORTS}/shoots?store=nowhere"))
            .await,
        404,
        "not_found",
    )
    .await;
    let body = problem::expect(
        studio
            .app
            .get_as(
                boss,
                &format!("{REPORTS}/staff?from=2026-03-02&to=2026-03-01"),
            )
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["to"]);
    let body = problem::expect(
        studio
            .app
            .get_as(boss, &format!("{REPORTS}/package-revenue?group=year"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["group"]);
    problem::expect(
        studio
            .app
            .get_as(&studio.desk.token, &format!("{REPORTS}/shoots"))
            .await,
        403,
        "forbidden",
    )
    .await;
    // Without a store or days: every store, this month, in the studio's time zone.
    let month = fetched(&studio.app, boss, &format!("{REPORTS}/shoots")).await;
    assert_eq!(month["covered"]["store"], Value::Null);
    assert_eq!(month["covered"]["time_zone"], "Asia/Shanghai");
}
