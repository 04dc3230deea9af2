//! Ordering: the cart, checkout and orders.
//!
//! A cart belongs to its person; its lines show each store's price and stock as they are now,
//! and say why a line cannot be bought when it cannot. Nothing is held back before checkout.
//! Checkout makes one order per store, holding its stock until the order is paid or its
//! reservation ends; every later change of an order goes through the domain's state machine.

mod cart;
mod error;
mod orders;
mod payments;

use std::sync::Arc;

use ports::catalog::ProductRepository;
use ports::clock::Clock;
use ports::finance::payments::PaymentRepository;
use ports::finance::provider::PaymentProvider;
use ports::identity::{AddressRepository, UserRepository};
use ports::ordering::{CartRepository, OrderRepository};
use ports::stores::{InventoryRepository, StoreRepository};

use crate::backoffice::settings::SettingsService;
use crate::catalog::Priced;
use crate::marketing::Marketing;

pub use cart::{AddToCart, Cart};
pub use error::OrderingError;
pub use orders::{Checkout, CheckoutItem, OrderDetail, ShipTo};
pub use payments::PaymentStarted;

#[derive(Clone)]
pub struct OrderingPorts {
    pub cart: Arc<dyn CartRepository>,
    pub stores: Arc<dyn StoreRepository>,
    pub inventory: Arc<dyn InventoryRepository>,
    pub products: Arc<dyn ProductRepository>,
    pub orders: Arc<dyn OrderRepository>,
    pub addresses: Arc<dyn AddressRepository>,
    pub users: Arc<dyn UserRepository>,
    pub clock: Arc<dyn Clock>,
    pub payments: Arc<dyn PaymentRepository>,
    /// The outside payment provider, when one is configured.
    pub provider: Option<Arc<dyn PaymentProvider>>,
    /// Where the provider sends the buyer back to (`<public url>/orders/<number>`).
    pub public_url: String,
}

#[derive(Clone)]
pub struct Ordering {
    ports: OrderingPorts,
    settings: SettingsService,
    /// Coupons at checkout.
    marketing: Marketing,
}

impl Ordering {
    pub fn new(ports: OrderingPorts, settings: SettingsService, marketing: Marketing) -> Self {
        Self {
            ports,
            settings,
            marketing,
        }
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, OrderingError> {
        let currency = self.settings.value("currency").await?;
        Ok(Priced { item, currency })
    }
}
