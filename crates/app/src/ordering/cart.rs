//! The cart's use cases.

use domain::Invalid;
use domain::catalog::product::{ProductId, ProductStatus};
use domain::identity::user::Principal;
use domain::money::Money;
use domain::ordering::cart::{self, CartLine, CartLineId, CartQuantity, MAX_LINES};

use super::{Ordering, OrderingError};
use crate::catalog::Priced;
use crate::stores::store_named;

/// A line to add, as received.
#[derive(Debug, Clone)]
pub struct AddToCart {
    /// The store's code.
    pub store: String,
    pub product_id: ProductId,
    pub quantity: i64,
}

/// A person's cart as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// What the lines that can be bought now cost together.
    pub total: Money,
}

impl Ordering {
    pub async fn cart(&self, caller: &Principal) -> Result<Priced<Cart>, OrderingError> {
        let lines = self.ports.cart.lines(caller.user_id).await?;
        let total = cart::total(&lines);
        self.priced(Cart { lines, total }).await
    }

    /// Adds to the line of the product at the store (making it if needed). The store must be
    /// open and offer the product, with at least `quantity` available now.
    pub async fn add_to_cart(
        &self,
        caller: &Principal,
        input: AddToCart,
    ) -> Result<Priced<Cart>, OrderingError> {
        let quantity = CartQuantity::parse(input.quantity)
            .map_err(|reason| OrderingError::invalid("quantity", reason))?;
        let no_store = || OrderingError::invalid("store", Invalid::new("names no store"));
        let store = store_named(self.ports.stores.as_ref(), &input.store)
            .await?
            .ok_or_else(no_store)?;
        let product = self
            .ports
            .products
            .find(input.product_id)
            .await?
            .ok_or_else(|| {
                OrderingError::invalid("product_id", Invalid::new("names no product"))
            })?;
        if !store.is_open() {
            return Err(OrderingError::StoreClosed);
        }
        if product.status != ProductStatus::Active {
            return Err(OrderingError::ProductArchived);
        }
        let offer = self
            .ports
            .inventory
            .offers(store.id, &[product.id])
            .await?
            .pop()
            .ok_or(OrderingError::NotStocked)?;
        let available = offer.available;
        if quantity.get() > available {
            return Err(OrderingError::InsufficientStock {
                available,
                requested: quantity.get(),
            });
        }
        self.ports
            .cart
            .add(caller.user_id, store.id, product.id, quantity, MAX_LINES)
            .await?;
        self.cart(caller).await
    }

    pub async fn set_cart_quantity(
        &self,
        caller: &Principal,
        line: CartLineId,
        quantity: i64,
    ) -> Result<Priced<Cart>, OrderingError> {
        let quantity = CartQuantity::parse(quantity)
            .map_err(|reason| OrderingError::invalid("quantity", reason))?;
        self.ports
            .cart
            .set_quantity(caller.user_id, line, quantity)
            .await?;
        self.cart(caller).await
    }

    pub async fn remove_from_cart(
        &self,
        caller: &Principal,
        line: CartLineId,
    ) -> Result<(), OrderingError> {
        Ok(self.ports.cart.remove(caller.user_id, line).await?)
    }

    pub async fn clear_cart(&self, caller: &Principal) -> Result<(), OrderingError> {
        Ok(self.ports.cart.clear(caller.user_id).await?)
    }
}
