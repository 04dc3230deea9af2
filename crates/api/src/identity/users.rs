//! Accounts: registering, and what staff with `users:*` see and change of them.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use app::identity::{IdentityError, Registration};
use chrono::{DateTime, Utc};
use domain::identity::user::{AccountStatus, User};
use ports::identity::UserFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

/// An account, as its owner and staff see it. Never carries the password.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User, example = json!({
    "id": 42, "username": "xiaoming", "email": "xiaoming@example.com",
    "display_name": "王小明", "role": "customer", "status": "active",
    "created_at": "2026-11-23T09:30:00Z"
}))]
pub struct UserDto {
    pub id: i64,
    /// Unique ignoring case; the name to log in with.
    pub username: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    /// The role's name; its permissions are at `GET /api/v1/identity/roles/{name}`.
    pub role: String,
    pub status: AccountStatusDto,
    pub created_at: DateTime<Utc>,
}

/// Whether the account may be used.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = AccountStatus)]
pub enum AccountStatusDto {
    Active,
    /// Cannot log in; its sessions no longer work.
    Disabled,
}

impl From<AccountStatus> for AccountStatusDto {
    fn from(status: AccountStatus) -> Self {
        match status {
            AccountStatus::Active => Self::Active,
            AccountStatus::Disabled => Self::Disabled,
        }
    }
}

impl From<AccountStatusDto> for AccountStatus {
    fn from(status: AccountStatusDto) -> Self {
        match status {
            AccountStatusDto::Active => Self::Active,
            AccountStatusDto::Disabled => Self::Disabled,
        }
    }
}

impl From<User> for UserDto {
    fn from(user: User) -> Self {
        Self {
            id: user.id,
            username: user.username.as_str().to_owned(),
            email: user.email.map(|e| e.as_str().to_owned()),
            display_name: user.display_name.map(|d| d.as_str().to_owned()),
            role: user.role.as_str().to_owned(),
            status: user.status.into(),
            created_at: user.created_at,
        }
    }
}

// No `Debug`: it holds a password.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 1 to 100 letters, digits, `_`, `-` or `.`; unique ignoring case.
    #[schema(example = "xiaoming", min_length = 1, max_length = 100)]
    pub username: String,
    /// At least 8 characters and at most 72 bytes.
    #[schema(example = "correct horse battery", min_length = 8, max_length = 72)]
    pub password: String,
    /// Unique ignoring case; needed to reset a forgotten password.
    #[schema(example = "xiaoming@example.com")]
    pub email: Option<String>,
    #[schema(example = "王小明", max_length = 100)]
    pub display_name: Option<String>,
}

/// Register an account.
///
/// The account gets the `customer` role. Log in with `POST /api/v1/identity/sessions`.
#[utoipa::path(
    tag = "identity",
    request_body = RegisterRequest,
    security(()),
    responses(
        (status = 201, description = "The account, created.", body = UserDto,
            headers(("Location" = String, description = "Where staff find the account."))),
        (status = 409, description = "The username (`username_taken`) or email (`email_taken`) is in use.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    Json(body): Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = state
        .identity
        .register(Registration {
            username: body.username,
            password: body.password,
            email: body.email,
            display_name: body.display_name,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/identity/users/{}", user.username),
        ))
        .json(UserDto::from(user)))
}

// `utoipa::IntoParams` by its path: its expansion names it so, and an import would make
// that an unnecessary qualification.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only accounts with this role.
    pub role: Option<String>,
    /// Only accounts with this status.
    pub status: Option<AccountStatusDto>,
    /// Only accounts whose username or email contains this, ignoring case.
    pub q: Option<String>,
}

/// List accounts, oldest first.
#[utoipa::path(
    tag = "identity",
    params(PageQuery, UserQuery),
    security(("bearer" = ["users:read"])),
    responses((status = 200, description = "A page of accounts.", body = Page<UserDto>)),
)]
#[get("/users")]
pub async fn list_users(
    _: Authorized<require::UsersRead>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<UserQuery>,
) -> Result<web::Json<Page<UserDto>>, ApiError> {
    let request = page.request()?;
    let query = query.into_inner();
    let role = match query.role.as_deref() {
        None => None,
        Some(name) => Some(
            domain::identity::role::RoleName::parse(name)
                .map_err(|e| ApiError::bad_request(format!("`role` {e}.")))?,
        ),
    };
    let filter = UserFilter {
        role,
        status: query.status.map(Into::into),
        search: query.q.filter(|q| !q.trim().is_empty()),
    };
    let users = state.identity.list_users(&request, &filter).await?;
    Ok(web::Json(Page::of(users, |user: &User| user.id)))
}

/// Show an account.
#[utoipa::path(
    tag = "identity",
    params(("username" = String, Path, description = "The account's username (any case).")),
    security(("bearer" = ["users:read"])),
    responses((status = 200, description = "The account.", body = UserDto)),
)]
#[get("/users/{username}")]
pub async fn get_user(
    _: Authorized<require::UsersRead>,
    state: web::Data<AppState>,
    username: web::Path<String>,
) -> Result<web::Json<UserDto>, ApiError> {
    Ok(web::Json(state.identity.user(&username).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRoleRequest {
    /// The name of an existing role.
    #[schema(example = "front_desk")]
    pub role: String,
}

/// Give an account a role.
///
/// It applies at once, to the account's open sessions too. The last admin cannot be given
/// another role.
#[utoipa::path(
    tag = "identity",
    params(("username" = String, Path, description = "The account's username (any case).")),
    request_body = AssignRoleRequest,
    security(("bearer" = ["users:manage"])),
    responses(
        (status = 200, description = "The account with its new role.", body = UserDto),
        (status = 409, description = "`last_admin`: the account is the last admin.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/users/{username}/role")]
pub async fn update_user_role(
    _: Authorized<require::UsersManage>,
    state: web::Data<AppState>,
    username: web::Path<String>,
    Json(body): Json<AssignRoleRequest>,
) -> Result<web::Json<UserDto>, ApiError> {
    let user = state
        .identity
        .assign_role(&username, &body.role)
        .await
        .map_err(|error| match error {
            // The role comes from the body: naming one that does not exist is bad input.
            IdentityError::RoleNotFound(name) => {
                ApiError::invalid_field("role", format!("there is no role {name:?}"))
            }
            other => other.into(),
        })?;
    Ok(web::Json(user.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStatusRequest {
    pub status: AccountStatusDto,
}

/// Enable or disable an account.
///
/// A disabled account cannot log in (the right password gets 403 `account_disabled`) and its
/// sessions end. The last active admin cannot be disabled.
#[utoipa::path(
    tag = "identity",
    params(("username" = String, Path, description = "The account's username (any case).")),
    request_body = SetStatusRequest,
    security(("bearer" = ["users:manage"])),
    responses(
        (status = 200, description = "The account with its new status.", body = UserDto),
        (status = 409, description = "`last_admin`: the account is the last active admin.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/users/{username}/status")]
pub async fn update_user_status(
    _: Authorized<require::UsersManage>,
    state: web::Data<AppState>,
    username: web::Path<String>,
    Json(body): Json<SetStatusRequest>,
) -> Result<web::Json<UserDto>, ApiError> {
    let user = state
        .identity
        .set_account_status(&username, body.status.into())
        .await?;
    Ok(web::Json(user.into()))
}
