use domain::Invalid;
use ports::InfraError;
use ports::catalog::{CategoryStoreError, ProductStoreError};

/// Every way a catalogue use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<(String, Invalid)>),
    #[error("no such category")]
    CategoryNotFound,
    #[error("a category has this name")]
    CategoryNameTaken,
    #[error("a category has this slug")]
    CategorySlugTaken,
    #[error("products are in the category")]
    CategoryInUse,
    #[error("no such product")]
    ProductNotFound,
    #[error("a product has this SKU")]
    SkuTaken,
    #[error("history refers to the product")]
    ProductInUse,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl CatalogError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<CategoryStoreError> for CatalogError {
    fn from(error: CategoryStoreError) -> Self {
        match error {
            CategoryStoreError::NotFound => Self::CategoryNotFound,
            CategoryStoreError::NameTaken => Self::CategoryNameTaken,
            CategoryStoreError::SlugTaken => Self::CategorySlugTaken,
            CategoryStoreError::InUse => Self::CategoryInUse,
            CategoryStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<ProductStoreError> for CatalogError {
    fn from(error: ProductStoreError) -> Self {
        match error {
            ProductStoreError::NotFound => Self::ProductNotFound,
            ProductStoreError::SkuTaken => Self::SkuTaken,
            ProductStoreError::UnknownCategory(id) => Self::invalid(
                "category_id",
                Invalid::new(format!("there is no category {id}")),
            ),
            ProductStoreError::InUse => Self::ProductInUse,
            ProductStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

/// Collects field errors so a caller learns of all of them at once.
#[derive(Default)]
pub(super) struct Fields(Vec<(String, Invalid)>);

impl Fields {
    pub(super) fn check<T>(&mut self, field: &str, outcome: Result<T, Invalid>) -> Option<T> {
        outcome.map_err(|e| self.0.push((field.to_owned(), e))).ok()
    }

    pub(super) fn extend(&mut self, errors: Vec<(String, Invalid)>) {
        self.0.extend(errors);
    }

    pub(super) fn finish(self) -> Result<(), CatalogError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(CatalogError::Invalid(self.0))
        }
    }
}
