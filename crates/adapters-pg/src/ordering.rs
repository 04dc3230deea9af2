//! Ordering: the cart, checkout and orders.

mod cart;
mod orders;
mod placement;
pub(crate) mod status;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use domain::ordering::order::{Order, OrderAction, OrderEvent, OrderId};
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::ordering::{
    OrderFilter, OrderRepository, PlaceError, PlaceOrders, StatusChange, StatusChangeError,
};

pub use cart::PgCartRepository;

pub(crate) use self::orders::{ItemRow, OrderRow, items_of};
use self::orders::{Key, assemble, events_of, load, order_heading, to_event};
use crate::error::{TxError, from_diesel};
use crate::pool::{self, PgPool};
use crate::schema::orders as orders_table;

pub struct PgOrderRepository {
    pool: PgPool,
}

impl PgOrderRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

async fn read(
    conn: &mut diesel_async::AsyncPgConnection,
    id: OrderId,
) -> Result<Option<Order>, InfraError> {
    load(conn, Key::Id(id)).await
}

#[async_trait]
impl OrderRepository for PgOrderRepository {
    async fn place(&self, request: &PlaceOrders) -> Result<Vec<OrderId>, PlaceError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<PlaceError>, _>(async |conn| {
            placement::place(conn, request).await
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn find(&self, id: OrderId) -> Result<Option<Order>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        read(&mut conn, id).await
    }

    async fn find_by_number(&self, number: &str) -> Result<Option<Order>, InfraError> {
        let conn = pool::get(&self.pool).await?;
        load(&conn, Key::Number(number)).await
    }

    async fn list(
        &self,
        filter: &OrderFilter,
        page: &PageRequest<OrderId>,
    ) -> Result<Page<Order>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = order_heading!()
            .order(orders_table::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(buyer) = filter.buyer {
            query = query.filter(orders_table::user_id.eq(buyer));
        }
        if let Some(store) = filter.store {
            query = query.filter(orders_table::store_id.eq(store));
        }
        if let Some(status) = filter.status {
            query = query.filter(orders_table::status.eq(status.as_str()));
        }
        if let Some(after) = page.after {
            query = query.filter(orders_table::id.lt(after));
        }
        let headings: Vec<orders::Heading> = query.load(&mut conn).await.map_err(from_diesel)?;
        let ids: Vec<i64> = headings.iter().map(|h| h.0.id).collect();
        let items = items_of(&conn, &ids).await.map_err(from_diesel)?;
        Ok(Page::from_rows(assemble(headings, items)?, page))
    }

    async fn events(&self, id: OrderId) -> Result<Vec<OrderEvent>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        events_of(&mut conn, id)
            .await
            .map_err(from_diesel)?
            .into_iter()
            .map(to_event)
            .collect()
    }

    async fn change_status(&self, change: &StatusChange) -> Result<Order, StatusChangeError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<StatusChangeError>, _>(async |conn| {
            let order = status::lock(conn, change.order)
                .await?
                .ok_or(TxError::Rejected(StatusChangeError::NotFound))?;
            let extra = status::Extra {
                shipment: change
                    .shipment
                    .as_ref()
                    .map(|(carrier, number)| (carrier.as_str(), number.as_str())),
                items: None,
            };
            status::apply(
                conn,
                &order,
                change.action,
                change.actor,
                &change.note,
                change.now,
                extra,
            )
            .await?;
            read(conn, change.order)
                .await
                .map_err(|e| TxError::Rejected(e.into()))?
                .ok_or(TxError::Rejected(StatusChangeError::NotFound))
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn claim_tracking_sync(
        &self,
        id: OrderId,
        now: DateTime<Utc>,
        not_before: DateTime<Utc>,
    ) -> Result<bool, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let claimed = diesel::update(
            orders_table::table
                .filter(orders_table::id.eq(id))
                .filter(orders_table::shipped_at.is_not_null())
                .filter(
                    orders_table::tracking_last_sync
                        .is_null()
                        .or(orders_table::tracking_last_sync.le(not_before)),
                ),
        )
        .set(orders_table::tracking_last_sync.eq(now))
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        Ok(claimed == 1)
    }

    async fn save_tracking(
        &self,
        id: OrderId,
        details: &serde_json::Value,
    ) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::update(orders_table::table.filter(orders_table::id.eq(id)))
            .set(orders_table::tracking_details.eq(details))
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(())
    }

    async fn expire_due(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OrderId>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<StatusChangeError>, _>(async |conn| {
            let due: Vec<OrderRow> = status::claim_due(conn, now, limit).await?;
            let mut expired = Vec::with_capacity(due.len());
            for order in &due {
                status::apply(
                    conn,
                    order,
                    OrderAction::Expire,
                    None,
                    "unpaid when its reservation ended",
                    now,
                    status::Extra::default(),
                )
                .await?;
                expired.push(order.id);
            }
            Ok(expired)
        })
        .await
        .map_err(|e| match e.into_port() {
            StatusChangeError::Infra(e) => e,
            other => InfraError::Unknown(anyhow::anyhow!("expiring orders: {other}")),
        })
    }
}
