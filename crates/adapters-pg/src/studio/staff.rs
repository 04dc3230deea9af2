use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::credentials::Email;
use domain::pagination::{Page, PageRequest};
use domain::studio::EmployeeId;
use domain::studio::customers::Phone;
use domain::studio::staff::{Employee, EmployeeDetails};
use ports::InfraError;
use ports::studio::staff::{EmployeeFilter, EmployeeRepository, EmployeeStoreError};

use super::accounts;
use crate::error::{from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{employees, stores};

pub struct PgEmployeeRepository {
    pool: PgPool,
}

impl PgEmployeeRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = employees, check_for_backend(diesel::pg::Pg))]
struct EmployeeRow {
    id: i64,
    store_id: i64,
    first_name: String,
    last_name: String,
    position: String,
    email: Option<String>,
    phone: Option<String>,
    active: bool,
    user_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = employees, treat_none_as_null = true)]
struct EmployeeValues<'a> {
    store_id: i64,
    first_name: &'a str,
    last_name: &'a str,
    position: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    active: bool,
    user_id: Option<i64>,
}

impl<'a> From<&'a EmployeeDetails> for EmployeeValues<'a> {
    fn from(details: &'a EmployeeDetails) -> Self {
        Self {
            store_id: details.store_id,
            first_name: &details.first_name,
            last_name: &details.last_name,
            position: details.position.as_str(),
            email: details.email.as_ref().map(Email::as_str),
            phone: details.phone.as_ref().map(Phone::as_str),
            active: details.active,
            user_id: details.user_id,
        }
    }
}

fn details(row: &EmployeeRow) -> Result<EmployeeDetails, InfraError> {
    Ok(EmployeeDetails {
        store_id: row.store_id,
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        position: super::position(&row.position)?,
        email: row
            .email
            .as_deref()
            .map(|e| stored("email", Email::parse(e)))
            .transpose()?,
        phone: row
            .phone
            .as_deref()
            .map(|p| stored("phone", Phone::parse(p)))
            .transpose()?,
        active: row.active,
        user_id: row.user_id,
    })
}

/// The employees of `rows` (each with its store's code), with their accounts.
async fn employees_of(
    conn: &mut AsyncPgConnection,
    rows: Vec<(EmployeeRow, String)>,
) -> Result<Vec<Employee>, InfraError> {
    let mut accounts = accounts(conn, rows.iter().filter_map(|(r, _)| r.user_id)).await?;
    rows.into_iter()
        .map(|(row, store)| {
            Ok(Employee {
                id: row.id,
                details: details(&row)?,
                store,
                account: row.user_id.and_then(|id| accounts.remove(&id)),
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

async fn load_one(
    conn: &mut AsyncPgConnection,
    id: EmployeeId,
) -> Result<Option<Employee>, InfraError> {
    let row: Option<(EmployeeRow, String)> = employees::table
        .inner_join(stores::table)
        .filter(employees::id.eq(id))
        .select((EmployeeRow::as_select(), stores::code))
        .first(conn)
        .await
        .optional()
        .map_err(from_diesel)?;
    Ok(employees_of(conn, row.into_iter().collect()).await?.pop())
}

fn refused(error: diesel::result::Error) -> EmployeeStoreError {
    match violated_constraint(&error) {
        Some("employees_user_id_key") => EmployeeStoreError::AccountTaken,
        Some("employees_user_id_fkey") => EmployeeStoreError::UnknownAccount,
        Some("employees_store_id_fkey") => EmployeeStoreError::UnknownStore,
        _ => from_diesel(error).into(),
    }
}

#[async_trait]
impl EmployeeRepository for PgEmployeeRepository {
    async fn create(&self, details: &EmployeeDetails) -> Result<Employee, EmployeeStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let id: i64 = diesel::insert_into(employees::table)
            .values(EmployeeValues::from(details))
            .returning(employees::id)
            .get_result(&mut conn)
            .await
            .map_err(refused)?;
        Ok(load_one(&mut conn, id)
            .await?
            .ok_or(EmployeeStoreError::NotFound)?)
    }

    async fn find(&self, id: EmployeeId) -> Result<Option<Employee>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        load_one(&mut conn, id).await
    }

    async fn list(
        &self,
        filter: &EmployeeFilter,
        page: &PageRequest<EmployeeId>,
    ) -> Result<Page<Employee>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = employees::table
            .inner_join(stores::table)
            .select((EmployeeRow::as_select(), stores::code))
            .order(employees::id)
            .limit(page.fetch())
            .into_boxed();
        if let Some(after) = page.after {
            query = query.filter(employees::id.gt(after));
        }
        if let Some(store) = &filter.store {
            query = query.filter(stores::code.eq(store.clone()));
        }
        if let Some(position) = filter.position {
            query = query.filter(employees::position.eq(position.as_str()));
        }
        if let Some(active) = filter.active {
            query = query.filter(employees::active.eq(active));
        }
        let rows: Vec<(EmployeeRow, String)> = query.load(&mut conn).await.map_err(from_diesel)?;
        let employees = employees_of(&mut conn, rows).await?;
        Ok(Page::from_rows(employees, page))
    }

    async fn update(
        &self,
        id: EmployeeId,
        details: &EmployeeDetails,
    ) -> Result<Employee, EmployeeStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let updated = diesel::update(employees::table.find(id))
            .set(EmployeeValues::from(details))
            .execute(&mut conn)
            .await
            .map_err(refused)?;
        if updated == 0 {
            return Err(EmployeeStoreError::NotFound);
        }
        Ok(load_one(&mut conn, id)
            .await?
            .ok_or(EmployeeStoreError::NotFound)?)
    }
}
