//! Storage for stores and their stock.

use async_trait::async_trait;
use domain::catalog::product::ProductId;
use domain::identity::user::UserId;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use domain::stores::inventory::{InventoryItem, Offer, Quantity, StockMovement};
use domain::stores::store::{Store, StoreCode, StoreId, StoreStatus, TimeZone};

use crate::InfraError;

#[derive(Debug, Clone)]
pub struct NewStore {
    pub code: StoreCode,
    pub owner_id: UserId,
    pub name: String,
    pub description: String,
    pub time_zone: TimeZone,
}

/// A change to a store; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StoreChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub time_zone: Option<TimeZone>,
}

/// Which stores a list holds.
#[derive(Debug, Clone, Default)]
pub struct StoreFilter {
    pub owner_id: Option<UserId>,
    pub status: Option<StoreStatus>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreStoreError {
    #[error("no such store")]
    NotFound,
    #[error("a store has this code")]
    CodeTaken,
    #[error("no such owner")]
    UnknownOwner,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait StoreRepository: Send + Sync {
    async fn create(&self, store: &NewStore) -> Result<Store, StoreStoreError>;

    async fn find_by_code(&self, code: &StoreCode) -> Result<Option<Store>, InfraError>;

    /// A page of stores in id order, after `page.after`.
    async fn list(
        &self,
        filter: &StoreFilter,
        page: &PageRequest<StoreId>,
    ) -> Result<Page<Store>, InfraError>;

    async fn update(&self, id: StoreId, change: &StoreChange) -> Result<Store, StoreStoreError>;

    /// Opens or closes the store (closing stamps `closed_at`).
    async fn set_status(&self, id: StoreId, status: StoreStatus) -> Result<Store, StoreStoreError>;
}

/// A change to a store's stock of one product, made by `actor`.
#[derive(Debug, Clone)]
pub struct StockChange {
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub actor: UserId,
    pub kind: StockChangeKind,
}

#[derive(Debug, Clone)]
pub enum StockChangeKind {
    /// Stock comes in; a product the store does not list yet is listed at its list price.
    Receive { quantity: Quantity, note: String },
    /// A correction by `delta` items, explained; only for a listed product.
    Adjust { delta: i32, reason: String },
    /// The store's price; a product the store does not list yet is listed with nothing on hand.
    SetPrice { price: Money },
    /// The store starts to stock the product at `price`, with `quantity` on hand (none when
    /// `None`); refused when it lists the product already.
    List {
        price: Money,
        quantity: Option<Quantity>,
        note: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum StockError {
    #[error("no such product")]
    UnknownProduct,
    #[error("the store does not list the product")]
    NotListed,
    #[error("the store lists the product already")]
    AlreadyListed,
    /// The change would leave fewer items on hand than orders hold.
    #[error("{available} available, {requested} asked for")]
    Insufficient { available: i32, requested: i32 },
    #[error("too many items on hand")]
    TooMany,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait InventoryRepository: Send + Sync {
    /// A page of the store's lines in product id order, after `page.after`.
    async fn list(
        &self,
        store: StoreId,
        page: &PageRequest<ProductId>,
    ) -> Result<Page<InventoryItem>, InfraError>;

    async fn find(
        &self,
        store: StoreId,
        product: ProductId,
    ) -> Result<Option<InventoryItem>, InfraError>;

    /// Applies the change and writes its movement, in one transaction that holds the line's
    /// lock: concurrent changes to one line apply one after the other, each to the stock the
    /// one before left.
    async fn change(
        &self,
        change: &StockChange,
    ) -> Result<(InventoryItem, StockMovement), StockError>;

    /// What the store offers of each of `products` it stocks (others are left out).
    async fn offers(
        &self,
        store: StoreId,
        products: &[ProductId],
    ) -> Result<Vec<Offer>, InfraError>;

    /// A page of the store's movements, newest first, of one product or of all.
    async fn movements(
        &self,
        store: StoreId,
        product: Option<ProductId>,
        page: &PageRequest<i64>,
    ) -> Result<Page<StockMovement>, InfraError>;
}
