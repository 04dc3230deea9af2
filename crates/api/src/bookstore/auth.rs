//! `/auth/*`: accounts and sessions. Every bookstore account can buy and open stores, so it is
//! registered with the seller role.

use actix_web::{HttpRequest, HttpResponse, web};
use app::identity::{IdentityError, Registration};
use domain::identity::role::BuiltInRole;
use serde::Deserialize;
use serde_json::Value;

use super::caller::{WhenUnknown, caller};
use super::reply::{Outcome, Refusal, body, fields, respond};
use crate::auth::client_address;
use crate::state::AppState;

#[derive(Deserialize)]
struct Credentials {
    user_id: String,
    password: String,
}

#[derive(Deserialize)]
struct Login {
    user_id: String,
    password: String,
    terminal: String,
}

#[derive(Deserialize)]
struct Logout {
    user_id: String,
}

#[derive(Deserialize)]
struct PasswordChange {
    user_id: String,
    #[serde(rename = "oldPassword")]
    old_password: String,
    #[serde(rename = "newPassword")]
    new_password: String,
}

/// A failed check of a password: 401, whichever part was wrong.
fn refused_credentials(error: IdentityError) -> Refusal {
    match error {
        IdentityError::InvalidCredentials
        | IdentityError::AccountDisabled
        | IdentityError::Unauthenticated => Refusal::authorization(),
        other => other.into(),
    }
}

pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Credentials = body(&req, payload).await?;
        let registration = Registration {
            username: input.user_id.clone(),
            password: input.password,
            email: None,
            display_name: None,
        };
        match state
            .identity
            .register_as(registration, BuiltInRole::Seller)
            .await
        {
            Ok(_) => Ok(fields([])),
            Err(IdentityError::UsernameTaken) => Err(Refusal::exist_user(&input.user_id)),
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn unregister(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Credentials = body(&req, payload).await?;
        let client = client_address(&req, state.trust_forwarded_for);
        state
            .identity
            .delete_account_with_credentials(&input.user_id, &input.password, client.as_deref())
            .await
            .map_err(refused_credentials)?;
        Ok(fields([]))
    }
    .await;
    respond(outcome, None)
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Login = body(&req, payload).await?;
        let client = client_address(&req, state.trust_forwarded_for);
        let login = state
            .identity
            .login(
                &input.user_id,
                &input.password,
                &input.terminal,
                client.as_deref(),
            )
            .await
            .map_err(refused_credentials)?;
        Ok(fields([("token", Value::from(login.token))]))
    }
    .await;
    respond(outcome, Some("token"))
}

pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Logout = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::Unauthorized).await?;
        state.identity.logout(&caller).await?;
        Ok(fields([]))
    }
    .await;
    respond(outcome, None)
}

pub async fn password(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: PasswordChange = body(&req, payload).await?;
        let client = client_address(&req, state.trust_forwarded_for);
        state
            .identity
            .change_password_with_credentials(
                &input.user_id,
                &input.old_password,
                &input.new_password,
                client.as_deref(),
            )
            .await
            .map_err(refused_credentials)?;
        Ok(fields([]))
    }
    .await;
    respond(outcome, None)
}
