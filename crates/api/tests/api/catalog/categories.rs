//! Categories: unique names and slugs ignoring case, display order, deleted only when empty.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

const CATEGORIES: &str = "/api/v1/catalog/categories";

async fn create(app: &TestApp, body: Value) -> reqwest::Response {
    let admin = app.admin_token().await;
    app.post_json_as(&admin, CATEGORIES, &body).await
}

async fn created(app: &TestApp, body: Value) -> Value {
    let response = create(app, body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn names_in_order(app: &TestApp) -> Vec<String> {
    let listed: Value = app.get(CATEGORIES).await.json().await.unwrap();
    listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn categories_are_created_listed_and_read_without_login() {
    let app = spawn_app().await;
    let response = create(
        &app,
        json!({"name": "  Wedding Photos ", "description": "Albums."}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let wedding: Value = response.json().await.unwrap();
    assert_eq!(wedding["name"], "Wedding Photos");
    assert_eq!(wedding["slug"], "wedding-photos", "made from the name");
    assert_eq!(wedding["product_count"], 0);
    assert_eq!(location, format!("{CATEGORIES}/{}", wedding["id"]));

    let chinese = created(
        &app,
        json!({"name": "儿童摄影", "slug": "kids", "display_order": -1}),
    )
    .await;
    assert_eq!(chinese["name"], "儿童摄影");

    assert_eq!(names_in_order(&app).await, ["儿童摄影", "Wedding Photos"]);
    let fetched: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(fetched, wedding);
    problem::expect(
        app.get(&format!("{CATEGORIES}/999999")).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn names_and_slugs_are_unique_ignoring_case() {
    let app = spawn_app().await;
    created(&app, json!({"name": "Portraits", "slug": "portraits"})).await;
    problem::expect(
        create(&app, json!({"name": "PORTRAITS", "slug": "other"})).await,
        409,
        "category_name_taken",
    )
    .await;
    problem::expect(
        create(&app, json!({"name": "Faces", "slug": "portraits"})).await,
        409,
        "category_slug_taken",
    )
    .await;
    assert_eq!(app.db.count("categories").await, 1);
}

#[tokio::test]
async fn a_name_without_latin_letters_needs_a_slug_and_bad_input_names_the_fields() {
    let app = spawn_app().await;
    let body = problem::expect(
        create(&app, json!({"name": "婚纱摄影"})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["slug"]);
    let body = problem::expect(
        create(
            &app,
            json!({"name": " ", "slug": "Bad Slug", "description": "x".repeat(2001)}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["description", "name", "slug"]);
    assert_eq!(app.db.count("categories").await, 0);
}

#[tokio::test]
async fn a_category_is_renamed_and_described() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = created(&app, json!({"name": "Prints"})).await;
    let path = format!("{CATEGORIES}/{}", category["id"]);
    let response = app
        .send(
            app.request_as(&admin, Method::PATCH, &path)
                .json(&json!({"name": "Fine Art Prints", "description": "On cotton paper."})),
        )
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["name"], "Fine Art Prints");
    assert_eq!(changed["slug"], "prints", "the slug stays unless changed");
    assert_eq!(changed["description"], "On cotton paper.");
    assert!(changed["updated_at"].as_str() >= category["updated_at"].as_str());
    problem::expect(
        app.send(
            app.request_as(&admin, Method::PATCH, &format!("{CATEGORIES}/424242"))
                .json(&json!({"name": "Nothing"})),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn reordering_puts_the_listed_first_and_keeps_the_rest_in_order() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for name in ["A", "B", "C", "D"] {
        ids.push(
            created(&app, json!({"name": name, "slug": name.to_lowercase()})).await["id"].clone(),
        );
    }
    let reorder = format!("{CATEGORIES}/reorder");
    let response = app
        .post_json_as(&admin, &reorder, &json!({"ids": [ids[3], ids[1]]}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(names_in_order(&app).await, ["D", "B", "A", "C"]);

    let body = problem::expect(
        app.post_json_as(&admin, &reorder, &json!({"ids": [ids[0], 424242]}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["ids"]);
    problem::expect(
        app.post_json_as(&admin, &reorder, &json!({"ids": [ids[0], ids[0]]}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        names_in_order(&app).await,
        ["D", "B", "A", "C"],
        "nothing changed"
    );
}

#[tokio::test]
async fn a_category_is_deleted_only_when_empty() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let category = created(&app, json!({"name": "Frames"})).await;
    let path = format!("{CATEGORIES}/{}", category["id"]);
    let product: Value = app
        .post_json_as(
            &admin,
            "/api/v1/catalog/products",
            &json!({"sku": "FR-1", "name": "Oak frame", "list_price": "99.00",
                    "category_id": category["id"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let counted: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(counted["product_count"], 1);

    problem::expect(app.delete_as(&admin, &path).await, 409, "category_in_use").await;
    assert_eq!(app.db.count("categories").await, 1);

    let product_path = format!("/api/v1/catalog/products/{}", product["id"]);
    let response = app
        .send(
            app.request_as(&admin, Method::PATCH, &product_path)
                .json(&json!({"category_id": null})),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    problem::expect(app.get(&path).await, 404, "not_found").await;
}

#[tokio::test]
async fn the_database_itself_keeps_slugs_lower_case_and_names_unique() {
    let app = spawn_app().await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    for (sql, constraint) in [
        (
            "INSERT INTO categories (name, slug) VALUES ('X', 'Upper')",
            "categories_slug_check",
        ),
        (
            "INSERT INTO categories (name, slug) VALUES ('Same', 'a'), ('SAME', 'b')",
            "categories_name_key",
        ),
    ] {
        let refused = conn.batch_execute(sql).await.unwrap_err();
        assert!(refused.to_string().contains(constraint), "{refused}");
    }
}
