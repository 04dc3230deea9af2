use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::identity::address::{Address, AddressFields};
use domain::identity::user::UserId;
use ports::InfraError;
use ports::identity::{AddressRepository, AddressStoreError};

use crate::error::{TxError, from_diesel};
use crate::pool::{self, PgPool};
use crate::schema::{addresses, users};

pub struct PgAddressRepository {
    pool: PgPool,
}

impl PgAddressRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = addresses, check_for_backend(diesel::pg::Pg))]
struct AddressRow {
    id: i64,
    name: String,
    phone: String,
    line1: String,
    line2: Option<String>,
    city: String,
    state: Option<String>,
    postal_code: Option<String>,
    country: String,
    is_default: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<AddressRow> for Address {
    fn from(row: AddressRow) -> Self {
        Self {
            id: row.id,
            fields: AddressFields {
                name: row.name,
                phone: row.phone,
                line1: row.line1,
                line2: row.line2,
                city: row.city,
                state: row.state,
                postal_code: row.postal_code,
                country: row.country,
            },
            is_default: row.is_default,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = addresses, treat_none_as_null = true)]
struct AddressValues<'a> {
    name: &'a str,
    phone: &'a str,
    line1: &'a str,
    line2: Option<&'a str>,
    city: &'a str,
    state: Option<&'a str>,
    postal_code: Option<&'a str>,
    country: &'a str,
}

impl<'a> From<&'a AddressFields> for AddressValues<'a> {
    fn from(fields: &'a AddressFields) -> Self {
        Self {
            name: &fields.name,
            phone: &fields.phone,
            line1: &fields.line1,
            line2: fields.line2.as_deref(),
            city: &fields.city,
            state: fields.state.as_deref(),
            postal_code: fields.postal_code.as_deref(),
            country: &fields.country,
        }
    }
}

async fn owned(
    conn: &mut AsyncPgConnection,
    owner: UserId,
    id: i64,
) -> QueryResult<Option<AddressRow>> {
    addresses::table
        .filter(addresses::user_id.eq(owner))
        .filter(addresses::id.eq(id))
        .select(AddressRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Locks the owner's row, so that one person's changes to the book take turns: the capacity
/// and first-is-default rules see every earlier addition, and two concurrent set-defaults
/// cannot both clear the old default before either sets the new one (which the unique index
/// would refuse).
async fn lock_owner(conn: &mut AsyncPgConnection, owner: UserId) -> QueryResult<()> {
    users::table
        .filter(users::id.eq(owner))
        .select(users::id)
        // Not FOR UPDATE: rows that merely refer to the account (orders) need not wait.
        .for_no_key_update()
        .first::<i64>(conn)
        .await
        .map(drop)
}

#[async_trait]
impl AddressRepository for PgAddressRepository {
    async fn list(&self, owner: UserId) -> Result<Vec<Address>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows = addresses::table
            .filter(addresses::user_id.eq(owner))
            .order((addresses::is_default.desc(), addresses::id))
            .select(AddressRow::as_select())
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn find(&self, owner: UserId, id: i64) -> Result<Option<Address>, AddressStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = owned(&mut conn, owner, id).await.map_err(from_diesel)?;
        Ok(row.map(Into::into))
    }

    async fn create(
        &self,
        owner: UserId,
        fields: &AddressFields,
        capacity: usize,
    ) -> Result<Address, AddressStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = conn
            .transaction::<_, TxError<AddressStoreError>, _>(async |conn| {
                lock_owner(conn, owner).await?;
                let count: i64 = addresses::table
                    .filter(addresses::user_id.eq(owner))
                    .count()
                    .get_result(conn)
                    .await?;
                if usize::try_from(count).unwrap_or(usize::MAX) >= capacity {
                    return Err(TxError::Rejected(AddressStoreError::Full(capacity)));
                }
                let row = diesel::insert_into(addresses::table)
                    .values((
                        AddressValues::from(fields),
                        addresses::user_id.eq(owner),
                        addresses::is_default.eq(count == 0),
                    ))
                    .returning(AddressRow::as_returning())
                    .get_result(conn)
                    .await?;
                Ok(row)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(row.into())
    }

    async fn update(
        &self,
        owner: UserId,
        id: i64,
        fields: &AddressFields,
    ) -> Result<Address, AddressStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = diesel::update(
            addresses::table
                .filter(addresses::user_id.eq(owner))
                .filter(addresses::id.eq(id)),
        )
        .set(AddressValues::from(fields))
        .returning(AddressRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()
        .map_err(from_diesel)?;
        row.map(Into::into).ok_or(AddressStoreError::NotFound)
    }

    async fn delete(&self, owner: UserId, id: i64) -> Result<(), AddressStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(
            addresses::table
                .filter(addresses::user_id.eq(owner))
                .filter(addresses::id.eq(id)),
        )
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        if deleted == 0 {
            return Err(AddressStoreError::NotFound);
        }
        Ok(())
    }

    async fn set_default(&self, owner: UserId, id: i64) -> Result<Address, AddressStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = conn
            .transaction::<_, TxError<AddressStoreError>, _>(async |conn| {
                lock_owner(conn, owner).await?;
                if owned(conn, owner, id).await?.is_none() {
                    return Err(TxError::Rejected(AddressStoreError::NotFound));
                }
                // Two statements: the unique index on the default is checked row by row, so
                // the old default must be cleared before the new one is set.
                diesel::update(
                    addresses::table
                        .filter(addresses::user_id.eq(owner))
                        .filter(addresses::is_default)
                        .filter(addresses::id.ne(id)),
                )
                .set(addresses::is_default.eq(false))
                .execute(conn)
                .await?;
                let row = diesel::update(addresses::table.filter(addresses::id.eq(id)))
                    .set(addresses::is_default.eq(true))
                    .returning(AddressRow::as_returning())
                    .get_result(conn)
                    .await?;
                Ok(row)
            })
            .await
            .map_err(TxError::into_port)?;
        Ok(row.into())
    }
}
