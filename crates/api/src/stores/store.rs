//! Stores: opening, describing, listing, closing.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use app::stores::{StoreInput, StorePatch, StoreStatusFilter};
use chrono::{DateTime, Utc};
use domain::stores::store::Store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, Caller, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Store, example = json!({
    "code": "sanmao-books", "name": "三毛书屋", "description": "Essays and travel writing.",
    "owner": "lin", "status": "open", "time_zone": "Asia/Shanghai",
    "created_at": "2026-11-24T09:00:00Z", "updated_at": "2026-11-24T09:00:00Z",
    "closed_at": null
}))]
pub struct StoreDto {
    /// The store's key: unique, URL-safe, chosen when it opens.
    pub code: String,
    pub name: String,
    pub description: String,
    /// The owner's username.
    pub owner: String,
    /// `open` or `closed`.
    pub status: &'static str,
    /// IANA time zone of the store's local time.
    pub time_zone: &'static str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it closed, while it is closed.
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<Store> for StoreDto {
    fn from(store: Store) -> Self {
        Self {
            code: store.code.as_str().to_owned(),
            name: store.name,
            description: store.description,
            owner: store.owner_username,
            status: store.status.as_str(),
            time_zone: store.time_zone.name(),
            created_at: store.created_at,
            updated_at: store.updated_at,
            closed_at: store.closed_at,
        }
    }
}

fn created(store: Store) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/stores/{}", store.code.as_str()),
        ))
        .json(StoreDto::from(store))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStoreRequest {
    /// 1 to 100 letters, digits, `.`, `_`, `~` or `-`; unique; kept as given.
    #[schema(example = "sanmao-books", max_length = 100)]
    pub code: String,
    #[schema(example = "三毛书屋", max_length = 100)]
    pub name: String,
    #[schema(example = "Essays and travel writing.", max_length = 2000)]
    pub description: Option<String>,
    /// An IANA time zone; the business's (the `studio.time_zone` setting) when left out.
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: Option<String>,
    /// The owner's username: the caller when left out. Only staff with `stores:manage` open a
    /// store for someone else.
    pub owner: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStoreRequest {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoreQuery {
    /// Only the stores of this owner (a username).
    pub owner: Option<String>,
    /// `open` (the default), `closed` or `all`.
    pub status: Option<String>,
}

/// List stores, in the order they opened.
#[utoipa::path(
    tag = "stores",
    params(PageQuery, StoreQuery),
    security(()),
    responses((status = 200, description = "A page of stores.", body = Page<StoreDto>)),
)]
#[get("")]
pub async fn list_stores(
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<StoreQuery>,
) -> Result<web::Json<Page<StoreDto>>, ApiError> {
    let status = match query.status.as_deref() {
        None | Some("open") => StoreStatusFilter::Open,
        Some("closed") => StoreStatusFilter::Closed,
        Some("all") => StoreStatusFilter::All,
        Some(_) => {
            return Err(ApiError::bad_request(
                "`status` must be open, closed or all.",
            ));
        }
    };
    let stores = state
        .stores
        .stores(query.owner.as_deref(), status, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(stores, |store| store.id)))
}

/// Open a store.
///
/// A seller (`stores:open`) opens a store of their own; staff with `stores:manage` may name
/// another owner.
#[utoipa::path(
    tag = "stores",
    request_body = CreateStoreRequest,
    security(("bearer" = ["stores:open"]), ("bearer" = ["stores:manage"])),
    responses(
        (status = 201, description = "The store, open.", body = StoreDto,
            headers(("Location" = String, description = "The store's URL."))),
        (status = 409, description = "`store_code_taken`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("")]
pub async fn create_store(
    caller: Authorized<require::OpenStores>,
    state: web::Data<AppState>,
    Json(body): Json<CreateStoreRequest>,
) -> Result<HttpResponse, ApiError> {
    let store = state
        .stores
        .open_store(
            &caller.0.principal,
            StoreInput {
                code: body.code,
                name: body.name,
                description: body.description,
                time_zone: body.time_zone,
                owner: body.owner,
            },
        )
        .await?;
    Ok(created(store))
}

/// Get a store.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code.")),
    security(()),
    responses((status = 200, description = "The store.", body = StoreDto)),
)]
#[get("/{code}")]
pub async fn get_store(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<StoreDto>, ApiError> {
    Ok(web::Json(state.stores.store(&code).await?.into()))
}

/// Change a store's name, description or time zone.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code.")),
    request_body = UpdateStoreRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store, changed.", body = StoreDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/{code}")]
pub async fn update_store(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    Json(body): Json<UpdateStoreRequest>,
) -> Result<web::Json<StoreDto>, ApiError> {
    let store = state
        .stores
        .update_store(
            &caller.principal,
            &code,
            StorePatch {
                name: body.name,
                description: body.description,
                time_zone: body.time_zone,
            },
        )
        .await?;
    Ok(web::Json(store.into()))
}

/// Close a store.
///
/// It leaves the list of open stores and its stock stops changing; closing a closed store
/// changes nothing.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store, closed.", body = StoreDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{code}/close")]
pub async fn close_store(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<StoreDto>, ApiError> {
    let store = state.stores.close_store(&caller.principal, &code).await?;
    Ok(web::Json(store.into()))
}

/// Reopen a closed store.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store, open.", body = StoreDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{code}/reopen")]
pub async fn reopen_store(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<StoreDto>, ApiError> {
    let store = state.stores.reopen_store(&caller.principal, &code).await?;
    Ok(web::Json(store.into()))
}
