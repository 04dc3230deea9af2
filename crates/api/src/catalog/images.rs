//! Product images. Reading is public; changing needs `catalog:write`.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::catalog::{ImageUpload, StoredImage};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::Page;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProductImage, example = json!({
    "id": 7, "product_id": 42,
    "url": "/media/products/42/5f0c8e1d2b3a4c5d6e7f8091a2b3c4d5.jpg",
    "content_type": "image/jpeg", "byte_size": 183204, "width": 1600, "height": 1200,
    "alt": "The album, open", "display_order": 0, "is_primary": true,
    "created_at": "2026-11-24T09:00:00Z"
}))]
pub struct ProductImageDto {
    pub id: i64,
    pub product_id: i64,
    /// Where the file is served: absolute, or relative to this API's origin. It never changes
    /// (a new file gets a new URL), so it may be cached for ever.
    pub url: String,
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`: what the file is, as told by
    /// its content.
    pub content_type: &'static str,
    pub byte_size: i64,
    /// The size in pixels, when the file's header states it.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The alternative text, for those who cannot see the image.
    pub alt: String,
    /// Images are shown by this, lowest first.
    pub display_order: i32,
    /// Whether this is the image that stands for the product; exactly one of a product's
    /// images is.
    pub is_primary: bool,
    pub created_at: DateTime<Utc>,
}

impl From<StoredImage> for ProductImageDto {
    fn from(StoredImage { image, url }: StoredImage) -> Self {
        Self {
            id: image.id,
            product_id: image.product_id,
            url,
            content_type: image.format.mime(),
            byte_size: image.byte_size,
            width: image.dimensions.map(|d| d.width),
            height: image.dimensions.map(|d| d.height),
            alt: image.alt_text,
            display_order: image.display_order,
            is_primary: image.is_primary,
            created_at: image.created_at,
        }
    }
}

/// The path of one image.
#[derive(Debug, Deserialize)]
pub struct ImagePath {
    id: i64,
    image_id: i64,
}

/// List a product's images in display order.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    security(()),
    responses((status = 200, description = "The product's images.", body = Page<ProductImageDto>)),
)]
#[get("/products/{id}/images")]
pub async fn list_product_images(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<Page<ProductImageDto>>, ApiError> {
    let images = state.catalog.images(*id).await?;
    Ok(web::Json(Page::complete(
        images.into_iter().map(Into::into).collect(),
    )))
}

/// An image upload.
#[derive(Debug, MultipartForm, ToSchema)]
#[multipart(deny_unknown_fields, duplicate_field = "deny")]
pub struct UploadImageForm {
    /// The image: a JPEG, PNG, WebP or GIF file (told by its content, not its name or declared
    /// type), at most `ATELIER_MEDIA_MAX_BYTES` (10 MiB unless configured otherwise).
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Bytes,
    /// The alternative text: one line, at most 300 characters.
    #[multipart(limit = "4 KiB")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub alt: Option<Text<String>>,
}

/// Add an image to a product, after its others; a product's first image becomes its primary
/// image.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    request_body(content = UploadImageForm, content_type = "multipart/form-data"),
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 201, description = "The image, stored.", body = ProductImageDto,
            headers(("Location" = String, description = "The image's URL in this API."))),
        (status = 413, description = "`image_too_large`: the file is over the limit (`max_bytes`).",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 415, description = "`unsupported_image_type`: the file is not a JPEG, PNG, \
            WebP or GIF image; `unsupported_media_type`: the body is not `multipart/form-data`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/products/{id}/images")]
pub async fn create_product_image(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    MultipartForm(form): MultipartForm<UploadImageForm>,
) -> Result<HttpResponse, ApiError> {
    let image = state
        .catalog
        .upload_image(
            *id,
            ImageUpload {
                bytes: form.file.data.into(),
                declared_type: form.file.content_type.map(|mime| mime.to_string()),
                alt_text: form.alt.map(Text::into_inner),
            },
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!(
                "/api/v1/catalog/products/{}/images/{}",
                image.image.product_id, image.image.id
            ),
        ))
        .json(ProductImageDto::from(image)))
}

/// Show one image of a product.
#[utoipa::path(
    tag = "catalog",
    params(
        ("id" = i64, Path, description = "The product's id."),
        ("image_id" = i64, Path, description = "The image's id."),
    ),
    security(()),
    responses((status = 200, description = "The image.", body = ProductImageDto)),
)]
#[get("/products/{id}/images/{image_id}")]
pub async fn get_product_image(
    state: web::Data<AppState>,
    path: web::Path<ImagePath>,
) -> Result<web::Json<ProductImageDto>, ApiError> {
    let image = state.catalog.image(path.id, path.image_id).await?;
    Ok(web::Json(image.into()))
}

/// A change to an image.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateImageRequest {
    /// The alternative text: one line, at most 300 characters (`""` clears it).
    #[schema(example = "The album, open", max_length = 300)]
    pub alt: String,
}

/// Change an image's alternative text.
#[utoipa::path(
    tag = "catalog",
    params(
        ("id" = i64, Path, description = "The product's id."),
        ("image_id" = i64, Path, description = "The image's id."),
    ),
    request_body = UpdateImageRequest,
    security(("bearer" = ["catalog:write"])),
    responses((status = 200, description = "The image, changed.", body = ProductImageDto)),
)]
#[patch("/products/{id}/images/{image_id}")]
pub async fn update_product_image(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    path: web::Path<ImagePath>,
    Json(body): Json<UpdateImageRequest>,
) -> Result<web::Json<ProductImageDto>, ApiError> {
    let image = state
        .catalog
        .update_image(path.id, path.image_id, &body.alt)
        .await?;
    Ok(web::Json(image.into()))
}

/// Delete an image and its file. When it was the primary image, the first of the others in
/// display order becomes primary.
#[utoipa::path(
    tag = "catalog",
    params(
        ("id" = i64, Path, description = "The product's id."),
        ("image_id" = i64, Path, description = "The image's id."),
    ),
    security(("bearer" = ["catalog:write"])),
    responses((status = 204, description = "The image is gone.")),
)]
#[delete("/products/{id}/images/{image_id}")]
pub async fn delete_product_image(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    path: web::Path<ImagePath>,
) -> Result<HttpResponse, ApiError> {
    state.catalog.delete_image(path.id, path.image_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Make an image its product's primary image; the one that was primary is no longer.
#[utoipa::path(
    tag = "catalog",
    params(
        ("id" = i64, Path, description = "The product's id."),
        ("image_id" = i64, Path, description = "The image's id."),
    ),
    security(("bearer" = ["catalog:write"])),
    responses((status = 200, description = "The image, now primary.", body = ProductImageDto)),
)]
#[post("/products/{id}/images/{image_id}/set-primary")]
pub async fn set_primary_product_image(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    path: web::Path<ImagePath>,
) -> Result<web::Json<ProductImageDto>, ApiError> {
    let image = state
        .catalog
        .set_primary_image(path.id, path.image_id)
        .await?;
    Ok(web::Json(image.into()))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderImagesRequest {
    /// Image ids of the product in the order wanted; images left out follow, in their old
    /// order.
    #[validate(length(min = 1, max = 1000))]
    #[schema(example = json!([9, 7, 8]))]
    pub ids: Vec<i64>,
}

/// Put a product's images in a new display order, in one step.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    request_body = ReorderImagesRequest,
    security(("bearer" = ["catalog:write"])),
    responses((status = 200, description = "The product's images, in the new order.",
        body = Page<ProductImageDto>)),
)]
#[post("/products/{id}/images/reorder")]
pub async fn reorder_product_images(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<ReorderImagesRequest>,
) -> Result<web::Json<Page<ProductImageDto>>, ApiError> {
    let images = state.catalog.reorder_images(*id, &body.ids).await?;
    Ok(web::Json(Page::complete(
        images.into_iter().map(Into::into).collect(),
    )))
}
