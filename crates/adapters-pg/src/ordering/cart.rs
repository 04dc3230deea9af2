use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Numeric, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::catalog::product::{ProductId, ProductStatus};
use domain::identity::user::UserId;
use domain::media::MediaKey;
use domain::money::Money;
use domain::ordering::cart::{CartLine, CartLineId, CartQuantity, LineOffer};
use domain::stores::store::StoreId;
use ports::InfraError;
use ports::ordering::{CartError, CartRepository};
use rust_decimal::Decimal;

use crate::error::{TxError, from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{cart_items, users};

pub struct PgCartRepository {
    pool: PgPool,
}

impl PgCartRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// A person's lines with their stores, products and offers as they are now.
const LINES_SQL: &str = "
    SELECT c.id, c.store_id, s.code AS store_code, s.status = 'open' AS store_open,
           c.product_id, p.sku, p.name AS product_name, p.status AS product_status,
           (SELECT pi.storage_key FROM product_images pi
            WHERE pi.product_id = p.id AND pi.is_primary) AS primary_image_key,
           c.quantity, si.price, si.on_hand - si.reserved AS available
    FROM cart_items c
    JOIN stores s ON s.id = c.store_id
    JOIN products p ON p.id = c.product_id
    LEFT JOIN store_inventory si ON si.store_id = c.store_id AND si.product_id = c.product_id
    WHERE c.user_id = $1
    ORDER BY c.id";

#[derive(QueryableByName)]
struct LineRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    store_id: i64,
    #[diesel(sql_type = Text)]
    store_code: String,
    #[diesel(sql_type = Bool)]
    store_open: bool,
    #[diesel(sql_type = BigInt)]
    product_id: i64,
    #[diesel(sql_type = Text)]
    sku: String,
    #[diesel(sql_type = Text)]
    product_name: String,
    #[diesel(sql_type = Text)]
    product_status: String,
    #[diesel(sql_type = Nullable<Text>)]
    primary_image_key: Option<String>,
    #[diesel(sql_type = Integer)]
    quantity: i32,
    #[diesel(sql_type = Nullable<Numeric>)]
    price: Option<Decimal>,
    #[diesel(sql_type = Nullable<Integer>)]
    available: Option<i32>,
}

impl TryFrom<LineRow> for CartLine {
    type Error = InfraError;

    fn try_from(row: LineRow) -> Result<Self, InfraError> {
        let offer = match (row.price, row.available) {
            (Some(price), Some(available)) => Some(LineOffer {
                price: stored("price", Money::parse(price))?,
                available,
            }),
            _ => None,
        };
        Ok(CartLine {
            id: row.id,
            store_id: row.store_id,
            store_code: row.store_code,
            store_open: row.store_open,
            product_id: row.product_id,
            sku: row.sku,
            product_name: row.product_name,
            product_status: stored("status", ProductStatus::parse(&row.product_status))?,
            primary_image: row
                .primary_image_key
                .map(|key| stored("primary image key", MediaKey::parse(&key)))
                .transpose()?,
            quantity: row.quantity,
            offer,
        })
    }
}

fn cart_error(error: DieselError) -> CartError {
    match &error {
        DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info)
            if info.constraint_name() == Some("cart_items_quantity_check") =>
        {
            CartError::LineTooLarge
        }
        _ => CartError::Infra(from_diesel(error)),
    }
}

async fn add_in(
    conn: &mut AsyncPgConnection,
    (user, store, product): (UserId, StoreId, ProductId),
    quantity: CartQuantity,
    max_lines: usize,
) -> Result<CartLineId, TxError<CartError>> {
    // One person's additions go one after the other, so the line count is right.
    users::table
        .filter(users::id.eq(user))
        .select(users::id)
        .for_no_key_update()
        .first::<i64>(conn)
        .await?;
    let line = cart_items::table
        .filter(cart_items::user_id.eq(user))
        .filter(cart_items::store_id.eq(store))
        .filter(cart_items::product_id.eq(product));
    let grown: Option<i64> = diesel::update(line)
        .set(cart_items::quantity.eq(cart_items::quantity + quantity.get()))
        .returning(cart_items::id)
        .get_result(conn)
        .await
        .optional()
        .map_err(|e| TxError::Rejected(cart_error(e)))?;
    if let Some(id) = grown {
        return Ok(id);
    }
    let lines: i64 = cart_items::table
        .filter(cart_items::user_id.eq(user))
        .count()
        .get_result(conn)
        .await?;
    if usize::try_from(lines).unwrap_or(usize::MAX) >= max_lines {
        return Err(TxError::Rejected(CartError::Full));
    }
    Ok(diesel::insert_into(cart_items::table)
        .values((
            cart_items::user_id.eq(user),
            cart_items::store_id.eq(store),
            cart_items::product_id.eq(product),
            cart_items::quantity.eq(quantity.get()),
        ))
        .returning(cart_items::id)
        .get_result(conn)
        .await?)
}

#[async_trait]
impl CartRepository for PgCartRepository {
    async fn lines(&self, user: UserId) -> Result<Vec<CartLine>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<LineRow> = diesel::sql_query(LINES_SQL)
            .bind::<BigInt, _>(user)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter().map(CartLine::try_from).collect()
    }

    async fn add(
        &self,
        user: UserId,
        store: StoreId,
        product: ProductId,
        quantity: CartQuantity,
        max_lines: usize,
    ) -> Result<CartLineId, CartError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<CartError>, _>(async |conn| {
            add_in(conn, (user, store, product), quantity, max_lines).await
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn set_quantity(
        &self,
        user: UserId,
        line: CartLineId,
        quantity: CartQuantity,
    ) -> Result<(), CartError> {
        let mut conn = pool::get(&self.pool).await?;
        let updated = diesel::update(
            cart_items::table
                .filter(cart_items::user_id.eq(user))
                .filter(cart_items::id.eq(line)),
        )
        .set(cart_items::quantity.eq(quantity.get()))
        .execute(&mut conn)
        .await
        .map_err(cart_error)?;
        if updated == 0 {
            return Err(CartError::NotFound);
        }
        Ok(())
    }

    async fn remove(&self, user: UserId, line: CartLineId) -> Result<(), CartError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(
            cart_items::table
                .filter(cart_items::user_id.eq(user))
                .filter(cart_items::id.eq(line)),
        )
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        if deleted == 0 {
            return Err(CartError::NotFound);
        }
        Ok(())
    }

    async fn clear(&self, user: UserId) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::delete(cart_items::table.filter(cart_items::user_id.eq(user)))
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(())
    }
}
