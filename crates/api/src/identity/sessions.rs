//! Logging in and out: a person's sessions.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use app::identity::SessionInfo;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::users::UserDto;
use crate::auth::{Caller, client_address};
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

// No `Debug`: it holds a password.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The username or the email address of the account.
    #[validate(length(min = 1, max = 254))]
    #[schema(example = "xiaoming", min_length = 1, max_length = 254)]
    pub login: String,
    #[schema(example = "correct horse battery")]
    pub password: String,
    /// A label for the device the session is for ("iPhone", "front-desk-1"), shown in the
    /// list of sessions. Defaults to the `User-Agent`.
    #[schema(example = "front-desk-1", max_length = 100)]
    pub terminal: Option<String>,
}

/// One of the caller's sessions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Session)]
pub struct SessionDto {
    /// A stable handle for the session (not the token).
    pub id: String,
    pub terminal: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session ends if unused until then; each use moves it.
    pub expires_at: DateTime<Utc>,
    /// Whether this is the session of the request.
    pub current: bool,
}

impl From<SessionInfo> for SessionDto {
    fn from(session: SessionInfo) -> Self {
        Self {
            id: session.id,
            terminal: session.terminal,
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
            current: session.current,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send it as `Authorization: Bearer <token>`. It is shown only here.
    #[schema(example = "ats_3q2Xo1Jm7fQeYk0bKpX9Vw4zR8sT6uHnLcD5aE2gB1I")]
    pub token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub session: SessionDto,
    pub user: UserDto,
}

/// The device label: the one given, else the `User-Agent`, else `unknown`.
fn terminal_of(req: &HttpRequest, given: Option<String>) -> String {
    given.unwrap_or_else(|| {
        req.headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|agent| agent.chars().take(100).collect::<String>())
            .filter(|agent| !agent.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_owned())
    })
}

/// Log in.
///
/// Takes a username or an email and the password; answers a session token. A wrong username
/// and a wrong password get the same answer. Repeated failures for one account name, or from
/// one client address, are refused with 429 until the window ends (`Retry-After`).
#[utoipa::path(
    tag = "identity",
    request_body = LoginRequest,
    security(()),
    responses(
        (status = 201, description = "A new session.", body = LoginResponse),
        (status = 401, description = "`invalid_credentials`: no account has this login and password.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: too many failed attempts for this account or from this address.",
            body = crate::problem::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until attempts are allowed again."))),
    ),
)]
#[post("/sessions")]
pub async fn create_session(
    req: HttpRequest,
    state: web::Data<AppState>,
    Json(body): Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let client = client_address(&req, state.trust_forwarded_for);
    let terminal = terminal_of(&req, body.terminal);
    let outcome = state
        .identity
        .login(&body.login, &body.password, &terminal, client.as_deref())
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .json(LoginResponse {
            token: outcome.token,
            token_type: "Bearer",
            session: outcome.session.into(),
            user: outcome.user.into(),
        }))
}

/// List the caller's sessions, the most recently used first.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's live sessions.", body = Page<SessionDto>)),
)]
#[get("/sessions")]
pub async fn list_sessions(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<Page<SessionDto>>, ApiError> {
    let sessions = state.identity.sessions(&caller).await?;
    Ok(web::Json(Page::complete(
        sessions.into_iter().map(Into::into).collect(),
    )))
}

/// Log out: end the session of this request.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 204, description = "The token no longer works.")),
)]
#[delete("/sessions/current")]
pub async fn delete_current_session(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state.identity.logout(&caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedSessions {
    /// How many sessions ended.
    pub revoked: u64,
}

/// Log out everywhere: end every session of the caller's, this one included.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 200, description = "Every token of the caller's no longer works.", body = RevokedSessions)),
)]
#[delete("/sessions")]
pub async fn delete_sessions(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<RevokedSessions>, ApiError> {
    let revoked = state.identity.logout_everywhere(&caller).await?;
    Ok(web::Json(RevokedSessions { revoked }))
}

/// End one of the caller's sessions (a lost phone, say).
#[utoipa::path(
    tag = "identity",
    params(("id" = String, Path, description = "The session's `id`, from the list of sessions.")),
    security(("bearer" = [])),
    responses((status = 204, description = "That session's token no longer works.")),
)]
#[delete("/sessions/{id}")]
pub async fn delete_session(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.identity.revoke_session(&caller, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
