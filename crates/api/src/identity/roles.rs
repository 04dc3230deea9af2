//! Roles and the permissions they carry.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::identity::{RoleChange, RoleInput};
use domain::identity::permission::Permission;
use domain::identity::role::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Role, example = json!({
    "name": "front_desk", "description": "Customers and bookings at the front desk.",
    "permissions": ["customers:manage", "orders:read_all", "studio:schedule"], "is_built_in": true
}))]
pub struct RoleDto {
    pub name: String,
    pub description: String,
    /// Permission names, sorted. The admin role may do everything, whatever this lists.
    pub permissions: Vec<&'static str>,
    /// Built-in roles cannot be deleted.
    pub is_built_in: bool,
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        let mut permissions: Vec<&'static str> =
            role.permissions.iter().map(|p| p.as_str()).collect();
        permissions.sort_unstable();
        Self {
            name: role.name.as_str().to_owned(),
            description: role.description,
            permissions,
            is_built_in: role.is_built_in,
        }
    }
}

/// One permission of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Permission)]
pub struct PermissionDto {
    #[schema(example = "catalog:write")]
    pub name: &'static str,
    pub description: &'static str,
}

/// List every permission a role can carry.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = ["users:read"])),
    responses((status = 200, description = "The permission catalogue.", body = Page<PermissionDto>)),
)]
#[get("/permissions")]
pub async fn list_permissions(_: Authorized<require::UsersRead>) -> web::Json<Page<PermissionDto>> {
    web::Json(Page::complete(
        Permission::ALL
            .iter()
            .map(|p| PermissionDto {
                name: p.as_str(),
                description: p.description(),
            })
            .collect(),
    ))
}

/// List the roles, by name.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = ["users:read"])),
    responses((status = 200, description = "Every role.", body = Page<RoleDto>)),
)]
#[get("/roles")]
pub async fn list_roles(
    _: Authorized<require::UsersRead>,
    state: web::Data<AppState>,
) -> Result<web::Json<Page<RoleDto>>, ApiError> {
    let roles = state.identity.roles().await?;
    Ok(web::Json(Page::complete(
        roles.into_iter().map(Into::into).collect(),
    )))
}

/// Show a role.
#[utoipa::path(
    tag = "identity",
    params(("name" = String, Path, description = "The role's name.")),
    security(("bearer" = ["users:read"])),
    responses((status = 200, description = "The role.", body = RoleDto)),
)]
#[get("/roles/{name}")]
pub async fn get_role(
    _: Authorized<require::UsersRead>,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<web::Json<RoleDto>, ApiError> {
    Ok(web::Json(state.identity.role(&name).await?.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoleRequest {
    /// 2 to 50 lower-case letters, digits and `_`, starting with a letter.
    #[schema(example = "studio_lead", min_length = 2, max_length = 50)]
    pub name: String,
    #[serde(default)]
    #[schema(example = "Leads a studio's photographers.", max_length = 500)]
    pub description: String,
    /// Names from `GET /api/v1/identity/permissions`.
    #[serde(default)]
    #[schema(example = json!(["studio:schedule", "studio:reports"]))]
    pub permissions: Vec<String>,
}

/// Create a role.
#[utoipa::path(
    tag = "identity",
    request_body = CreateRoleRequest,
    security(("bearer" = ["users:manage"])),
    responses(
        (status = 201, description = "The role, created.", body = RoleDto,
            headers(("Location" = String, description = "The role's URL."))),
        (status = 409, description = "`role_name_taken`: a role has this name.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/roles")]
pub async fn create_role(
    _: Authorized<require::UsersManage>,
    state: web::Data<AppState>,
    Json(body): Json<CreateRoleRequest>,
) -> Result<HttpResponse, ApiError> {
    let role = state
        .identity
        .create_role(RoleInput {
            name: body.name,
            description: body.description,
            permissions: body.permissions,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/identity/roles/{}", role.name),
        ))
        .json(RoleDto::from(role)))
}

/// A change to a role: a field left out stays as it is.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoleRequest {
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// The complete new list of permission names.
    #[schema(example = json!(["customers:manage", "studio:schedule"]))]
    pub permissions: Option<Vec<String>>,
}

/// Change a role's description or permissions.
///
/// Takes effect at once for every account with the role. The admin role's permissions cannot
/// be changed: it may always do everything.
#[utoipa::path(
    tag = "identity",
    params(("name" = String, Path, description = "The role's name.")),
    request_body = UpdateRoleRequest,
    security(("bearer" = ["users:manage"])),
    responses(
        (status = 200, description = "The role, changed.", body = RoleDto),
        (status = 409, description = "`built_in_role`: the admin role's permissions are fixed.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/roles/{name}")]
pub async fn update_role(
    _: Authorized<require::UsersManage>,
    state: web::Data<AppState>,
    name: web::Path<String>,
    Json(body): Json<UpdateRoleRequest>,
) -> Result<web::Json<RoleDto>, ApiError> {
    let role = state
        .identity
        .update_role(
            &name,
            RoleChange {
                description: body.description,
                permissions: body.permissions,
            },
        )
        .await?;
    Ok(web::Json(role.into()))
}

/// Delete a role that no account has.
#[utoipa::path(
    tag = "identity",
    params(("name" = String, Path, description = "The role's name.")),
    security(("bearer" = ["users:manage"])),
    responses(
        (status = 204, description = "The role is gone."),
        (status = 409, description = "`built_in_role`: built-in roles stay; `role_in_use`: accounts have it.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/roles/{name}")]
pub async fn delete_role(
    _: Authorized<require::UsersManage>,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state.identity.delete_role(&name).await?;
    Ok(HttpResponse::NoContent().finish())
}
