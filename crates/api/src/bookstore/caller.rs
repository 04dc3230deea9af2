//! Who calls: the contract names the user in the body (`user_id`) and proves it with the
//! session token of a login in the `token` header.

use actix_web::HttpRequest;
use app::identity::{Authenticated, IdentityError};

use super::reply::Refusal;
use crate::state::AppState;

/// What to answer when `user_id` names nobody: the calls that list 511 say so; the others
/// (payment, funds) refuse like any failed authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenUnknown {
    NonExistUser,
    Unauthorized,
}

/// The `token` header, when there is one.
pub fn token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("token")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

/// The caller, when `token` is a live session of `user_id`'s. Otherwise 511 if `user_id` names
/// no account (and `unknown` says so), else 401.
pub async fn caller(
    state: &AppState,
    req: &HttpRequest,
    user_id: &str,
    unknown: WhenUnknown,
) -> Result<Authenticated, Refusal> {
    if let Some(token) = token(req) {
        match state.identity.authenticate(token).await {
            // Usernames are unique ignoring case.
            Ok(caller)
                if caller.principal.username.as_str().to_lowercase() == user_id.to_lowercase() =>
            {
                return Ok(caller);
            }
            Ok(_) | Err(IdentityError::Unauthenticated) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if unknown == WhenUnknown::Unauthorized {
        return Err(Refusal::authorization());
    }
    match state.identity.user(user_id).await {
        Ok(_) => Err(Refusal::authorization()),
        Err(IdentityError::UserNotFound(_)) => Err(Refusal::non_exist_user(user_id)),
        Err(error) => Err(error.into()),
    }
}
