//! Checkout and orders: placing them, reading them, and moving them along their way.

use actix_web::{HttpResponse, get, post, web};
use app::ordering::{Checkout, CheckoutItem, OrderDetail, ShipTo};
use chrono::{DateTime, Utc};
use domain::identity::address::AddressFields;
use domain::ordering::order::{Order, OrderAction, OrderEvent, OrderItem, OrderStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Caller;
use crate::extract::Json;
use crate::identity::addresses::AddressRequest;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// Where an order goes, as it was when the order was placed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShippingAddress)]
pub struct ShippingAddressDto {
    pub name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
}

impl From<AddressFields> for ShippingAddressDto {
    fn from(a: AddressFields) -> Self {
        Self {
            name: a.name,
            phone: a.phone,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            state: a.state,
            postal_code: a.postal_code,
            country: a.country,
        }
    }
}

/// A product as it was sold: its name and price then, whatever they are now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrderItem)]
pub struct OrderItemDto {
    /// `product`, or `extra_photos`: photos selected beyond the package's allowance.
    #[schema(example = "product")]
    pub kind: &'static str,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub unit_price: MoneyDto,
    pub quantity: i32,
    pub line_total: MoneyDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Shipment)]
pub struct ShipmentDto {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: DateTime<Utc>,
    /// What the carrier last said, as it said it.
    #[schema(value_type = Option<Object>)]
    pub tracking_details: Option<Value>,
    pub tracking_last_sync: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrderEvent)]
pub struct OrderEventDto {
    /// `place`, `part_payment`, `pay`, `ship`, `deliver`, `complete`, `cancel` or `expire`.
    pub action: &'static str,
    pub from_status: Option<&'static str>,
    pub to_status: &'static str,
    /// Who did it (a username); null for the system.
    pub actor: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl From<OrderEvent> for OrderEventDto {
    fn from(event: OrderEvent) -> Self {
        Self {
            action: event.action.as_str(),
            from_status: event.from.map(OrderStatus::as_str),
            to_status: event.to.as_str(),
            actor: event.actor.map(|actor| actor.name),
            note: event.note,
            created_at: event.created_at,
        }
    }
}

/// An order: what one store sells one buyer, at the prices of the moment it was placed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Order)]
pub struct OrderDto {
    pub id: i64,
    /// What people quote: the day it was placed and a running number.
    #[schema(example = "20261124-000042")]
    pub number: String,
    /// `pending_payment`, `paid`, `shipped`, `delivered`, `completed`, `cancelled`, `expired`
    /// or `refunded`.
    #[schema(example = "pending_payment")]
    pub status: &'static str,
    /// The buyer's username.
    pub buyer: String,
    /// The store's code.
    pub store: String,
    pub items: Vec<OrderItemDto>,
    pub subtotal: MoneyDto,
    /// What the coupon took off.
    pub discount: MoneyDto,
    /// The coupon it was placed with.
    pub coupon: Option<String>,
    pub total: MoneyDto,
    /// Paid so far (an order may be paid in parts).
    pub paid: MoneyDto,
    /// Still to pay.
    pub owed: MoneyDto,
    pub refunded: MoneyDto,
    pub email: Option<String>,
    pub shipping_address: Option<ShippingAddressDto>,
    pub note: String,
    /// An unpaid order holds its stock until then, and expires if still unpaid.
    pub reserved_until: DateTime<Utc>,
    pub shipment: Option<ShipmentDto>,
    pub paid_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// When it was cancelled, expired or refunded.
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Order> for OrderDto {
    fn from(order: Order) -> Self {
        let currency = order.currency.clone();
        let money = |amount| MoneyDto::new(amount, &currency);
        let item = |item: OrderItem| OrderItemDto {
            product_id: item.product_id,
            sku: item.sku,
            kind: item.kind.as_str(),
            product_name: item.product_name,
            unit_price: money(item.unit_price),
            quantity: item.quantity,
            line_total: money(item.line_total),
        };
        Self {
            id: order.id,
            status: order.status.as_str(),
            buyer: order.buyer.name.clone(),
            store: order.store.name.clone(),
            subtotal: money(order.subtotal),
            discount: money(order.discount),
            coupon: order.coupon_code.clone(),
            total: money(order.total),
            paid: money(order.paid_amount),
            owed: money(order.owed()),
            refunded: money(order.refunded_amount),
            items: order.items.into_iter().map(item).collect(),
            number: order.number,
            email: order.email,
            shipping_address: order.shipping_address.map(Into::into),
            note: order.note,
            reserved_until: order.reserved_until,
            shipment: order.shipment.map(|s| ShipmentDto {
                carrier: s.carrier,
                tracking_number: s.tracking_number,
                shipped_at: s.shipped_at,
                tracking_details: s.tracking_details,
                tracking_last_sync: s.tracking_last_sync,
            }),
            paid_at: order.paid_at,
            delivered_at: order.delivered_at,
            completed_at: order.completed_at,
            closed_at: order.closed_at,
            created_at: order.created_at,
            updated_at: order.updated_at,
        }
    }
}

/// An order with its payments and history.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrderDetail)]
pub struct OrderDetailDto {
    #[serde(flatten)]
    pub order: OrderDto,
    /// Oldest first.
    pub payments: Vec<super::payments::PaymentDto>,
    /// Oldest first.
    pub events: Vec<OrderEventDto>,
}

impl From<OrderDetail> for OrderDetailDto {
    fn from(detail: OrderDetail) -> Self {
        Self {
            order: detail.order.into(),
            payments: detail.payments.into_iter().map(Into::into).collect(),
            events: detail.events.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CheckoutItem)]
pub struct CheckoutItemRequest {
    /// The store's code.
    #[schema(example = "atelier-flagship")]
    pub store: String,
    pub product_id: i64,
    #[schema(example = 1, minimum = 1, maximum = 999)]
    pub quantity: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CheckoutRequest)]
pub struct CheckoutRequest {
    /// What to order. Absent: everything in the cart (whose lines are then removed).
    pub items: Option<Vec<CheckoutItemRequest>>,
    /// An address of the caller's address book.
    pub address_id: Option<i64>,
    /// An address given here instead. With neither, the default address of the address book
    /// is used, if there is one.
    pub address: Option<AddressRequest>,
    /// For the store, at most 500 characters.
    #[serde(default)]
    pub note: String,
    /// A coupon code: it goes to its store's order, or (a coupon of no store) to the order with
    /// the largest subtotal. `POST /api/v1/marketing/coupons/validate` tells in advance.
    #[schema(example = "SPRING10")]
    pub coupon: Option<String>,
}

/// The orders checkout placed, one per store.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Checkout)]
pub struct CheckoutDto {
    /// By store id.
    pub orders: Vec<OrderDto>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    /// Only orders in this status.
    pub status: Option<String>,
}

impl OrderQuery {
    fn status(&self) -> Result<Option<OrderStatus>, ApiError> {
        self.status
            .as_deref()
            .map(|raw| {
                OrderStatus::parse(raw).ok_or_else(|| {
                    ApiError::bad_request(format!("`status` must be one of {}.", statuses()))
                })
            })
            .transpose()
    }
}

fn statuses() -> String {
    OrderStatus::ALL
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ShipmentRequest)]
pub struct ShipRequest {
    #[schema(example = "SF Express", max_length = 100)]
    pub carrier: String,
    #[schema(example = "SF1234567890", max_length = 100)]
    pub tracking_number: String,
}

/// Place orders: one per store, from the cart or the items named.
///
/// Each order keeps its items' names and prices as they are now, and holds their stock until
/// `reserved_until` (the `orders.reservation_seconds` setting, 15 minutes by default); an order
/// still unpaid then expires and lets the stock go. When any item cannot be had, nothing is
/// placed and the problem lists every such item under `items`.
#[utoipa::path(
    tag = "ordering",
    params(crate::idempotency::IdempotencyKey),
    request_body = CheckoutRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The orders, one per store.", body = CheckoutDto),
        (status = 409, description = "`insufficient_stock`, `not_stocked`, `store_closed` or \
            `product_archived` (the issue of the first item listed): `items` lists each item that \
            cannot be had, with `store`, `product_id`, `requested`, `available` and `issue`.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn create_orders(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<CheckoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let ship_to = match (body.address_id, body.address) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_field(
                "address",
                "give `address_id` or `address`, not both",
            ));
        }
        (Some(id), None) => ShipTo::Saved(id),
        (None, Some(address)) => ShipTo::Given(address.into()),
        (None, None) => ShipTo::Default,
    };
    let input = Checkout {
        items: body.items.map(|items| {
            items
                .into_iter()
                .map(|item| CheckoutItem {
                    store: item.store,
                    product_id: item.product_id,
                    quantity: item.quantity,
                })
                .collect()
        }),
        ship_to,
        note: body.note,
        coupon: body.coupon,
    };
    let orders = state.ordering.checkout(&caller.principal, input).await?;
    Ok(HttpResponse::Created().json(CheckoutDto {
        orders: orders.into_iter().map(Into::into).collect(),
    }))
}

/// List my orders, newest first.
#[utoipa::path(
    tag = "ordering",
    params(OrderQuery, PageQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "A page of orders.", body = Page<OrderDto>)),
)]
#[get("")]
pub async fn list_orders(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    query: web::Query<OrderQuery>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<OrderDto>>, ApiError> {
    let orders = state
        .ordering
        .my_orders(&caller.principal, query.status()?, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(orders, |order| order.id)))
}

/// List a store's orders, newest first (its owner, or staff with `orders:read_all`).
#[utoipa::path(
    tag = "ordering",
    params(("code" = String, Path, description = "The store's code."), OrderQuery, PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of orders.", body = Page<OrderDto>),
        (status = 403, description = "Neither the store's owner nor staff with `orders:read_all`.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/{code}/orders")]
pub async fn list_store_orders(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<OrderQuery>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<OrderDto>>, ApiError> {
    let orders = state
        .ordering
        .store_orders(&caller.principal, &code, query.status()?, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(orders, |order| order.id)))
}

/// Show an order with its history (its buyer, its store's owner, staff with `orders:read_all`).
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number.")),
    security(("bearer" = [])),
    responses((status = 200, description = "The order.", body = OrderDetailDto)),
)]
#[get("/{number}")]
pub async fn get_order(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<OrderDetailDto>, ApiError> {
    let detail = state.ordering.order(&caller.principal, &number).await?;
    Ok(web::Json(detail.into()))
}

async fn act(
    caller: &Caller,
    state: &AppState,
    number: &str,
    action: OrderAction,
) -> Result<web::Json<OrderDto>, ApiError> {
    let order = state
        .ordering
        .act(&caller.0.principal, number, action, None)
        .await?;
    Ok(web::Json(order.into()))
}

/// Cancel an order: unpaid, its stock is let go; paid and not shipped, it is refunded to where
/// it was paid from.
///
/// The buyer, the store's owner or staff with `orders:manage`.
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number."), crate::idempotency::IdempotencyKey),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The order, cancelled or refunded.", body = OrderDto),
        (status = 403, description = "Not the buyer, the store's owner or staff with `orders:manage`.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: shipped, or already closed; \
            `refund_not_covered`: the store owner's wallet no longer holds what the order paid.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/cancel", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn cancel_order(
    caller: Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<OrderDto>, ApiError> {
    act(&caller, &state, &number, OrderAction::Cancel).await
}

/// Ship a paid order, with the carrier and its tracking number (the store's owner or staff
/// with `orders:manage`).
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number.")),
    request_body = ShipRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The order, shipped.", body = OrderDto),
        (status = 403, description = "Not the store's owner or staff with `orders:manage`.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not paid, or shipped already.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/ship")]
pub async fn ship_order(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
    Json(body): Json<ShipRequest>,
) -> Result<web::Json<OrderDto>, ApiError> {
    let order = state
        .ordering
        .ship(
            &caller.principal,
            &number,
            &body.carrier,
            &body.tracking_number,
        )
        .await?;
    Ok(web::Json(order.into()))
}

/// Say a shipped order has arrived (the buyer, or staff with `orders:manage`).
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The order, delivered.", body = OrderDto),
        (status = 403, description = "Not the buyer or staff with `orders:manage`.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not shipped.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/deliver")]
pub async fn deliver_order(
    caller: Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<OrderDto>, ApiError> {
    act(&caller, &state, &number, OrderAction::Deliver).await
}

/// Close a delivered order as done (the buyer, or staff with `orders:manage`).
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The order, completed.", body = OrderDto),
        (status = 403, description = "Not the buyer or staff with `orders:manage`.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`: not delivered.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/complete")]
pub async fn complete_order(
    caller: Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<OrderDto>, ApiError> {
    act(&caller, &state, &number, OrderAction::Complete).await
}

/// Ask the carrier where a shipped order's parcel is (its buyer, its store's owner, staff).
///
/// The answer is kept with the order (`shipment.tracking_details`, `tracking_last_sync`); the
/// tracking service is asked about one order at most once per `ATELIER_TRACKING_MIN_INTERVAL_SECS`,
/// and a refresh sooner returns what is kept.
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number.")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The order with its tracking details.", body = OrderDto),
        (status = 409, description = "`not_shipped`; `conflict` when no tracking service is set up.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/tracking/refresh")]
pub async fn refresh_order_tracking(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<web::Json<OrderDto>, ApiError> {
    let order = state
        .ordering
        .refresh_tracking(&caller.principal, &number)
        .await?;
    Ok(web::Json(order.into()))
}
