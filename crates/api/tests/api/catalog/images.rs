//! Product images: uploads checked by content and size, files served back at their URL,
//! exactly one primary image, order, and no file outliving its row.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::images::{Form, JPEG, PNG};
use testkit::{FakeS3, TestApp, problem, spawn_app, spawn_app_with};

const PRODUCTS: &str = "/api/v1/catalog/products";

async fn product(app: &TestApp, sku: &str) -> i64 {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            PRODUCTS,
            &json!({"sku": sku, "name": format!("Album {sku}"), "list_price": "99"}),
        )
        .await;
    assert_eq!(response.status(), 201, "creating {sku}");
    let body: Value = response.json().await.unwrap();
    body["id"].as_i64().unwrap()
}

async fn uploaded(app: &TestApp, product: i64, form: Form) -> Value {
    let admin = app.admin_token().await;
    let response = app.upload_image(&admin, product, form).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "uploading: {body}");
    body
}

async fn images(app: &TestApp, product: i64) -> Vec<Value> {
    let response = app.get(&format!("{PRODUCTS}/{product}/images")).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["items"].as_array().unwrap().clone()
}

fn ids(images: &[Value]) -> Vec<i64> {
    images.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

fn primaries(images: &[Value]) -> Vec<i64> {
    images
        .iter()
        .filter(|i| i["is_primary"] == true)
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

async fn image_rows(app: &TestApp) -> i64 {
    app.db.count("product_images").await
}

/// The file at an image's URL, checked to be served as an image for ever.
async fn served(app: &TestApp, url: &str, content_type: &str) -> Vec<u8> {
    let response = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {url}");
    assert_eq!(response.headers()["content-type"], content_type);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn uploads_are_served_back_as_sent_and_the_first_is_primary() {
    let app = spawn_app().await;
    let id = product(&app, "ALBUM-1").await;

    let admin = app.admin_token().await;
    let response = app
        .upload_image(
            &admin,
            id,
            Form::image("album.png", PNG).text("alt", "  The album, open "),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let png: Value = response.json().await.unwrap();
    assert_eq!(location, format!("{PRODUCTS}/{id}/images/{}", png["id"]));
    assert_eq!(png["product_id"], id);
    assert_eq!(png["content_type"], "image/png");
    assert_eq!(png["byte_size"], PNG.len());
    assert_eq!((&png["width"], &png["height"]), (&json!(3), &json!(2)));
    assert_eq!(png["alt"], "The album, open");
    assert_eq!(png["display_order"], 0);
    assert_eq!(png["is_primary"], true, "the first image is primary");
    let png_url = png["url"].as_str().unwrap();
    assert!(
        png_url.starts_with(&format!("/media/products/{id}/")) && png_url.ends_with(".png"),
        "{png_url}"
    );
    assert_eq!(served(&app, png_url, "image/png").await, PNG);

    // A JPEG declared as a PNG is a JPEG: the content decides.
    let jpeg = uploaded(
        &app,
        id,
        Form::new().file("file", "photo.png", Some("image/png"), JPEG),
    )
    .await;
    assert_eq!(jpeg["content_type"], "image/jpeg");
    assert_eq!((&jpeg["width"], &jpeg["height"]), (&json!(1), &json!(1)));
    assert_eq!(jpeg["is_primary"], false);
    assert_eq!(jpeg["display_order"], 1);
    assert_eq!(jpeg["alt"], "");
    let jpeg_url = jpeg["url"].as_str().unwrap();
    assert!(jpeg_url.ends_with(".jpg"), "{jpeg_url}");
    assert_eq!(served(&app, jpeg_url, "image/jpeg").await, JPEG);

    // Reading needs no login.
    assert_eq!(images(&app, id).await, vec![png.clone(), jpeg]);
    let one: Value = app.get(&location).await.json().await.unwrap();
    assert_eq!(one, png);
    assert_eq!(app.media_files().len(), 2, "{:?}", app.media_files());
    problem::expect(
        app.get("/media/products/1/nothing.png").await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let id = product(&app, "FRAME-1").await;
    let admin = app.admin_token().await;

    let text_as_png = Form::image("notes.png", b"These are my notes, not a picture.");
    let body = problem::expect(
        app.upload_image(&admin, id, text_as_png).await,
        415,
        "unsupported_image_type",
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("JPEG, PNG, WebP or GIF")
    );
    let svg = Form::new().file("file", "logo.svg", Some("image/svg+xml"), b"<svg/>");
    problem::expect(
        app.upload_image(&admin, id, svg).await,
        415,
        "unsupported_image_type",
    )
    .await;
    // A real PNG declared as text is refused too: the declared type must be an image's.
    let declared_text = Form::new().file("file", "a.png", Some("text/plain"), PNG);
    problem::expect(
        app.upload_image(&admin, id, declared_text).await,
        415,
        "unsupported_image_type",
    )
    .await;

    // Not a form at all.
    let path = format!("{PRODUCTS}/{id}/images");
    problem::expect(
        app.post_json_as(&admin, &path, &json!({"file": "x"})).await,
        415,
        "unsupported_media_type",
    )
    .await;
    // A form without its file, with an empty one, with a stranger field.
    let body = problem::expect(
        app.upload_image(&admin, id, Form::new().text("alt", "x"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["file"]);
    let body = problem::expect(
        app.upload_image(&admin, id, Form::image("empty.png", b""))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["file"]);
    let body = problem::expect(
        app.upload_image(&admin, id, Form::image("a.png", PNG).text("colour", "red"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["colour"]);
    let body = problem::expect(
        app.upload_image(
            &admin,
            id,
            Form::image("a.png", PNG).text("alt", &"字".repeat(301)),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["alt"]);

    assert_eq!(image_rows(&app).await, 0);
    assert!(app.media_files().is_empty(), "{:?}", app.media_files());
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_and_nothing_is_stored() {
    let app = spawn_app_with(|config| config.media_max_bytes = 1024).await;
    let id = product(&app, "PRINT-1").await;
    let admin = app.admin_token().await;

    let mut at_limit = PNG.to_vec();
    at_limit.resize(1024, 0);
    let mut over = at_limit.clone();
    over.push(0);
    let body = problem::expect(
        app.upload_image(&admin, id, Form::image("big.png", &over))
            .await,
        413,
        "image_too_large",
    )
    .await;
    assert_eq!(body["max_bytes"], 1024);
    // Far over: refused while reading the body.
    let mut huge = PNG.to_vec();
    huge.resize(200 * 1024, 0);
    let body = problem::expect(
        app.upload_image(&admin, id, Form::image("huge.png", &huge))
            .await,
        413,
        "image_too_large",
    )
    .await;
    assert_eq!(body["max_bytes"], 1024);
    assert_eq!(image_rows(&app).await, 0);
    assert!(app.media_files().is_empty(), "{:?}", app.media_files());

    let image = uploaded(&app, id, Form::image("fits.png", &at_limit)).await;
    assert_eq!(image["byte_size"], 1024);
    assert_eq!(app.media_files().len(), 1);
}

#[tokio::test]
async fn set_primary_moves_it_and_exactly_one_stays_primary_under_concurrency() {
    // Several workers and connections, so the calls below really overlap.
    let app = spawn_app_with(|config| {
        config.workers = Some(4);
        config.db_pool_size = 10;
    })
    .await;
    let id = product(&app, "SET-1").await;
    let mut uploaded_ids = Vec::new();
    for _ in 0..3 {
        let image = uploaded(&app, id, Form::image("a.png", PNG)).await;
        uploaded_ids.push(image["id"].as_i64().unwrap());
    }
    let admin = app.admin_token().await;
    let set_primary = |image: i64| {
        app.send(app.request_as(
            &admin,
            Method::POST,
            &format!("{PRODUCTS}/{id}/images/{image}/set-primary"),
        ))
    };

    let response = set_primary(uploaded_ids[2]).await;
    assert_eq!(response.status(), 200);
    let image: Value = response.json().await.unwrap();
    assert_eq!(image["is_primary"], true);
    assert_eq!(primaries(&images(&app, id).await), [uploaded_ids[2]]);
    // Again: nothing changes.
    assert_eq!(set_primary(uploaded_ids[2]).await.status(), 200);
    assert_eq!(primaries(&images(&app, id).await), [uploaded_ids[2]]);

    for round in 0..5 {
        let calls = (0..10).map(|n| set_primary(uploaded_ids[(n + round) % 3]));
        let statuses: Vec<u16> = futures::future::join_all(calls)
            .await
            .iter()
            .map(|r| r.status().as_u16())
            .collect();
        assert_eq!(statuses, [200; 10], "round {round}");
        assert_eq!(primaries(&images(&app, id).await).len(), 1);
    }
    let primary_rows = app
        .db
        .query_text("SELECT count(*)::text FROM product_images WHERE is_primary")
        .await;
    assert_eq!(primary_rows.as_deref(), Some("1"));

    problem::expect(set_primary(999_999).await, 404, "not_found").await;
}

#[tokio::test]
async fn images_are_reordered_in_one_step() {
    let app = spawn_app().await;
    let id = product(&app, "ORDER-1").await;
    let mut all = Vec::new();
    for _ in 0..3 {
        all.push(
            uploaded(&app, id, Form::image("a.png", PNG)).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let (a, b, c) = (all[0], all[1], all[2]);
    let admin = app.admin_token().await;
    let path = format!("{PRODUCTS}/{id}/images/reorder");

    let response = app
        .post_json_as(&admin, &path, &json!({"ids": [c, a]}))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let listed = body["items"].as_array().unwrap();
    assert_eq!(ids(listed), [c, a, b]);
    let orders: Vec<&Value> = listed.iter().map(|i| &i["display_order"]).collect();
    assert_eq!(orders, [&json!(0), &json!(1), &json!(2)]);
    assert_eq!(ids(&images(&app, id).await), [c, a, b]);
    assert_eq!(
        primaries(&images(&app, id).await),
        [a],
        "order is not primacy"
    );

    // An image of another product, or one named twice: nothing changes.
    let other = product(&app, "ORDER-2").await;
    let stranger = uploaded(&app, other, Form::image("a.png", PNG)).await["id"]
        .as_i64()
        .unwrap();
    for ids_sent in [json!([b, stranger]), json!([b, b])] {
        let body = problem::expect(
            app.post_json_as(&admin, &path, &json!({ "ids": ids_sent }))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem::fields(&body), ["ids"]);
    }
    assert_eq!(ids(&images(&app, id).await), [c, a, b]);
}

#[tokio::test]
async fn deleting_an_image_removes_its_file_and_the_next_becomes_primary() {
    let app = spawn_app().await;
    let id = product(&app, "DEL-1").await;
    let first = uploaded(&app, id, Form::image("a.png", PNG)).await;
    let second = uploaded(&app, id, Form::image("b.jpg", JPEG)).await;
    assert_eq!(app.media_files().len(), 2);
    let admin = app.admin_token().await;

    let path = format!("{PRODUCTS}/{id}/images/{}", first["id"]);
    assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    let left = images(&app, id).await;
    assert_eq!(ids(&left), [second["id"].as_i64().unwrap()]);
    assert_eq!(left[0]["is_primary"], true, "the next one is primary");
    let files = app.media_files();
    assert_eq!(files.len(), 1);
    assert!(
        second["url"].as_str().unwrap().ends_with(&files[0]),
        "{files:?}"
    );
    let gone = app
        .client
        .get(app.url(first["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
    problem::expect(app.delete_as(&admin, &path).await, 404, "not_found").await;

    // The last one: the product has no image, hence no primary.
    let path = format!("{PRODUCTS}/{id}/images/{}", second["id"]);
    assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    assert!(images(&app, id).await.is_empty());
    assert!(app.media_files().is_empty(), "{:?}", app.media_files());
}

#[tokio::test]
async fn deleting_a_product_removes_its_image_rows_and_files() {
    let app = spawn_app().await;
    let id = product(&app, "GONE-1").await;
    let kept = product(&app, "KEPT-1").await;
    uploaded(&app, id, Form::image("a.png", PNG)).await;
    uploaded(&app, id, Form::image("b.jpg", JPEG)).await;
    let survivor = uploaded(&app, kept, Form::image("c.png", PNG)).await;
    assert_eq!(app.media_files().len(), 3);

    let admin = app.admin_token().await;
    let response = app.delete_as(&admin, &format!("{PRODUCTS}/{id}")).await;
    assert_eq!(response.status(), 204);
    assert_eq!(image_rows(&app).await, 1);
    let files = app.media_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(survivor["url"].as_str().unwrap().ends_with(&files[0]));
    problem::expect(
        app.get(&format!("{PRODUCTS}/{id}/images")).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_alt_text_is_changed_alone() {
    let app = spawn_app().await;
    let id = product(&app, "ALT-1").await;
    let image = uploaded(&app, id, Form::image("a.png", PNG).text("alt", "old")).await;
    let admin = app.admin_token().await;
    let path = format!("{PRODUCTS}/{id}/images/{}", image["id"]);

    let response = app
        .patch_json_as(&admin, &path, &json!({"alt": " 相册，打开 "}))
        .await;
    assert_eq!(response.status(), 200);
    let changed: Value = response.json().await.unwrap();
    assert_eq!(changed["alt"], "相册，打开");
    assert_eq!(changed["url"], image["url"]);
    let body = problem::expect(
        app.patch_json_as(&admin, &path, &json!({"alt": "x".repeat(301)}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem::fields(&body), ["alt"]);
}

#[tokio::test]
async fn writes_need_catalog_write_and_refused_ones_store_nothing() {
    let app = spawn_app().await;
    let id = product(&app, "PERM-1").await;
    let customer = app.new_user("carol").await;
    let manager = app.new_user_with_role("mia", "manager").await;

    problem::expect(
        app.upload_image(&customer.token, id, Form::image("a.png", PNG))
            .await,
        403,
        "forbidden",
    )
    .await;
    let anonymous = Form::image("a.png", PNG)
        .attach(app.request(Method::POST, &format!("{PRODUCTS}/{id}/images")));
    problem::expect(app.send(anonymous).await, 401, "unauthorized").await;
    assert_eq!(image_rows(&app).await, 0);
    assert!(app.media_files().is_empty());

    let response = app
        .upload_image(&manager.token, id, Form::image("a.png", PNG))
        .await;
    assert_eq!(response.status(), 201);
    let image: Value = response.json().await.unwrap();
    let path = format!("{PRODUCTS}/{id}/images/{}", image["id"]);
    problem::expect(
        app.delete_as(&customer.token, &path).await,
        403,
        "forbidden",
    )
    .await;
    problem::expect(app.delete(&path).await, 401, "unauthorized").await;
    assert_eq!(image_rows(&app).await, 1);
}

#[tokio::test]
async fn an_unknown_product_or_image_is_404_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    problem::expect(
        app.upload_image(&admin, 999_999, Form::image("a.png", PNG))
            .await,
        404,
        "not_found",
    )
    .await;
    assert!(app.media_files().is_empty());
    problem::expect(
        app.get(&format!("{PRODUCTS}/999999/images")).await,
        404,
        "not_found",
    )
    .await;

    // An image is reached only through its own product.
    let id = product(&app, "ONE-1").await;
    let other = product(&app, "TWO-2").await;
    let image = uploaded(&app, id, Form::image("a.png", PNG)).await;
    let wrong = format!("{PRODUCTS}/{other}/images/{}", image["id"]);
    problem::expect(app.get(&wrong).await, 404, "not_found").await;
    problem::expect(
        app.patch_json_as(&admin, &wrong, &json!({"alt": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    problem::expect(app.delete_as(&admin, &wrong).await, 404, "not_found").await;
    problem::expect(
        app.patch_json_as(
            &admin,
            &format!("{PRODUCTS}/999999/images/1"),
            &json!({"alt": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(image_rows(&app).await, 1);
}

#[tokio::test]
async fn images_can_be_kept_in_an_s3_compatible_store() {
    let s3 = FakeS3::start();
    let endpoint = s3.endpoint.clone();
    let app = spawn_app_with(|config| {
        config.media_backend = api::config::MediaBackend::S3;
        config.media_s3_bucket = Some("atelier-media".to_owned());
        config.media_s3_endpoint = Some(endpoint);
        config.media_s3_region = "cn-north-1".to_owned();
        config.media_s3_access_key_id = Some("test-key".to_owned());
        config.media_s3_secret_access_key = Some("test-secret".to_owned());
    })
    .await;
    let id = product(&app, "S3-1").await;

    let image = uploaded(&app, id, Form::image("a.png", PNG)).await;
    let url = image["url"].as_str().unwrap();
    let prefix = format!("{}/atelier-media/", s3.endpoint);
    let key = url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{url}"));
    assert!(key.starts_with(&format!("products/{id}/")), "{key}");
    let object = s3.object(&format!("/atelier-media/{key}")).expect("stored");
    assert_eq!(object.bytes, PNG);
    assert_eq!(object.content_type.as_deref(), Some("image/png"));
    let put = &s3.requests()[0];
    assert_eq!(put.method, "PUT");
    assert!(
        put.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 Credential=test-key/")
                && a.contains("/cn-north-1/s3/aws4_request")),
        "{put:?}"
    );
    // Served by the store itself, byte for byte.
    let fetched = app.client.get(url).send().await.unwrap();
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), PNG);
    assert!(app.media_files().is_empty(), "nothing on the local disk");

    let admin = app.admin_token().await;
    let path = format!("{PRODUCTS}/{id}/images/{}", image["id"]);
    assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    assert!(s3.paths().is_empty(), "{:?}", s3.paths());
    assert_eq!(s3.requests().last().unwrap().method, "DELETE");

    // The store down: 503, and no row.
    s3.set_failing(true);
    let response = app
        .upload_image(&admin, id, Form::image("a.png", PNG))
        .await;
    problem::expect(response, 503, "service_unavailable").await;
    assert_eq!(image_rows(&app).await, 0);
}

#[tokio::test]
async fn uploads_at_once_get_one_primary_and_distinct_places() {
    let app = spawn_app_with(|config| {
        config.workers = Some(4);
        config.db_pool_size = 10;
    })
    .await;
    let id = product(&app, "RUSH-1").await;
    let admin = app.admin_token().await;
    let uploads = (0..8).map(|_| app.upload_image(&admin, id, Form::image("a.png", PNG)));
    let statuses: Vec<u16> = futures::future::join_all(uploads)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(statuses, [201; 8]);
    let listed = images(&app, id).await;
    assert_eq!(primaries(&listed).len(), 1);
    let orders: Vec<i64> = listed
        .iter()
        .map(|i| i["display_order"].as_i64().unwrap())
        .collect();
    assert_eq!(orders, (0..8).collect::<Vec<i64>>());
    assert_eq!(app.media_files().len(), 8);
}

#[tokio::test]
async fn a_file_whose_row_cannot_be_written_is_deleted_again() {
    let app = spawn_app().await;
    let id = product(&app, "FAIL-1").await;
    // The database refuses every new image row (after the file is stored).
    app.db
        .execute(
            "CREATE FUNCTION refuse_images() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'disk full, say'; END $$; \
             CREATE TRIGGER refuse_images BEFORE INSERT ON product_images \
             FOR EACH ROW EXECUTE FUNCTION refuse_images()",
        )
        .await;
    let admin = app.admin_token().await;
    let response = app
        .upload_image(&admin, id, Form::image("a.png", PNG))
        .await;
    problem::expect(response, 500, "internal_error").await;
    assert_eq!(image_rows(&app).await, 0);
    assert!(app.media_files().is_empty(), "{:?}", app.media_files());
}

/// The primary image URL of product `path` as the product, the product list and a search
/// show it, checked to be the same in all three.
async fn primary_everywhere(app: &TestApp, path: &str) -> Value {
    let product: Value = app.get(path).await.json().await.unwrap();
    let list: Value = app.get(PRODUCTS).await.json().await.unwrap();
    let found: Value = app
        .get("/api/v1/catalog/search?q=Album")
        .await
        .json()
        .await
        .unwrap();
    let urls = [
        product["primary_image_url"].clone(),
        list["items"][0]["primary_image_url"].clone(),
        found["items"][0]["product"]["primary_image_url"].clone(),
    ];
    assert!(urls.iter().all(|url| *url == urls[0]), "{urls:?}");
    urls[0].clone()
}

/// A product shows where its primary image is, wherever it is read (also from the cache):
/// after an upload, a change of primary, and the deletion of the last image.
#[tokio::test]
async fn products_show_their_primary_image_wherever_they_are_read() {
    let app = spawn_app().await;
    let id = product(&app, "PRIM-1").await;
    let one = format!("{PRODUCTS}/{id}");
    assert_eq!(primary_everywhere(&app, &one).await, Value::Null);

    let first = uploaded(&app, id, Form::image("a.png", PNG)).await;
    assert_eq!(primary_everywhere(&app, &one).await, first["url"]);
    let second = uploaded(&app, id, Form::image("b.jpg", JPEG)).await;
    assert_eq!(primary_everywhere(&app, &one).await, first["url"]);

    let admin = app.admin_token().await;
    let set = format!("{PRODUCTS}/{id}/images/{}/set-primary", second["id"]);
    assert_eq!(
        app.post_json_as(&admin, &set, &json!({})).await.status(),
        200
    );
    assert_eq!(primary_everywhere(&app, &one).await, second["url"]);

    for image in [&first, &second] {
        let path = format!("{PRODUCTS}/{id}/images/{}", image["id"]);
        assert_eq!(app.delete_as(&admin, &path).await.status(), 204);
    }
    assert_eq!(primary_everywhere(&app, &one).await, Value::Null);
}
