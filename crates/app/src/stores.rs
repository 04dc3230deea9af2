//! Stores and their stock: opening, describing and closing a store; receiving, adjusting and
//! pricing what it stocks, each change written down as a movement.
//!
//! Anyone may read a store; only its owner (while they hold `stores:open`) and staff with
//! `stores:manage` change it or see its stock figures and history.

mod demo;
mod error;
mod inventory;
mod listing;
mod store;

use std::sync::Arc;

use domain::identity::user::Principal;
use domain::stores::store::{Store, StoreCode};
use ports::InfraError;
use ports::identity::UserRepository;
use ports::stores::{InventoryRepository, StoreRepository};

use crate::backoffice::settings::SettingsService;
use crate::catalog::{Catalog, Priced};

pub use demo::DEMO_STORE;
pub use error::StoresError;
pub use inventory::StockInput;
pub use listing::{Listed, ListingInput};
pub use store::{StoreInput, StorePatch, StoreStatusFilter};

/// The store `code` names, as a caller typed it: text that cannot be a code names no store.
pub(crate) async fn store_named(
    stores: &dyn StoreRepository,
    code: &str,
) -> Result<Option<Store>, InfraError> {
    match StoreCode::parse(code) {
        Ok(code) => stores.find_by_code(&code).await,
        Err(_) => Ok(None),
    }
}

#[derive(Clone)]
pub struct StoresPorts {
    pub stores: Arc<dyn StoreRepository>,
    pub inventory: Arc<dyn InventoryRepository>,
    pub users: Arc<dyn UserRepository>,
}

#[derive(Clone)]
pub struct Stores {
    ports: StoresPorts,
    settings: SettingsService,
    /// Where a listing finds or adds its product.
    catalog: Catalog,
}

impl Stores {
    pub fn new(ports: StoresPorts, settings: SettingsService, catalog: Catalog) -> Self {
        Self {
            ports,
            settings,
            catalog,
        }
    }

    async fn setting(&self, name: &str) -> Result<String, StoresError> {
        Ok(self.settings.value(name).await?)
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, StoresError> {
        Ok(Priced {
            item,
            currency: self.setting("currency").await?,
        })
    }

    async fn find(&self, code: &str) -> Result<Store, StoresError> {
        store_named(self.ports.stores.as_ref(), code)
            .await?
            .ok_or(StoresError::StoreNotFound)
    }

    /// The store, if `caller` may manage it.
    async fn managed(&self, caller: &Principal, code: &str) -> Result<Store, StoresError> {
        let store = self.find(code).await?;
        if store.manageable_by(caller.user_id, &caller.access) {
            Ok(store)
        } else {
            Err(StoresError::NotManager)
        }
    }
}
