//! The catalogue read cache in Redis: reads are served from it, every write that affects them
//! is visible on the next read, and with Redis down reads still work.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::proxy::{socket_of, with_port};
use testkit::{TestApp, spawn_app, spawn_app_with};

const PRODUCTS: &str = "/api/v1/catalog/products";

async fn new_product(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            PRODUCTS,
            &json!({"sku": "B-1", "name": "撒哈拉的故事", "list_price": "29.90"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn read(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "reading {path}");
    response.json().await.unwrap()
}

fn cached_entries(app: &TestApp) -> usize {
    app.redis
        .keys()
        .iter()
        .filter(|key| key.contains(":cache:entry:catalog:"))
        .count()
}

#[tokio::test]
async fn a_price_change_is_visible_on_the_next_read() {
    let app = spawn_app().await;
    let product = new_product(&app).await;
    let admin = app.admin_token().await;

    // Warm the cache: the product, the list and the categories.
    for _ in 0..2 {
        assert_eq!(read(&app, &product).await["list_price"]["amount"], "29.90");
        assert_eq!(
            read(&app, PRODUCTS).await["items"][0]["list_price"]["amount"],
            "29.90"
        );
        read(&app, "/api/v1/catalog/categories").await;
    }
    assert_eq!(cached_entries(&app), 3, "{:?}", app.redis.keys());

    let response = app
        .send(
            app.request_as(&admin, Method::PATCH, &product)
                .json(&json!({"list_price": "35.00"})),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(read(&app, &product).await["list_price"]["amount"], "35.00");
    assert_eq!(
        read(&app, PRODUCTS).await["items"][0]["list_price"]["amount"],
        "35.00"
    );
}

#[tokio::test]
async fn reads_are_served_from_the_cache_until_a_write_invalidates_it() {
    let app = spawn_app().await;
    let product = new_product(&app).await;
    read(&app, &product).await;

    // A change behind the API's back is not seen while the entry lives...
    app.db
        .execute("UPDATE products SET name = 'changed behind the cache'")
        .await;
    assert_eq!(read(&app, &product).await["name"], "撒哈拉的故事");

    // ... and any catalogue write makes every entry out of date.
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            "/api/v1/catalog/categories",
            &json!({"name": "Travel"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        read(&app, &product).await["name"],
        "changed behind the cache"
    );
}

#[tokio::test]
async fn a_currency_change_is_visible_on_the_next_read() {
    let app = spawn_app().await;
    let product = new_product(&app).await;
    assert_eq!(read(&app, &product).await["list_price"]["currency"], "CNY");
    assert_eq!(app.update_setting("currency", "USD").await.status(), 200);
    assert_eq!(read(&app, &product).await["list_price"]["currency"], "USD");
    assert_eq!(
        read(&app, PRODUCTS).await["items"][0]["list_price"]["currency"],
        "USD"
    );
}

#[tokio::test]
async fn reads_work_with_redis_down_and_the_cache_resumes_after() {
    let proxy = testkit::TcpProxy::start(socket_of(&testkit::env::redis_url())).await;
    let port = proxy.port();
    let app = spawn_app_with(|config| config.redis_url = with_port(&config.redis_url, port)).await;
    let product = new_product(&app).await;
    read(&app, &product).await;

    proxy.cut().await;
    assert_eq!(read(&app, &product).await["name"], "撒哈拉的故事");
    assert_eq!(
        read(&app, PRODUCTS).await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    read(&app, "/api/v1/catalog/categories").await;
    let found = read(&app, "/api/v1/catalog/search?q=撒哈拉").await;
    assert_eq!(found["total"], 1);

    proxy.restore().await;
    app.db.execute("UPDATE products SET name = 'renamed'").await;
    let admin = app.admin_token().await;
    app.post_json_as(
        &admin,
        "/api/v1/catalog/categories",
        &json!({"name": "Travel"}),
    )
    .await;
    assert_eq!(read(&app, &product).await["name"], "renamed");
}

#[tokio::test]
async fn a_ttl_of_zero_turns_the_cache_off() {
    let app = spawn_app_with(|config| config.cache_ttl_secs = 0).await;
    let product = new_product(&app).await;
    read(&app, &product).await;
    read(&app, PRODUCTS).await;
    assert_eq!(cached_entries(&app), 0);
    app.db
        .execute("UPDATE products SET name = 'seen at once'")
        .await;
    assert_eq!(read(&app, &product).await["name"], "seen at once");
}

#[tokio::test]
async fn a_new_product_is_found_by_the_next_search() {
    let app = spawn_app().await;
    new_product(&app).await;
    let search = "/api/v1/catalog/search?q=撒哈拉";
    for _ in 0..2 {
        assert_eq!(read(&app, search).await["total"], 1);
    }
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            PRODUCTS,
            &json!({"sku": "B-2", "name": "撒哈拉沙漠", "list_price": "10"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(read(&app, search).await["total"], 2);
}
