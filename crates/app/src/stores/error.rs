use domain::FieldErrors;
use ports::InfraError;
use ports::stores::{StockError, StoreStoreError};

/// Every way a stores use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum StoresError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The caller may not open stores (or not for someone else).
    #[error("{0}")]
    MayNotOpen(&'static str),
    /// The caller is neither the store's owner nor staff who manage stores.
    #[error("only the store's owner or staff with stores:manage may do this")]
    NotManager,
    #[error("no such store")]
    StoreNotFound,
    #[error("a store has this code")]
    CodeTaken,
    /// Stock of a closed store does not change; reopen it first.
    #[error("the store is closed")]
    StoreClosed,
    #[error("no such product")]
    ProductNotFound,
    #[error("the store does not list the product")]
    NotListed,
    #[error("the store lists the product already")]
    AlreadyListed,
    /// Adding a product to the catalogue, or its images, failed.
    #[error(transparent)]
    Catalog(crate::catalog::CatalogError),
    #[error("{available} available, {requested} asked for")]
    InsufficientStock { available: i32, requested: i32 },
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl From<StoreStoreError> for StoresError {
    fn from(error: StoreStoreError) -> Self {
        match error {
            StoreStoreError::NotFound => Self::StoreNotFound,
            StoreStoreError::CodeTaken => Self::CodeTaken,
            StoreStoreError::UnknownOwner => Self::Invalid(vec![(
                "owner".to_owned(),
                domain::Invalid::new("names no account"),
            )]),
            StoreStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<StockError> for StoresError {
    fn from(error: StockError) -> Self {
        match error {
            StockError::UnknownProduct => Self::ProductNotFound,
            StockError::NotListed => Self::NotListed,
            StockError::AlreadyListed => Self::AlreadyListed,
            StockError::Insufficient {
                available,
                requested,
            } => Self::InsufficientStock {
                available,
                requested,
            },
            StockError::TooMany => Self::Invalid(vec![(
                "quantity".to_owned(),
                domain::Invalid::new("would put more items on hand than can be counted"),
            )]),
            StockError::Infra(e) => Self::Infra(e),
        }
    }
}
