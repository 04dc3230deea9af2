//! Storage for product images' rows (their files are in a [`crate::media::MediaStore`]).

use async_trait::async_trait;
use domain::catalog::image::{Dimensions, ImageFormat, ImageId, ProductImage};
use domain::catalog::product::ProductId;
use domain::media::MediaKey;

use crate::InfraError;

/// A new image's row; its file is stored already.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub product_id: ProductId,
    pub key: MediaKey,
    pub format: ImageFormat,
    pub byte_size: i64,
    pub dimensions: Option<Dimensions>,
    pub alt_text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImageStoreError {
    #[error("no such product")]
    ProductNotFound,
    /// No image with this id belongs to the product.
    #[error("no such image")]
    ImageNotFound,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Every method that changes a product's images takes the product's row lock first, so
/// changes to one product's images happen one after another: exactly one of a product's
/// images is primary whenever it has any.
#[async_trait]
pub trait ImageRepository: Send + Sync {
    /// The product's images in display order (then by id); `ProductNotFound` for an unknown
    /// product.
    async fn list(&self, product: ProductId) -> Result<Vec<ProductImage>, ImageStoreError>;

    /// Adds an image after the product's others; it is the primary image when the product had
    /// none.
    async fn insert(&self, image: &NewImage) -> Result<ProductImage, ImageStoreError>;

    async fn update_alt_text(
        &self,
        product: ProductId,
        image: ImageId,
        alt_text: &str,
    ) -> Result<ProductImage, ImageStoreError>;

    /// Makes `image` the product's primary image and the one that was no longer, in one
    /// transaction.
    async fn set_primary(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<ProductImage, ImageStoreError>;

    /// In one transaction, gives the images `ids` the display orders 0, 1, 2 … in that order,
    /// and the product's others the orders after, as they were ordered. `ImageNotFound` (and
    /// no change) when an id is not one of the product's images.
    async fn reorder(
        &self,
        product: ProductId,
        ids: &[ImageId],
    ) -> Result<Vec<ProductImage>, ImageStoreError>;

    /// Deletes the image's row and returns it (its file is the caller's to delete). When it
    /// was the primary image, the first of the others in display order becomes primary.
    async fn delete(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<ProductImage, ImageStoreError>;

    /// The keys of every image of the product (none for an unknown product).
    async fn keys_of(&self, product: ProductId) -> Result<Vec<MediaKey>, InfraError>;
}
