//! Storage for ordering: the cart.

use async_trait::async_trait;
use domain::catalog::product::ProductId;
use domain::identity::user::UserId;
use domain::ordering::cart::{CartLine, CartLineId, CartQuantity};
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
