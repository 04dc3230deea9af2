use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::pagination::{Page, PageRequest};
use domain::stores::store::{Store, StoreCode, StoreId, StoreStatus, TimeZone};
use ports::InfraError;
use ports::stores::{NewStore, StoreChange, StoreFilter, StoreRepository, StoreStoreError};

use crate::error::{from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{stores, users};

pub struct PgStoreRepository {
    pool: PgPool,
}

impl PgStoreRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = stores, check_for_backend(diesel::pg::Pg))]
struct StoreRow {
    id: i64,
    code: String,
    owner_id: i64,
    name: String,
    description: String,
    status: String,
    time_zone: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

fn to_store((row, owner_username): (StoreRow, String)) -> Result<Store, InfraError> {
    Ok(Store {
        id: row.id,
        code: stored("code", StoreCode::parse(&row.code))?,
        owner_id: row.owner_id,
        owner_username,
        name: row.name,
        description: row.description,
        status: stored("status", StoreStatus::parse(&row.status))?,
        time_zone: stored("time_zone", TimeZone::parse(&row.time_zone))?,
        created_at: row.created_at,
        updated_at: row.updated_at,
        closed_at: row.closed_at,
    })
}

fn store_error(error: diesel::result::Error) -> StoreStoreError {
    match violated_constraint(&error) {
        Some("stores_code_key") => StoreStoreError::CodeTaken,
        Some("stores_owner_id_fkey") => StoreStoreError::UnknownOwner,
        _ => StoreStoreError::Infra(from_diesel(error)),
    }
}

async fn by_id(conn: &mut AsyncPgConnection, id: StoreId) -> Result<Store, StoreStoreError> {
    let row: Option<(StoreRow, String)> = stores::table
        .inner_join(users::table)
        .filter(stores::id.eq(id))
        .select((StoreRow::as_select(), users::username))
        .first(conn)
        .await
        .optional()
        .map_err(from_diesel)?;
    Ok(to_store(row.ok_or(StoreStoreError::NotFound)?)?)
}

#[async_trait]
impl StoreRepository for PgStoreRepository {
    async fn create(&self, store: &NewStore) -> Result<Store, StoreStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let id: i64 = diesel::insert_into(stores::table)
            .values((
                stores::code.eq(store.code.as_str()),
                stores::owner_id.eq(store.owner_id),
                stores::name.eq(&store.name),
                stores::description.eq(&store.description),
                stores::time_zone.eq(store.time_zone.name()),
            ))
            .returning(stores::id)
            .get_result(&mut conn)
            .await
            .map_err(store_error)?;
        by_id(&mut conn, id).await
    }

    async fn find_by_code(&self, code: &StoreCode) -> Result<Option<Store>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(StoreRow, String)> = stores::table
            .inner_join(users::table)
            .filter(stores::code.eq(code.as_str()))
            .select((StoreRow::as_select(), users::username))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_store).transpose()
    }

    async fn list(
        &self,
        filter: &StoreFilter,
        page: &PageRequest<StoreId>,
    ) -> Result<Page<Store>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = stores::table
            .inner_join(users::table)
            .select((StoreRow::as_select(), users::username))
            .order(stores::id)
            .limit(page.fetch())
            .into_boxed();
        if let Some(owner) = filter.owner_id {
            query = query.filter(stores::owner_id.eq(owner));
        }
        if let Some(status) = filter.status {
            query = query.filter(stores::status.eq(status.as_str()));
        }
        if let Some(after) = page.after {
            query = query.filter(stores::id.gt(after));
        }
        let rows: Vec<(StoreRow, String)> = query.load(&mut conn).await.map_err(from_diesel)?;
        let stores = rows
            .into_iter()
            .map(to_store)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(stores, page))
    }

    async fn update(&self, id: StoreId, change: &StoreChange) -> Result<Store, StoreStoreError> {
        #[derive(AsChangeset)]
        #[diesel(table_name = stores)]
        struct Changes<'a> {
            name: Option<&'a str>,
            description: Option<&'a str>,
            time_zone: Option<&'static str>,
        }
        let changes = Changes {
            name: change.name.as_deref(),
            description: change.description.as_deref(),
            time_zone: change.time_zone.map(TimeZone::name),
        };
        let mut conn = pool::get(&self.pool).await?;
        if changes.name.is_some() || changes.description.is_some() || changes.time_zone.is_some() {
            diesel::update(stores::table.filter(stores::id.eq(id)))
                .set(&changes)
                .execute(&mut conn)
                .await
                .map_err(store_error)?;
        }
        by_id(&mut conn, id).await
    }

    async fn set_status(&self, id: StoreId, status: StoreStatus) -> Result<Store, StoreStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        // Only a real change is written: closing twice keeps the first closing time.
        let target = stores::table
            .filter(stores::id.eq(id))
            .filter(stores::status.ne(status.as_str()));
        let written = match status {
            StoreStatus::Closed => {
                diesel::update(target)
                    .set((
                        stores::status.eq(status.as_str()),
                        stores::closed_at.eq(sql::<Nullable<Timestamptz>>("now()")),
                    ))
                    .execute(&mut conn)
                    .await
            }
            StoreStatus::Open => {
                diesel::update(target)
                    .set((
                        stores::status.eq(status.as_str()),
                        stores::closed_at.eq(None::<DateTime<Utc>>),
                    ))
                    .execute(&mut conn)
                    .await
            }
        };
        written.map_err(store_error)?;
        by_id(&mut conn, id).await
    }
}
