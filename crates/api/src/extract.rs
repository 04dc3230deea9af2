//! Request extractors that fail with problems, and the input policy they enforce.
//!
//! A JSON body goes through three gates, each with its own answer:
//! 1. transport: wrong or missing `Content-Type` is 415, a body over the limit is 413;
//! 2. syntax: text that is not JSON is 400 `malformed_json`;
//! 3. meaning: JSON that does not fit the request type (missing field, wrong type, unknown
//!    field) or breaks its `validator` rules is 422 `validation_failed`, naming every field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::problem::{ApiError, FieldError, ProblemCode};

/// A JSON request body, deserialized and validated.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> FromRequest for Json<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) =
                body.await
                    .map_err(|error| match error.as_error::<JsonPayloadError>() {
                        Some(payload_error) => from_payload_error(payload_error),
                        None => ApiError::bad_request(error.to_string()),
                    })?;
            let parsed: T = serde_path_to_error::deserialize(value).map_err(from_shape_error)?;
            parsed
                .validate()
                .map_err(|errors| ApiError::validation(field_errors(&errors)))?;
            Ok(Json(parsed))
        })
    }
}

fn from_payload_error(error: &JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::OverflowKnownLength { limit, .. }
        | JsonPayloadError::Overflow { limit } => ApiError::new(
            ProblemCode::PayloadTooLarge,
            format!("The body exceeds the limit of {limit} bytes."),
        ),
        JsonPayloadError::ContentType => ApiError::new(
            ProblemCode::UnsupportedMediaType,
            "The body must be JSON, sent with `Content-Type: application/json`.",
        ),
        JsonPayloadError::Deserialize(error) => ApiError::new(
            ProblemCode::MalformedJson,
            format!("The body is not valid JSON: {error}."),
        ),
        other => ApiError::bad_request(format!("The body could not be read: {other}.")),
    }
}

/// A JSON value that does not fit the request type, as a 422 naming the field.
fn from_shape_error(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = error.path().to_string();
    let message = error.inner().to_string();
    // serde reports a missing field at its parent's path, naming the field in the message.
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(missing) if path == "." => missing.to_owned(),
        Some(missing) => format!("{path}.{missing}"),
        None if path == "." => String::new(),
        None => path,
    };
    ApiError::invalid_field(field, message)
}

/// Flattens `validator`'s nested errors into dotted field paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(errors) => {
                out.extend(errors.iter().map(|error| {
                    FieldError {
                        field: path.clone(),
                        message: error
                            .message
                            .as_ref()
                            .map_or_else(|| describe(error), ToString::to_string),
                    }
                }));
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

/// Words for `validator`'s built-in rules when a field declares no message of its own.
fn describe(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(ToString::to_string);
    match error.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            (None, None) => "has the wrong length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            (None, None) => "is out of range".to_owned(),
        },
        "email" => "must be an email address".to_owned(),
        "url" => "must be a URL".to_owned(),
        "required" => "is required".to_owned(),
        code => format!("is invalid ({code})"),
    }
}

/// A path segment that does not parse (`/orders/abc` for a numeric id) names nothing that
/// exists: 404.
pub fn path_error(error: PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::not_found(format!("No such resource: {error}.")).into()
}

pub fn query_error(error: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::bad_request(format!("The query string is invalid: {error}.")).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    struct Line {
        #[validate(range(min = 1, max = 99))]
        quantity: u32,
    }

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Order {
        #[validate(length(min = 2, max = 5))]
        code: String,
        #[validate(nested)]
        lines: Vec<Line>,
    }

    fn shape_error(json: serde_json::Value) -> ApiError {
        serde_path_to_error::deserialize::<_, Order>(json)
            .map(|_| ())
            .map_err(from_shape_error)
            .unwrap_err()
    }

    #[test]
    fn nested_rule_violations_get_dotted_paths() {
        let order = Order {
            code: "x".into(),
            lines: vec![Line { quantity: 1 }, Line { quantity: 0 }],
        };
        let errors = field_errors(&order.validate().unwrap_err());
        assert_eq!(
            errors,
            vec![
                FieldError {
                    field: "code".into(),
                    message: "must be 2 to 5 characters long".into()
                },
                FieldError {
                    field: "lines[1].quantity".into(),
                    message: "must be between 1 and 99".into()
                },
            ]
        );
    }

    #[test]
    fn shape_errors_name_the_field() {
        let missing = shape_error(serde_json::json!({"lines": []}));
        assert_eq!(missing.code(), ProblemCode::ValidationFailed);
        assert!(format!("{missing}").contains("1 invalid field"));

        let debug = |e: &ApiError| format!("{e:?}");
        assert!(debug(&missing).contains(r#"field: "code""#), "{missing:?}");
        let nested = shape_error(serde_json::json!({"code": "ab", "lines": [{"quantity": "x"}]}));
        assert!(
            debug(&nested).contains(r#"field: "lines[0].quantity""#),
            "{nested:?}"
        );
        let nested_missing = shape_error(serde_json::json!({"code": "ab", "lines": [{}]}));
        assert!(
            debug(&nested_missing).contains(r#"field: "lines[0].quantity""#),
            "{nested_missing:?}"
        );
        let unknown = shape_error(serde_json::json!({"code": "ab", "lines": [], "colour": 1}));
        assert!(
            debug(&unknown).contains("unknown field `colour`"),
            "{unknown:?}"
        );
    }
}
