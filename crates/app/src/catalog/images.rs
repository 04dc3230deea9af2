//! Product images: uploading, listing, describing, ordering, choosing the primary one,
//! deleting.
//!
//! The rows are in the image repository, the files in the media store, and the two cannot
//! change in one transaction, so each use case orders its steps to leave nothing dangling
//! that a reader could see:
//! - **upload**: the file is checked (by its bytes, not its declared type), stored under a
//!   new random key, then its row inserted; when the insert fails the file is deleted again.
//!   The first image of a product becomes its primary image.
//! - **delete**: the row first (nobody is shown the image any more), then the file. When the
//!   deleted image was primary, the first remaining one in display order becomes primary, so a
//!   product with images always has exactly one primary image.
//! - **deleting a product** (see `delete_product`): its image keys are read, the product is
//!   deleted (its image rows go with it), then the files.
//!
//! A file whose deletion fails after its row is gone is left behind and logged (`image file
//! left behind`, with its key) rather than failing a request whose change is made: it is never
//! shown, and can be removed by hand.

use domain::catalog::image::{self, ImageId, ImageRejection, ProductImage};
use domain::catalog::product::ProductId;
use domain::media::MediaKey;
use ports::catalog::images::NewImage;
use rand::Rng;

use super::{Catalog, CatalogError};

/// An uploaded file, as received.
#[derive(Debug, Clone, Default)]
pub struct ImageUpload {
    pub bytes: Vec<u8>,
    /// The media type the client declared for the file, if any.
    pub declared_type: Option<String>,
    pub alt_text: Option<String>,
}

/// An image with the URL its file is served at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    pub image: ProductImage,
    pub url: String,
}

impl Catalog {
    fn stored(&self, image: ProductImage) -> StoredImage {
        let url = self.ports.media.url(&image.key);
        StoredImage { image, url }
    }

    /// The product's images, in display order.
    pub async fn images(&self, product: ProductId) -> Result<Vec<StoredImage>, CatalogError> {
        let images = self.ports.images.list(product).await?;
        Ok(images.into_iter().map(|i| self.stored(i)).collect())
    }

    /// One image of a product.
    pub async fn image(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<StoredImage, CatalogError> {
        // A product has a handful of images: its list is as cheap as a lookup.
        self.images(product)
            .await?
            .into_iter()
            .find(|stored| stored.image.id == image)
            .ok_or(CatalogError::ImageNotFound)
    }

    /// Whether `upload` would be accepted as an image: the file as the media store will get
    /// it, and its alternative text.
    pub fn check_image(
        &self,
        upload: &ImageUpload,
    ) -> Result<(image::CheckedImage, String), CatalogError> {
        let checked = self
            .image_policy
            .check(upload.declared_type.as_deref(), &upload.bytes)
            .map_err(|rejection| match rejection {
                ImageRejection::Empty => {
                    CatalogError::invalid("file", domain::Invalid::new("must not be empty"))
                }
                ImageRejection::TooLarge { max } => CatalogError::ImageTooLarge { max },
                ImageRejection::UnsupportedType => CatalogError::UnsupportedImageType,
            })?;
        let alt_text = image::parse_alt_text(upload.alt_text.as_deref().unwrap_or(""))
            .map_err(|reason| CatalogError::invalid("alt", reason))?;
        Ok((checked, alt_text))
    }

    /// Adds an image to a product, after its others.
    pub async fn upload_image(
        &self,
        product: ProductId,
        upload: ImageUpload,
    ) -> Result<StoredImage, CatalogError> {
        let (checked, alt_text) = self.check_image(&upload)?;
        // Before storing anything: most uploads to a missing product stop here.
        if self.ports.products.find(product).await?.is_none() {
            return Err(CatalogError::ProductNotFound);
        }
        let key = image::image_key(product, &random_token(), checked.format)
            .map_err(|reason| CatalogError::Infra(anyhow::anyhow!("image key: {reason}").into()))?;
        self.ports
            .media
            .put(&key, checked.format.mime(), upload.bytes)
            .await?;
        let inserted = self
            .ports
            .images
            .insert(&NewImage {
                product_id: product,
                key: key.clone(),
                format: checked.format,
                byte_size: i64::try_from(checked.byte_size).unwrap_or(i64::MAX),
                dimensions: checked.dimensions,
                alt_text,
            })
            .await;
        match inserted {
            Ok(image) => {
                // The first image becomes the product's primary one.
                self.changed().await;
                tracing::info!(
                    product_id = product,
                    image_id = image.id,
                    key = key.as_str(),
                    "image uploaded"
                );
                Ok(self.stored(image))
            }
            Err(error) => {
                self.delete_files(std::slice::from_ref(&key)).await;
                Err(error.into())
            }
        }
    }

    /// Changes an image's alternative text.
    pub async fn update_image(
        &self,
        product: ProductId,
        image: ImageId,
        alt_text: &str,
    ) -> Result<StoredImage, CatalogError> {
        let alt_text = image::parse_alt_text(alt_text)
            .map_err(|reason| CatalogError::invalid("alt", reason))?;
        let image = self
            .ports
            .images
            .update_alt_text(product, image, &alt_text)
            .await?;
        Ok(self.stored(image))
    }

    /// Makes an image its product's primary image (the one that was is no longer).
    pub async fn set_primary_image(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<StoredImage, CatalogError> {
        let image = self.ports.images.set_primary(product, image).await?;
        self.changed().await;
        tracing::info!(
            product_id = product,
            image_id = image.id,
            "primary image chosen"
        );
        Ok(self.stored(image))
    }

    /// Puts the product's images `ids` first, in that order; the rest follow as they were.
    pub async fn reorder_images(
        &self,
        product: ProductId,
        ids: &[ImageId],
    ) -> Result<Vec<StoredImage>, CatalogError> {
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(CatalogError::invalid(
                "ids",
                domain::Invalid::new(format!("lists {twice} twice")),
            ));
        }
        match self.ports.images.reorder(product, ids).await {
            Err(ports::catalog::images::ImageStoreError::ImageNotFound) => {
                Err(CatalogError::invalid(
                    "ids",
                    domain::Invalid::new("names an image that is not one of this product's"),
                ))
            }
            other => Ok(other?.into_iter().map(|i| self.stored(i)).collect()),
        }
    }

    /// Deletes an image: its row, then its file.
    pub async fn delete_image(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<(), CatalogError> {
        let deleted = self.ports.images.delete(product, image).await?;
        self.changed().await;
        tracing::info!(
            product_id = product,
            image_id = image,
            key = deleted.key.as_str(),
            "image deleted"
        );
        self.delete_files(std::slice::from_ref(&deleted.key)).await;
        Ok(())
    }

    /// Deletes files whose rows are gone (or were never made). A failure is logged, not
    /// returned: the change the caller asked for is made, and nothing refers to the file.
    pub(super) async fn delete_files(&self, keys: &[MediaKey]) {
        for key in keys {
            if let Err(error) = self.ports.media.delete(key).await {
                tracing::error!(
                    key = key.as_str(),
                    error = format!("{error:#}"),
                    "image file left behind"
                );
            }
        }
    }
}

/// 128 random bits, hex: the unique part of a new image's key.
fn random_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
