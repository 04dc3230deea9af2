//! The catalogue: categories, products and their images.
//!
//! [`Catalog`] is the context's service; prices it returns come with the deployment's currency
//! (the `currency` system setting). Reads that do not depend on a store's stock go through the
//! read cache (scopes `catalog` and `settings`); every catalogue write invalidates `catalog`.

mod categories;
mod demo;
mod error;
mod images;
mod products;
mod search;

use std::sync::Arc;

use domain::catalog::image::ImagePolicy;
use domain::catalog::product::Product;
use domain::stores::inventory::Offer;
use ports::catalog::images::ImageRepository;
use ports::catalog::{CategoryRepository, ProductRepository};
use ports::media::MediaStore;
use ports::stores::{InventoryRepository, StoreRepository};

use crate::backoffice::settings::SettingsService;
use crate::cache::ReadCache;

/// The cache scopes a catalogue read depends on.
const CACHE_SCOPES: &[&str] = &["catalog", crate::backoffice::settings::CACHE_SCOPE];

pub use categories::{CategoryInput, CategoryPatch};
pub use error::CatalogError;
pub use images::{ImageUpload, StoredImage};
pub use products::{ProductInput, ProductPatch};
pub use search::{Found, SearchOutcome};

#[derive(Clone)]
pub struct CatalogPorts {
    pub categories: Arc<dyn CategoryRepository>,
    pub products: Arc<dyn ProductRepository>,
    /// For lists scoped to one store: the store, and what it offers.
    pub stores: Arc<dyn StoreRepository>,
    pub inventory: Arc<dyn InventoryRepository>,
    pub images: Arc<dyn ImageRepository>,
    pub media: Arc<dyn MediaStore>,
}

#[derive(Clone)]
pub struct Catalog {
    ports: CatalogPorts,
    settings: SettingsService,
    cache: ReadCache,
    image_policy: ImagePolicy,
}

/// Something with prices, and the currency they are in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Priced<T> {
    pub item: T,
    pub currency: String,
}

/// A product in a list, with what the store the list is scoped to offers of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub product: Product,
    pub offer: Option<Offer>,
}

impl Catalog {
    pub fn new(ports: CatalogPorts, settings: SettingsService, cache: ReadCache) -> Self {
        Self {
            ports,
            settings,
            cache,
            image_policy: ImagePolicy::default(),
        }
    }

    /// What an uploaded image may be (the default: 10 MiB at most).
    pub fn with_image_policy(mut self, policy: ImagePolicy) -> Self {
        self.image_policy = policy;
        self
    }

    /// `load`, priced, through the read cache under `key`.
    async fn cached<T>(
        &self,
        key: &str,
        load: impl Future<Output = Result<T, CatalogError>>,
    ) -> Result<Priced<T>, CatalogError>
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        self.cache
            .read_through(CACHE_SCOPES, key, async { self.priced(load.await?).await })
            .await
    }

    /// Where clients fetch the media file `key` (a product's primary image).
    pub fn media_url(&self, key: &domain::media::MediaKey) -> String {
        self.ports.media.url(key)
    }

    /// After a write to the catalogue.
    async fn changed(&self) {
        self.cache.invalidate("catalog").await;
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, CatalogError> {
        let currency = self.settings.value("currency").await?;
        Ok(Priced { item, currency })
    }
}
