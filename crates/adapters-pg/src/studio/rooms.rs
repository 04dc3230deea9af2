use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::pagination::{Page, PageRequest};
use domain::studio::RoomId;
use domain::studio::rooms::{Room, RoomDetails};
use ports::InfraError;
use ports::studio::rooms::{RoomFilter, RoomRepository, RoomStoreError};

use crate::error::{from_diesel, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{rooms, stores};

pub struct PgRoomRepository {
    pool: PgPool,
}

impl PgRoomRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = rooms, check_for_backend(diesel::pg::Pg))]
struct RoomRow {
    id: i64,
    store_id: i64,
    name: String,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = rooms)]
struct RoomValues<'a> {
    store_id: i64,
    name: &'a str,
    active: bool,
}

impl<'a> From<&'a RoomDetails> for RoomValues<'a> {
    fn from(details: &'a RoomDetails) -> Self {
        Self {
            store_id: details.store_id,
            name: &details.name,
            active: details.active,
        }
    }
}

fn to_room((row, store): (RoomRow, String)) -> Room {
    Room {
        id: row.id,
        details: RoomDetails {
            store_id: row.store_id,
            name: row.name,
            active: row.active,
        },
        store,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

async fn load_one(conn: &mut AsyncPgConnection, id: RoomId) -> Result<Option<Room>, InfraError> {
    let row: Option<(RoomRow, String)> = rooms::table
        .inner_join(stores::table)
        .filter(rooms::id.eq(id))
        .select((RoomRow::as_select(), stores::code))
        .first(conn)
        .await
        .optional()
        .map_err(from_diesel)?;
    Ok(row.map(to_room))
}

fn refused(error: diesel::result::Error) -> RoomStoreError {
    match violated_constraint(&error) {
        Some("rooms_store_id_name_key") => RoomStoreError::NameTaken,
        Some("rooms_store_id_fkey") => RoomStoreError::UnknownStore,
        _ => from_diesel(error).into(),
    }
}

#[async_trait]
impl RoomRepository for PgRoomRepository {
    async fn create(&self, details: &RoomDetails) -> Result<Room, RoomStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let id: i64 = diesel::insert_into(rooms::table)
            .values(RoomValues::from(details))
            .returning(rooms::id)
            .get_result(&mut conn)
            .await
            .map_err(refused)?;
        load_one(&mut conn, id)
            .await?
            .ok_or(RoomStoreError::NotFound)
    }

    async fn find(&self, id: RoomId) -> Result<Option<Room>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        load_one(&mut conn, id).await
    }

    async fn list(
        &self,
        filter: &RoomFilter,
        page: &PageRequest<RoomId>,
    ) -> Result<Page<Room>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = rooms::table
            .inner_join(stores::table)
            .select((RoomRow::as_select(), stores::code))
            .order(rooms::id)
            .limit(page.fetch())
            .into_boxed();
        if let Some(after) = page.after {
            query = query.filter(rooms::id.gt(after));
        }
        if let Some(store) = &filter.store {
            query = query.filter(stores::code.eq(store.clone()));
        }
        if let Some(active) = filter.active {
            query = query.filter(rooms::active.eq(active));
        }
        let rows: Vec<(RoomRow, String)> = query.load(&mut conn).await.map_err(from_diesel)?;
        Ok(Page::from_rows(
            rows.into_iter().map(to_room).collect(),
            page,
        ))
    }

    async fn update(&self, id: RoomId, details: &RoomDetails) -> Result<Room, RoomStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let updated = diesel::update(rooms::table.find(id))
            .set(RoomValues::from(details))
            .execute(&mut conn)
            .await
            .map_err(refused)?;
        if updated == 0 {
            return Err(RoomStoreError::NotFound);
        }
        load_one(&mut conn, id)
            .await?
            .ok_or(RoomStoreError::NotFound)
    }
}
