//! Errors, as RFC 9457 problem details.
//!
//! Policy: every error response, including those actix would produce on its own (unknown route,
//! wrong method, bad JSON, wrong content type, oversized body), is `application/problem+json`
//! with a stable machine-readable `code` and the request id. Handlers return
//! `Result<_, ApiError>`; each context's use-case errors convert into [`ApiError`] in that
//! context's API module, so the mapping from domain failure to status lives in one place per
//! context. A 5xx logs its cause (inside the request's span, so with its request id) and shows
//! the client nothing of it.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_id;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Declares the codes in one table: variant, wire name, status, title.
macro_rules! problem_codes {
    ($($variant:ident = $code:literal, $status:ident, $title:literal;)+) => {
        /// Stable, machine-readable error codes. Clients branch on these, never on `title` or `detail`.
        // `rename_all`, not a rename per variant: utoipa does not see a macro's literals.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemCode {
            $($variant,)+
        }

        impl ProblemCode {
            /// Every code; for each status, the generic code comes first.
            pub const ALL: &[ProblemCode] = &[$(Self::$variant),+];

            pub fn status(self) -> StatusCode {
                match self { $(Self::$variant => StatusCode::$status,)+ }
            }

            /// A short summary that is the same for every occurrence of the code.
            pub fn title(self) -> &'static str {
                match self { $(Self::$variant => $title,)+ }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
        }
    };
}

problem_codes! {
    BadRequest = "bad_request", BAD_REQUEST, "Bad request";
    MalformedJson = "malformed_json", BAD_REQUEST, "Malformed JSON";
    Unauthorized = "unauthorized", UNAUTHORIZED, "Authentication required";
    Forbidden = "forbidden", FORBIDDEN, "Not allowed";
    NotFound = "not_found", NOT_FOUND, "Not found";
    MethodNotAllowed = "method_not_allowed", METHOD_NOT_ALLOWED, "Method not allowed";
    Conflict = "conflict", CONFLICT, "Conflict with the current state";
    PayloadTooLarge = "payload_too_large", PAYLOAD_TOO_LARGE, "Payload too large";
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "Unsupported media type";
    ValidationFailed = "validation_failed", UNPROCESSABLE_ENTITY, "Validation failed";
    RateLimited = "rate_limited", TOO_MANY_REQUESTS, "Too many requests";
    InternalError = "internal_error", INTERNAL_SERVER_ERROR, "Internal error";
    ServiceUnavailable = "service_unavailable", SERVICE_UNAVAILABLE, "Service unavailable";
    InvalidCredentials = "invalid_credentials", UNAUTHORIZED, "Wrong username or password";
    AccountDisabled = "account_disabled", FORBIDDEN, "Account disabled";
    InvalidToken = "invalid_token", UNPROCESSABLE_ENTITY, "Invalid or expired token";
    UsernameTaken = "username_taken", CONFLICT, "Username taken";
    EmailTaken = "email_taken", CONFLICT, "Email taken";
    RoleNameTaken = "role_name_taken", CONFLICT, "Role name taken";
    RoleInUse = "role_in_use", CONFLICT, "Role in use";
    BuiltInRole = "built_in_role", CONFLICT, "Built-in role";
    LastAdmin = "last_admin", CONFLICT, "Last admin";
    AddressBookFull = "address_book_full", CONFLICT, "Address book full";
    UnsupportedImageType = "unsupported_image_type", UNSUPPORTED_MEDIA_TYPE, "Unsupported image type";
    ImageTooLarge = "image_too_large", PAYLOAD_TOO_LARGE, "Image too large";
    CategoryNameTaken = "category_name_taken", CONFLICT, "Category name taken";
    CategorySlugTaken = "category_slug_taken", CONFLICT, "Category slug taken";
    CategoryInUse = "category_in_use", CONFLICT, "Category in use";
    SkuTaken = "sku_taken", CONFLICT, "SKU taken";
    ProductInUse = "product_in_use", CONFLICT, "Product in use";
    StoreCodeTaken = "store_code_taken", CONFLICT, "Store code taken";
    StoreClosed = "store_closed", CONFLICT, "Store closed";
    AlreadyListed = "already_listed", CONFLICT, "Already listed";
    InsufficientStock = "insufficient_stock", CONFLICT, "Insufficient stock";
    ProductArchived = "product_archived", CONFLICT, "Product archived";
    NotStocked = "not_stocked", CONFLICT, "Not stocked";
    CartFull = "cart_full", CONFLICT, "Cart full";
    IllegalTransition = "illegal_transition", CONFLICT, "Not possible in the order's status";
    OrderNotPayable = "order_not_payable", CONFLICT, "Order not payable";
    NotShipped = "not_shipped", CONFLICT, "Not shipped";
    RefundNotCovered = "refund_not_covered", CONFLICT, "Refund not covered";
    PaymentDeclined = "payment_declined", PAYMENT_REQUIRED, "Payment declined";
    InvalidSignature = "invalid_signature", BAD_REQUEST, "Invalid signature";
    EventReplayed = "event_replayed", CONFLICT, "Event replayed";
    UnknownCheckoutSession = "unknown_checkout_session", UNPROCESSABLE_ENTITY, "Unknown checkout session";
    InsufficientFunds = "insufficient_funds", CONFLICT, "Insufficient funds";
    WalletNotEmpty = "wallet_not_empty", CONFLICT, "Wallet not empty";
    CampaignInUse = "campaign_in_use", CONFLICT, "Campaign in use";
    CouponCodeTaken = "coupon_code_taken", CONFLICT, "Coupon code taken";
    CouponInUse = "coupon_in_use", CONFLICT, "Coupon in use";
    CouponUnknown = "coupon_unknown", UNPROCESSABLE_ENTITY, "Unknown coupon";
    CouponInactive = "coupon_inactive", UNPROCESSABLE_ENTITY, "Coupon inactive";
    CouponNotStarted = "coupon_not_started", UNPROCESSABLE_ENTITY, "Coupon not valid yet";
    CouponExpired = "coupon_expired", UNPROCESSABLE_ENTITY, "Coupon expired";
    CouponCampaignInactive = "coupon_campaign_inactive", UNPROCESSABLE_ENTITY, "Coupon's campaign not running";
    CouponBelowMinimum = "coupon_below_minimum", UNPROCESSABLE_ENTITY, "Order below the coupon's minimum";
    CouponExhausted = "coupon_exhausted", UNPROCESSABLE_ENTITY, "Coupon used up";
    CouponCustomerLimitReached = "coupon_customer_limit_reached", UNPROCESSABLE_ENTITY, "Coupon's per-customer limit reached";
    CouponWrongStore = "coupon_wrong_store", UNPROCESSABLE_ENTITY, "Coupon of another store";
    CartEmpty = "cart_empty", UNPROCESSABLE_ENTITY, "Cart empty";
    OutsideWorkingHours = "outside_working_hours", UNPROCESSABLE_ENTITY, "Outside working hours";
    DuringTimeOff = "during_time_off", UNPROCESSABLE_ENTITY, "During time off";
    RoomClosed = "room_closed", UNPROCESSABLE_ENTITY, "Room closed";
    InvalidIdempotencyKey = "invalid_idempotency_key", BAD_REQUEST, "Invalid idempotency key";
    IdempotencyKeyInUse = "idempotency_key_in_use", CONFLICT, "Idempotency key in use";
    IdempotencyKeyReused = "idempotency_key_reused", UNPROCESSABLE_ENTITY, "Idempotency key reused";
    BookingConflict = "booking_conflict", CONFLICT, "Booked at that time";
    IllegalStageMove = "illegal_stage_move", CONFLICT, "Not possible at the shoot's stage";
    ShootNotStarted = "shoot_not_started", CONFLICT, "Shoot not started";
    SelectionMissing = "selection_missing", CONFLICT, "Selection missing";
    BalanceDue = "balance_due", CONFLICT, "Balance due";
    OrderSettled = "order_settled", CONFLICT, "Order settled";
    CustomerEmailTaken = "customer_email_taken", CONFLICT, "Customer email taken";
    CustomerPhoneTaken = "customer_phone_taken", CONFLICT, "Customer phone taken";
    CustomerHasShoots = "customer_has_shoots", CONFLICT, "Customer has shoots";
    AccountLinked = "account_linked", CONFLICT, "Account already linked";
    RoomNameTaken = "room_name_taken", CONFLICT, "Room name taken";
}

impl ProblemCode {
    /// The code for an error response that carries no code of its own (actix's built-ins).
    pub fn for_status(status: StatusCode) -> Self {
        Self::ALL
            .iter()
            .copied()
            .find(|code| code.status() == status)
            .unwrap_or(if status.is_server_error() {
                Self::InternalError
            } else {
                Self::BadRequest
            })
    }
}

/// An error's message as a problem's `detail`: a sentence, capitalised, with its full stop.
pub(crate) fn sentence(message: &impl fmt::Display) -> String {
    let message = message.to_string();
    let mut chars = message.chars();
    let capitalised: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{capitalised}.")
}

/// One invalid input field. `field` is a dotted path into the request (`items[2].quantity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The body of every error response (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:atelier:problem:validation_failed",
    "title": "Validation failed",
    "status": 422,
    "detail": "The request has 1 invalid field.",
    "code": "validation_failed",
    "errors": [{"field": "value", "message": "must be a three-letter ISO 4217 code such as CNY"}],
    "request_id": "0192f5e4-8b1c-7c1e-9a3e-3f1f2b6c9d10"
}))]
pub struct Problem {
    /// `urn:atelier:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ProblemCode,
    /// Per-field reasons, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Quote this when reporting a problem; it is also in the `X-Request-Id` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Members particular to a problem type (RFC 9457 §3.2), such as the short items of
    /// `insufficient_stock`.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// An error on its way to becoming a problem response.
pub struct ApiError {
    code: ProblemCode,
    /// The code's status unless a bare framework error had a more precise one (414, 431 ...).
    status: StatusCode,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Logged for 5xx, never shown.
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            status: code.status(),
            detail: Some(detail.into()),
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
            headers: Vec::new(),
            cause: None,
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::NotFound, detail)
    }

    /// A 401 that tells the client how to authenticate.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::Unauthorized, detail).with_header(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"atelier\""),
        )
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::BadRequest, detail)
    }

    /// A 422 naming each invalid field, in the order of their names.
    pub fn validation(mut errors: Vec<FieldError>) -> Self {
        errors.sort_by(|a, b| a.field.cmp(&b.field));
        let detail = match errors.len() {
            1 => "The request has 1 invalid field.".to_owned(),
            n => format!("The request has {n} invalid fields."),
        };
        Self {
            errors,
            ..Self::new(ProblemCode::ValidationFailed, detail)
        }
    }

    /// A 422 from a use case's field errors.
    pub fn invalid_fields(fields: domain::FieldErrors) -> Self {
        Self::validation(
            fields
                .into_iter()
                .map(|(field, reason)| FieldError {
                    field,
                    message: reason.to_string(),
                })
                .collect(),
        )
    }

    /// A single invalid field.
    pub fn invalid_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// A dependency is down; the client may retry.
    pub fn unavailable(service: &str, cause: anyhow::Error) -> Self {
        Self {
            cause: Some(cause),
            ..Self::new(
                ProblemCode::ServiceUnavailable,
                format!("{service} is unavailable; try again shortly."),
            )
        }
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("5"))
    }

    /// Something went wrong that the client cannot fix: the cause is logged, not shown.
    pub fn internal(cause: anyhow::Error) -> Self {
        Self {
            cause: Some(cause),
            ..Self::new(
                ProblemCode::InternalError,
                "An unexpected error occurred. Quote the request id when you report it.",
            )
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn with_extension(mut self, key: &str, value: serde_json::Value) -> Self {
        self.extensions.insert(key.to_owned(), value);
        self
    }

    pub fn code(&self) -> ProblemCode {
        self.code
    }

    /// The detail, followed by each invalid field: the problem as one line of text (what the
    /// bookstore contract's `message` says).
    pub fn message(&self) -> String {
        let mut message = self
            .detail
            .clone()
            .unwrap_or_else(|| self.code.title().to_owned());
        for error in &self.errors {
            message.push_str(&format!(" {}: {}.", error.field, error.message));
        }
        message
    }

    /// Logs a server error with its cause; client errors are not logged.
    pub fn log(&self) {
        if !self.status.is_server_error() {
            return;
        }
        match &self.cause {
            Some(cause) => tracing::error!(
                code = self.code.as_str(),
                error = format!("{cause:#}"),
                "request failed"
            ),
            None => tracing::error!(code = self.code.as_str(), "request failed"),
        }
    }
}

impl From<ports::InfraError> for ApiError {
    fn from(error: ports::InfraError) -> Self {
        match error {
            ports::InfraError::Unavailable { service, source } => {
                Self::unavailable(service, source)
            }
            ports::InfraError::Unknown(cause) => Self::internal(cause),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("code", &self.code)
            .field("detail", &self.detail)
            .field("errors", &self.errors)
            .field("cause", &self.cause)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code.as_str())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        self.log();
        let problem = Problem {
            type_uri: format!("urn:atelier:problem:{}", self.code.as_str()),
            title: self.code.title(),
            status: status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
            errors: self.errors.clone(),
            request_id: request_id::current(),
            extensions: self.extensions.clone(),
        };
        let mut response = HttpResponse::build(status);
        response.content_type(CONTENT_TYPE);
        for (name, value) in &self.headers {
            response.insert_header((name.clone(), value.clone()));
        }
        response.json(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_names_and_statuses_map_to_the_generic_code() {
        for &code in ProblemCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            let generic = ProblemCode::for_status(code.status());
            assert_eq!(generic.status(), code.status());
        }
        assert_eq!(
            ProblemCode::for_status(StatusCode::BAD_REQUEST),
            ProblemCode::BadRequest
        );
        assert_eq!(
            ProblemCode::for_status(StatusCode::URI_TOO_LONG),
            ProblemCode::BadRequest
        );
        assert_eq!(
            ProblemCode::for_status(StatusCode::BAD_GATEWAY),
            ProblemCode::InternalError
        );
    }
}
