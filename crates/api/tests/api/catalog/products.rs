//! Products: kinds and their attributes, prices in the deployment's currency, archive rather
//! than delete, and browsing with filters, sorts and cursors.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

const PRODUCTS: &str = "/api/v1/catalog/products";

fn book() -> Value {
    json!({
        "sku": "9787530209622", "kind": "book", "name": "撒哈拉的故事",
        "description": "三毛的散文集。", "list_price": "29.9",
        "attributes": {"author": "三毛", "publisher": "北京十月文艺出版社", "pages": 268,
                       "isbn": "9787530209622", "translator": null},
        "tags": [" 散文", "旅行", "散文"]
    })
}

async fn create(app: &TestApp, body: &Value) -> reqwest::Response {
    let admin = app.admin_token().await;
    app.post_json_as(&admin, PRODUCTS, body).await
}

async fn created(app: &TestApp, body: &Value) -> Value {
    let response = create(app, body).await;
    assert_eq!(response.status(), 201, "creating {body}");
    response.json().await.unwrap()
}

async fn patch(app: &TestApp, id: &Value, body: &Value) -> reqwest::Response {
    let admin = app.admin_token().await;
    app.send(
        app.request_as(&admin, Method::PATCH, &format!("{PRODUCTS}/{id}"))
            .json(body),
    )
    .await
}

#[tokio::test]
async fn a_book_is_added_with_its_fields_and_read_without_login() {
    let app = spawn_app().await;
    let response = create(&app, &book()).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let product: Value = response.json().await.unwrap();
    assert_eq!(product["kind"], "book");
    assert_eq!(product["status"], "active");
    assert_eq!(
        product["list_price"],
        json!({"amount": "29.90", "currency": "CNY"})
    );
    assert_eq!(
        product["attributes"],
        json!({"author": "三毛", "publisher": "北京十月文艺出版社", "pages": 268,
               "isbn": "9787530209622"})
    );
    assert_eq!(product["tags"], json!(["散文", "旅行"]));
    assert_eq!(location, format!("{PRODUCTS}/{}", product["id"]));

    let fetched: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(fetched, product);
    let stored = app.db.query_text("SELECT list_price FROM products").await;
    assert_eq!(stored.as_deref(), Some("29.90"));
}

#[tokio::test]
async fn prices_are_in_the_deployments_currency() {
    let app = spawn_app().await;
    let product = created(&app, &book()).await;
    assert_eq!(app.update_setting("currency", "EUR").await.status(), 200);
    let fetched: Value = app
        .get(&format!("{PRODUCTS}/{}", product["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["list_price"]["currency"], "EUR");
    assert_eq!(fetched["list_price"]["amount"], "29.90");
}

#[tokio::test]
async fn bad_input_names_every_field_and_stores_nothing() {
    let app = spawn_app().await;
    let bad = json!({
        "sku": "has space", "kind": "book", "name": " ", "list_price": "-1.005",
        "attributes": {"author": 7, "pages": "many", "colour": "red"},
        "tags": ["ok", ""], "status": "sold"
    });
    let body = problem::expect(create(&app, &bad).await, 422, "validation_failed").await;
    assert_eq!(
        problem::fields(&body),
        [
            "attributes.author",
            "attributes.colour",
            "attributes.pages",
            "list_price",
            "name",
            "sku",
            "status",
            "tags"
        ]
    );
    let body = problem::expect(
        create(
            &app,
            &json!({"sku": "X", "name": "x", "list_price": "1", "kind": "car"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["kind"]);
    let body = problem::expect(
        create(
            &app,
            &json!({"sku": "X", "name": "x", "list_price": "1", "category_id": 999}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["category_id"]);
    let body = problem::expect(
        create(
            &app,
            &json!({"sku": "X", "name": "x", "list_price": "12345678901"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["list_price"]);
    assert_eq!(app.db.count("products").await, 0);
}

#[tokio::test]
async fn skus_are_unique() {
    let app = spawn_app().await;
    created(&app, &book()).await;
    let mut again = book();
    again["name"] = json!("Another name");
    problem::expect(create(&app, &again).await, 409, "sku_taken").await;
    // Kept as given: another case is another SKU.
    let mut lower = json!({"sku": "abc", "name": "a", "list_price": "1"});
    created(&app, &lower).await;
    lower["sku"] = json!("ABC");
    created(&app, &lower).await;
    assert_eq!(app.db.count("products").await, 3);
}

#[tokio::test]
async fn a_change_is_visible_on_the_next_read_and_replaces_what_it_names() {
    let app = spawn_app().await;
    let product = created(&app, &book()).await;
    let category: Value = app
        .post_json_as(
            &app.admin_token().await,
            "/api/v1/catalog/categories",
            &json!({"name": "Books"}),
        )
        .await
        .json()
        .await
        .unwrap();

    let response = patch(
        &app,
        &product["id"],
        &json!({"list_price": "32", "tags": ["游记"], "category_id": category["id"],
                "attributes": {"author": "三毛", "pages": 300}}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let read: Value = app
        .get(&format!("{PRODUCTS}/{}", product["id"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["list_price"]["amount"], "32.00");
    assert_eq!(read["tags"], json!(["游记"]));
    assert_eq!(read["category_id"], category["id"]);
    assert_eq!(read["attributes"], json!({"author": "三毛", "pages": 300}));
    assert_eq!(read["name"], "撒哈拉的故事", "left as it was");

    let body = problem::expect(
        patch(
            &app,
            &product["id"],
            &json!({"attributes": {"pages": -3}, "list_price": "0.001"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["attributes.pages", "list_price"]);
    problem::expect(
        patch(&app, &json!(424242), &json!({"name": "x"})).await,
        404,
        "not_found",
    )
    .await;
    problem::expect(
        patch(
            &app,
            &json!(424242),
            &json!({"attributes": {"author": "x"}}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_archived_product_is_left_out_of_the_default_list_but_stays_readable() {
    let app = spawn_app().await;
    let product = created(&app, &book()).await;
    let response = patch(&app, &product["id"], &json!({"status": "archived"})).await;
    assert_eq!(response.status(), 200);
    let listed: Value = app.get(PRODUCTS).await.json().await.unwrap();
    assert_eq!(listed["items"], json!([]));
    let archived: Value = app
        .get(&format!("{PRODUCTS}?status=archived"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(archived["items"][0]["id"], product["id"]);
    let read = app.get(&format!("{PRODUCTS}/{}", product["id"])).await;
    assert_eq!(read.status(), 200);
}

#[tokio::test]
async fn a_product_is_deleted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let product = created(&app, &book()).await;
    let path = format!("{PRODUCTS}/{}", product["id"]);
    assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    problem::expect(app.get(&path).await, 404, "not_found").await;
    problem::expect(app.delete_as(&admin, &path).await, 404, "not_found").await;
}

/// Every page of a browse, following the cursors; the names in order.
async fn browse_all(app: &TestApp, query: &[(&str, &str)]) -> Vec<String> {
    let mut names = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut params: Vec<(&str, String)> =
            query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        params.push(("limit", "2".to_owned()));
        if let Some(cursor) = &cursor {
            params.push(("cursor", cursor.clone()));
        }
        let response = app
            .send(app.request(Method::GET, PRODUCTS).query(&params))
            .await;
        assert_eq!(response.status(), 200, "{query:?}");
        let page: Value = response.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        names.extend(items.iter().map(|p| p["name"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let distinct: HashSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), names.len(), "no product twice: {names:?}");
    names
}

#[tokio::test]
async fn products_are_browsed_by_filter_in_every_order_page_by_page() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let frames: Value = app
        .post_json_as(
            &admin,
            "/api/v1/catalog/categories",
            &json!({"name": "Frames"}),
        )
        .await
        .json()
        .await
        .unwrap();
    for (sku, name, price, tags, in_frames) in [
        ("P1", "Oak frame", "50.00", vec!["wood"], true),
        ("P2", "Album", "120.00", vec!["paper"], false),
        ("P3", "Walnut frame", "80.00", vec!["wood"], true),
        ("P4", "Canvas", "80.00", vec!["print"], false),
        ("P5", "Birch frame", "35.50", vec!["wood"], true),
    ] {
        created(
            &app,
            &json!({"sku": sku, "name": name, "list_price": price, "tags": tags,
                    "category_id": if in_frames { frames["id"].clone() } else { Value::Null }}),
        )
        .await;
    }
    created(
        &app,
        &json!({"sku": "P6", "name": "Old album", "list_price": "10", "status": "archived"}),
    )
    .await;

    assert_eq!(
        browse_all(&app, &[]).await,
        [
            "Birch frame",
            "Canvas",
            "Walnut frame",
            "Album",
            "Oak frame"
        ],
        "newest first"
    );
    assert_eq!(
        browse_all(&app, &[("sort", "price")]).await,
        [
            "Birch frame",
            "Oak frame",
            "Walnut frame",
            "Canvas",
            "Album"
        ],
        "cheapest first; equal prices by id"
    );
    assert_eq!(
        browse_all(&app, &[("sort", "name")]).await,
        [
            "Album",
            "Birch frame",
            "Canvas",
            "Oak frame",
            "Walnut frame"
        ]
    );
    let frames_id = frames["id"].to_string();
    assert_eq!(
        browse_all(&app, &[("category_id", &frames_id), ("sort", "name")]).await,
        ["Birch frame", "Oak frame", "Walnut frame"]
    );
    assert_eq!(
        browse_all(
            &app,
            &[
                ("tag", "wood"),
                ("min_price", "40"),
                ("max_price", "80"),
                ("sort", "price")
            ]
        )
        .await,
        ["Oak frame", "Walnut frame"]
    );
    assert_eq!(
        browse_all(&app, &[("status", "all"), ("max_price", "20")]).await,
        ["Old album"]
    );

    // A cursor belongs to its order.
    let first: Value = app
        .send(
            app.request(Method::GET, PRODUCTS)
                .query(&[("limit", "1"), ("sort", "price")]),
        )
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    for bad in [
        vec![("cursor", cursor), ("sort", "name")],
        vec![("sort", "cheapest")],
        vec![("min_price", "ten")],
        vec![("status", "gone")],
        vec![("limit", "0")],
    ] {
        problem::expect(
            app.send(app.request(Method::GET, PRODUCTS).query(&bad))
                .await,
            400,
            "bad_request",
        )
        .await;
    }
}

#[tokio::test]
async fn the_database_itself_keeps_prices_statuses_and_attributes_in_shape() {
    let app = spawn_app().await;
    let mut conn = app.db.connect().await;
    use diesel_async::SimpleAsyncConnection;
    for (sql, constraint) in [
        (
            "INSERT INTO products (sku, name, list_price) VALUES ('A', 'a', -1)",
            "products_list_price_check",
        ),
        (
            "INSERT INTO products (sku, name, list_price, status) VALUES ('A', 'a', 1, 'sold')",
            "products_status_check",
        ),
        (
            "INSERT INTO products (sku, name, list_price, attributes) VALUES ('A', 'a', 1, '[]')",
            "products_attributes_check",
        ),
        (
            "INSERT INTO products (sku, name, list_price) VALUES ('A', 'a', 1), ('A', 'b', 1)",
            "products_sku_key",
        ),
    ] {
        let refused = conn.batch_execute(sql).await.unwrap_err();
        assert!(refused.to_string().contains(constraint), "{refused}");
    }
}
