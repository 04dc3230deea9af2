//! Answers for requests no route takes, and a problem body for error responses that actix (or a
//! library such as the Swagger UI) builds without one.

use actix_router::ResourceDef;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;

use crate::openapi;
use crate::problem::{self, ApiError, ProblemCode};

/// Which methods each documented path accepts, to tell 405 from 404, and which of them need a
/// session. It is read from the OpenAPI document, which lists every route the API serves and
/// what each requires.
pub struct RouteTable(Vec<(ResourceDef, Vec<(Method, bool)>)>);

impl RouteTable {
    pub fn from_document(doc: &OpenApi) -> Self {
        Self(
            doc.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let methods = openapi::operations(item)
                        .map(|(method, operation)| (method, openapi::requirements(operation).0))
                        .collect();
                    (ResourceDef::new(path.as_str()), methods)
                })
                .collect(),
        )
    }

    /// Whether an operation served at `method` `path` needs a session.
    pub fn needs_session(&self, method: &Method, path: &str) -> bool {
        self.0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter())
            .any(|(served, session)| served == method && *session)
    }

    /// The methods served at `path`; empty when nothing is.
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        let mut methods: Vec<Method> = self
            .0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .flat_map(|(_, methods)| methods.iter().map(|(method, _)| method.clone()))
            .collect();
        methods.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        methods.dedup();
        methods
    }
}

/// The default service: 405 with `Allow` when the path exists under another method, else 404.
pub async fn no_route(
    req: HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    let allowed = routes.allowed(req.path());
    if allowed.is_empty() {
        return Err(ApiError::not_found(format!(
            "No route matches {} {}.",
            req.method(),
            req.path()
        )));
    }
    let allow = allowed
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let error = ApiError::new(
        ProblemCode::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; allowed: {allow}.",
            req.method(),
            req.path()
        ),
    );
    Err(match HeaderValue::from_str(&allow) {
        Ok(value) => error.with_header(header::ALLOW, value),
        Err(_) => error,
    })
}

/// For `ErrorHandlers`: gives an error response without a problem body one, keeping its status.
/// A JSON body is an answer someone wrote (the bookstore contract's `{"message": ...}`), and is
/// kept as it is.
pub fn problem_for_bare_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let has_json_body = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            let value = value.as_bytes();
            value.starts_with(problem::CONTENT_TYPE.as_bytes())
                || value.starts_with(b"application/json")
        });
    if has_json_body {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let error = ApiError::new(
        ProblemCode::for_status(status),
        status.canonical_reason().unwrap_or("Error").to_owned() + ".",
    )
    .with_status(status);
    let mut response = error.error_response();
    // Keep what the original response said about itself, such as `Allow` or `Retry-After`.
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_table_tells_methods_by_path() {
        let doc = openapi::document();
        let routes = RouteTable::from_document(&doc);
        assert_eq!(routes.allowed("/healthz"), vec![Method::GET]);
        assert!(routes.allowed("/nowhere").is_empty());
        assert_eq!(
            routes.allowed("/api/v1/backoffice/settings/currency"),
            vec![Method::DELETE, Method::GET, Method::PUT]
        );
    }

    #[test]
    fn the_route_table_tells_which_operations_need_a_session() {
        let routes = RouteTable::from_document(&openapi::document());
        let sessions = "/api/v1/identity/sessions";
        assert!(!routes.needs_session(&Method::POST, sessions), "logging in");
        assert!(routes.needs_session(&Method::GET, sessions));
        assert!(routes.needs_session(&Method::DELETE, "/api/v1/identity/sessions/current"));
        assert!(!routes.needs_session(&Method::GET, "/api/v1/catalog/products/7"));
        assert!(routes.needs_session(&Method::PATCH, "/api/v1/catalog/products/7"));
        assert!(!routes.needs_session(&Method::GET, "/healthz"));
        assert!(!routes.needs_session(&Method::GET, "/nowhere"));
    }
}
