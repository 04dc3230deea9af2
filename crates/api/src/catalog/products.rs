//! Products.

use std::str::FromStr;

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::catalog::{Catalog, Listing, Priced, ProductInput, ProductPatch};
use chrono::{DateTime, Utc};
use domain::catalog::product::{
    Product, ProductFilter, ProductKey, ProductKind, ProductSort, ProductStatus,
};
use domain::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Product, example = json!({
    "id": 42, "sku": "9787530209622", "kind": "book", "name": "撒哈拉的故事",
    "description": "三毛的散文集。", "detailed_description": "",
    "list_price": {"amount": "29.90", "currency": "CNY"}, "category_id": 3, "status": "active",
    "attributes": {"author": "三毛", "publisher": "北京十月文艺出版社", "pages": 268},
    "tags": ["散文", "旅行"],
    "created_at": "2026-11-24T09:00:00Z", "updated_at": "2026-11-24T09:00:00Z"
}))]
pub struct ProductDto {
    pub id: i64,
    /// The business key; unique.
    pub sku: String,
    /// `goods`, `book` or `package`.
    pub kind: &'static str,
    pub name: String,
    pub description: String,
    pub detailed_description: String,
    /// The price stores start from; each store sets its own.
    pub list_price: MoneyDto,
    pub category_id: Option<i64>,
    /// `active` or `archived`.
    pub status: &'static str,
    /// Kind-specific fields: for a book `author`, `publisher`, `original_title`,
    /// `translator`, `pub_year`, `pages`, `binding`, `isbn`, `author_intro`, `book_intro`,
    /// `content` (sample), `currency_unit`.
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
    pub tags: Vec<String>,
    /// Where its primary image is served; null while it has no image.
    pub primary_image_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In a list scoped to a store: what that store offers of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferDto>,
}

/// What a store offers of a product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Offer)]
pub struct OfferDto {
    /// The store's code.
    pub store: String,
    /// The store's price.
    pub price: MoneyDto,
    /// How many can be ordered now.
    pub available: i32,
}

impl ProductDto {
    pub fn priced(priced: Priced<Product>, catalog: &Catalog) -> Self {
        Self::new(priced.item, &priced.currency, catalog)
    }

    /// A product in a list, with its offer when the list is scoped to `store`.
    pub fn listed(
        listing: Listing,
        store: Option<&str>,
        currency: &str,
        catalog: &Catalog,
    ) -> Self {
        let offer = listing.offer.zip(store).map(|(offer, store)| OfferDto {
            store: store.to_owned(),
            price: MoneyDto::new(offer.price, currency),
            available: offer.available,
        });
        Self {
            offer,
            ..Self::new(listing.product, currency, catalog)
        }
    }

    /// A product with its prices in `currency`; `catalog` tells where its image is served.
    pub fn new(product: Product, currency: &str, catalog: &Catalog) -> Self {
        Self {
            id: product.id,
            sku: product.sku.as_str().to_owned(),
            kind: product.kind.as_str(),
            name: product.name,
            description: product.description,
            detailed_description: product.detailed_description,
            list_price: MoneyDto::new(product.list_price, currency),
            category_id: product.category_id,
            status: product.status.as_str(),
            attributes: product.attributes,
            tags: product.tags,
            primary_image_url: product
                .primary_image
                .as_ref()
                .map(|key| catalog.media_url(key)),
            created_at: product.created_at,
            updated_at: product.updated_at,
            offer: None,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProductRequest {
    /// 1 to 64 printable ASCII characters without spaces or `/`; unique.
    #[schema(example = "9787530209622", max_length = 64)]
    pub sku: String,
    /// `goods` (the default), `book` or `package`.
    #[schema(example = "book")]
    pub kind: Option<String>,
    #[schema(example = "撒哈拉的故事", max_length = 200)]
    pub name: String,
    #[schema(example = "三毛的散文集。", max_length = 5000)]
    pub description: Option<String>,
    #[schema(max_length = 100000)]
    pub detailed_description: Option<String>,
    /// A decimal string, at most two places.
    #[schema(value_type = String, example = "29.90")]
    pub list_price: Decimal,
    pub category_id: Option<i64>,
    /// `active` (the default) or `archived`.
    pub status: Option<String>,
    /// Kind-specific fields (see `Product.attributes`); a book's are checked by name and type.
    #[schema(value_type = Object, example = json!({"author": "三毛", "pages": 268}))]
    pub attributes: Option<Map<String, Value>>,
    #[schema(example = json!(["散文", "旅行"]))]
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Only products in this category.
    pub category_id: Option<i64>,
    /// Only products with this tag.
    pub tag: Option<String>,
    /// `active` (the default), `archived` or `all`.
    pub status: Option<String>,
    /// `goods`, `book` or `package`.
    pub kind: Option<String>,
    /// Only products at this list price or above (a decimal).
    pub min_price: Option<String>,
    /// Only products at this list price or below (a decimal).
    pub max_price: Option<String>,
    /// `newest` (the default), `price` (cheapest first) or `name`.
    pub sort: Option<String>,
    /// Only what this store (a code) stocks, each with the store's offer; prices (filters,
    /// sort) are then the store's.
    pub store: Option<String>,
}

impl ProductQuery {
    fn filter(self) -> Result<ProductFilter, ApiError> {
        let bad = |name: &str, reason: domain::Invalid| {
            ApiError::bad_request(format!("`{name}` {reason}."))
        };
        let price = |name: &str, raw: Option<String>| -> Result<Option<Money>, ApiError> {
            raw.map(|raw| {
                let amount = Decimal::from_str(raw.trim())
                    .map_err(|_| ApiError::bad_request(format!("`{name}` must be a decimal.")))?;
                Money::parse(amount).map_err(|reason| bad(name, reason))
            })
            .transpose()
        };
        Ok(ProductFilter {
            category_id: self.category_id,
            tag: self.tag,
            status: match self.status.as_deref() {
                None => Some(ProductStatus::Active),
                Some("all") => None,
                Some(raw) => Some(ProductStatus::parse(raw).map_err(|r| bad("status", r))?),
            },
            kind: self
                .kind
                .as_deref()
                .map(ProductKind::parse)
                .transpose()
                .map_err(|r| bad("kind", r))?,
            min_price: price("min_price", self.min_price)?,
            max_price: price("max_price", self.max_price)?,
            store: None,
            sort: self
                .sort
                .as_deref()
                .map(ProductSort::parse)
                .transpose()
                .map_err(|r| bad("sort", r))?
                .unwrap_or_default(),
        })
    }
}

/// Where a page ends, as the cursor carries it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
enum CursorKey {
    Newest { at: DateTime<Utc>, id: i64 },
    Price { price: Decimal, id: i64 },
    Name { name: String, id: i64 },
}

impl From<ProductKey> for CursorKey {
    fn from(key: ProductKey) -> Self {
        match key {
            ProductKey::Newest(at, id) => Self::Newest { at, id },
            ProductKey::Price(price, id) => Self::Price { price, id },
            ProductKey::Name(name, id) => Self::Name { name, id },
        }
    }
}

impl From<CursorKey> for ProductKey {
    fn from(key: CursorKey) -> Self {
        match key {
            CursorKey::Newest { at, id } => Self::Newest(at, id),
            CursorKey::Price { price, id } => Self::Price(price, id),
            CursorKey::Name { name, id } => Self::Name(name, id),
        }
    }
}

/// Browse products.
///
/// Filter by category, tag, status, kind and list price; sort by newest, price or name; page
/// with `next_cursor`. With `store`, only what that store stocks, each with its offer, and
/// prices are the store's. Needs no login.
#[utoipa::path(
    tag = "catalog",
    params(PageQuery, ProductQuery),
    security(()),
    responses((status = 200, description = "A page of products.", body = Page<ProductDto>)),
)]
#[get("/products")]
pub async fn list_products(
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<ProductQuery>,
) -> Result<web::Json<Page<ProductDto>>, ApiError> {
    let mut query = query.into_inner();
    let store = query.store.take();
    let filter = query.filter()?;
    let request = page.request_keyed::<CursorKey>()?;
    let request = domain::pagination::PageRequest {
        limit: request.limit,
        after: request.after.map(ProductKey::from),
    };
    let Priced { item, currency } = state
        .catalog
        .browse_products(&filter, store.as_deref(), &request)
        .await?;
    Ok(web::Json(Page::of_mapped(
        item,
        |listing: &Listing| {
            let price = listing
                .offer
                .as_ref()
                .map_or(listing.product.list_price, |offer| offer.price);
            CursorKey::from(ProductKey::of(filter.sort, &listing.product, price))
        },
        |listing| ProductDto::listed(listing, store.as_deref(), &currency, &state.catalog),
    )))
}

/// Add a product.
#[utoipa::path(
    tag = "catalog",
    request_body = CreateProductRequest,
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 201, description = "The product, created.", body = ProductDto,
            headers(("Location" = String, description = "The product's URL."))),
        (status = 409, description = "`sku_taken`: a product has this SKU.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/products")]
pub async fn create_product(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    Json(body): Json<CreateProductRequest>,
) -> Result<HttpResponse, ApiError> {
    let product = state
        .catalog
        .create_product(ProductInput {
            sku: body.sku,
            kind: body.kind,
            name: body.name,
            description: body.description,
            detailed_description: body.detailed_description,
            list_price: body.list_price,
            category_id: body.category_id,
            status: body.status,
            attributes: body.attributes,
            tags: body.tags,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/catalog/products/{}", product.item.id),
        ))
        .json(ProductDto::priced(product, &state.catalog)))
}

/// Show a product. Needs no login.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    security(()),
    responses((status = 200, description = "The product.", body = ProductDto)),
)]
#[get("/products/{id}")]
pub async fn get_product(
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ProductDto>, ApiError> {
    let product = state.catalog.product(*id).await?;
    Ok(web::Json(ProductDto::priced(product, &state.catalog)))
}

/// A change to a product: a field left out stays as it is; `attributes` and `tags` are
/// replaced whole; `category_id: null` takes the product out of its category.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProductRequest {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    #[schema(max_length = 100000)]
    pub detailed_description: Option<String>,
    #[schema(value_type = Option<String>, example = "32.00")]
    pub list_price: Option<Decimal>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub category_id: Option<Option<i64>>,
    /// `active` or `archived`: archive a product that orders name instead of deleting it.
    pub status: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Map<String, Value>>,
    pub tags: Option<Vec<String>>,
}

/// Change a product, or archive it.
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    request_body = UpdateProductRequest,
    security(("bearer" = ["catalog:write"])),
    responses((status = 200, description = "The product, changed.", body = ProductDto)),
)]
#[patch("/products/{id}")]
pub async fn update_product(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateProductRequest>,
) -> Result<web::Json<ProductDto>, ApiError> {
    let product = state
        .catalog
        .update_product(
            *id,
            ProductPatch {
                name: body.name,
                description: body.description,
                detailed_description: body.detailed_description,
                list_price: body.list_price,
                category_id: body.category_id,
                status: body.status,
                attributes: body.attributes,
                tags: body.tags,
            },
        )
        .await?;
    Ok(web::Json(ProductDto::priced(product, &state.catalog)))
}

/// Delete a product.
///
/// Only while no order names it; otherwise archive it (`PATCH` with `status: archived`).
#[utoipa::path(
    tag = "catalog",
    params(("id" = i64, Path, description = "The product's id.")),
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 204, description = "The product is gone."),
        (status = 409, description = "`product_in_use`: orders name it; archive it instead.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/products/{id}")]
pub async fn delete_product(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.catalog.delete_product(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}
