use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::finance::ledger::{
    EntryKey, EntryKind, EntryStatus, LedgerEntry, LedgerFilter, NewLedgerEntry, Person,
};
use domain::identity::user::UserId;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::finance::{LedgerError, Posted, WalletRepository};
use rust_decimal::Decimal;

use super::ledger::{self, EntryRow, PostError};
use crate::error::{from_diesel, stored};
use crate::pool::{self, PgPool};
use crate::schema::{financial_transactions as ft, users, wallets};

pub struct PgWalletRepository {
    pool: PgPool,
}

impl PgWalletRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

diesel::alias!(users as owners: OwnerAlias, users as actors: ActorAlias);

/// The ledger's rows with the usernames of their wallet's owner and their actor, as
/// `(EntryRow, owner, actor)`.
macro_rules! entries_with_people {
    () => {
        ft::table
            .left_join(owners.on(ft::wallet_user_id.eq(owners.field(users::id).nullable())))
            .left_join(actors.on(ft::actor_id.eq(actors.field(users::id).nullable())))
            .select((
                EntryRow::as_select(),
                owners.field(users::username).nullable(),
                actors.field(users::username).nullable(),
            ))
    };
}

type EntryWithPeople = (EntryRow, Option<String>, Option<String>);

fn person(id: Option<i64>, username: Option<String>) -> Option<Person> {
    id.zip(username)
        .map(|(id, username)| Person { id, username })
}

fn to_entry((row, owner, actor): EntryWithPeople) -> Result<LedgerEntry, InfraError> {
    Ok(LedgerEntry {
        id: row.id,
        kind: stored("kind", EntryKind::parse(&row.kind))?,
        status: stored("status", EntryStatus::parse(&row.status))?,
        wallet: person(row.wallet_user_id, owner),
        amount: row.amount,
        currency: row.currency,
        order_id: row.order_id,
        payment_id: row.payment_id,
        provider_reference: row.provider_reference,
        note: row.note,
        actor: person(row.actor_id, actor),
        created_at: row.created_at,
    })
}

fn to_page(
    rows: Vec<EntryWithPeople>,
    page: &PageRequest<EntryKey>,
) -> Result<Page<LedgerEntry>, InfraError> {
    let entries = rows
        .into_iter()
        .map(to_entry)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(entries, page))
}

async fn entry(conn: &mut AsyncPgConnection, id: i64) -> QueryResult<EntryWithPeople> {
    entries_with_people!()
        .filter(ft::id.eq(id))
        .first(conn)
        .await
}

#[async_trait]
impl WalletRepository for PgWalletRepository {
    async fn balance(&self, user: UserId) -> Result<Money, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let balance: Option<Decimal> = wallets::table
            .filter(wallets::user_id.eq(user))
            .select(wallets::balance)
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        balance.map_or(Ok(Money::ZERO), |b| stored("balance", Money::parse(b)))
    }

    async fn post(&self, new: &NewLedgerEntry) -> Result<Posted, LedgerError> {
        let mut conn = pool::get(&self.pool).await?;
        let (row, balance) = conn
            .transaction::<_, PostError, _>(async |conn| {
                let posting = ledger::post(conn, std::slice::from_ref(new)).await?;
                let row = entry(conn, posting.ids[0]).await?;
                let balance = posting
                    .balances
                    .iter()
                    .find(|(user, _)| Some(*user) == new.wallet_user())
                    .map_or(Money::ZERO, |(_, balance)| *balance);
                Ok((row, balance))
            })
            .await?;
        Ok(Posted {
            entry: to_entry(row)?,
            balance,
        })
    }

    async fn statement(
        &self,
        user: UserId,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, InfraError> {
        let filter = LedgerFilter::default();
        let mut conn = pool::get(&self.pool).await?;
        let rows = list(&mut conn, &filter, Some(user), page)
            .await
            .map_err(from_diesel)?;
        to_page(rows, page)
    }

    async fn entries(
        &self,
        filter: &LedgerFilter,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows = list(&mut conn, filter, None, page)
            .await
            .map_err(from_diesel)?;
        to_page(rows, page)
    }
}

/// Rows newest first (`created_at`, then `id`), after the page's key.
async fn list(
    conn: &mut AsyncPgConnection,
    filter: &LedgerFilter,
    wallet: Option<UserId>,
    page: &PageRequest<EntryKey>,
) -> QueryResult<Vec<EntryWithPeople>> {
    let mut query = entries_with_people!()
        .order((ft::created_at.desc(), ft::id.desc()))
        .limit(page.fetch())
        .into_boxed();
    if let Some(user) = wallet {
        query = query.filter(ft::wallet_user_id.eq(user));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(ft::kind.eq(kind.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(ft::status.eq(status.as_str()));
    }
    if let Some(username) = &filter.username {
        query = query.filter(owners.field(users::username).eq(username.as_str()));
    }
    if let Some(order) = filter.order_id {
        query = query.filter(ft::order_id.eq(order));
    }
    if let Some(from) = filter.from {
        query = query.filter(ft::created_at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(ft::created_at.lt(to));
    }
    if let Some((at, id)) = page.after {
        query = query.filter(
            ft::created_at
                .lt(at)
                .or(ft::created_at.eq(at).and(ft::id.lt(id))),
        );
    }
    query.load(conn).await
}
