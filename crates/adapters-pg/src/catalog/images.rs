use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::{exists, max};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::catalog::image::{Dimensions, ImageFormat, ImageId, ProductImage};
use domain::catalog::product::ProductId;
use domain::media::MediaKey;
use ports::InfraError;
use ports::catalog::images::{ImageRepository, ImageStoreError, NewImage};

use crate::error::{TxError, from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{product_images, products};

pub struct PgImageRepository {
    pool: PgPool,
}

impl PgImageRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = product_images, check_for_backend(diesel::pg::Pg))]
struct ImageRow {
    id: i64,
    product_id: i64,
    storage_key: String,
    content_type: String,
    byte_size: i64,
    width: Option<i32>,
    height: Option<i32>,
    alt_text: String,
    display_order: i32,
    is_primary: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<ImageRow> for ProductImage {
    type Error = InfraError;

    fn try_from(row: ImageRow) -> Result<Self, InfraError> {
        let dimension = |value: Option<i32>| value.and_then(|v| u32::try_from(v).ok());
        Ok(ProductImage {
            id: row.id,
            product_id: row.product_id,
            key: stored("storage_key", MediaKey::parse(&row.storage_key))?,
            format: stored(
                "content_type",
                ImageFormat::from_mime(&row.content_type)
                    .ok_or_else(|| domain::Invalid::new("not an image type")),
            )?,
            byte_size: row.byte_size,
            dimensions: dimension(row.width)
                .zip(dimension(row.height))
                .map(|(width, height)| Dimensions { width, height }),
            alt_text: row.alt_text,
            display_order: row.display_order,
            is_primary: row.is_primary,
            created_at: row.created_at,
        })
    }
}

fn to_images(rows: Vec<ImageRow>) -> Result<Vec<ProductImage>, InfraError> {
    rows.into_iter().map(ProductImage::try_from).collect()
}

/// Takes the product's row lock for the rest of the transaction, so that changes to its
/// images happen one after another; `ProductNotFound` when there is no such product. (`FOR NO
/// KEY UPDATE` leaves readers and the foreign keys' `KEY SHARE` locks alone.)
async fn lock_product(
    conn: &mut AsyncPgConnection,
    product: ProductId,
) -> Result<(), TxError<ImageStoreError>> {
    let found: Option<i64> = products::table
        .filter(products::id.eq(product))
        .select(products::id)
        .for_no_key_update()
        .first(conn)
        .await
        .optional()?;
    match found {
        Some(_) => Ok(()),
        None => Err(TxError::Rejected(ImageStoreError::ProductNotFound)),
    }
}

async fn product_exists(conn: &mut AsyncPgConnection, product: ProductId) -> QueryResult<bool> {
    diesel::select(exists(products::table.filter(products::id.eq(product))))
        .get_result(conn)
        .await
}

async fn images_of(conn: &mut AsyncPgConnection, product: ProductId) -> QueryResult<Vec<ImageRow>> {
    product_images::table
        .filter(product_images::product_id.eq(product))
        .select(ImageRow::as_select())
        .order((product_images::display_order, product_images::id))
        .load(conn)
        .await
}

/// `ImageNotFound`, or `ProductNotFound` when it is the product that is missing.
async fn missing(conn: &mut AsyncPgConnection, product: ProductId) -> ImageStoreError {
    match product_exists(conn, product).await {
        Ok(true) => ImageStoreError::ImageNotFound,
        Ok(false) => ImageStoreError::ProductNotFound,
        Err(error) => ImageStoreError::Infra(from_diesel(error)),
    }
}

#[async_trait]
impl ImageRepository for PgImageRepository {
    async fn list(&self, product: ProductId) -> Result<Vec<ProductImage>, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows = images_of(&mut conn, product).await.map_err(from_diesel)?;
        if rows.is_empty()
            && !product_exists(&mut conn, product)
                .await
                .map_err(from_diesel)?
        {
            return Err(ImageStoreError::ProductNotFound);
        }
        Ok(to_images(rows)?)
    }

    async fn insert(&self, image: &NewImage) -> Result<ProductImage, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = conn
            .transaction::<_, TxError<ImageStoreError>, _>(async |conn| {
                lock_product(conn, image.product_id).await?;
                let of_product = product_images::product_id.eq(image.product_id);
                let last: Option<i32> = product_images::table
                    .filter(of_product)
                    .select(max(product_images::display_order))
                    .get_result(conn)
                    .await?;
                let has_primary: bool = diesel::select(exists(
                    product_images::table
                        .filter(of_product)
                        .filter(product_images::is_primary),
                ))
                .get_result(conn)
                .await?;
                let dimension = |value: u32| i32::try_from(value).ok();
                let row = diesel::insert_into(product_images::table)
                    .values((
                        product_images::product_id.eq(image.product_id),
                        product_images::storage_key.eq(image.key.as_str()),
                        product_images::content_type.eq(image.format.mime()),
                        product_images::byte_size.eq(image.byte_size),
                        product_images::width.eq(image.dimensions.and_then(|d| dimension(d.width))),
                        product_images::height
                            .eq(image.dimensions.and_then(|d| dimension(d.height))),
                        product_images::alt_text.eq(&image.alt_text),
                        product_images::display_order.eq(last.map_or(0, |order| order + 1)),
                        product_images::is_primary.eq(!has_primary),
                    ))
                    .returning(ImageRow::as_returning())
                    .get_result(conn)
                    .await?;
                Ok(row)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(ProductImage::try_from(row)?)
    }

    async fn update_alt_text(
        &self,
        product: ProductId,
        image: ImageId,
        alt_text: &str,
    ) -> Result<ProductImage, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = diesel::update(
            product_images::table
                .filter(product_images::id.eq(image))
                .filter(product_images::product_id.eq(product)),
        )
        .set(product_images::alt_text.eq(alt_text))
        .returning(ImageRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(from_diesel)?;
        match row {
            Some(row) => Ok(ProductImage::try_from(row)?),
            None => Err(missing(&mut conn, product).await),
        }
    }

    async fn set_primary(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<ProductImage, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = conn
            .transaction::<_, TxError<ImageStoreError>, _>(async |conn| {
                lock_product(conn, product).await?;
                let this = product_images::table
                    .filter(product_images::id.eq(image))
                    .filter(product_images::product_id.eq(product));
                let exists_here: bool = diesel::select(exists(this)).get_result(conn).await?;
                if !exists_here {
                    return Err(TxError::Rejected(ImageStoreError::ImageNotFound));
                }
                // The old primary first: the unique index is checked row by row.
                diesel::update(
                    product_images::table
                        .filter(product_images::product_id.eq(product))
                        .filter(product_images::is_primary)
                        .filter(product_images::id.ne(image)),
                )
                .set(product_images::is_primary.eq(false))
                .execute(conn)
                .await?;
                let row = diesel::update(this)
                    .set(product_images::is_primary.eq(true))
                    .returning(ImageRow::as_returning())
                    .get_result(conn)
                    .await?;
                Ok(row)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(ProductImage::try_from(row)?)
    }

    async fn reorder(
        &self,
        product: ProductId,
        ids: &[ImageId],
    ) -> Result<Vec<ProductImage>, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows = conn
            .transaction::<_, TxError<ImageStoreError>, _>(async |conn| {
                lock_product(conn, product).await?;
                for (position, id) in ids.iter().enumerate() {
                    let order = i32::try_from(position).unwrap_or(i32::MAX);
                    let updated = diesel::update(
                        product_images::table
                            .filter(product_images::id.eq(id))
                            .filter(product_images::product_id.eq(product)),
                    )
                    .set(product_images::display_order.eq(order))
                    .execute(conn)
                    .await?;
                    if updated == 0 {
                        return Err(TxError::Rejected(ImageStoreError::ImageNotFound));
                    }
                }
                // The others follow, in the order they had.
                diesel::sql_query(
                    "UPDATE product_images SET display_order = $3 + rest.position \
                     FROM (SELECT id, (row_number() OVER (ORDER BY display_order, id) - 1)::int \
                           AS position FROM product_images \
                           WHERE product_id = $1 AND id <> ALL($2)) AS rest \
                     WHERE product_images.id = rest.id",
                )
                .bind::<BigInt, _>(product)
                .bind::<Array<BigInt>, _>(ids)
                .bind::<Integer, _>(i32::try_from(ids.len()).unwrap_or(i32::MAX))
                .execute(conn)
                .await?;
                Ok(images_of(conn, product).await?)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(to_images(rows)?)
    }

    async fn delete(
        &self,
        product: ProductId,
        image: ImageId,
    ) -> Result<ProductImage, ImageStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = conn
            .transaction::<_, TxError<ImageStoreError>, _>(async |conn| {
                lock_product(conn, product).await?;
                let deleted: Option<ImageRow> = diesel::delete(
                    product_images::table
                        .filter(product_images::id.eq(image))
                        .filter(product_images::product_id.eq(product)),
                )
                .returning(ImageRow::as_returning())
                .get_result(conn)
                .await
                .optional()?;
                let Some(deleted) = deleted else {
                    return Err(TxError::Rejected(ImageStoreError::ImageNotFound));
                };
                if deleted.is_primary {
                    let next: Option<i64> = product_images::table
                        .filter(product_images::product_id.eq(product))
                        .select(product_images::id)
                        .order((product_images::display_order, product_images::id))
                        .first(conn)
                        .await
                        .optional()?;
                    if let Some(next) = next {
                        diesel::update(product_images::table.filter(product_images::id.eq(next)))
                            .set(product_images::is_primary.eq(true))
                            .execute(conn)
                            .await?;
                    }
                }
                Ok(deleted)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(ProductImage::try_from(row)?)
    }

    async fn keys_of(&self, product: ProductId) -> Result<Vec<MediaKey>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let keys: Vec<String> = product_images::table
            .filter(product_images::product_id.eq(product))
            .select(product_images::storage_key)
            .order(product_images::id)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        keys.iter()
            .map(|key| stored("storage_key", MediaKey::parse(key)))
            .collect()
    }
}
