//! `/seller/*`: create_store, add_book (pictures included), add_stock_level.

use base64::Engine as _;
use serde_json::Value;
use testkit::spawn_app;

use super::{Account, Bookstore, book};

/// A real 1×1 JPEG made `size` bytes long with comment segments: a picture of several MB.
fn large_jpeg(size: usize) -> Vec<u8> {
    let jpeg = testkit::images::JPEG;
    let mut out = jpeg[..2].to_vec();
    while out.len() + jpeg.len() < size {
        let chunk = (size - out.len() - jpeg.len()).clamp(4, 65_533 + 4) - 4;
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&u16::try_from(chunk + 2).unwrap().to_be_bytes());
        out.extend(std::iter::repeat_n(b'c', chunk));
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[tokio::test]
async fn create_store_refuses_a_taken_store_id_an_unknown_user_and_a_foreign_token() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let seller = bookstore.account("seller_1").await;
    bookstore.create_store(&seller, "store_1").await.assert_ok();
    bookstore
        .create_store(&seller, "store_1")
        .await
        .assert(514, "exist store id store_1");
    let unknown = Account {
        user_id: "seller_1_x".to_owned(),
        ..seller.clone()
    };
    bookstore
        .create_store(&unknown, "store_2")
        .await
        .assert(511, "non exist user id seller_1_x");
    let other = bookstore.account("seller_2").await;
    let borrowed = Account {
        token: other.token.clone(),
        ..seller.clone()
    };
    bookstore
        .create_store(&borrowed, "store_2")
        .await
        .assert(401, "authorization fail.");
    assert_eq!(
        bookstore
            .figure("SELECT string_agg(s.code || ':' || u.username, ',') FROM stores s JOIN users u ON u.id = s.owner_id")
            .await,
        "store_1:seller_1"
    );
}

#[tokio::test]
async fn a_book_is_one_product_stocked_by_each_store_at_its_own_price() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let three_body = book("1000067", "三体", 2_300);
    let first = bookstore
        .store_with("seller_a", "store_a", std::slice::from_ref(&three_body), 10)
        .await;
    let second = bookstore.account("seller_b").await;
    bookstore.create_store(&second, "store_b").await.assert_ok();
    let mut cheaper = three_body.clone();
    cheaper["price"] = Value::from(1_999);
    cheaper["title"] = Value::from("another description, not used");
    bookstore
        .add_book(&second, "store_b", &cheaper, 0)
        .await
        .assert_ok();

    assert_eq!(bookstore.stock("store_a", "1000067").await, "10/0 23.00");
    assert_eq!(bookstore.stock("store_b", "1000067").await, "0/0 19.99");
    // One product, described by the first store that listed it.
    let product: Value = serde_json::from_str(
        &bookstore
            .figure(
                "SELECT json_build_object('n', count(*), 'kind', max(kind), 'name', max(name), \
                     'attributes', max(attributes::text)::json, 'tags', max(tags::text))::text \
                     FROM products WHERE sku = '1000067'",
            )
            .await,
    )
    .unwrap();
    assert_eq!(product["n"], 1);
    assert_eq!(product["kind"], "book");
    assert_eq!(product["name"], "三体");
    assert_eq!(product["attributes"]["author"], "刘慈欣");
    assert_eq!(product["attributes"]["pages"], 302);
    assert_eq!(product["attributes"]["isbn"], "9787536692930");
    assert!(
        product["attributes"].get("translator").is_none(),
        "nulls are left out"
    );
    assert!(product["tags"].as_str().unwrap().contains("科幻"));

    bookstore
        .add_book(&first, "store_a", &three_body, 5)
        .await
        .assert(516, "exist book id 1000067");
    assert_eq!(
        bookstore.stock("store_a", "1000067").await,
        "10/0 23.00",
        "unchanged"
    );
    bookstore
        .add_book(&first, "store_x", &book("1000068", "球状闪电", 100), 1)
        .await
        .assert(513, "non exist store id store_x");
    let unknown = Account {
        user_id: "nobody_at_all".to_owned(),
        ..first.clone()
    };
    bookstore
        .add_book(&unknown, "store_a", &book("1000068", "球状闪电", 100), 1)
        .await
        .assert(511, "non exist user id nobody_at_all");
    // Another seller's store is not theirs to stock.
    bookstore
        .add_book(&second, "store_a", &book("1000068", "球状闪电", 100), 1)
        .await
        .assert(401, "authorization fail.");
    assert_eq!(
        bookstore
            .figure("SELECT count(*)::text FROM products WHERE sku = '1000068'")
            .await,
        "0"
    );
}

#[tokio::test]
async fn pictures_of_several_megabytes_go_to_the_media_store() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let seller = bookstore.account("seller_p").await;
    bookstore.create_store(&seller, "store_p").await.assert_ok();
    let big = large_jpeg(2_500_000);
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut pictured = book("2000001", "带图的书", 4_200);
    pictured["pictures"] = Value::from(vec![
        encode(&big),
        encode(&big),
        encode(testkit::images::PNG),
    ]);
    let body_size = serde_json::to_vec(&pictured).unwrap().len();
    assert!(
        body_size > 6_000_000,
        "the request is several MB: {body_size}"
    );

    bookstore
        .add_book(&seller, "store_p", &pictured, 3)
        .await
        .assert_ok();
    let images = bookstore
        .figure("SELECT string_agg(i.content_type || ':' || i.byte_size, ',' ORDER BY i.display_order, i.id) \
                 FROM product_images i JOIN products p ON p.id = i.product_id WHERE p.sku = '2000001'")
        .await;
    assert_eq!(
        images,
        format!(
            "image/jpeg:{0},image/jpeg:{0},image/png:{1}",
            big.len(),
            testkit::images::PNG.len()
        )
    );
    let stored = app.media_files();
    assert_eq!(stored.len(), 3, "{stored:?}");

    // A picture that is not base64 is refused before anything is written.
    let mut broken = book("2000002", "坏图", 100);
    broken["pictures"] = Value::from(vec!["%%% not base64"]);
    bookstore
        .add_book(&seller, "store_p", &broken, 1)
        .await
        .assert(400, "book_info.pictures[0] is not base64");
    let mut not_an_image = book("2000002", "坏图", 100);
    not_an_image["pictures"] = Value::from(vec![encode(b"plain text, not an image")]);
    let refused = bookstore
        .add_book(&seller, "store_p", &not_an_image, 1)
        .await;
    assert_eq!(refused.status, 415, "{}", refused.body);
    assert_eq!(
        bookstore
            .figure("SELECT count(*)::text FROM products WHERE sku = '2000002'")
            .await,
        "0"
    );
}

#[tokio::test]
async fn add_stock_level_adds_to_a_listed_book_of_the_callers_store() {
    let app = spawn_app().await;
    let bookstore = Bookstore::new(&app);
    let seller = bookstore
        .store_with("seller_s", "store_s", &[book("3000001", "活着", 2_000)], 0)
        .await;
    bookstore
        .add_stock_level(&seller, "store_s", "3000001", 25)
        .await
        .assert_ok();
    assert_eq!(bookstore.stock("store_s", "3000001").await, "25/0 20.00");
    bookstore
        .add_stock_level(&seller, "store_s", "3000001", -5)
        .await
        .assert_ok();
    assert_eq!(bookstore.stock("store_s", "3000001").await, "20/0 20.00");

    bookstore
        .add_stock_level(&seller, "store_x", "3000001", 1)
        .await
        .assert(513, "non exist store id store_x");
    bookstore
        .add_stock_level(&seller, "store_s", "3000001_x", 1)
        .await
        .assert(515, "non exist book id 3000001_x");
    // A book of the catalogue that this store does not list.
    let other = bookstore
        .store_with(
            "seller_t",
            "store_t",
            &[book("3000002", "许三观卖血记", 1_500)],
            1,
        )
        .await;
    bookstore
        .add_stock_level(&seller, "store_s", "3000002", 1)
        .await
        .assert(515, "non exist book id 3000002");
    let unknown = Account {
        user_id: "seller_s_x".to_owned(),
        ..seller.clone()
    };
    bookstore
        .add_stock_level(&unknown, "store_s", "3000001", 1)
        .await
        .assert(511, "non exist user id seller_s_x");
    bookstore
        .add_stock_level(&other, "store_s", "3000001", 1)
        .await
        .assert(401, "authorization fail.");
    assert_eq!(
        bookstore.stock("store_s", "3000001").await,
        "20/0 20.00",
        "unchanged"
    );
}
