use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use domain::money::Money;
use domain::studio::packages::{Package, PackageTerms};
use ports::InfraError;
use ports::studio::packages::{PackageRepository, PackageStoreError};
use rust_decimal::Decimal;

use crate::error::{from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{packages, products};

pub struct PgPackageRepository {
    pool: PgPool,
}

impl PgPackageRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

type PackageRow = (
    i64,
    String,
    String,
    Decimal,
    (i32, i32, i32, i32, i32, Decimal, Decimal),
);

macro_rules! package_columns {
    () => {
        (
            products::id,
            products::sku,
            products::name,
            products::list_price,
            (
                packages::shoot_minutes,
                packages::looks,
                packages::retouched_photos,
                packages::prints,
                packages::albums,
                packages::extra_photo_price,
                packages::deposit,
            ),
        )
    };
}

fn to_package(
    (product_id, sku, name, list_price, terms): PackageRow,
) -> Result<Package, InfraError> {
    let (shoot_minutes, looks, retouched_photos, prints, albums, extra, deposit) = terms;
    Ok(Package {
        product_id,
        sku,
        name,
        list_price: stored("list_price", Money::parse(list_price))?,
        terms: PackageTerms {
            shoot_minutes,
            looks,
            retouched_photos,
            prints,
            albums,
            extra_photo_price: stored("extra_photo_price", Money::parse(extra))?,
            deposit: stored("deposit", Money::parse(deposit))?,
        },
    })
}

#[async_trait]
impl PackageRepository for PgPackageRepository {
    async fn set(&self, sku: &str, terms: &PackageTerms) -> Result<Package, PackageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let product: Option<(i64, String)> = products::table
            .filter(products::sku.eq(sku))
            .select((products::id, products::kind))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        let Some((product_id, kind)) = product else {
            return Err(PackageStoreError::UnknownProduct);
        };
        if kind != "package" {
            return Err(PackageStoreError::NotAPackage);
        }
        // The foreign key on (product_id, kind) refuses a product whose kind changed meanwhile.
        diesel::insert_into(packages::table)
            .values((
                packages::product_id.eq(product_id),
                packages::shoot_minutes.eq(terms.shoot_minutes),
                packages::looks.eq(terms.looks),
                packages::retouched_photos.eq(terms.retouched_photos),
                packages::prints.eq(terms.prints),
                packages::albums.eq(terms.albums),
                packages::extra_photo_price.eq(terms.extra_photo_price.amount()),
                packages::deposit.eq(terms.deposit.amount()),
            ))
            .on_conflict(packages::product_id)
            .do_update()
            .set((
                packages::shoot_minutes.eq(excluded(packages::shoot_minutes)),
                packages::looks.eq(excluded(packages::looks)),
                packages::retouched_photos.eq(excluded(packages::retouched_photos)),
                packages::prints.eq(excluded(packages::prints)),
                packages::albums.eq(excluded(packages::albums)),
                packages::extra_photo_price.eq(excluded(packages::extra_photo_price)),
                packages::deposit.eq(excluded(packages::deposit)),
            ))
            .execute(&mut conn)
            .await
            .map_err(|error| match crate::error::violated_constraint(&error) {
                Some("packages_product_fkey") => PackageStoreError::NotAPackage,
                _ => from_diesel(error).into(),
            })?;
        Ok(self
            .find(sku)
            .await?
            .ok_or(PackageStoreError::UnknownProduct)?)
    }

    async fn find(&self, sku: &str) -> Result<Option<Package>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<PackageRow> = packages::table
            .inner_join(products::table)
            .filter(products::sku.eq(sku))
            .select(package_columns!())
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_package).transpose()
    }

    async fn list_price(&self, sku: &str) -> Result<Option<Money>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let price: Option<Decimal> = products::table
            .filter(products::sku.eq(sku))
            .select(products::list_price)
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        price
            .map(|p| stored("list_price", Money::parse(p)))
            .transpose()
    }

    async fn list(&self) -> Result<Vec<Package>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<PackageRow> = packages::table
            .inner_join(products::table)
            .order(products::sku)
            .select(package_columns!())
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter().map(to_package).collect()
    }
}
