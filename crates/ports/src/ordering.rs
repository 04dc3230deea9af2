//! Storage for ordering: the cart and orders.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::catalog::product::ProductId;
use domain::identity::address::AddressFields;
use domain::identity::user::UserId;
use domain::marketing::coupon::{CouponRejection, Discount};
use domain::money::Money;
use domain::ordering::cart::{CartLine, CartLineId, CartQuantity};
use domain::ordering::checkout::{StoreBasket, UnavailableItem};
use domain::ordering::order::{
    IllegalTransition, Order, OrderAction, OrderEvent, OrderId, OrderStatus,
};
use domain::pagination::{Page, PageRequest};
use domain::stores::store::StoreId;

use crate::InfraError;

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("no such cart line")]
    NotFound,
    /// The line would hold more than a line may.
    #[error("too many items in one line")]
    LineTooLarge,
    /// The cart holds as many lines as it may.
    #[error("the cart is full")]
    Full,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait CartRepository: Send + Sync {
    /// The person's lines, oldest first, with their stores, products and offers as they are.
    async fn lines(&self, user: UserId) -> Result<Vec<CartLine>, InfraError>;

    /// Adds `quantity` to the person's line for the product at the store, making the line if
    /// there is none (`Full` when the cart has `max_lines` lines already), atomically.
    async fn add(
        &self,
        user: UserId,
        store: StoreId,
        product: ProductId,
        quantity: CartQuantity,
        max_lines: usize,
    ) -> Result<CartLineId, CartError>;

    async fn set_quantity(
        &self,
        user: UserId,
        line: CartLineId,
        quantity: CartQuantity,
    ) -> Result<(), CartError>;

    async fn remove(&self, user: UserId, line: CartLineId) -> Result<(), CartError>;

    async fn clear(&self, user: UserId) -> Result<(), InfraError>;
}

/// What checkout asks storage to do in one transaction.
#[derive(Debug, Clone)]
pub struct PlaceOrders {
    pub buyer: UserId,
    /// One basket per store, in lock order (`domain::ordering::checkout::baskets`).
    pub baskets: Vec<StoreBasket>,
    pub currency: String,
    pub email: Option<String>,
    pub shipping_address: Option<AddressFields>,
    pub note: String,
    pub reserved_until: DateTime<Utc>,
    /// Remove the ordered products' lines from the buyer's cart.
    pub clear_cart_lines: bool,
    pub coupon: Option<CouponUse>,
}

/// A coupon checkout found to apply, to be redeemed on the order of `store_id`. Its discount is
/// worked out again on the prices locked in the transaction.
#[derive(Debug, Clone)]
pub struct CouponUse {
    pub coupon_id: i64,
    /// As written by the buyer.
    pub code: String,
    pub store_id: StoreId,
    pub discount: Discount,
    pub minimum: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// Some items cannot be had; nothing was changed.
    #[error("{} items cannot be ordered", .0.len())]
    Unavailable(Vec<UnavailableItem>),
    /// An order would cost more than an amount can hold.
    #[error("the order's total is too large")]
    TotalTooLarge,
    /// The coupon no longer applies (used up meanwhile, or the locked prices fell below its
    /// minimum); nothing was changed.
    #[error(transparent)]
    Coupon(#[from] CouponRejection),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Which orders to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub buyer: Option<UserId>,
    pub store: Option<StoreId>,
    pub status: Option<OrderStatus>,
}

/// A change of status, as the use case decided it may be tried.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub order: OrderId,
    pub action: OrderAction,
    /// Who does it; `None` for the system.
    pub actor: Option<UserId>,
    pub note: String,
    /// Carrier and tracking number, for `Ship`.
    pub shipment: Option<(String, String)>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    #[error("no such order")]
    NotFound,
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    /// A refund would take more from the store owner's wallet than it holds (they withdrew
    /// what the order paid them); nothing was changed.
    #[error("the store owner's wallet does not cover the refund")]
    RefundNotCovered,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait OrderRepository: Send + Sync {
    /// Places one order per basket at once: reserves every line with a guarded statement in
    /// lock order, snapshots prices and names, writes items, stock movements and a `place`
    /// event. If any item cannot be had, changes nothing and says which.
    async fn place(&self, request: &PlaceOrders) -> Result<Vec<OrderId>, PlaceError>;

    async fn find(&self, id: OrderId) -> Result<Option<Order>, InfraError>;

    async fn find_by_number(&self, number: &str) -> Result<Option<Order>, InfraError>;

    /// Newest first.
    async fn list(
        &self,
        filter: &OrderFilter,
        page: &PageRequest<OrderId>,
    ) -> Result<Page<Order>, InfraError>;

    /// Oldest first.
    async fn events(&self, id: OrderId) -> Result<Vec<OrderEvent>, InfraError>;

    /// Applies a change of status under the order's row lock: the state machine decides (an
    /// illegal move changes nothing), the stock follows (`domain::ordering::order::stock_effect`),
    /// and an event is written.
    async fn change_status(&self, change: &StatusChange) -> Result<Order, StatusChangeError>;

    /// Expires up to `limit` unpaid orders whose reservation ended before `now`, releasing their
    /// stock. Safe to run in several processes at once (rows claimed with `SKIP LOCKED`).
    async fn expire_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OrderId>, InfraError>;
}
