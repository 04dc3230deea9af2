//! Posting to the ledger inside a caller's transaction.
//!
//! [`post_in`] writes ledger rows and applies their wallet changes on the connection it is
//! given, so that the movement of money commits or rolls back with whatever else the caller's
//! transaction does (an order becoming paid, stock leaving a store).

use std::num::NonZeroU32;

use chrono::{DateTime, Utc};
use diesel::connection::TransactionManagerStatus;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, TransactionManager};
use domain::finance::ledger::{self, NewLedgerEntry};
use domain::identity::user::UserId;
use domain::money::Money;
use ports::finance::LedgerError;
use rust_decimal::Decimal;

use crate::cached::CacheByText;
use crate::error::{TxError, from_diesel};
use crate::schema::{financial_transactions, wallets};

/// Why [`post_in`] wrote nothing. Whatever the error, the caller rolls its transaction back:
/// wallets changed before the failing one are changed on the connection.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// A debit (a withdrawal, a payment from the wallet) larger than `user`'s balance.
    #[error("the wallet of user {user} holds too little")]
    InsufficientFunds { user: UserId },
    /// A credit that would take `user`'s balance past the largest `NUMERIC(12,2)`.
    #[error("the wallet of user {user} would exceed the largest balance")]
    BalanceLimit { user: UserId },
    /// The database failed, or refused a row (a wallet of no account: a foreign key), or the
    /// connection was not in a transaction (`diesel::result::Error::NotInTransaction`).
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl PostError {
    /// Into the error of the caller's transaction: a debit beyond a wallet's balance as
    /// `insufficient` says for that wallet; a balance overflow as an unknown failure (no order
    /// moves that much).
    pub(crate) fn into_tx<E: From<ports::InfraError>>(
        self,
        insufficient: impl FnOnce(UserId) -> E,
    ) -> TxError<E> {
        match self {
            Self::InsufficientFunds { user } => TxError::Rejected(insufficient(user)),
            Self::BalanceLimit { .. } => {
                TxError::Rejected(ports::InfraError::Unknown(anyhow::anyhow!("{self}")).into())
            }
            Self::Db(error) => TxError::Db(error),
        }
    }
}

impl From<PostError> for LedgerError {
    fn from(error: PostError) -> Self {
        match error {
            PostError::InsufficientFunds { user } => Self::InsufficientFunds { user },
            PostError::BalanceLimit { user } => Self::BalanceLimit { user },
            PostError::Db(error) => Self::Infra(from_diesel(error)),
        }
    }
}

/// Writes `entries` to the ledger and applies their changes to the wallets they name, on
/// `conn`, which MUST be inside a transaction (`conn.transaction(...)`); returns the new rows'
/// ids, in the order of `entries`.
///
/// - Each wallet named changes by the sum of its entries' signed amounts (see
///   `domain::finance::ledger` for the sign of each kind), in ONE guarded statement per wallet,
///   wallets taken in ascending user id so concurrent postings never deadlock:
///   a credit upserts the wallet row (a person's first credit creates it); a debit is
///   `UPDATE wallets SET balance = balance + delta WHERE user_id = $1 AND balance + delta >= 0`.
///   Concurrent debits of one wallet queue on its row lock and each sees the balance the one
///   before left, so the balance never goes below zero and no debit is lost.
/// - [`PostError::InsufficientFunds`] when a debit is larger than the balance (or the person
///   has no wallet yet); [`PostError::BalanceLimit`] when a credit would overflow it. Either
///   way, roll the transaction back: a wallet changed earlier in the same call stays changed
///   on the connection.
/// - Entries without a wallet (money through the provider) are rows only.
///
/// Rows get `created_at = now()`, the transaction's start. Calling it outside a transaction is
/// refused with `PostError::Db(NotInTransaction)` and changes nothing.
pub async fn post_in(
    conn: &mut AsyncPgConnection,
    entries: &[NewLedgerEntry],
) -> Result<Vec<i64>, PostError> {
    Ok(post(conn, entries).await?.ids)
}

/// What a posting wrote: the rows' ids (in the order of the entries) and each changed
/// wallet's balance after it.
pub(crate) struct Posting {
    pub ids: Vec<i64>,
    pub balances: Vec<(UserId, Money)>,
}

pub(crate) async fn post(
    conn: &mut AsyncPgConnection,
    entries: &[NewLedgerEntry],
) -> Result<Posting, PostError> {
    if !in_transaction(conn) {
        return Err(PostError::Db(diesel::result::Error::NotInTransaction));
    }
    post_on(conn, entries).await
}

/// [`post_in`] on a connection its caller knows to be inside a transaction, shared, so that
/// the caller can send other statements of that transaction together with the posting's.
pub(crate) async fn post_on(
    conn: &AsyncPgConnection,
    entries: &[NewLedgerEntry],
) -> Result<Posting, PostError> {
    // Every wallet's change and the rows are sent together (pipelined: one round trip).
    // PostgreSQL runs them in this order, so wallets are still locked in user id order; a
    // change refused fails the posting, rows written or not, and the caller rolls back.
    let shared = conn;
    let changes = ledger::wallet_changes(entries);
    let wallets =
        futures::future::try_join_all(changes.into_iter().map(|(user, delta)| async move {
            Ok::<_, PostError>((user, change_wallet(shared, user, delta).await?))
        }));
    let (balances, ids) = futures::try_join!(wallets, insert_rows(shared, entries))?;
    Ok(Posting { ids, balances })
}

fn in_transaction(conn: &mut AsyncPgConnection) -> bool {
    let status =
        <AsyncPgConnection as AsyncConnection>::TransactionManager::transaction_manager_status_mut(
            conn,
        );
    match status {
        TransactionManagerStatus::Valid(valid) => valid
            .transaction_depth()
            .is_some_and(|depth: NonZeroU32| depth.get() > 0),
        TransactionManagerStatus::InError => false,
    }
}

/// Applies `delta` to the user's wallet in one guarded statement; the balance after it.
async fn change_wallet(
    mut conn: &AsyncPgConnection,
    user: UserId,
    delta: Decimal,
) -> Result<Money, PostError> {
    let after: Option<Decimal> = if delta.is_sign_negative() {
        diesel::update(
            wallets::table
                .filter(wallets::user_id.eq(user))
                .filter((wallets::balance + delta).ge(Decimal::ZERO)),
        )
        .set(wallets::balance.eq(wallets::balance + delta))
        .returning(wallets::balance)
        .cached()
        .get_result(&mut conn)
        .await
        .optional()?
    } else {
        let upsert = diesel::insert_into(wallets::table)
            .values((wallets::user_id.eq(user), wallets::balance.eq(delta)))
            .on_conflict(wallets::user_id)
            .do_update()
            .set(wallets::balance.eq(wallets::balance + excluded(wallets::balance)));
        diesel::query_dsl::methods::FilterDsl::filter(
            upsert,
            (wallets::balance + excluded(wallets::balance)).le(Money::max()),
        )
        .returning(wallets::balance)
        .cached()
        .get_result(&mut conn)
        .await
        .optional()?
    };
    match after {
        Some(balance) => Money::parse(balance).map_err(|e| {
            PostError::Db(diesel::result::Error::DeserializationError(
                format!("stored balance of {user} is invalid: {e}").into(),
            ))
        }),
        None if delta.is_sign_negative() => Err(PostError::InsufficientFunds { user }),
        None => Err(PostError::BalanceLimit { user }),
    }
}

async fn insert_rows(
    mut conn: &AsyncPgConnection,
    entries: &[NewLedgerEntry],
) -> Result<Vec<i64>, PostError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    use financial_transactions as ft;
    let rows: Vec<_> = entries
        .iter()
        .map(|entry| {
            (
                ft::kind.eq(entry.kind().as_str()),
                ft::status.eq(entry.status().as_str()),
                ft::wallet_user_id.eq(entry.wallet_user()),
                ft::amount.eq(entry.signed_amount()),
                ft::currency.eq(entry.currency()),
                ft::order_id.eq(entry.order_id()),
                ft::payment_id.eq(entry.payment_id()),
                ft::provider_reference.eq(entry.provider_ref()),
                ft::note.eq(entry.note_text()),
                ft::actor_id.eq(entry.actor_id()),
            )
        })
        .collect();
    let mut ids: Vec<i64> = diesel::insert_into(ft::table)
        .values(rows)
        .returning(ft::id)
        .cached()
        .get_results(&mut conn)
        .await?;
    // One statement takes its identities in the order of its rows.
    ids.sort_unstable();
    Ok(ids)
}

/// A ledger row as stored.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = financial_transactions, check_for_backend(diesel::pg::Pg))]
pub(crate) struct EntryRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub wallet_user_id: Option<i64>,
    pub amount: Decimal,
    pub currency: String,
    pub order_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub provider_reference: Option<String>,
    pub note: String,
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}
