//! What packages include; anyone may read them, catalogue staff set them.

use domain::Fields;
use domain::money::Money;
use domain::studio::packages::{self, Package, PackageTerms};
use rust_decimal::Decimal;

use super::{Shoots, ShootsError};

/// What a package includes, as received.
#[derive(Debug, Clone)]
pub struct PackageInput {
    pub shoot_minutes: i64,
    pub looks: i64,
    pub retouched_photos: i64,
    pub prints: i64,
    pub albums: i64,
    pub extra_photo_price: Decimal,
    pub deposit: Decimal,
}

impl Shoots {
    /// Sets what the package product `sku` includes.
    pub async fn set_package(
        &self,
        sku: &str,
        input: PackageInput,
    ) -> Result<Package, ShootsError> {
        let mut fields = Fields::default();
        let shoot_minutes = fields.check(
            "shoot_minutes",
            packages::parse_shoot_minutes(input.shoot_minutes),
        );
        let looks = fields.check("looks", packages::parse_count(input.looks));
        let retouched_photos = fields.check(
            "retouched_photos",
            packages::parse_count(input.retouched_photos),
        );
        let prints = fields.check("prints", packages::parse_count(input.prints));
        let albums = fields.check("albums", packages::parse_count(input.albums));
        let extra_photo_price =
            fields.check("extra_photo_price", Money::parse(input.extra_photo_price));
        let deposit = fields.check("deposit", Money::parse(input.deposit));
        fields.finish().map_err(ShootsError::Invalid)?;
        let (
            Some(shoot_minutes),
            Some(looks),
            Some(retouched_photos),
            Some(prints),
            Some(albums),
            Some(extra_photo_price),
            Some(deposit),
        ) = (
            shoot_minutes,
            looks,
            retouched_photos,
            prints,
            albums,
            extra_photo_price,
            deposit,
        )
        else {
            unreachable!("every field parsed when there are no errors");
        };
        let terms = PackageTerms {
            shoot_minutes,
            looks,
            retouched_photos,
            prints,
            albums,
            extra_photo_price,
            deposit,
        };
        let price = self
            .ports
            .packages
            .list_price(sku)
            .await?
            .ok_or(ShootsError::PackageNotFound)?;
        packages::check_deposit(deposit, price).map_err(|e| ShootsError::invalid("deposit", e))?;
        Ok(self.ports.packages.set(sku, &terms).await?)
    }

    pub async fn package(&self, sku: &str) -> Result<Package, ShootsError> {
        self.ports
            .packages
            .find(sku)
            .await?
            .ok_or(ShootsError::PackageNotFound)
    }

    pub async fn packages(&self) -> Result<Vec<Package>, ShootsError> {
        Ok(self.ports.packages.list().await?)
    }
}
