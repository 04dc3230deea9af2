//! From identity's use-case errors to problems: the one place that decides their statuses.

use actix_web::http::header::{self, HeaderValue};
use app::identity::IdentityError;
use domain::identity::role::RoleRuleViolation;

use crate::problem::{ApiError, ProblemCode};

impl From<IdentityError> for ApiError {
    fn from(error: IdentityError) -> Self {
        match error {
            IdentityError::Invalid(fields) => ApiError::invalid_fields(fields),
            IdentityError::Unauthenticated => ApiError::unauthorized(
                "The session token is unknown, expired or revoked; log in again.",
            ),
            IdentityError::InvalidCredentials => ApiError::new(
                ProblemCode::InvalidCredentials,
                "The username (or email) and password do not match an account.",
            ),
            IdentityError::AccountDisabled => ApiError::new(
                ProblemCode::AccountDisabled,
                "This account is disabled; staff can enable it again.",
            ),
            IdentityError::Forbidden(permission) => ApiError::new(
                ProblemCode::Forbidden,
                format!(
                    "This needs the permission `{}`, which your role does not have.",
                    permission.as_str()
                ),
            ),
            IdentityError::RateLimited { retry_after } => {
                let seconds = retry_after.num_seconds().max(1);
                ApiError::new(
                    ProblemCode::RateLimited,
                    format!("Too many failed attempts; try again in {seconds} seconds."),
                )
                .with_header(header::RETRY_AFTER, HeaderValue::from(seconds))
            }
            IdentityError::UsernameTaken => ApiError::new(
                ProblemCode::UsernameTaken,
                "An account with this username exists.",
            ),
            IdentityError::EmailTaken => ApiError::new(
                ProblemCode::EmailTaken,
                "Another account uses this email address.",
            ),
            IdentityError::InvalidResetToken => ApiError::new(
                ProblemCode::InvalidToken,
                "The reset token is unknown, used or expired; request a new one.",
            ),
            IdentityError::UserNotFound(name) => {
                ApiError::not_found(format!("There is no account {name:?}."))
            }
            IdentityError::RoleNotFound(name) => {
                ApiError::not_found(format!("There is no role {name:?}."))
            }
            IdentityError::RoleNameTaken(name) => ApiError::new(
                ProblemCode::RoleNameTaken,
                format!("A role called {name:?} exists."),
            ),
            IdentityError::RoleInUse(name) => ApiError::new(
                ProblemCode::RoleInUse,
                format!("Accounts still have the role {name:?}; give them another role first."),
            ),
            IdentityError::RoleRule(rule) => ApiError::new(
                ProblemCode::BuiltInRole,
                match rule {
                    RoleRuleViolation::AdminPermissionsFixed => {
                        "The admin role always has every permission; its permissions cannot be changed."
                    }
                    RoleRuleViolation::BuiltInRoleDeleted => {
                        "Built-in roles cannot be deleted; change their permissions instead."
                    }
                },
            ),
            IdentityError::LastAdmin => ApiError::new(
                ProblemCode::LastAdmin,
                "This is the last admin account; make another account an admin first.",
            ),
            IdentityError::WalletNotEmpty(balance) => ApiError::new(
                ProblemCode::WalletNotEmpty,
                format!(
                    "Your wallet holds {balance}; withdraw it (POST /api/v1/wallet/withdrawals) \
                     before deleting the account."
                ),
            )
            .with_extension("balance", serde_json::json!(balance.to_string())),
            IdentityError::SessionNotFound => {
                ApiError::not_found("You have no session with this id.")
            }
            IdentityError::AddressNotFound => ApiError::not_found("There is no such address."),
            IdentityError::AddressBookFull(capacity) => ApiError::new(
                ProblemCode::AddressBookFull,
                format!("An address book holds at most {capacity} addresses; delete one first."),
            ),
            IdentityError::Infra(error) => error.into(),
        }
    }
}
