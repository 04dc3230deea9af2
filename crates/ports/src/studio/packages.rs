//! What packages include.

use async_trait::async_trait;
use domain::money::Money;
use domain::studio::packages::{Package, PackageTerms};

use crate::InfraError;

#[derive(Debug, thiserror::Error)]
pub enum PackageStoreError {
    #[error("no such product")]
    UnknownProduct,
    /// The product is not of kind `package`.
    #[error("the product is not a package")]
    NotAPackage,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait PackageRepository: Send + Sync {
    /// Sets what the package with this SKU includes.
    async fn set(&self, sku: &str, terms: &PackageTerms) -> Result<Package, PackageStoreError>;

    async fn find(&self, sku: &str) -> Result<Option<Package>, InfraError>;

    /// The list price of the product with this SKU, whatever its kind.
    async fn list_price(&self, sku: &str) -> Result<Option<Money>, InfraError>;

    /// Every package that says what it includes, by SKU (a studio sells tens, not thousands).
    async fn list(&self) -> Result<Vec<Package>, InfraError>;
}
