//! `/search`: the catalogue's ranked search, Chinese included, in all stores or one.

use serde_json::{Value, json};
use testkit::spawn_app;

use super::{Bookstore, book};

fn ids(reply: &super::Reply) -> Vec<String> {
    reply.body["books"]
        .as_array()
        .unwrap_or_else(|| panic!("books in {}", reply.body))
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn library(bookstore: &Bookstore<'_>) {
    let mut three_body = book("5000001", "三体", 2_300);
    three_body["tags"] = json!(["科幻", "经典"]);
    let mut dark_forest = book("5000002", "三体II：黑暗森林", 3_200);
    dark_forest["tags"] = json!(["科幻"]);
    let mut fortress = book("5000003", "围城", 1_900);
    fortress["author"] = Value::from("钱锺书");
    fortress["tags"] = json!(["小说", "经典"]);
    fortress["book_intro"] = Value::from("婚姻是一座围城。");
    fortress["content"] = Value::from("第一章");
    let mut english = book("5000004", "The Three-Body Problem", 4_000);
    english["author"] = Value::from("Cixin Liu");
    english["translator"] = Value::from("Ken Liu");
    english["tags"] = json!(["science fiction", "科幻"]);
    english["book_intro"] = Value::from("Photographs of the stars go dark.");
    bookstore
        .store_with(
            "seller_q",
            "store_q",
            &[three_body.clone(), dark_forest, fortress],
            7,
        )
        .await;
    let other = bookstore.account("seller_r").await;
    bookstore.create_store(&other, "store_r").await.assert_ok();
    let mut cheaper = three_body;
    cheaper["price"] = Value::from(1_800);
    bookstore
        .add_book(&other, "store_r", &cheaper, 2)
        .await
        .assert_ok();
    bookstore
        .add_book(&other, "store_r", &english, 1)
        .await
        .assert_ok();
}

#[tokio::test]
async fn search_finds_chinese_and_english_books_ranked_with_their_total() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    library(&bookstore).await;

    let found = bookstore
        .search(&json!({"keyword": "三体", "page": 1, "page_size": 10}))
        .await;
    found.assert_ok();
    assert_eq!(
        ids(&found),
        ["5000001", "5000002"],
        "the title that is only the keyword first"
    );
    assert_eq!(found.body["total"], 2);
    assert_eq!(found.body["books"][0]["title"], "三体");
    assert_eq!(found.body["books"][0]["author"], "刘慈欣");
    assert_eq!(
        found.body["books"][0]["price"], 2_300,
        "the list price across stores"
    );

    let by_author = bookstore
        .search(&json!({"keyword": "钱锺书", "fields": ["author"]}))
        .await;
    assert_eq!(ids(&by_author), ["5000003"]);
    let by_tag = bookstore
        .search(&json!({"keyword": "经典", "fields": "tags"}))
        .await;
    assert_eq!(ids(&by_tag).len(), 2);
    let in_content = bookstore
        .search(&json!({"keyword": "围城", "fields": ["content"]}))
        .await;
    assert_eq!(ids(&in_content), ["5000003"], "found in the introduction");
    let stemmed = bookstore.search(&json!({"keyword": "photograph"})).await;
    assert_eq!(ids(&stemmed), ["5000004"]);
    // The title field does not hold the author.
    bookstore
        .search(&json!({"keyword": "钱锺书", "fields": ["title"]}))
        .await
        .assert(526, "no result");
}

#[tokio::test]
async fn search_in_one_store_shows_its_price_and_stock_and_pages_through_results() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    library(&bookstore).await;

    let in_store = bookstore
        .search(&json!({"keyword": "三体", "store_id": "store_r"}))
        .await;
    in_store.assert_ok();
    assert_eq!(ids(&in_store), ["5000001"]);
    assert_eq!(in_store.body["books"][0]["price"], 1_800);
    assert_eq!(in_store.body["books"][0]["stock_level"], 2);

    let first = bookstore
        .search(&json!({"keyword": "科幻", "page": 1, "page_size": 2}))
        .await;
    assert_eq!(first.body["total"], 3);
    assert_eq!(first.body["has_more"], true);
    let second = bookstore
        .search(&json!({"keyword": "科幻", "page": 2, "page_size": 2}))
        .await;
    assert_eq!(second.body["has_more"], false);
    let mut all = ids(&first);
    all.extend(ids(&second));
    all.sort();
    assert_eq!(all, ["5000001", "5000002", "5000004"], "every match once");
    bookstore
        .search(&json!({"keyword": "科幻", "page": 3, "page_size": 2}))
        .await
        .assert(526, "no result");

    bookstore
        .search(&json!({"keyword": "三体", "store_id": "store_nowhere"}))
        .await
        .assert(513, "non exist store id store_nowhere");
    bookstore
        .search(&json!({"keyword": "三体", "fields": ["title", "price"]}))
        .await
        .assert(
            525,
            "invalid search field price: use title, author, tags or content",
        );
    bookstore
        .search(&json!({"keyword": "没有这样的书"}))
        .await
        .assert(526, "no result");
}
