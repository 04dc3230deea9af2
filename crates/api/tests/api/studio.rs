//! The studio over HTTP: customers, employees, rooms, packages and shoots.

mod customers;
mod packages;
mod reports;
mod rooms;
mod schedule;
mod shoots;
mod staff;

use serde_json::{Value, json};
use testkit::TestApp;

pub const CUSTOMERS: &str = "/api/v1/studio/customers";
pub const EMPLOYEES: &str = "/api/v1/studio/employees";
pub const ROOMS: &str = "/api/v1/studio/rooms";
pub const PACKAGES: &str = "/api/v1/studio/packages";
pub const SHOOTS: &str = "/api/v1/studio/shoots";

/// Opens the store `code`, owned by the admin.
pub async fn store(app: &TestApp, code: &str) {
    let admin = app.admin_token().await;
    let response = app
        .post_json_as(
            &admin,
            "/api/v1/stores",
            &json!({"code": code, "name": format!("Studio {code}")}),
        )
        .await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "opening {code}: {body}");
}

/// POSTs `body` to `path` as `token`, expecting 201; the body of the answer.
pub async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app.post_json_as(token, path, &body).await;
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "creating at {path} with {body}: {answer}");
    answer
}

/// GETs `path` as `token`, expecting 200; the body.
pub async fn fetched(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get_as(token, path).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "getting {path}: {body}");
    body
}

/// PATCHes `path` with `body` as `token`, expecting 200; the body of the answer.
pub async fn patched(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app.patch_json_as(token, path, &body).await;
    let status = response.status();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "changing {path} with {body}: {answer}");
    answer
}

/// The ids of a page's items.
pub fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

/// A catalogue product of `kind` (`goods`, `book`, `package`) at the list price `price`, made
/// by the admin; its id.
pub async fn product_of_kind(app: &TestApp, sku: &str, kind: &str, price: &str) -> i64 {
    let admin = app.admin_token().await;
    let body = created(
        app,
        &admin,
        "/api/v1/catalog/products",
        json!({"sku": sku, "kind": kind, "name": format!("Package {sku}"), "list_price": price}),
    )
    .await;
    body["id"].as_i64().unwrap()
}

/// What a package includes, as `PUT /packages/{sku}` takes it.
pub fn package_terms(
    shoot_minutes: i64,
    retouched_photos: i64,
    extra_photo_price: &str,
    deposit: &str,
) -> Value {
    json!({"shoot_minutes": shoot_minutes, "looks": 2, "retouched_photos": retouched_photos,
           "prints": 1, "albums": 1, "extra_photo_price": extra_photo_price,
           "deposit": deposit})
}
