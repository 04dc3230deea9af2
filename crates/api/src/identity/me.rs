//! The caller's own account: profile, password, deletion.

use actix_web::{HttpResponse, delete, get, patch, put, web};
use app::identity::ProfileInput;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::users::UserDto;
use crate::auth::Caller;
use crate::extract::Json;
use crate::problem::ApiError;
use crate::state::AppState;

/// Show the caller's account.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's account.", body = UserDto)),
)]
#[get("/me")]
pub async fn get_me(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<UserDto>, ApiError> {
    Ok(web::Json(state.identity.me(&caller).await?.into()))
}

/// A change to a profile: a field left out stays as it is; `null` clears it.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileRequest {
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(example = "new@example.com")]
    pub email: Option<Option<String>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(example = "小明", max_length = 100)]
    pub display_name: Option<Option<String>>,
}

/// Change the caller's profile.
#[utoipa::path(
    tag = "identity",
    request_body = UpdateProfileRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account, changed.", body = UserDto),
        (status = 409, description = "`email_taken`: another account uses the email.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/me")]
pub async fn update_me(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<UpdateProfileRequest>,
) -> Result<web::Json<UserDto>, ApiError> {
    let user = state
        .identity
        .update_profile(
            &caller,
            ProfileInput {
                email: body.email,
                display_name: body.display_name,
            },
        )
        .await?;
    Ok(web::Json(user.into()))
}

// No `Debug`: it holds a password.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(example = "correct horse battery")]
    pub old_password: String,
    /// At least 8 characters and at most 72 bytes.
    #[schema(
        example = "staple battery horse correct",
        min_length = 8,
        max_length = 72
    )]
    pub new_password: String,
}

/// Change the caller's password.
///
/// Every other session of the account ends; this one stays. A wrong `old_password` counts as
/// a failed login.
#[utoipa::path(
    tag = "identity",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The new password is set."),
        (status = 429, description = "`rate_limited`: too many wrong passwords for this account.",
            body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until attempts are allowed again."))),
    ),
)]
#[put("/me/password")]
pub async fn update_password(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .identity
        .change_password(&caller, &body.old_password, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

// No `Debug`: it holds a password.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// The account's password, to confirm.
    #[schema(example = "correct horse battery")]
    pub password: String,
}

/// Delete the caller's account.
///
/// Every session ends and the account can no longer log in. What others must keep (orders,
/// payments) stays, anonymised: the username becomes `deleted-user-<id>` and the email, name
/// and addresses are removed. The last admin cannot be deleted, nor an account whose wallet
/// holds money (withdraw it first).
#[utoipa::path(
    tag = "identity",
    request_body = DeleteAccountRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The account is deleted."),
        (status = 409, description = "`last_admin`: the account is the last admin; \
            `wallet_not_empty`: the wallet holds money (its `balance` is in the problem).",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many wrong passwords for this account.",
            body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until attempts are allowed again."))),
    ),
)]
#[delete("/me")]
pub async fn delete_me(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<DeleteAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    state
        .identity
        .delete_account(&caller, &body.password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
