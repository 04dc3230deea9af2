//! The caller's address book.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use domain::identity::address::{Address, RawAddress};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Address, example = json!({
    "id": 7, "name": "王小明", "phone": "+86 138 0013 8000", "line1": "南京东路 100 号",
    "line2": "3 楼", "city": "上海", "state": "上海", "postal_code": "200001", "country": "CN",
    "is_default": true, "created_at": "2026-11-23T09:30:00Z", "updated_at": "2026-11-23T09:30:00Z"
}))]
pub struct AddressDto {
    pub id: i64,
    /// Who receives what is sent here.
    pub name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    /// At most one address is the default.
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Address> for AddressDto {
    fn from(address: Address) -> Self {
        let fields = address.fields;
        Self {
            id: address.id,
            name: fields.name,
            phone: fields.phone,
            line1: fields.line1,
            line2: fields.line2,
            city: fields.city,
            state: fields.state,
            postal_code: fields.postal_code,
            country: fields.country,
            is_default: address.is_default,
            created_at: address.created_at,
            updated_at: address.updated_at,
        }
    }
}

/// An address as written; the same for creating and replacing one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AddressInput)]
pub struct AddressRequest {
    #[schema(example = "王小明", max_length = 100)]
    pub name: String,
    /// Digits with spaces, `-` or parentheses, and an optional leading `+`.
    #[schema(example = "+86 138 0013 8000", max_length = 30)]
    pub phone: String,
    #[schema(example = "南京东路 100 号", max_length = 200)]
    pub line1: String,
    #[schema(example = "3 楼", max_length = 200)]
    pub line2: Option<String>,
    #[schema(example = "上海", max_length = 100)]
    pub city: String,
    #[schema(example = "上海", max_length = 100)]
    pub state: Option<String>,
    #[schema(example = "200001", max_length = 20)]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, any case.
    #[schema(example = "CN", min_length = 2, max_length = 2)]
    pub country: String,
}

impl From<AddressRequest> for RawAddress {
    fn from(body: AddressRequest) -> Self {
        Self {
            name: body.name,
            phone: body.phone,
            line1: body.line1,
            line2: body.line2,
            city: body.city,
            state: body.state,
            postal_code: body.postal_code,
            country: body.country,
        }
    }
}

fn location(id: i64) -> String {
    format!("/api/v1/identity/me/addresses/{id}")
}

/// List the caller's addresses, the default first.
#[utoipa::path(
    tag = "identity",
    security(("bearer" = [])),
    responses((status = 200, description = "Every address of the caller's.", body = Page<AddressDto>)),
)]
#[get("/me/addresses")]
pub async fn list_addresses(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<Page<AddressDto>>, ApiError> {
    let addresses = state.identity.addresses(&caller).await?;
    Ok(web::Json(Page::complete(
        addresses.into_iter().map(Into::into).collect(),
    )))
}

/// Add an address. The first one becomes the default.
#[utoipa::path(
    tag = "identity",
    request_body = AddressRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The address, added.", body = AddressDto,
            headers(("Location" = String, description = "The address's URL."))),
        (status = 409, description = "`address_book_full`: the book holds as many addresses as it may.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/me/addresses")]
pub async fn create_address(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<AddressRequest>,
) -> Result<HttpResponse, ApiError> {
    let address = state.identity.add_address(&caller, &body.into()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location(address.id)))
        .json(AddressDto::from(address)))
}

/// Show one of the caller's addresses.
#[utoipa::path(
    tag = "identity",
    params(("id" = i64, Path, description = "The address's id.")),
    security(("bearer" = [])),
    responses((status = 200, description = "The address.", body = AddressDto)),
)]
#[get("/me/addresses/{id}")]
pub async fn get_address(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<AddressDto>, ApiError> {
    Ok(web::Json(
        state.identity.address(&caller, *id).await?.into(),
    ))
}

/// Replace one of the caller's addresses.
#[utoipa::path(
    tag = "identity",
    params(("id" = i64, Path, description = "The address's id.")),
    request_body = AddressRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "The address, replaced.", body = AddressDto)),
)]
#[put("/me/addresses/{id}")]
pub async fn update_address(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<AddressRequest>,
) -> Result<web::Json<AddressDto>, ApiError> {
    let address = state
        .identity
        .update_address(&caller, *id, &body.into())
        .await?;
    Ok(web::Json(address.into()))
}

/// Delete one of the caller's addresses.
///
/// Deleting the default leaves the book without one until another is made the default.
#[utoipa::path(
    tag = "identity",
    params(("id" = i64, Path, description = "The address's id.")),
    security(("bearer" = [])),
    responses((status = 204, description = "The address is gone.")),
)]
#[delete("/me/addresses/{id}")]
pub async fn delete_address(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.identity.delete_address(&caller, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make one of the caller's addresses the default, and no other.
#[utoipa::path(
    tag = "identity",
    params(("id" = i64, Path, description = "The address's id.")),
    security(("bearer" = [])),
    responses((status = 200, description = "The address, now the default.", body = AddressDto)),
)]
#[post("/me/addresses/{id}/set-default")]
pub async fn set_default_address(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<AddressDto>, ApiError> {
    let address = state.identity.set_default_address(&caller, *id).await?;
    Ok(web::Json(address.into()))
}
