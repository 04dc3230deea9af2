//! Listing a product in a store: a new SKU adds the product to the catalogue, a known one is
//! stocked as it is, at the store's own price; a second listing in one store is refused.

use serde_json::{Value, json};
use testkit::{problem, spawn_app};

use super::{STORES, seller_with_store};

fn listing(sku: &str, name: &str, price: &str, quantity: i64) -> Value {
    json!({
        "sku": sku,
        "kind": "book",
        "name": name,
        "attributes": {"author": "余华", "pages": 191},
        "tags": ["小说"],
        "price": price,
        "quantity": quantity,
    })
}

#[tokio::test]
async fn a_new_sku_becomes_a_product_and_a_known_one_is_stocked_at_the_stores_price() {
    let app = spawn_app().await;
    let first = seller_with_store(&app, "lister_a", "shop_a").await;
    let second = seller_with_store(&app, "lister_b", "shop_b").await;

    let response = app
        .post_json_as(
            &first.token,
            &format!("{STORES}/shop_a/listings"),
            &listing("9787506365437", "活着", "20.00", 12),
        )
        .await;
    assert_eq!(response.status(), 201);
    let listed: Value = response.json().await.unwrap();
    assert_eq!(listed["created"], true);
    assert_eq!(listed["product"]["kind"], "book");
    assert_eq!(listed["product"]["list_price"]["amount"], "20.00");
    assert_eq!(listed["item"]["on_hand"], 12);
    assert_eq!(listed["item"]["price"]["amount"], "20.00");
    let product_id = listed["product"]["id"].as_i64().unwrap();

    let response = app
        .post_json_as(
            &second.token,
            &format!("{STORES}/shop_b/listings"),
            &listing("9787506365437", "another name", "18.50", 0),
        )
        .await;
    assert_eq!(response.status(), 201);
    let listed: Value = response.json().await.unwrap();
    assert_eq!(listed["created"], false);
    assert_eq!(listed["product"]["id"], product_id);
    assert_eq!(
        listed["product"]["name"], "活着",
        "the catalogue's product, unchanged"
    );
    assert_eq!(listed["item"]["on_hand"], 0);
    assert_eq!(listed["item"]["price"]["amount"], "18.50");

    let again = app
        .post_json_as(
            &first.token,
            &format!("{STORES}/shop_a/listings"),
            &listing("9787506365437", "活着", "1.00", 5),
        )
        .await;
    problem::expect(again, 409, "already_listed").await;
    let line: Value = app
        .get_as(
            &first.token,
            &format!("{STORES}/shop_a/inventory/{product_id}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (line["on_hand"].clone(), line["price"]["amount"].clone()),
        (json!(12), json!("20.00"))
    );
    let movements: Value = app
        .get_as(&first.token, &format!("{STORES}/shop_a/stock-movements"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(movements["items"].as_array().unwrap().len(), 1);
    assert_eq!(movements["items"][0]["reason"], "receipt");
    assert_eq!(movements["items"][0]["note"], "listed");
}

#[tokio::test]
async fn listing_is_for_the_stores_owner_and_refused_input_adds_nothing() {
    let app = spawn_app().await;
    seller_with_store(&app, "lister_c", "shop_c").await;
    let other = seller_with_store(&app, "lister_d", "shop_d").await;
    let path = format!("{STORES}/shop_c/listings");

    let foreign = app
        .post_json_as(&other.token, &path, &listing("sku-1", "Book", "1.00", 1))
        .await;
    problem::expect(foreign, 403, "forbidden").await;
    let negative = app
        .post_json_as(
            &other.token,
            &format!("{STORES}/shop_d/listings"),
            &listing("sku-1", "Book", "1.00", -1),
        )
        .await;
    problem::expect(negative, 422, "validation_failed").await;
    let bad_book = app
        .post_json_as(
            &other.token,
            &format!("{STORES}/shop_d/listings"),
            &json!({"sku": "sku-1", "kind": "book", "name": "Book", "attributes": {"colour": "red"}, "price": "1.00", "quantity": 1}),
        )
        .await;
    problem::expect(bad_book, 422, "validation_failed").await;
    let missing = app
        .post_json_as(
            &other.token,
            &format!("{STORES}/nowhere/listings"),
            &listing("sku-1", "Book", "1.00", 1),
        )
        .await;
    problem::expect(missing, 404, "not_found").await;
    assert_eq!(app.db.count("products").await, 0);
    assert_eq!(app.db.count("store_inventory").await, 0);
}
