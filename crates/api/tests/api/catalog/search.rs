//! Search: Chinese without spaces, English word forms, fields, ranking, paging.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, problem, spawn_app, spawn_app_with};

const SEARCH: &str = "/api/v1/catalog/search";

async fn add(app: &TestApp, product: Value) -> Value {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(&admin, "/api/v1/catalog/products", &product)
        .await;
    assert_eq!(response.status(), 201, "{product}");
    response.json().await.unwrap()
}

fn book(sku: &str, title: &str, author: &str, intro: &str) -> Value {
    json!({"sku": sku, "kind": "book", "name": title, "list_price": "30",
           "attributes": {"author": author, "book_intro": intro}})
}

async fn search(app: &TestApp, query: &[(&str, &str)]) -> Value {
    let response = app
        .send(app.request(Method::GET, SEARCH).query(query))
        .await;
    assert_eq!(response.status(), 200, "{query:?}");
    response.json().await.unwrap()
}

fn names(results: &Value) -> Vec<String> {
    results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["product"]["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn library(app: &TestApp) {
    for product in [
        book("B1", "撒哈拉的故事", "三毛", "沙漠里的生活。"),
        book("B2", "梦里花落知多少", "三毛", "散文集。"),
        book("B3", "雨季不再来", "三毛", "早期作品。"),
        book("B4", "围城", "钱钟书", "城里的人想出去。"),
        json!({"sku": "G1", "name": "Photography Basics", "list_price": "88",
               "description": "Light, lenses and composition.", "tags": ["camera"]}),
        json!({"sku": "G2", "name": "Desert Prints", "list_price": "40",
               "description": "Large prints of the Sahara."}),
        json!({"sku": "G3", "name": "Travel Album", "list_price": "20",
               "description": "For photos of the desert and the sea."}),
    ] {
        add(app, product).await;
    }
}

#[tokio::test]
async fn chinese_is_found_without_spaces_by_author_title_and_two_characters() {
    let app = spawn_app().await;
    library(&app).await;

    let by_author = search(&app, &[("q", "三毛")]).await;
    assert_eq!(by_author["total"], 3);
    let mut found = names(&by_author);
    found.sort();
    assert_eq!(found, ["撒哈拉的故事", "梦里花落知多少", "雨季不再来"]);

    let by_title = search(&app, &[("q", "撒哈拉")]).await;
    assert_eq!(names(&by_title), ["撒哈拉的故事"]);
    assert_eq!(by_title["items"][0]["snippet"], "<mark>撒哈拉</mark>的故事");

    for (two, title) in [
        ("围城", "围城"),
        ("故事", "撒哈拉的故事"),
        ("花落", "梦里花落知多少"),
    ] {
        assert_eq!(names(&search(&app, &[("q", two)]).await), [title], "{two}");
    }
    // Every term must match: the author and a word of the title.
    assert_eq!(
        names(&search(&app, &[("q", "三毛 雨季")]).await),
        ["雨季不再来"]
    );
    assert_eq!(search(&app, &[("q", "三毛 围城")]).await["total"], 0);
}

#[tokio::test]
async fn english_finds_other_forms_of_a_word() {
    let app = spawn_app().await;
    library(&app).await;
    let results = search(&app, &[("q", "photographs")]).await;
    // `photos` is another word (photo), not a form of this one.
    assert_eq!(names(&results), ["Photography Basics"]);
    assert_eq!(
        results["items"][0]["snippet"],
        "<mark>Photograph</mark>y Basics"
    );
    assert_eq!(names(&search(&app, &[("q", "photo")]).await).len(), 2);
    assert_eq!(
        names(&search(&app, &[("q", "LENS")]).await),
        ["Photography Basics"]
    );
}

#[tokio::test]
async fn a_match_in_the_title_ranks_above_one_in_the_text() {
    let app = spawn_app().await;
    library(&app).await;
    let results = search(&app, &[("q", "desert")]).await;
    assert_eq!(results["total"], 2);
    assert_eq!(names(&results), ["Desert Prints", "Travel Album"]);
    let ranks: Vec<f64> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_f64().unwrap())
        .collect();
    assert!(ranks[0] > ranks[1], "{ranks:?}");
}

#[tokio::test]
async fn fields_limit_where_to_look() {
    let app = spawn_app().await;
    library(&app).await;
    assert_eq!(
        search(&app, &[("q", "撒哈拉"), ("fields", "author")]).await["total"],
        0
    );
    assert_eq!(
        names(&search(&app, &[("q", "撒哈拉"), ("fields", "author,title")]).await),
        ["撒哈拉的故事"]
    );
    assert_eq!(
        names(&search(&app, &[("q", "camera"), ("fields", "tags")]).await),
        ["Photography Basics"]
    );
    assert_eq!(
        names(&search(&app, &[("q", "沙漠"), ("fields", "content")]).await),
        ["撒哈拉的故事"]
    );
    assert_eq!(
        search(&app, &[("q", "沙漠"), ("fields", "title")]).await["total"],
        0
    );
}

#[tokio::test]
async fn results_are_paged_with_the_total_on_every_page() {
    let app = spawn_app().await;
    library(&app).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("q", "三毛".to_owned()), ("limit", "1".to_owned())];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let page: Value = app
            .send(app.request(Method::GET, SEARCH).query(&query))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(page["total"], 3, "{page}");
        assert_eq!(page["total_is_exact"], true, "{page}");
        seen.extend(names(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, ["撒哈拉的故事", "梦里花落知多少", "雨季不再来"]);
}

/// Pages of `q`, `limit` results each, until the last; the names and the pages.
async fn every_page(app: &TestApp, q: &str, limit: &str) -> (Vec<String>, Vec<Value>) {
    let (mut seen, mut pages) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("q", q.to_owned()), ("limit", limit.to_owned())];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let response = app
            .send(app.request(Method::GET, SEARCH).query(&query))
            .await;
        assert_eq!(response.status(), 200);
        let page: Value = response.json().await.unwrap();
        seen.extend(names(&page));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        pages.push(page);
        if cursor.is_none() {
            return (seen, pages);
        }
    }
}

#[tokio::test]
async fn beyond_the_candidate_limit_results_are_the_best_of_the_first_matches_and_the_total_a_lower_bound()
 {
    let app = spawn_app_with(|config| config.search_candidate_limit = 3).await;
    for i in 1..=5 {
        add(
            &app,
            json!({"sku": format!("T{i}"), "name": format!("Tea set {i}"), "list_price": "10"}),
        )
        .await;
    }
    add(&app, book("B1", "茶经", "陆羽", "")).await;

    // Five match, three are ranked: each shown once, over pages, with "at least 3" on each.
    let (seen, pages) = every_page(&app, "tea", "2").await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    for page in &pages {
        assert_eq!(page["total"], 3, "{page}");
        assert_eq!(page["total_is_exact"], false, "{page}");
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (3, 3), "{seen:?}");

    // Three a page: all on one.
    let first = search(&app, &[("q", "tea"), ("limit", "3")]).await;
    assert_eq!(first["next_cursor"], Value::Null, "{first}");

    // Up to the limit the total is exact.
    let narrow = search(&app, &[("q", "tea 4")]).await;
    assert_eq!(names(&narrow), ["Tea set 4"]);
    assert_eq!(
        (narrow["total"].clone(), narrow["total_is_exact"].clone()),
        (json!(1), json!(true))
    );
    let none = search(&app, &[("q", "coffee")]).await;
    assert_eq!(
        (none["total"].clone(), none["total_is_exact"].clone()),
        (json!(0), json!(true))
    );
}

#[tokio::test]
async fn the_index_follows_changes_and_archived_products_are_not_found() {
    let app = spawn_app().await;
    let product = add(&app, book("B9", "倾城之恋", "张爱玲", "")).await;
    assert_eq!(search(&app, &[("q", "倾城")]).await["total"], 1);
    let admin = app.admin_token().await;
    let path = format!("/api/v1/catalog/products/{}", product["id"]);
    app.send(
        app.request_as(&admin, Method::PATCH, &path)
            .json(&json!({"name": "红玫瑰与白玫瑰"})),
    )
    .await;
    assert_eq!(search(&app, &[("q", "倾城")]).await["total"], 0);
    assert_eq!(search(&app, &[("q", "玫瑰")]).await["total"], 1);
    app.send(
        app.request_as(&admin, Method::PATCH, &path)
            .json(&json!({"status": "archived"})),
    )
    .await;
    assert_eq!(search(&app, &[("q", "玫瑰")]).await["total"], 0);
}

#[tokio::test]
async fn a_query_without_words_or_with_an_unknown_field_is_a_400() {
    let app = spawn_app().await;
    for query in [
        vec![("q", "")],
        vec![("q", "!!! ...")],
        vec![("q", "三毛"), ("fields", "isbn")],
        vec![("fields", "title")],
    ] {
        problem::expect(
            app.send(app.request(Method::GET, SEARCH).query(&query))
                .await,
            400,
            "bad_request",
        )
        .await;
    }
}

/// A page that comes out empty (what followed the cursor was archived meanwhile) still says
/// how many match.
#[tokio::test]
async fn an_empty_page_after_a_cursor_still_has_the_total() {
    let app = spawn_app().await;
    library(&app).await;
    let first = search(&app, &[("q", "三毛"), ("limit", "2")]).await;
    assert_eq!(first["total"], 3);
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();

    let admin = app.admin_token().await;
    let shown: Vec<String> = names(&first);
    let rest = ["撒哈拉的故事", "梦里花落知多少", "雨季不再来"]
        .into_iter()
        .find(|name| !shown.iter().any(|s| s == name))
        .unwrap();
    let id = app
        .db
        .query_text(&format!("SELECT id FROM products WHERE name = '{rest}'"))
        .await
        .unwrap();
    let response = app
        .send(
            app.request_as(
                &admin,
                Method::PATCH,
                &format!("/api/v1/catalog/products/{id}"),
            )
            .json(&json!({"status": "archived"})),
        )
        .await;
    assert_eq!(response.status(), 200);

    let second = search(&app, &[("q", "三毛"), ("limit", "2"), ("cursor", &cursor)]).await;
    assert_eq!(second["items"], json!([]));
    assert_eq!(second["total"], 2);
    assert_eq!(second["total_is_exact"], true);
}
