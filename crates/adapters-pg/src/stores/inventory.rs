use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Numeric};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::catalog::product::ProductId;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use domain::stores::inventory::{
    Actor, InventoryItem, MovementReason, Offer, StockLevel, StockMovement, StockRuleViolation,
};
use domain::stores::store::StoreId;
use ports::InfraError;
use ports::stores::{InventoryRepository, StockChange, StockChangeKind, StockError};
use rust_decimal::Decimal;

use crate::error::{TxError, from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{products, stock_movements, store_inventory, users};

pub struct PgInventoryRepository {
    pool: PgPool,
}

impl PgInventoryRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = store_inventory, check_for_backend(diesel::pg::Pg))]
struct LineRow {
    store_id: i64,
    product_id: i64,
    on_hand: i32,
    reserved: i32,
    price: Decimal,
    updated_at: DateTime<Utc>,
}

fn to_item(
    (row, sku, product_name): (LineRow, String, String),
) -> Result<InventoryItem, InfraError> {
    Ok(InventoryItem {
        store_id: row.store_id,
        product_id: row.product_id,
        sku,
        product_name,
        level: StockLevel {
            on_hand: row.on_hand,
            reserved: row.reserved,
        },
        price: stored("price", Money::parse(row.price))?,
        updated_at: row.updated_at,
    })
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = stock_movements, check_for_backend(diesel::pg::Pg))]
struct MovementRow {
    id: i64,
    store_id: i64,
    product_id: i64,
    reason: String,
    on_hand_delta: i32,
    reserved_delta: i32,
    on_hand_after: i32,
    reserved_after: i32,
    price_after: Decimal,
    note: String,
    actor_id: Option<i64>,
    order_id: Option<i64>,
    created_at: DateTime<Utc>,
}

fn to_movement(
    (row, username): (MovementRow, Option<String>),
) -> Result<StockMovement, InfraError> {
    Ok(StockMovement {
        id: row.id,
        store_id: row.store_id,
        product_id: row.product_id,
        reason: stored("reason", MovementReason::parse(&row.reason))?,
        on_hand_delta: row.on_hand_delta,
        reserved_delta: row.reserved_delta,
        after: StockLevel {
            on_hand: row.on_hand_after,
            reserved: row.reserved_after,
        },
        price_after: stored("price_after", Money::parse(row.price_after))?,
        note: row.note,
        actor: row
            .actor_id
            .zip(username)
            .map(|(id, username)| Actor { id, username }),
        order_id: row.order_id,
        created_at: row.created_at,
    })
}

/// The line with its product's SKU and name; the line (not the product) is locked for the
/// rest of the transaction.
async fn lock_line(
    conn: &mut AsyncPgConnection,
    store: StoreId,
    product: ProductId,
) -> QueryResult<Option<(LineRow, String, String)>> {
    let line: Option<LineRow> = store_inventory::table
        .filter(store_inventory::store_id.eq(store))
        .filter(store_inventory::product_id.eq(product))
        .select(LineRow::as_select())
        .for_no_key_update()
        .first(conn)
        .await
        .optional()?;
    let Some(line) = line else {
        return Ok(None);
    };
    let (sku, name): (String, String) = products::table
        .filter(products::id.eq(product))
        .select((products::sku, products::name))
        .first(conn)
        .await?;
    Ok(Some((line, sku, name)))
}

/// Lists the product in the store with nothing on hand, at `price` or else its list price,
/// unless it is listed already (a concurrent first change may have listed it a moment ago).
/// Whether it listed it (not when the product does not exist).
async fn list_product(
    conn: &mut AsyncPgConnection,
    store: StoreId,
    product: ProductId,
    price: Option<Money>,
) -> QueryResult<bool> {
    let columns = (
        store_inventory::store_id,
        store_inventory::product_id,
        store_inventory::price,
    );
    let target = products::table.filter(products::id.eq(product));
    let inserted = match price {
        None => {
            diesel::insert_into(store_inventory::table)
                .values(target.select((
                    store.into_sql::<BigInt>(),
                    products::id,
                    products::list_price,
                )))
                .into_columns(columns)
                .on_conflict_do_nothing()
                .execute(conn)
                .await?
        }
        Some(price) => {
            diesel::insert_into(store_inventory::table)
                .values(target.select((
                    store.into_sql::<BigInt>(),
                    products::id,
                    price.amount().into_sql::<Numeric>(),
                )))
                .into_columns(columns)
                .on_conflict_do_nothing()
                .execute(conn)
                .await?
        }
    };
    Ok(inserted == 1)
}

fn rule_error(violation: StockRuleViolation) -> StockError {
    match violation {
        StockRuleViolation::Insufficient {
            available,
            requested,
        } => StockError::Insufficient {
            available,
            requested,
        },
        StockRuleViolation::TooMany => StockError::TooMany,
    }
}

async fn apply(
    conn: &mut AsyncPgConnection,
    change: &StockChange,
) -> Result<(InventoryItem, StockMovement), TxError<StockError>> {
    let (store, product) = (change.store_id, change.product_id);
    let mut line = lock_line(conn, store, product).await?;
    match (&change.kind, line.is_some()) {
        (StockChangeKind::List { .. }, true) => {
            return Err(TxError::Rejected(StockError::AlreadyListed));
        }
        (StockChangeKind::List { price, .. }, false) => {
            let listed = list_product(conn, store, product, Some(*price)).await?;
            line = lock_line(conn, store, product).await?;
            match (listed, line.is_some()) {
                (true, _) => {}
                (false, true) => return Err(TxError::Rejected(StockError::AlreadyListed)),
                (false, false) => return Err(TxError::Rejected(StockError::UnknownProduct)),
            }
        }
        (StockChangeKind::Adjust { .. }, _) | (_, true) => {}
        (_, false) => {
            list_product(conn, store, product, None).await?;
            line = lock_line(conn, store, product).await?;
            if line.is_none() {
                return Err(TxError::Rejected(StockError::UnknownProduct));
            }
        }
    }
    let Some((row, sku, name)) = line else {
        return Err(TxError::Rejected(StockError::NotListed));
    };
    let before = StockLevel {
        on_hand: row.on_hand,
        reserved: row.reserved,
    };
    let (reason, after, price, note) = match &change.kind {
        StockChangeKind::Receive { quantity, note } => (
            MovementReason::Receipt,
            before.receive(*quantity),
            row.price,
            note.as_str(),
        ),
        StockChangeKind::Adjust { delta, reason } => (
            MovementReason::Adjustment,
            before.adjust(*delta),
            row.price,
            reason.as_str(),
        ),
        StockChangeKind::SetPrice { price } => {
            (MovementReason::Repricing, Ok(before), price.amount(), "")
        }
        // Listed with stock, a receipt; with none, the price it is listed at.
        StockChangeKind::List {
            price,
            quantity: Some(quantity),
            note,
        } => (
            MovementReason::Receipt,
            before.receive(*quantity),
            price.amount(),
            note.as_str(),
        ),
        StockChangeKind::List {
            price,
            quantity: None,
            note,
        } => (
            MovementReason::Repricing,
            Ok(before),
            price.amount(),
            note.as_str(),
        ),
    };
    let after = after.map_err(|v| TxError::Rejected(rule_error(v)))?;

    let updated: LineRow = diesel::update(
        store_inventory::table
            .filter(store_inventory::store_id.eq(store))
            .filter(store_inventory::product_id.eq(product)),
    )
    .set((
        store_inventory::on_hand.eq(after.on_hand),
        store_inventory::reserved.eq(after.reserved),
        store_inventory::price.eq(price),
    ))
    .returning(LineRow::as_returning())
    .get_result(conn)
    .await?;
    let movement: MovementRow = diesel::insert_into(stock_movements::table)
        .values((
            stock_movements::store_id.eq(store),
            stock_movements::product_id.eq(product),
            stock_movements::reason.eq(reason.as_str()),
            stock_movements::on_hand_delta.eq(after.on_hand - before.on_hand),
            stock_movements::reserved_delta.eq(after.reserved - before.reserved),
            stock_movements::on_hand_after.eq(after.on_hand),
            stock_movements::reserved_after.eq(after.reserved),
            stock_movements::price_after.eq(price),
            stock_movements::note.eq(note),
            stock_movements::actor_id.eq(change.actor),
        ))
        .returning(MovementRow::as_returning())
        .get_result(conn)
        .await?;
    let actor: String = users::table
        .filter(users::id.eq(change.actor))
        .select(users::username)
        .first(conn)
        .await?;
    let item = to_item((updated, sku, name)).map_err(|e| TxError::Rejected(e.into()))?;
    let movement = to_movement((movement, Some(actor))).map_err(|e| TxError::Rejected(e.into()))?;
    Ok((item, movement))
}

#[async_trait]
impl InventoryRepository for PgInventoryRepository {
    async fn list(
        &self,
        store: StoreId,
        page: &PageRequest<ProductId>,
    ) -> Result<Page<InventoryItem>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = store_inventory::table
            .inner_join(products::table)
            .filter(store_inventory::store_id.eq(store))
            .select((LineRow::as_select(), products::sku, products::name))
            .order(store_inventory::product_id)
            .limit(page.fetch())
            .into_boxed();
        if let Some(after) = page.after {
            query = query.filter(store_inventory::product_id.gt(after));
        }
        let rows: Vec<(LineRow, String, String)> =
            query.load(&mut conn).await.map_err(from_diesel)?;
        let items = rows
            .into_iter()
            .map(to_item)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(items, page))
    }

    async fn find(
        &self,
        store: StoreId,
        product: ProductId,
    ) -> Result<Option<InventoryItem>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(LineRow, String, String)> = store_inventory::table
            .inner_join(products::table)
            .filter(store_inventory::store_id.eq(store))
            .filter(store_inventory::product_id.eq(product))
            .select((LineRow::as_select(), products::sku, products::name))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_item).transpose()
    }

    async fn change(
        &self,
        change: &StockChange,
    ) -> Result<(InventoryItem, StockMovement), StockError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<StockError>, _>(async |conn| apply(conn, change).await)
            .await
            .map_err(TxError::into_port)
    }

    async fn offers(
        &self,
        store: StoreId,
        products: &[ProductId],
    ) -> Result<Vec<Offer>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<(i64, i32, i32, Decimal)> = store_inventory::table
            .filter(store_inventory::store_id.eq(store))
            .filter(store_inventory::product_id.eq_any(products))
            .select((
                store_inventory::product_id,
                store_inventory::on_hand,
                store_inventory::reserved,
                store_inventory::price,
            ))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter()
            .map(|(product_id, on_hand, reserved, price)| {
                Ok(Offer {
                    store_id: store,
                    product_id,
                    price: stored("price", Money::parse(price))?,
                    available: on_hand - reserved,
                })
            })
            .collect()
    }

    async fn movements(
        &self,
        store: StoreId,
        product: Option<ProductId>,
        page: &PageRequest<i64>,
    ) -> Result<Page<StockMovement>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = stock_movements::table
            .left_join(users::table)
            .filter(stock_movements::store_id.eq(store))
            .select((MovementRow::as_select(), users::username.nullable()))
            .order(stock_movements::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(product) = product {
            query = query.filter(stock_movements::product_id.eq(product));
        }
        if let Some(after) = page.after {
            query = query.filter(stock_movements::id.lt(after));
        }
        let rows: Vec<(MovementRow, Option<String>)> =
            query.load(&mut conn).await.map_err(from_diesel)?;
        let movements = rows
            .into_iter()
            .map(to_movement)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(movements, page))
    }
}
