//! Ordering: the cart (and, with checkout, orders).
//!
//! A cart belongs to its person; its lines show each store's price and stock as they are now,
//! and say why a line cannot be bought when it cannot. Nothing is held back before checkout.

mod cart;
mod error;

use std::sync::Arc;

use ports::catalog::ProductRepository;
use ports::ordering::CartRepository;
use ports::stores::{InventoryRepository, StoreRepository};

use crate::backoffice::settings::SettingsService;
use crate::catalog::Priced;

pub use cart::{AddToCart, Cart};
pub use error::OrderingError;

#[derive(Clone)]
pub struct OrderingPorts {
    pub cart: Arc<dyn CartRepository>,
    pub stores: Arc<dyn StoreRepository>,
    pub inventory: Arc<dyn InventoryRepository>,
    pub products: Arc<dyn ProductRepository>,
}

#[derive(Clone)]
pub struct Ordering {
    ports: OrderingPorts,
    settings: SettingsService,
}

impl Ordering {
    pub fn new(ports: OrderingPorts, settings: SettingsService) -> Self {
        Self { ports, settings }
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, OrderingError> {
        let currency = self.settings.value("currency").await?;
        Ok(Priced { item, currency })
    }
}
