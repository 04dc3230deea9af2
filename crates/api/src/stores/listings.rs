//! A seller listing a product in their store, adding it to the catalogue when its SKU is new
//! (the use case the bookstore contract's `add_book` translates to).

use actix_web::{HttpResponse, post, web};
use app::catalog::ProductInput;
use app::stores::{Listed, ListingInput};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use validator::Validate;

use super::inventory::InventoryItemDto;
use crate::auth::{Authorized, require};
use crate::catalog::products::ProductDto;
use crate::extract::Json;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateListingRequest {
    /// The product's SKU: the catalogue's product when it has one, else a new product made of
    /// the fields below.
    #[schema(example = "9787536692930", max_length = 64)]
    pub sku: String,
    /// For a new product: `goods` (the default), `book` or `package`.
    #[schema(example = "book")]
    pub kind: Option<String>,
    /// For a new product.
    #[schema(example = "三体", max_length = 200)]
    pub name: String,
    /// For a new product.
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// For a new product (see `Product.attributes`).
    #[schema(value_type = Object, example = json!({"author": "刘慈欣", "pages": 302}))]
    pub attributes: Option<Map<String, Value>>,
    /// For a new product.
    #[schema(example = json!(["科幻"]))]
    pub tags: Option<Vec<String>>,
    /// The store's price (and a new product's list price): a decimal string, two places at most.
    #[schema(value_type = String, example = "23.00")]
    pub price: Decimal,
    /// Items on hand: 0 to 1000000.
    #[schema(example = 10, minimum = 0, maximum = 1000000)]
    pub quantity: i64,
}

/// A product listed in a store.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Listing)]
pub struct ListingDto {
    pub product: ProductDto,
    pub item: InventoryItemDto,
    /// Whether the listing added the product to the catalogue.
    pub created: bool,
}

/// List a product in a store.
///
/// The store's owner (or staff with `stores:manage`) starts to stock a product at the store's
/// own price. When no product has the SKU yet, the listing adds it to the catalogue first, made
/// of the request's fields; otherwise the product is listed as it is.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code.")),
    request_body = CreateListingRequest,
    security(("bearer" = ["stores:open"]), ("bearer" = ["stores:manage"])),
    responses(
        (status = 201, description = "The product and the store's new line.", body = ListingDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_listed` or `store_closed`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{code}/listings")]
pub async fn create_listing(
    caller: Authorized<require::OpenStores>,
    state: web::Data<AppState>,
    code: web::Path<String>,
    Json(body): Json<CreateListingRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = ListingInput {
        product: ProductInput {
            sku: body.sku,
            kind: body.kind,
            name: body.name,
            description: body.description,
            list_price: body.price,
            attributes: body.attributes,
            tags: body.tags,
            ..ProductInput::default()
        },
        images: Vec::new(),
        price: body.price,
        quantity: body.quantity,
    };
    let listed = state
        .stores
        .list_product(&caller.0.principal, &code, input)
        .await?;
    let Listed {
        product,
        item,
        created,
    } = listed.item;
    Ok(HttpResponse::Created().json(ListingDto {
        product: ProductDto::new(product, &listed.currency, &state.catalog),
        item: InventoryItemDto::new(item, &listed.currency),
        created,
    }))
}
