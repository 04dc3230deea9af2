//! The studio over HTTP: customers, employees and rooms.

mod customers;
mod rooms;
mod staff;

use serde_json::{Value, json};
use testkit::TestApp;

pub const CUSTOMERS: &str = "/api/v1/studio/customers";
pub const EMPLOYEES: &str = "/api/v1/studio/employees";
pub const ROOMS: &str = "/api/v1/studio/rooms";

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
