//! The contract's transport: a JSON body in, a JSON body with `message` out, and the status
//! codes and message texts it defines.
//!
//! A refusal the contract names has its own constructor here, with the contract's exact text.
//! Anything else a use case refuses (a password too short, a dependency down) is answered as
//! the native API would answer it: its status, and its problem's detail as the message.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use app::catalog::CatalogError;
use app::finance::FinanceError;
use app::identity::IdentityError;
use app::ordering::OrderingError;
use app::stores::StoresError;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::problem::ApiError;
use crate::state::AppState;

/// What a call answers when it succeeds: the fields beside `"message": "ok"`.
pub type Outcome = Result<Map<String, Value>, Refusal>;

/// The largest request body taken (book pictures make `add_book` bodies large).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

impl Default for BodyLimit {
    fn default() -> Self {
        Self(32 * 1024 * 1024)
    }
}

/// A call that did not happen: nothing was changed.
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    /// A refusal with a status of HTTP's own (404, 405, 413 ...).
    pub fn status(code: u16, message: impl Into<String>) -> Self {
        Self::new(code, message)
    }

    fn new(code: u16, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: message.into(),
        }
    }

    /// 401: an unknown user, a wrong password, a token that is not the user's.
    pub fn authorization() -> Self {
        Self::new(401, "authorization fail.")
    }

    pub fn non_exist_user(id: &str) -> Self {
        Self::new(511, format!("non exist user id {id}"))
    }

    pub fn exist_user(id: &str) -> Self {
        Self::new(512, format!("exist user id {id}"))
    }

    pub fn non_exist_store(id: &str) -> Self {
        Self::new(513, format!("non exist store id {id}"))
    }

    pub fn exist_store(id: &str) -> Self {
        Self::new(514, format!("exist store id {id}"))
    }

    pub fn non_exist_book(id: &str) -> Self {
        Self::new(515, format!("non exist book id {id}"))
    }

    pub fn exist_book(id: &str) -> Self {
        Self::new(516, format!("exist book id {id}"))
    }

    pub fn stock_level_low(id: &str) -> Self {
        Self::new(517, format!("stock level low, book id {id}"))
    }

    pub fn invalid_order(id: &str) -> Self {
        Self::new(518, format!("invalid order id {id}"))
    }

    pub fn not_sufficient_funds(order_id: &str) -> Self {
        Self::new(519, format!("not sufficient funds, order id {order_id}"))
    }

    /// 519 for a withdrawal (`add_funds` below zero), which has no order.
    pub fn not_sufficient_funds_of_user(user_id: &str) -> Self {
        Self::new(519, format!("not sufficient funds, user id {user_id}"))
    }

    /// 520: shipping an order of another store, or one not paid; receiving one not shipped.
    pub fn not_shippable(id: &str, why: &str) -> Self {
        Self::new(520, format!("order id {id} {why}"))
    }

    pub fn already_shipped(id: &str) -> Self {
        Self::new(521, format!("order already shipped, order id {id}"))
    }

    pub fn already_received(id: &str) -> Self {
        Self::new(522, format!("order already received, order id {id}"))
    }

    pub fn not_cancellable(id: &str, status: &str) -> Self {
        Self::new(
            523,
            format!("order cannot be cancelled when {status}, order id {id}"),
        )
    }

    pub fn expired(id: &str) -> Self {
        Self::new(
            524,
            format!("order expired (auto-cancelled), order id {id}"),
        )
    }

    pub fn invalid_search_field(field: &str) -> Self {
        Self::new(
            525,
            format!("invalid search field {field}: use title, author, tags or content"),
        )
    }

    pub fn no_result() -> Self {
        Self::new(526, "no result")
    }

    /// A request the contract's clients never send: not JSON, or not of the call's shape.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        error.log();
        Self {
            status: actix_web::ResponseError::status_code(&error),
            message: error.message(),
        }
    }
}

/// The native answer of each use-case error the contract does not name.
macro_rules! answered_natively {
    ($($error:ty),+) => {
        $(impl From<$error> for Refusal {
            fn from(error: $error) -> Self {
                ApiError::from(error).into()
            }
        })+
    };
}

answered_natively!(
    IdentityError,
    StoresError,
    OrderingError,
    FinanceError,
    CatalogError
);

/// A store error in the contract's codes: an unknown store is 513, one the caller may not
/// manage is refused like a wrong token.
pub fn refused_store(error: StoresError, store_id: &str) -> Refusal {
    match error {
        StoresError::StoreNotFound => Refusal::non_exist_store(store_id),
        StoresError::NotManager | StoresError::MayNotOpen(_) => Refusal::authorization(),
        other => other.into(),
    }
}

/// 513 unless `store_id` names a store.
pub async fn known_store(state: &AppState, store_id: &str) -> Result<(), Refusal> {
    state
        .stores
        .store(store_id)
        .await
        .map(drop)
        .map_err(|error| refused_store(error, store_id))
}

/// The response: 200 with `"message": "ok"` and the outcome's fields, or the refusal's status
/// with its message. On the calls whose body the clients read whatever the status
/// (`/auth/login`, `/buyer/new_order`), `blank` names the field a refusal still carries, empty.
pub fn respond(outcome: Outcome, blank: Option<&str>) -> HttpResponse {
    match outcome {
        Ok(fields) => {
            let mut body = Map::new();
            body.insert("message".to_owned(), Value::from("ok"));
            body.extend(fields);
            HttpResponse::Ok().json(body)
        }
        Err(refusal) => {
            let mut body = Map::new();
            body.insert("message".to_owned(), Value::from(refusal.message));
            if let Some(field) = blank {
                body.insert(field.to_owned(), Value::from(""));
            }
            HttpResponse::build(refusal.status).json(body)
        }
    }
}

/// The request's body as `T`. The clients send JSON without always saying so, so the content
/// type is not checked.
pub async fn body<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<T, Refusal> {
    let BodyLimit(limit) = req
        .app_data::<web::Data<BodyLimit>>()
        .map_or_else(BodyLimit::default, |limit| *limit.get_ref());
    let bytes = match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            return Err(Refusal::bad_request(format!(
                "the body could not be read: {error}"
            )));
        }
        Err(_) => {
            return Err(Refusal::new(
                413,
                format!("the body is larger than {limit} bytes"),
            ));
        }
    };
    serde_json::from_slice(&bytes)
        .map_err(|error| Refusal::bad_request(format!("the body is not a valid request: {error}")))
}

/// A fields map from `(name, value)` pairs.
pub fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}
