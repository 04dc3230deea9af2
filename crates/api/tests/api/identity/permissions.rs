//! The permission matrix: every operation of the native API, called as an anonymous caller
//! and as a person of every built-in role, must answer as its OpenAPI `security` declares:
//! 401 without a session where one is needed, 403 where the role lacks a listed permission,
//! neither where it holds them all. The operations are read from the served document, so a
//! new endpoint joins the matrix by being mounted.

use std::collections::{BTreeSet, HashMap};

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, spawn_app};

/// What an operation's `security` asks for: a session holding every permission of at least
/// one of the alternatives.
#[derive(Debug)]
enum Requirement {
    Public,
    Session(Vec<BTreeSet<String>>),
}

fn requirement(operation: &Value) -> Requirement {
    let alternatives = operation["security"].as_array().expect("security declared");
    let bearer: Vec<&Value> = alternatives
        .iter()
        .filter_map(|alternative| alternative.get("bearer"))
        .collect();
    if bearer.is_empty() || alternatives.iter().any(|a| a == &json!({})) {
        return Requirement::Public;
    }
    Requirement::Session(
        bearer
            .iter()
            .map(|permissions| {
                permissions
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect()
            })
            .collect(),
    )
}

/// The required query parameters of an operation, each with a made-up value.
fn required_query(operation: &Value) -> Vec<(String, String)> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| (p["name"].as_str().unwrap().to_owned(), "a".to_owned()))
        .collect()
}

/// A request for the operation with made-up path and required query parameters and an empty
/// JSON object as the body: enough to get past authorization, which comes first.
fn request(
    app: &TestApp,
    method: &Method,
    path: &str,
    query: &[(String, String)],
    token: Option<&str>,
) -> reqwest::RequestBuilder {
    let concrete: String = path
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "1"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut request = app.request(method.clone(), &concrete).query(query);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) {
        request = request.json(&json!({}));
    }
    request
}

/// A person of every built-in role, with their password and their role's permissions.
async fn people(app: &TestApp) -> Vec<(String, String, String, BTreeSet<String>)> {
    let admin = app.admin_token().await;
    let roles: Value = app
        .get_as(&admin, "/api/v1/identity/roles")
        .await
        .json()
        .await
        .unwrap();
    let mut people = Vec::new();
    for role in roles["items"].as_array().unwrap() {
        let name = role["name"].as_str().unwrap().to_owned();
        let permissions: BTreeSet<String> = role["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned())
            .collect();
        let (username, password) = if name == "admin" {
            (ADMIN_USERNAME.to_owned(), ADMIN_PASSWORD.to_owned())
        } else {
            let user = app.new_user_with_role(&format!("as-{name}"), &name).await;
            (user.username, user.password)
        };
        people.push((name, username, password, permissions));
    }
    assert_eq!(people.len(), 8, "every built-in role");
    people
}

#[tokio::test]
async fn every_operation_answers_every_role_as_it_declares() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api-docs/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let people = people(&app).await;
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut checked = 0;
    let mut failures = Vec::new();

    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            let requirement = requirement(operation);
            let query = required_query(operation);
            let label = format!("{method} {path}");

            let anonymous = app
                .send(request(&app, &method, path, &query, None))
                .await
                .status();
            match &requirement {
                Requirement::Session(_) if anonymous != 401 => {
                    failures.push(format!("{label} anonymous: {anonymous}, declared 401"));
                }
                Requirement::Public if anonymous == 401 || anonymous == 403 => {
                    failures.push(format!("{label} anonymous: {anonymous}, declared public"));
                }
                _ => {}
            }

            for (role, username, password, permissions) in &people {
                if !tokens.contains_key(role) {
                    tokens.insert(role.clone(), app.token_for(username, password).await);
                }
                let status = app
                    .send(request(&app, &method, path, &query, Some(&tokens[role])))
                    .await
                    .status();
                // A DELETE may have ended the session it was sent with (log out).
                if method == Method::DELETE {
                    tokens.remove(role);
                }
                let allowed = match &requirement {
                    Requirement::Public => true,
                    Requirement::Session(alternatives) => {
                        role == "admin"
                            || alternatives
                                .iter()
                                .any(|needed| needed.is_subset(permissions))
                    }
                };
                let as_declared = if allowed {
                    status != 401 && status != 403 && !status.is_server_error()
                } else {
                    status == 403
                };
                if !as_declared {
                    failures.push(format!(
                        "{label} as {role}: {status}, declared {}",
                        if allowed { "allowed" } else { "403" }
                    ));
                }
                // A list needs no input but its required query: whoever may call it gets it.
                if allowed && method == Method::GET && !path.contains('{') && !status.is_success() {
                    failures.push(format!("{label} as {role}: {status}, expected 2xx"));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 8 * 30,
        "only {checked} calls: is the document complete?"
    );
}
