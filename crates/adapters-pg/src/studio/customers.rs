use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::credentials::Email;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use domain::studio::CustomerId;
use domain::studio::customers::{Contact, Customer, CustomerDetails, LeadSource, Phone};
use ports::InfraError;
use ports::studio::customers::{
    CustomerFilter, CustomerHistory, CustomerRepository, CustomerStoreError, OrderRecord,
    PaymentRecord, ShootRecord,
};
use rust_decimal::Decimal;

use super::accounts;
use crate::error::{from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{customers, orders, payments, shoots, stores};

pub struct PgCustomerRepository {
    pool: PgPool,
}

impl PgCustomerRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = customers, check_for_backend(diesel::pg::Pg))]
struct CustomerRow {
    id: i64,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    birthday: Option<NaiveDate>,
    anniversary: Option<NaiveDate>,
    lead_source: Option<String>,
    notes: String,
    user_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = customers, treat_none_as_null = true)]
struct CustomerValues<'a> {
    first_name: &'a str,
    last_name: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    birthday: Option<NaiveDate>,
    anniversary: Option<NaiveDate>,
    lead_source: Option<&'a str>,
    notes: &'a str,
    user_id: Option<i64>,
}

impl<'a> From<&'a CustomerDetails> for CustomerValues<'a> {
    fn from(details: &'a CustomerDetails) -> Self {
        Self {
            first_name: &details.first_name,
            last_name: &details.last_name,
            email: details.contact.email().map(Email::as_str),
            phone: details.contact.phone().map(Phone::as_str),
            birthday: details.birthday,
            anniversary: details.anniversary,
            lead_source: details.lead_source.map(LeadSource::as_str),
            notes: &details.notes,
            user_id: details.user_id,
        }
    }
}

fn details(row: &CustomerRow) -> Result<CustomerDetails, InfraError> {
    let email = row
        .email
        .as_deref()
        .map(|e| stored("email", Email::parse(e)))
        .transpose()?;
    let phone = row
        .phone
        .as_deref()
        .map(|p| stored("phone", Phone::parse(p)))
        .transpose()?;
    Ok(CustomerDetails {
        first_name: row.first_name.clone(),
        last_name: row.last_name.clone(),
        contact: stored("contact", Contact::new(email, phone))?,
        birthday: row.birthday,
        anniversary: row.anniversary,
        lead_source: row
            .lead_source
            .as_deref()
            .map(|s| stored("lead_source", LeadSource::parse(s)))
            .transpose()?,
        notes: row.notes.clone(),
        user_id: row.user_id,
    })
}

/// The customers of `rows`, with their accounts.
async fn customers_of(
    conn: &mut AsyncPgConnection,
    rows: Vec<CustomerRow>,
) -> Result<Vec<Customer>, InfraError> {
    let mut accounts = accounts(conn, rows.iter().filter_map(|r| r.user_id)).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Customer {
                id: row.id,
                details: details(&row)?,
                account: row.user_id.and_then(|id| accounts.remove(&id)),
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

async fn one(conn: &mut AsyncPgConnection, row: CustomerRow) -> Result<Customer, InfraError> {
    Ok(customers_of(conn, vec![row])
        .await?
        .pop()
        .expect("one row, one customer"))
}

fn refused(error: diesel::result::Error) -> CustomerStoreError {
    match violated_constraint(&error) {
        Some("customers_email_key") => CustomerStoreError::EmailTaken,
        Some("customers_phone_key") => CustomerStoreError::PhoneTaken,
        Some("customers_user_id_key") => CustomerStoreError::AccountTaken,
        Some("customers_user_id_fkey") => CustomerStoreError::UnknownAccount,
        Some("shoots_customer_id_fkey") => CustomerStoreError::HasShoots,
        _ => from_diesel(error).into(),
    }
}

fn money(column: &str, amount: Decimal) -> Result<Money, InfraError> {
    stored(column, Money::parse(amount))
}

#[async_trait]
impl CustomerRepository for PgCustomerRepository {
    async fn create(&self, details: &CustomerDetails) -> Result<Customer, CustomerStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: CustomerRow = diesel::insert_into(customers::table)
            .values(CustomerValues::from(details))
            .returning(CustomerRow::as_returning())
            .get_result(&mut conn)
            .await
            .map_err(refused)?;
        Ok(one(&mut conn, row).await?)
    }

    async fn find(&self, id: CustomerId) -> Result<Option<Customer>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<CustomerRow> = customers::table
            .find(id)
            .select(CustomerRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        match row {
            Some(row) => Ok(Some(one(&mut conn, row).await?)),
            None => Ok(None),
        }
    }

    async fn list(
        &self,
        filter: &CustomerFilter,
        page: &PageRequest<CustomerId>,
    ) -> Result<Page<Customer>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = customers::table
            .select(CustomerRow::as_select())
            .order(customers::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(after) = page.after {
            query = query.filter(customers::id.lt(after));
        }
        if let Some(search) = &filter.search {
            let pattern = crate::like::containing(search);
            // Phones are stored without spaces or dashes; so is the fragment matched to them.
            let digits: String = search.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
            let phone_pattern = crate::like::containing(&digits);
            // Each expression is one the trigram indexes cover; citext has no ILIKE in
            // diesel's DSL.
            query = query.filter(
                sql::<Bool>("(customers.search_name ILIKE ")
                    .bind::<Text, _>(pattern.clone())
                    .sql(" OR customers.phone ILIKE ")
                    .bind::<Text, _>(phone_pattern)
                    .sql(" OR customers.email::text ILIKE ")
                    .bind::<Text, _>(pattern)
                    .sql(")"),
            );
        }
        let rows: Vec<CustomerRow> = query.load(&mut conn).await.map_err(from_diesel)?;
        let customers = customers_of(&mut conn, rows).await?;
        Ok(Page::from_rows(customers, page))
    }

    async fn update(
        &self,
        id: CustomerId,
        details: &CustomerDetails,
    ) -> Result<Customer, CustomerStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<CustomerRow> = diesel::update(customers::table.find(id))
            .set(CustomerValues::from(details))
            .returning(CustomerRow::as_returning())
            .get_result(&mut conn)
            .await
            .optional()
            .map_err(refused)?;
        let row = row.ok_or(CustomerStoreError::NotFound)?;
        Ok(one(&mut conn, row).await?)
    }

    async fn delete(&self, id: CustomerId) -> Result<(), CustomerStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(customers::table.find(id))
            .execute(&mut conn)
            .await
            .map_err(refused)?;
        if deleted == 0 {
            return Err(CustomerStoreError::NotFound);
        }
        Ok(())
    }

    async fn history(
        &self,
        id: CustomerId,
        limit: u32,
    ) -> Result<Option<CustomerHistory>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let limit = i64::from(limit);
        let Some(user_id) = customers::table
            .find(id)
            .select(customers::user_id)
            .first::<Option<i64>>(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?
        else {
            return Ok(None);
        };
        let shoots: Vec<(i64, String, DateTime<Utc>, DateTime<Utc>, String)> = shoots::table
            .inner_join(stores::table.on(stores::id.eq(shoots::store_id)))
            .filter(shoots::customer_id.eq(id))
            .order((shoots::starts_at.desc(), shoots::id.desc()))
            .limit(limit)
            .select((
                shoots::id,
                stores::code,
                shoots::starts_at,
                shoots::ends_at,
                shoots::stage,
            ))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        let shoots = shoots
            .into_iter()
            .map(|(id, store, starts_at, ends_at, stage)| ShootRecord {
                id,
                store,
                starts_at,
                ends_at,
                stage,
            })
            .collect();
        let (orders, payments) = match user_id {
            Some(user_id) => (
                orders_of(&mut conn, user_id, limit).await?,
                payments_of(&mut conn, user_id, limit).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(Some(CustomerHistory {
            shoots,
            orders,
            payments,
        }))
    }
}

type OrderColumns = (
    i64,
    String,
    String,
    String,
    String,
    Decimal,
    Decimal,
    DateTime<Utc>,
);

/// The latest orders of an account, newest first.
async fn orders_of(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<OrderRecord>, InfraError> {
    let rows: Vec<OrderColumns> = orders::table
        .inner_join(stores::table)
        .filter(orders::user_id.eq(user_id))
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(limit)
        .select((
            orders::id,
            orders::number,
            stores::code,
            orders::status,
            orders::currency,
            orders::total,
            orders::paid_amount,
            orders::created_at,
        ))
        .load(conn)
        .await
        .map_err(from_diesel)?;
    rows.into_iter()
        .map(
            |(id, number, store, status, currency, total, paid_amount, created_at)| {
                Ok(OrderRecord {
                    id,
                    number,
                    store,
                    status,
                    currency,
                    total: money("total", total)?,
                    paid_amount: money("paid_amount", paid_amount)?,
                    created_at,
                })
            },
        )
        .collect()
}

type PaymentColumns = (
    (i64, i64, String, String, String, String),
    (Decimal, Decimal, DateTime<Utc>, Option<DateTime<Utc>>),
);

/// The latest payments of the orders of an account, newest first.
async fn payments_of(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<PaymentRecord>, InfraError> {
    let rows: Vec<PaymentColumns> = payments::table
        .inner_join(orders::table)
        .filter(orders::user_id.eq(user_id))
        .order(payments::id.desc())
        .limit(limit)
        .select((
            (
                payments::id,
                payments::order_id,
                orders::number,
                payments::method,
                payments::status,
                payments::currency,
            ),
            (
                payments::amount,
                payments::refunded_amount,
                payments::created_at,
                payments::completed_at,
            ),
        ))
        .load(conn)
        .await
        .map_err(from_diesel)?;
    rows.into_iter()
        .map(
            |(
                (id, order_id, order_number, method, status, currency),
                (amount, refunded_amount, created_at, completed_at),
            )| {
                Ok(PaymentRecord {
                    id,
                    order_id,
                    order_number,
                    method,
                    status,
                    currency,
                    amount: money("amount", amount)?,
                    refunded_amount: money("refunded_amount", refunded_amount)?,
                    created_at,
                    completed_at,
                })
            },
        )
        .collect()
}
