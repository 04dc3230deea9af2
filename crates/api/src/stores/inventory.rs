//! A store's stock: its lines, receipts, adjustments, prices and the movements they leave.

use actix_web::{HttpResponse, get, post, put, web};
use app::catalog::Priced;
use app::stores::StockInput;
use chrono::{DateTime, Utc};
use domain::stores::inventory::{InventoryItem, StockMovement};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

/// A store's line for one product.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = InventoryItem)]
pub struct InventoryItemDto {
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    /// Items in the store.
    pub on_hand: i32,
    /// Items held by unpaid orders.
    pub reserved: i32,
    /// `on_hand - reserved`: what buyers can order.
    pub available: i32,
    /// The store's price.
    pub price: MoneyDto,
    pub updated_at: DateTime<Utc>,
}

impl InventoryItemDto {
    pub(super) fn new(item: InventoryItem, currency: &str) -> Self {
        Self {
            product_id: item.product_id,
            sku: item.sku,
            product_name: item.product_name,
            on_hand: item.level.on_hand,
            reserved: item.level.reserved,
            available: item.level.available(),
            price: MoneyDto::new(item.price, currency),
            updated_at: item.updated_at,
        }
    }
}

/// One change to a store's stock of a product, with the figures after it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StockMovement)]
pub struct StockMovementDto {
    pub id: i64,
    pub product_id: i64,
    /// `receipt`, `adjustment`, `repricing`, `reservation`, `release`, `sale` or `return`.
    pub reason: &'static str,
    pub on_hand_delta: i32,
    pub reserved_delta: i32,
    pub on_hand_after: i32,
    pub reserved_after: i32,
    pub price_after: MoneyDto,
    /// What the person who made it wrote (an adjustment's reason, a receipt's note).
    pub note: String,
    /// Who made it (a username); null for the system.
    pub actor: Option<String>,
    /// The order behind a reservation, release or sale.
    pub order_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl StockMovementDto {
    fn new(movement: StockMovement, currency: &str) -> Self {
        Self {
            id: movement.id,
            product_id: movement.product_id,
            reason: movement.reason.as_str(),
            on_hand_delta: movement.on_hand_delta,
            reserved_delta: movement.reserved_delta,
            on_hand_after: movement.after.on_hand,
            reserved_after: movement.after.reserved,
            price_after: MoneyDto::new(movement.price_after, currency),
            note: movement.note,
            actor: movement.actor.map(|actor| actor.username),
            order_id: movement.order_id,
            created_at: movement.created_at,
        }
    }
}

/// A change made: the line after it, and its movement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockChangeDto {
    pub item: InventoryItemDto,
    pub movement: StockMovementDto,
}

impl From<Priced<(InventoryItem, StockMovement)>> for StockChangeDto {
    fn from(priced: Priced<(InventoryItem, StockMovement)>) -> Self {
        let (item, movement) = priced.item;
        Self {
            item: InventoryItemDto::new(item, &priced.currency),
            movement: StockMovementDto::new(movement, &priced.currency),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockReceiptRequest {
    /// Items that came in: 1 to 1000000.
    #[schema(example = 20, minimum = 1, maximum = 1000000)]
    pub quantity: i64,
    #[schema(
        example = "Delivery 2026-11-24 from 北京十月文艺出版社",
        max_length = 500
    )]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockAdjustmentRequest {
    /// Items to add (positive) or take away (negative); not zero. Items held by orders cannot
    /// be taken away.
    #[schema(example = -2, minimum = -1000000, maximum = 1000000)]
    pub delta: i64,
    /// Why: a count, damage, a loss.
    #[schema(example = "Two copies water-damaged", max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorePriceRequest {
    /// A decimal string, at most two places.
    #[schema(value_type = String, example = "27.50")]
    pub price: Decimal,
}

/// A store's line for one product, as a path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LinePath {
    /// The store's code.
    code: String,
    /// The product's id.
    product_id: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// Only the movements of this product.
    pub product_id: Option<i64>,
}

/// List a store's stock, by product id.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code."), PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the store's lines.", body = Page<InventoryItemDto>),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/{code}/inventory")]
pub async fn list_inventory(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<InventoryItemDto>>, ApiError> {
    let Priced { item, currency } = state
        .stores
        .inventory(&caller.principal, &code, &page.request()?)
        .await?;
    Ok(web::Json(Page::of_mapped(
        item,
        |line| line.product_id,
        |line| InventoryItemDto::new(line, &currency),
    )))
}

/// Get a store's line for one product.
#[utoipa::path(
    tag = "stores",
    params(LinePath),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The line.", body = InventoryItemDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/{code}/inventory/{product_id}")]
pub async fn get_inventory_item(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    path: web::Path<LinePath>,
) -> Result<web::Json<InventoryItemDto>, ApiError> {
    let Priced { item, currency } = state
        .stores
        .inventory_item(&caller.principal, &path.code, path.product_id)
        .await?;
    Ok(web::Json(InventoryItemDto::new(item, &currency)))
}

async fn change(
    caller: &Caller,
    state: &AppState,
    line: &LinePath,
    input: StockInput,
) -> Result<StockChangeDto, ApiError> {
    let changed = state
        .stores
        .change_stock(&caller.0.principal, &line.code, line.product_id, input)
        .await?;
    Ok(changed.into())
}

/// Receive stock of a product.
///
/// A product the store does not stock yet is listed at its list price.
#[utoipa::path(
    tag = "stores",
    params(LinePath),
    request_body = StockReceiptRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The line after the receipt, and its movement.",
            body = StockChangeDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`store_closed`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{code}/inventory/{product_id}/receipts")]
pub async fn create_stock_receipt(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<LinePath>,
    Json(body): Json<StockReceiptRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = StockInput::Receive {
        quantity: body.quantity,
        note: body.note,
    };
    let changed = change(&caller, &state, &path, input).await?;
    Ok(HttpResponse::Created().json(changed))
}

/// Adjust a store's stock of a product, saying why.
#[utoipa::path(
    tag = "stores",
    params(LinePath),
    request_body = StockAdjustmentRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The line after the adjustment, and its movement.",
            body = StockChangeDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`insufficient_stock` (it would take items orders hold, \
            or more than there are) or `store_closed`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{code}/inventory/{product_id}/adjustments")]
pub async fn create_stock_adjustment(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<LinePath>,
    Json(body): Json<StockAdjustmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = StockInput::Adjust {
        delta: body.delta,
        reason: body.reason,
    };
    let changed = change(&caller, &state, &path, input).await?;
    Ok(HttpResponse::Created().json(changed))
}

/// Set a store's price for a product.
///
/// A product the store does not stock yet is listed with nothing on hand.
#[utoipa::path(
    tag = "stores",
    params(LinePath),
    request_body = StorePriceRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The line with its new price, and the movement.",
            body = StockChangeDto),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 409, description = "`store_closed`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/{code}/inventory/{product_id}/price")]
pub async fn set_store_price(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<LinePath>,
    Json(body): Json<StorePriceRequest>,
) -> Result<web::Json<StockChangeDto>, ApiError> {
    let input = StockInput::SetPrice { price: body.price };
    Ok(web::Json(change(&caller, &state, &path, input).await?))
}

/// List a store's stock movements, newest first.
#[utoipa::path(
    tag = "stores",
    params(("code" = String, Path, description = "The store's code."), PageQuery, MovementQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of movements.", body = Page<StockMovementDto>),
        (status = 403, description = "Neither the owner nor staff with `stores:manage`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/{code}/stock-movements")]
pub async fn list_stock_movements(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    page: web::Query<PageQuery>,
    query: web::Query<MovementQuery>,
) -> Result<web::Json<Page<StockMovementDto>>, ApiError> {
    let Priced { item, currency } = state
        .stores
        .movements(&caller.principal, &code, query.product_id, &page.request()?)
        .await?;
    Ok(web::Json(Page::of_mapped(
        item,
        |movement| movement.id,
        |movement| StockMovementDto::new(movement, &currency),
    )))
}
