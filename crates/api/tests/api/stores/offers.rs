//! What buyers see of a store: its products, each with the store's price and what is
//! available, browsed and sorted by the store's prices.

use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app};

use super::{STORES, product, seller_with_store};

const PRODUCTS: &str = "/api/v1/catalog/products";

async fn stock(app: &TestApp, token: &str, code: &str, product: i64, quantity: i64, price: &str) {
    let line = format!("{STORES}/{code}/inventory/{product}");
    let response = app
        .post_json_as(
            token,
            &format!("{line}/receipts"),
            &json!({"quantity": quantity}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let response = app
        .put_json_as(token, &format!("{line}/price"), &json!({"price": price}))
        .await;
    assert_eq!(response.status(), 200);
}

fn skus(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_store_lists_what_it_stocks_at_its_own_prices() {
    let app = spawn_app().await;
    let lin = seller_with_store(&app, "lin", "lin-books").await;
    let wang = seller_with_store(&app, "wang", "wang-books").await;
    let a = product(&app, "A", "10.00").await;
    let b = product(&app, "B", "20.00").await;
    let c = product(&app, "C", "30.00").await;
    stock(&app, &lin.token, "lin-books", a, 5, "50.00").await;
    stock(&app, &lin.token, "lin-books", b, 2, "5.00").await;
    stock(&app, &wang.token, "wang-books", c, 1, "30.00").await;
    app.db
        .execute(&format!(
            "UPDATE store_inventory SET reserved = 2 WHERE product_id = {a}"
        ))
        .await;

    let page: Value = app
        .get(&format!("{PRODUCTS}?store=lin-books&sort=price"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        skus(&page),
        ["B", "A"],
        "cheapest first by the store's price"
    );
    assert_eq!(
        page["items"][1]["offer"],
        json!({"store": "lin-books", "price": {"amount": "50.00", "currency": "CNY"},
               "available": 3})
    );
    assert_eq!(page["items"][1]["list_price"]["amount"], "10.00");

    let pricey: Value = app
        .get(&format!("{PRODUCTS}?store=lin-books&min_price=40"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(skus(&pricey), ["A"], "price filters use the store's price");

    // Paging by the store's price.
    let first: Value = app
        .get(&format!("{PRODUCTS}?store=lin-books&sort=price&limit=1"))
        .await
        .json()
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = app
        .get(&format!(
            "{PRODUCTS}?store=lin-books&sort=price&limit=1&cursor={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((skus(&first), skus(&second)), (vec!["B"], vec!["A"]));

    // Unscoped lists carry no offer.
    let all: Value = app.get(PRODUCTS).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    assert!(all["items"][0].get("offer").is_none(), "{all}");
}

#[tokio::test]
async fn an_unknown_store_is_404_and_a_closed_one_offers_nothing() {
    let app = spawn_app().await;
    let lin = seller_with_store(&app, "lin", "lin-books").await;
    let a = product(&app, "A", "10.00").await;
    stock(&app, &lin.token, "lin-books", a, 5, "12.00").await;

    problem::expect(
        app.get(&format!("{PRODUCTS}?store=nowhere")).await,
        404,
        "not_found",
    )
    .await;
    app.post_json_as(&lin.token, &format!("{STORES}/lin-books/close"), &json!({}))
        .await;
    let page: Value = app
        .get(&format!("{PRODUCTS}?store=lin-books"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"], json!([]));
}

#[tokio::test]
async fn a_search_scoped_to_a_store_finds_what_it_stocks_with_its_offer() {
    let app = spawn_app().await;
    let lin = seller_with_store(&app, "lin", "lin-books").await;
    let wang = seller_with_store(&app, "wang", "wang-books").await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for (sku, name) in [("S-1", "撒哈拉的故事"), ("S-2", "撒哈拉沙漠摄影集")] {
        let response = app
            .post_json_as(
                &admin,
                PRODUCTS,
                &json!({"sku": sku, "name": name, "list_price": "20"}),
            )
            .await;
        let body: Value = response.json().await.unwrap();
        ids.push(body["id"].as_i64().unwrap());
    }
    stock(&app, &lin.token, "lin-books", ids[0], 4, "18.00").await;
    stock(&app, &wang.token, "wang-books", ids[1], 1, "99.00").await;

    let everywhere: Value = app
        .get("/api/v1/catalog/search?q=撒哈拉")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(everywhere["total"], 2);
    assert!(everywhere["items"][0]["product"].get("offer").is_none());

    let at_lin: Value = app
        .get("/api/v1/catalog/search?q=撒哈拉&store=lin-books")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(at_lin["total"], 1);
    assert_eq!(at_lin["items"][0]["product"]["sku"], "S-1");
    assert_eq!(
        at_lin["items"][0]["product"]["offer"],
        json!({"store": "lin-books", "price": {"amount": "18.00", "currency": "CNY"},
               "available": 4})
    );
    problem::expect(
        app.get("/api/v1/catalog/search?q=撒哈拉&store=nowhere")
            .await,
        404,
        "not_found",
    )
    .await;
}
