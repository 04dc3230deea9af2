//! The catalogue: categories, products and their images.
//!
//! [`Catalog`] is the context's service; prices it returns come with the deployment's currency
//! (the `currency` system setting).

mod categories;
mod error;
mod images;
mod products;
mod search;

use std::sync::Arc;

use domain::catalog::image::ImagePolicy;
use ports::catalog::images::ImageRepository;
use ports::catalog::{CategoryRepository, ProductRepository};
use ports::media::MediaStore;

use ports::InfraError;

use crate::backoffice::settings::{SettingsError, SettingsService};

pub use categories::{CategoryInput, CategoryPatch};
pub use error::CatalogError;
pub use images::{ImageUpload, StoredImage};
pub use products::{ProductInput, ProductPatch};
pub use search::{Found, SearchOutcome};

#[derive(Clone)]
pub struct CatalogPorts {
    pub categories: Arc<dyn CategoryRepository>,
    pub products: Arc<dyn ProductRepository>,
    pub images: Arc<dyn ImageRepository>,
    pub media: Arc<dyn MediaStore>,
}

#[derive(Clone)]
pub struct Catalog {
    ports: CatalogPorts,
    settings: SettingsService,
    image_policy: ImagePolicy,
}

/// Something with prices, and the currency they are in.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced<T> {
    pub item: T,
    pub currency: String,
}

impl Catalog {
    pub fn new(ports: CatalogPorts, settings: SettingsService) -> Self {
        Self {
            ports,
            settings,
            image_policy: ImagePolicy::default(),
        }
    }

    /// What an uploaded image may be (the default: 10 MiB at most).
    pub fn with_image_policy(mut self, policy: ImagePolicy) -> Self {
        self.image_policy = policy;
        self
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, CatalogError> {
        let currency = self
            .settings
            .get("currency")
            .await
            .map_err(|error| match error {
                SettingsError::Infra(infra) => CatalogError::Infra(infra),
                other => CatalogError::Infra(InfraError::Unknown(other.into())),
            })?
            .value;
        Ok(Priced { item, currency })
    }
}
