//! Categories.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::catalog::{CategoryInput, CategoryPatch};
use chrono::{DateTime, Utc};
use domain::catalog::category::Category;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Category, example = json!({
    "id": 3, "name": "婚纱摄影", "slug": "wedding", "description": "Wedding shoots and albums.",
    "display_order": 0, "product_count": 12,
    "created_at": "2026-11-24T09:00:00Z", "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct CategoryDto {
    pub id: i64,
    /// Unique ignoring case.
    pub name: String,
    /// The category's name in URLs; unique ignoring case.
    pub slug: String,
    pub description: String,
    /// Categories are listed by this, lowest first.
    pub display_order: i32,
    /// How many products are in the category, of any status.
    pub product_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Category> for CategoryDto {
    fn from(category: Category) -> Self {
        Self {
            id: category.id,
            name: category.name,
            slug: category.slug.as_str().to_owned(),
            description: category.description,
            display_order: category.display_order,
            product_count: category.product_count,
            created_at: category.created_at,
            updated_at: category.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategoryRequest {
    /// 1 to 100 characters; unique ignoring case.
    #[schema(example = "婚纱摄影", max_length = 100)]
    pub name: String,
    /// Lower-case letters and digits joined by `-`. Made from the name when left out, which
    /// needs a name with Latin letters or digits.
    #[schema(example = "wedding", max_length = 100)]
    pub slug: Option<String>,
    #[schema(example = "Wedding shoots and albums.", max_length = 2000)]
    pub description: Option<String>,
    /// 0 unless given.
    pub display_order: Option<i32>,
}

/// List the categories in display order.
#[utoipa::path(
    tag = "catalog",
    security(()),
    responses((status = 200, description = "Every category.", body = Page<CategoryDto>)),
)]
#[get("/categories")]
pub async fn list_categories(
    state: web::Data<AppState>,
) -> Result<web::Json<Page<CategoryDto>>, ApiError> {
    let categories = state.catalog.categories().await?;
    Ok(web::Json(Page::complete(
        categories.into_iter().map(Into::into).collect(),
    )))
}

/// Create a category.
#[utoipa::path(
    tag = "catalog",
    request_body = CreateCategoryRequest,
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 201, description = "The category, created.", body = CategoryDto,
            headers(("Location" = String, description = "The category's URL."))),
        (status = 409, description = "`category_name_taken` or `category_slug_taken`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/categories")]
pub async fn create_category(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    Json(body): Json<CreateCategoryRequest>,
) -> Result<HttpResponse, ApiError> {
    let category = state
        .catalog
        .create_category(CategoryInput {
            name: body.name,
            slug: body.slug,
            description: body.description,
            display_order: body.display_order,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/catalog/categories/{}", category.id),
        ))
        .json(CategoryDto::from(category)))
}

/// Show a category.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The category's id.")),
    security(()),
    responses((status = 200, description = "The category.", body = CategoryDto)),
)]
#[get("/categories/{id}")]
pub async fn get_category(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CategoryDto>, ApiError> {
    Ok(web::Json(state.catalog.category(*id).await?.into()))
}

/// A change to a category: a field left out stays as it is.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategoryRequest {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 100)]
    pub slug: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub display_order: Option<i32>,
}

/// Rename, describe or move a category.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The category's id.")),
    request_body = UpdateCategoryRequest,
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 200, description = "The category, changed.", body = CategoryDto),
        (status = 409, description = "`category_name_taken` or `category_slug_taken`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/categories/{id}")]
pub async fn update_category(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateCategoryRequest>,
) -> Result<web::Json<CategoryDto>, ApiError> {
    let category = state
        .catalog
        .update_category(
            *id,
            CategoryPatch {
                name: body.name,
                slug: body.slug,
                description: body.description,
                display_order: body.display_order,
            },
        )
        .await?;
    Ok(web::Json(category.into()))
}

/// Delete an empty category.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The category's id.")),
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 204, description = "The category is gone."),
        (status = 409, description = "`category_in_use`: products are in it.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/categories/{id}")]
pub async fn delete_category(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.catalog.delete_category(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderCategoriesRequest {
    /// Category ids in the order wanted; categories left out follow, in their old order.
    #[validate(length(min = 1, max = 1000))]
    #[schema(example = json!([3, 1, 2]))]
    pub ids: Vec<i64>,
}

/// Put categories in a new display order, in one step.
#[utoipa::path(
    tag = "catalog",
    request_body = ReorderCategoriesRequest,
    security(("bearer" = ["catalog:write"])),
    responses((status = 200, description = "Every category, in the new order.", body = Page<CategoryDto>)),
)]
#[post("/categories/reorder")]
pub async fn reorder_categories(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    Json(body): Json<ReorderCategoriesRequest>,
) -> Result<web::Json<Page<CategoryDto>>, ApiError> {
    let categories = state.catalog.reorder_categories(&body.ids).await?;
    Ok(web::Json(Page::complete(
        categories.into_iter().map(Into::into).collect(),
    )))
}
