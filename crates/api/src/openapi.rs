//! The OpenAPI document, generated from the routes themselves.
//!
//! Handlers carry `#[utoipa::path]`; [`crate::routes::configure`] registers them through
//! `utoipa-actix-web`, which collects their paths as it mounts them, so a route cannot be served
//! without being documented. [`document`] adds what is common to all operations:
//! the problem responses every endpoint can give (500 always; 503 where a dependency is needed;
//! 400/413/415/422 where there is a JSON body; 404 where there are path parameters), so each
//! handler declares only the answers particular to it.
//!
//! The committed copy (`openapi/openapi.json`) is written by `cargo xtask openapi` and checked
//! against this one by the test suite and by `cargo xtask test`.

use actix_web::App;
use actix_web::http::Method;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};
use utoipa::{Modify, OpenApi as _};
use utoipa_actix_web::AppExt;

use crate::{idempotency, problem};

/// Name of the security scheme for people's session tokens.
pub const BEARER: &str = "bearer";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Atelier API",
        description = "The back end of a photo studio (影楼) with an online shop and a marketplace of \
                       independent stores.\n\nErrors are RFC 9457 problem details \
                       (`application/problem+json`) with a stable `code`. Every response carries an \
                       `X-Request-Id`; quote it when reporting a problem.",
        license(name = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "operations", description = "Liveness, readiness"),
        (name = "identity", description = "Accounts, sessions, profiles, address books, password resets, roles and permissions"),
        (name = "catalog", description = "Categories and products; reading needs no login"),
        (name = "stores", description = "Stores, their stock and its history; reading a store needs no login"),
        (name = "ordering", description = "The cart of the signed-in person, checkout, orders and their life"),
        (name = "finance", description = "The signed-in person's wallet; the ledger of every money movement"),
        (name = "marketing", description = "Campaigns and coupons; checking a coupon code against the cart"),
        (name = "studio", description = "The studio: working hours, time off, free slots"),
        (name = "backoffice", description = "System settings, messages sent to people"),
    ),
    components(schemas(problem::Problem, problem::FieldError, problem::ProblemCode)),
    modifiers(&CommonResponses, &SecuritySchemes),
)]
struct BaseDoc;

/// The complete document of the native API.
pub fn document() -> OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(BaseDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    add_common_responses(&mut doc);
    doc
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn to_pretty_json(doc: &OpenApi) -> anyhow::Result<String> {
    Ok(doc.to_pretty_json()? + "\n")
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A session token from `POST /api/v1/identity/sessions`, sent as \
                         `Authorization: Bearer <token>`. An operation that lists permissions \
                         under this scheme needs a role that holds them.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The reusable problem responses, as components.
struct CommonResponses;

const PROBLEM_RESPONSES: &[(&str, &str)] = &[
    (
        "BadRequest",
        "The request is malformed: bad JSON, a bad query string.",
    ),
    (
        "Unauthorized",
        "No session token, or one that is unknown, expired or revoked.",
    ),
    (
        "Forbidden",
        "The caller's role lacks the permission the operation lists under `security`.",
    ),
    (
        "NotFound",
        "Nothing exists at this address, or the caller may not see it.",
    ),
    (
        "Conflict",
        "The request conflicts with the current state of the resource.",
    ),
    (
        "PayloadTooLarge",
        "The body is larger than the server accepts.",
    ),
    (
        "UnsupportedMediaType",
        "The body is not `application/json`.",
    ),
    (
        "ValidationFailed",
        "The body is well-formed but invalid; `errors` names each field.",
    ),
    (
        "InvalidIdempotencyKey",
        "The `Idempotency-Key` header is not 1 to 255 visible ASCII characters.",
    ),
    (
        "IdempotencyKeyInUse",
        "A request with this `Idempotency-Key` is still running; retry after `Retry-After` seconds.",
    ),
    (
        "IdempotencyKeyReused",
        "This `Idempotency-Key` was used with a different request (another body); use a new key.",
    ),
    (
        "InternalError",
        "An unexpected error; the body carries the request id and nothing else.",
    ),
    (
        "ServiceUnavailable",
        "A dependency (PostgreSQL, Redis) is down; retry after `Retry-After` seconds.",
    ),
];

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, description) in PROBLEM_RESPONSES {
            let content = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(example_of(name, description))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content(problem::CONTENT_TYPE, content)
                .build();
            components
                .responses
                .insert((*name).to_owned(), response.into());
        }
    }
}

/// An example body for the common response `name` (a [`problem::ProblemCode`] variant's name),
/// so each shows its own status and code rather than the schema's example.
fn example_of(name: &str, description: &str) -> Option<serde_json::Value> {
    let code = problem::ProblemCode::ALL
        .iter()
        .find(|code| format!("{code:?}") == name)?;
    Some(serde_json::json!({
        "type": format!("urn:atelier:problem:{}", code.as_str()),
        "title": code.title(),
        "status": code.status().as_u16(),
        "detail": description,
        "code": code.as_str(),
        "request_id": "0192f5e4-8b1c-7c1e-9a3e-3f1f2b6c9d10",
    }))
}

/// The (method, operation) pairs of a path.
pub(crate) fn operations(item: &PathItem) -> impl Iterator<Item = (Method, &Operation)> {
    [
        (Method::GET, &item.get),
        (Method::PUT, &item.put),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::OPTIONS, &item.options),
        (Method::HEAD, &item.head),
        (Method::PATCH, &item.patch),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|op| (method, op)))
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// Whether an operation needs a session (`bearer`) and whether it also needs permissions.
pub(crate) fn requirements(operation: &Operation) -> (bool, bool) {
    let value = serde_json::to_value(&operation.security).unwrap_or_default();
    let scopes: Vec<&serde_json::Value> = value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|requirement| requirement.get(BEARER))
        .collect();
    let permissions = scopes
        .iter()
        .any(|s| s.as_array().is_some_and(|a| !a.is_empty()));
    (!scopes.is_empty(), permissions)
}

fn add_common_responses(doc: &mut OpenApi) {
    for (path, item) in &mut doc.paths.paths {
        let needs_dependencies = path.starts_with("/api/");
        let has_path_params = path.contains('{');
        for operation in operations_mut(item) {
            let has_body = operation.request_body.is_some();
            let (signed_in, permissions) = requirements(operation);
            let mut add = |status: &str, name: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            };
            add("500", "InternalError");
            if signed_in {
                add("401", "Unauthorized");
            }
            if permissions {
                add("403", "Forbidden");
            }
            if needs_dependencies {
                add("503", "ServiceUnavailable");
            }
            if has_path_params {
                add("404", "NotFound");
            }
            if has_body {
                add("400", "BadRequest");
                add("413", "PayloadTooLarge");
                add("415", "UnsupportedMediaType");
                add("422", "ValidationFailed");
            }
            if takes_idempotency_key(operation) {
                add_idempotency_responses(operation);
            }
        }
    }
}

/// The problems an operation that takes an `Idempotency-Key` may also answer.
const IDEMPOTENCY_PROBLEMS: &[(&str, &str)] = &[
    ("400", "InvalidIdempotencyKey"),
    ("409", "IdempotencyKeyInUse"),
    ("422", "IdempotencyKeyReused"),
];

fn takes_idempotency_key(operation: &Operation) -> bool {
    operation.parameters.iter().flatten().any(|parameter| {
        matches!(parameter, RefOr::T(p)
            if p.name == idempotency::HEADER && p.parameter_in == ParameterIn::Header)
    })
}

/// The description of a common problem response, by its name.
fn problem_description(name: &str) -> &'static str {
    PROBLEM_RESPONSES
        .iter()
        .find(|(known, _)| *known == name)
        .map_or("", |(_, description)| description)
}

/// `Idempotent-Replayed` on every success, and the idempotency problems beside what the
/// operation answers with the same status (each as one more example).
fn add_idempotency_responses(operation: &mut Operation) {
    for (status, response) in &mut operation.responses.responses {
        if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
            let header = HeaderBuilder::new()
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Boolean)))
                .description(Some("`true` when this is the stored response to an earlier request with the same `Idempotency-Key`."))
                .build();
            response
                .headers
                .insert(idempotency::REPLAYED_HEADER.to_owned(), header.into());
        }
    }
    for (status, name) in IDEMPOTENCY_PROBLEMS {
        let responses = &mut operation.responses.responses;
        let Some(existing) = responses.get_mut(*status) else {
            responses.insert(
                (*status).to_owned(),
                RefOr::Ref(Ref::from_response_name(*name)),
            );
            continue;
        };
        if let RefOr::Ref(reference) = existing {
            let shared = reference
                .ref_location
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            *existing = RefOr::T(problem_response(&shared));
        }
        if let RefOr::T(response) = existing {
            merge_problem(response, name);
        }
    }
}

/// A common problem response, inline, its example under the code's name.
fn problem_response(name: &str) -> Response {
    let mut response = ResponseBuilder::new()
        .description(problem_description(name))
        .build();
    add_example(&mut response, name);
    response
}

/// Adds the problem `name` (a [`problem::ProblemCode`] variant's name) to a response: its
/// meaning to the description, its example to the problem content.
fn merge_problem(response: &mut Response, name: &str) {
    if let Some(code) = add_example(response, name) {
        response.description = format!(
            "{} Or `{code}`: {}",
            response.description,
            problem_description(name)
        );
    }
}

/// Adds the example of the problem `name` to the response's problem content; returns its code.
fn add_example(response: &mut Response, name: &str) -> Option<String> {
    let description = problem_description(name);
    let example = example_of(name, description)?;
    let code = example["code"].as_str().unwrap_or(name).to_owned();
    let content = response
        .content
        .entry(problem::CONTENT_TYPE.to_owned())
        .or_insert_with(|| {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build()
                .into()
        });
    if let RefOr::T(content) = content {
        // One example of many: move a single one into the named list.
        if let Some(single) = content.example.take() {
            let single_code = single["code"].as_str().unwrap_or("example").to_owned();
            content.examples.insert(
                single_code,
                ExampleBuilder::new().value(Some(single)).build().into(),
            );
        }
        content.examples.insert(
            code.clone(),
            ExampleBuilder::new()
                .summary(description)
                .value(Some(example))
                .build()
                .into(),
        );
    }
    Some(code)
}

#[cfg(test)]
mod tests {
    use utoipa::IntoParams;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathsBuilder};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{OpenApiBuilder, ResponsesBuilder};

    use super::*;

    #[test]
    fn an_operation_taking_an_idempotency_key_documents_its_replays_and_problems() {
        let conflict = ResponseBuilder::new()
            .description("`insufficient_stock`.")
            .content(
                problem::CONTENT_TYPE,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .example(Some(serde_json::json!({"code": "insufficient_stock"})))
                    .build(),
            )
            .build();
        let operation = OperationBuilder::new()
            .parameters(Some(idempotency::IdempotencyKey::into_params(|| None)))
            .request_body(Some(RequestBodyBuilder::new().build()))
            .responses(
                ResponsesBuilder::new()
                    .response("201", ResponseBuilder::new().description("Made."))
                    .response("409", conflict),
            );
        let mut doc = OpenApiBuilder::new()
            .paths(
                PathsBuilder::new()
                    .path("/api/v1/things", PathItem::new(HttpMethod::Post, operation)),
            )
            .build();
        CommonResponses.modify(&mut doc);
        add_common_responses(&mut doc);

        let doc = serde_json::to_value(&doc).unwrap();
        let responses = &doc["paths"]["/api/v1/things"]["post"]["responses"];
        assert_eq!(
            responses["201"]["headers"]["Idempotent-Replayed"]["schema"]["type"],
            "boolean"
        );
        let examples = |status: &str| -> Vec<String> {
            let content = &responses[status]["content"][problem::CONTENT_TYPE];
            content["examples"]
                .as_object()
                .map(|e| e.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(
            examples("409"),
            ["idempotency_key_in_use", "insufficient_stock"]
        );
        assert!(
            responses["409"]["description"]
                .as_str()
                .unwrap()
                .starts_with("`insufficient_stock`. Or `idempotency_key_in_use`"),
            "{responses}"
        );
        assert_eq!(examples("400"), ["bad_request", "invalid_idempotency_key"]);
        assert_eq!(
            examples("422"),
            ["idempotency_key_reused", "validation_failed"]
        );
        assert_eq!(
            responses["503"]["$ref"],
            "#/components/responses/ServiceUnavailable"
        );
    }
}
