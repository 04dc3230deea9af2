use serde_json::Value;
use testkit::builders::SettingRow;
use testkit::{problem, spawn_app};

#[tokio::test]
async fn the_catalogue_is_listed_with_defaults() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let response = app.get_as(&admin, "/api/v1/backoffice/settings").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["next_cursor"], Value::Null);
    let items = body["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "currency",
            "orders.reservation_seconds",
            "studio.name",
            "studio.time_zone"
        ]
    );
    assert_eq!(items[1]["kind"], "seconds");
    assert_eq!(items[1]["value"], "900");
    assert_eq!(items[0]["value"], "CNY");
    assert_eq!(items[0]["kind"], "currency_code");
    assert_eq!(items[0]["is_default"], true);
    assert_eq!(items[0]["updated_at"], Value::Null);
}

#[tokio::test]
async fn a_change_is_stored_normalized_and_listed() {
    let app = spawn_app().await;
    let response = app.update_setting("currency", " eur ").await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["value"], "EUR");
    assert_eq!(changed["is_default"], false);
    assert!(changed["updated_at"].is_string(), "{changed}");

    let stored = app
        .db
        .query_text("SELECT setting_value FROM system_settings WHERE setting_name = 'currency'")
        .await;
    assert_eq!(stored.as_deref(), Some("EUR"));

    let fetched: Value = app.get_setting("currency").await.json().await.unwrap();
    assert_eq!(fetched, changed);
    let admin = app.admin_token().await;
    let listed: Value = app
        .get_as(&admin, "/api/v1/backoffice/settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0], changed);
}

#[tokio::test]
async fn chinese_text_is_kept_and_measured_in_characters() {
    let app = spawn_app().await;
    let name = "幸福".repeat(50);
    let response = app.update_setting("studio.name", &name).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["value"], name.as_str());

    let too_long = "幸".repeat(101);
    let body = problem::expect(
        app.update_setting("studio.name", &too_long).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["value"]);
}

#[tokio::test]
async fn resetting_restores_the_default_and_removes_the_row() {
    let app = spawn_app().await;
    assert_eq!(
        app.update_setting("studio.time_zone", "Europe/Berlin")
            .await
            .status(),
        200
    );

    let admin = app.admin_token().await;
    let response = app
        .delete_as(&admin, "/api/v1/backoffice/settings/studio.time_zone")
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["value"], "Asia/Shanghai");
    assert_eq!(body["is_default"], true);
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn setting_the_default_value_is_a_reset() {
    let app = spawn_app().await;
    assert_eq!(app.update_setting("currency", "USD").await.status(), 200);
    let body: Value = app
        .update_setting("currency", "cny")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["value"], "CNY");
    assert_eq!(body["is_default"], true);
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn a_second_change_replaces_the_first() {
    let app = spawn_app().await;
    assert_eq!(app.update_setting("currency", "USD").await.status(), 200);
    assert_eq!(app.update_setting("currency", "JPY").await.status(), 200);
    let rows = app
        .db
        .query_text("SELECT string_agg(setting_value, ',') FROM system_settings")
        .await;
    assert_eq!(rows.as_deref(), Some("JPY"));
}

#[tokio::test]
async fn an_unknown_setting_is_a_404_for_every_method() {
    let app = spawn_app().await;
    problem::expect(app.get_setting("colour").await, 404, "not_found").await;
    problem::expect(app.update_setting("colour", "red").await, 404, "not_found").await;
    let admin = app.admin_token().await;
    problem::expect(
        app.delete_as(&admin, "/api/v1/backoffice/settings/colour")
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.db.count("system_settings").await, 0);
}

#[tokio::test]
async fn stored_values_are_read_back_with_their_time() {
    let app = spawn_app().await;
    SettingRow::new("studio.time_zone", "Europe/Paris")
        .updated_at("2026-01-02T03:04:05Z")
        .insert(&app.db)
        .await;
    let body: Value = app
        .get_setting("studio.time_zone")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["value"], "Europe/Paris");
    assert_eq!(body["is_default"], false);
    assert_eq!(body["updated_at"], "2026-01-02T03:04:05Z");
}

#[tokio::test]
async fn the_database_refuses_malformed_setting_names() {
    let app = spawn_app().await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    let refused = conn
        .batch_execute(
            "INSERT INTO system_settings (setting_name, setting_value) VALUES ('Bad Name', 'x')",
        )
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("system_settings_setting_name_check"),
        "{refused}"
    );
}
