//! Forgotten passwords: a token by email, then a new password with it.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::client_address;
use crate::extract::Json;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestResetRequest {
    #[schema(example = "xiaoming@example.com")]
    pub email: String,
}

/// Ask for a password reset.
///
/// If an account has this email, a message with a reset token is sent to it; the token works
/// once, for an hour, and replaces any earlier one. The answer is the same whether or not an
/// account has the email.
#[utoipa::path(
    tag = "identity",
    request_body = RequestResetRequest,
    security(()),
    responses(
        (status = 202, description = "If an account has this email, a token is on its way."),
        (status = 429, description = "`rate_limited`: too many requests from this address.",
            body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until requests are allowed again."))),
    ),
)]
#[post("/password-resets")]
pub async fn create_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    Json(body): Json<RequestResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = client_address(&req, state.trust_forwarded_for);
    state
        .identity
        .request_password_reset(&body.email, client.as_deref())
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

// No `Debug`: it holds a password.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmResetRequest {
    /// The token from the message.
    #[schema(example = "atr_Zx8aQ0pW3e5R7t9Y1u3I5o7P9a1S3d5F7g9H1j3K5l7")]
    pub token: String,
    /// At least 8 characters and at most 72 bytes.
    #[schema(
        example = "staple battery horse correct",
        min_length = 8,
        max_length = 72
    )]
    pub new_password: String,
}

/// Set a new password with a reset token.
///
/// Every session of the account ends.
#[utoipa::path(
    tag = "identity",
    request_body = ConfirmResetRequest,
    security(()),
    responses((status = 204, description = "The new password is set; log in with it.")),
)]
#[post("/password-resets/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    Json(body): Json<ConfirmResetRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .identity
        .reset_password(&body.token, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
