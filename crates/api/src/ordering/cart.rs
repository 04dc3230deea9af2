//! The cart: lines of products at stores, shown with each store's price and stock now.

use actix_web::{HttpResponse, delete, get, post, put, web};
use app::catalog::Priced;
use app::ordering::{AddToCart, Cart};
use domain::ordering::cart::{CartLine, LineIssue};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::problem::ApiError;
use crate::state::AppState;

/// A person's cart.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Cart)]
pub struct CartDto {
    /// Oldest first.
    pub items: Vec<CartLineDto>,
    /// What the lines without an `issue` cost together, at the stores' prices now.
    pub total: MoneyDto,
}

/// One product at one store, and how many.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CartItem)]
pub struct CartLineDto {
    pub id: i64,
    /// The store's code.
    pub store: String,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub primary_image_url: Option<String>,
    pub quantity: i32,
    /// The store's price now; null when it no longer offers the product.
    pub unit_price: Option<MoneyDto>,
    /// `unit_price` times `quantity`.
    pub line_total: Option<MoneyDto>,
    /// How many the store can sell now.
    pub available: Option<i32>,
    /// Why the line cannot be bought now, if it cannot: `store_closed`, `product_archived`,
    /// `not_stocked` or `insufficient_stock`.
    pub issue: Option<&'static str>,
}

fn cart_dto(priced: Priced<Cart>, state: &AppState) -> CartDto {
    let Priced { item, currency } = priced;
    let line = |line: CartLine| CartLineDto {
        id: line.id,
        issue: line.issue().map(LineIssue::code),
        line_total: line.total().map(|total| MoneyDto::new(total, &currency)),
        unit_price: line
            .offer
            .map(|offer| MoneyDto::new(offer.price, &currency)),
        available: line.offer.map(|offer| offer.available),
        primary_image_url: line
            .primary_image
            .as_ref()
            .map(|key| state.catalog.media_url(key)),
        store: line.store_code,
        product_id: line.product_id,
        sku: line.sku,
        product_name: line.product_name,
        quantity: line.quantity,
    };
    CartDto {
        items: item.lines.into_iter().map(line).collect(),
        total: MoneyDto::new(item.total, &currency),
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddToCartRequest {
    /// The store's code.
    #[schema(example = "atelier-flagship")]
    pub store: String,
    pub product_id: i64,
    /// 1 to 999; added to the line when the cart has one for this product at this store.
    #[schema(example = 1, minimum = 1, maximum = 999)]
    pub quantity: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartQuantityRequest {
    /// 1 to 999.
    #[schema(example = 2, minimum = 1, maximum = 999)]
    pub quantity: i64,
}

/// Show my cart, with each store's price and stock now.
#[utoipa::path(
    tag = "ordering",
    security(("bearer" = [])),
    responses((status = 200, description = "The cart.", body = CartDto)),
)]
#[get("")]
pub async fn get_cart(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<CartDto>, ApiError> {
    let cart = state.ordering.cart(&caller.principal).await?;
    Ok(web::Json(cart_dto(cart, &state)))
}

/// Empty my cart.
#[utoipa::path(
    tag = "ordering",
    security(("bearer" = [])),
    responses((status = 204, description = "The cart is empty.")),
)]
#[delete("")]
pub async fn delete_cart(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state.ordering.clear_cart(&caller.principal).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Put a product of a store in my cart.
///
/// The store must be open and offer the product, with at least `quantity` available now;
/// nothing is held back until checkout.
#[utoipa::path(
    tag = "ordering",
    request_body = AddToCartRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The cart with the line.", body = CartDto),
        (status = 409, description = "`store_closed`, `product_archived`, `not_stocked`, \
            `insufficient_stock` or `cart_full`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/items")]
pub async fn create_cart_item(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<AddToCartRequest>,
) -> Result<HttpResponse, ApiError> {
    let cart = state
        .ordering
        .add_to_cart(
            &caller.principal,
            AddToCart {
                store: body.store,
                product_id: body.product_id,
                quantity: body.quantity,
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(cart_dto(cart, &state)))
}

/// Change how many of a line's product I want.
#[utoipa::path(
    tag = "ordering",
    params(("id" = i64, Path, description = "The cart line's id.")),
    request_body = CartQuantityRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "The cart.", body = CartDto)),
)]
#[put("/items/{id}")]
pub async fn update_cart_item(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<CartQuantityRequest>,
) -> Result<web::Json<CartDto>, ApiError> {
    let cart = state
        .ordering
        .set_cart_quantity(&caller.principal, *id, body.quantity)
        .await?;
    Ok(web::Json(cart_dto(cart, &state)))
}

/// Take a line out of my cart.
#[utoipa::path(
    tag = "ordering",
    params(("id" = i64, Path, description = "The cart line's id.")),
    security(("bearer" = [])),
    responses((status = 204, description = "The line is gone.")),
)]
#[delete("/items/{id}")]
pub async fn delete_cart_item(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state
        .ordering
        .remove_from_cart(&caller.principal, *id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
