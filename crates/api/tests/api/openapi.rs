//! The OpenAPI document: committed copy in step with the code, served, and complete.

use std::path::Path;

use serde_json::Value;
use testkit::spawn_app;

fn generated() -> Value {
    serde_json::to_value(api::openapi::document()).unwrap()
}

#[test]
fn the_committed_document_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let current = api::openapi::to_pretty_json(&api::openapi::document()).unwrap();
    assert!(
        committed == current,
        "openapi/openapi.json differs from the code: run `cargo xtask openapi` and commit it"
    );
}

#[test]
fn every_operation_is_documented_by_the_conventions() {
    let doc = generated();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let mut operation_ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            let verb = id.split('_').next().unwrap_or_default();
            assert!(
                [
                    "list", "get", "create", "update", "delete", "reset", "set", "confirm",
                    "reorder", "close", "reopen", "cancel", "ship", "deliver", "complete",
                    "validate", "refresh"
                ]
                .contains(&verb),
                "{method} {path}: operationId {id:?} is not <verb>_<resource>"
            );
            operation_ids.push(id.to_owned());
            assert_eq!(
                operation["tags"].as_array().map(Vec::len),
                Some(1),
                "{method} {path}: one tag"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path}: no success"
            );
            assert!(responses.contains_key("500"), "{method} {path}: no 500");
            if path.starts_with("/api/") {
                assert!(responses.contains_key("503"), "{method} {path}: no 503");
                // Public on purpose (`security(())`) or not: every operation says which.
                let security = operation["security"].as_array();
                assert!(
                    security.is_some_and(|s| !s.is_empty()),
                    "{method} {path}: no `security` declared"
                );
                let needs_session = security
                    .into_iter()
                    .flatten()
                    .any(|requirement| requirement.get("bearer").is_some());
                if needs_session {
                    assert!(responses.contains_key("401"), "{method} {path}: no 401");
                }
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path}: no {status}"
                    );
                }
            }
            for (status, response) in responses {
                if status.starts_with(['4', '5']) && response.get("$ref").is_none() {
                    assert!(
                        response["content"]
                            .get("application/problem+json")
                            .is_some(),
                        "{method} {path} {status}: not a problem"
                    );
                }
            }
        }
    }
    let total = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), total, "operationIds are unique");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let documented_codes = &doc["components"]["schemas"]["ProblemCode"]["enum"];
    let codes: Vec<&str> = api::problem::ProblemCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(documented_codes, &serde_json::json!(codes));
}

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    let app = spawn_app().await;
    let response = app.get("/api-docs/openapi.json").await;
    assert_eq!(response.status(), 200);
    let served: Value = response.json().await.unwrap();
    assert_eq!(served, generated());
}

#[tokio::test]
async fn swagger_ui_is_served_under_docs() {
    let app = spawn_app().await;
    let redirect = app.get("/docs").await;
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/docs/");

    let page = app.get("/docs/").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text().await.unwrap().contains("swagger-ui"));

    let config = app.get("/docs/swagger-initializer.js").await;
    assert_eq!(config.status(), 200);
    assert!(
        config
            .text()
            .await
            .unwrap()
            .contains("/api-docs/openapi.json")
    );

    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(
        bundle.bytes().await.unwrap().len() > 100_000,
        "the vendored bundle"
    );
}

/// Each shared problem response shows an example of its own status and code (not the
/// `Problem` schema's 422 example).
#[test]
fn shared_problem_responses_show_their_own_examples() {
    let doc = generated();
    let responses = doc["components"]["responses"].as_object().unwrap();
    assert!(responses.len() >= 10, "{responses:?}");
    for (name, response) in responses {
        let example = &response["content"]["application/problem+json"]["example"];
        let code = example["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: {response}"));
        assert_eq!(
            example["type"],
            format!("urn:atelier:problem:{code}"),
            "{name}"
        );
        let expected = match name.as_str() {
            "BadRequest" => 400,
            "Unauthorized" => 401,
            "Forbidden" => 403,
            "NotFound" => 404,
            "Conflict" => 409,
            "PayloadTooLarge" => 413,
            "UnsupportedMediaType" => 415,
            "ValidationFailed" => 422,
            "InvalidIdempotencyKey" => 400,
            "IdempotencyKeyInUse" => 409,
            "IdempotencyKeyReused" => 422,
            "InternalError" => 500,
            "ServiceUnavailable" => 503,
            other => panic!("a shared response this test does not know: {other}"),
        };
        assert_eq!(example["status"], expected, "{name}");
    }
}
