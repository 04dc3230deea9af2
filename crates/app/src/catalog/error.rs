use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::catalog::images::ImageStoreError;
use ports::catalog::{CategoryStoreError, ProductStoreError};

/// Every way a catalogue use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// A page cursor of a list in another order than the one asked for.
    #[error("the cursor belongs to a list in another order")]
    CursorOfAnotherOrder,
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
    #[error("no such store")]
    StoreNotFound,
    #[error("a product has this SKU")]
    SkuTaken,
    #[error("history refers to the product")]
    ProductInUse,
    #[error("no such image of this product")]
    ImageNotFound,
    /// The file is not an image of an accepted format, whatever it was declared to be.
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    UnsupportedImageType,
    #[error("the file is larger than {max} bytes")]
    ImageTooLarge { max: u64 },
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

impl From<ImageStoreError> for CatalogError {
    fn from(error: ImageStoreError) -> Self {
        match error {
            ImageStoreError::ProductNotFound => Self::ProductNotFound,
            ImageStoreError::ImageNotFound => Self::ImageNotFound,
            ImageStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
