//! Payments of orders. A payment settles under its order's row lock, in one transaction with
//! its ledger rows (the payer's debit or the provider's money in, the store owner's payout), the
//! order's paid amount and, once nothing is owed, the order's move to `paid` with its stock sold.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::finance::ledger::{Amount, EntryKind, EntryStatus, NewLedgerEntry};
use domain::finance::payment::{Payment, PaymentId, PaymentMethod, PaymentStatus, amount_to_pay};
use domain::money::Money;
use domain::ordering::order::{EventAction, OrderAction, OrderStatus, apply_payment, status_at};
use ports::InfraError;
use ports::finance::payments::{
    EventError, EventOutcome, PayError, PayRequest, PaymentRepository, RefundDue,
};
use ports::finance::provider::{CheckoutSession, ProviderEvent, ProviderEventKind};
use ports::ordering::StatusChangeError;
use rust_decimal::Decimal;

use super::ledger::{post_in, post_on};
use crate::error::{TxError, from_diesel, stored};
use crate::ordering::status;
use crate::ordering::{ItemRow, OrderRow, items_of};
use crate::pool::{self, PgPool};
use crate::schema::{financial_transactions, orders, payments, provider_events, stores};

pub struct PgPaymentRepository {
    pool: PgPool,
}

impl PgPaymentRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = payments, check_for_backend(diesel::pg::Pg))]
struct PaymentRow {
    id: i64,
    order_id: i64,
    payer_id: i64,
    method: String,
    status: String,
    amount: Decimal,
    currency: String,
    refunded_amount: Decimal,
    provider_session_id: Option<String>,
    checkout_url: Option<String>,
    created_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

fn to_payment(row: PaymentRow) -> Result<Payment, InfraError> {
    Ok(Payment {
        id: row.id,
        order_id: row.order_id,
        payer_id: row.payer_id,
        method: stored("method", PaymentMethod::parse(&row.method))?,
        status: stored(
            "status",
            PaymentStatus::parse(&row.status)
                .ok_or_else(|| domain::Invalid::new("is not a payment status")),
        )?,
        amount: stored("amount", Money::parse(row.amount))?,
        currency: row.currency,
        refunded_amount: stored("refunded_amount", Money::parse(row.refunded_amount))?,
        checkout_url: row.checkout_url,
        provider_session_id: row.provider_session_id,
        created_at: row.created_at,
        completed_at: row.completed_at,
    })
}

fn unknown(e: impl std::fmt::Display) -> InfraError {
    InfraError::Unknown(anyhow::anyhow!("{e}"))
}

fn from_status_change<E: From<InfraError>>(error: TxError<StatusChangeError>) -> TxError<E> {
    match error {
        TxError::Db(e) => TxError::Db(e),
        TxError::Rejected(StatusChangeError::Infra(e)) => TxError::Rejected(e.into()),
        TxError::Rejected(other) => TxError::Rejected(unknown(other).into()),
    }
}

/// The locked order, payable now, how much this payment is for, and what it leaves paid
/// (`domain::ordering::order::apply_payment`).
struct Payable {
    order: OrderRow,
    amount: Money,
    total: Money,
    paid_after: Money,
    /// This payment settles all that is owed.
    in_full: bool,
}

async fn payable(
    conn: &mut AsyncPgConnection,
    request: &PayRequest,
) -> Result<Payable, TxError<PayError>> {
    let order = status::lock(conn, request.order)
        .await?
        .ok_or(TxError::Rejected(PayError::OrderNotFound))?;
    let money = |column: &str, amount| {
        stored(column, Money::parse(amount)).map_err(|e| TxError::Rejected(e.into()))
    };
    let (total, paid) = (
        money("total", order.total)?,
        money("paid_amount", order.paid_amount)?,
    );
    let status = order.status().map_err(|e| TxError::Rejected(e.into()))?;
    let now = status_at(status, paid, order.reserved_until, request.now);
    if now != OrderStatus::PendingPayment {
        return Err(TxError::Rejected(PayError::NotPayable(now)));
    }
    let owed = Money::parse(total.amount() - paid.amount()).unwrap_or(Money::ZERO);
    let amount =
        amount_to_pay(owed, request.amount).map_err(|e| TxError::Rejected(PayError::Amount(e)))?;
    let (paid_after, in_full) = apply_payment(total, paid, amount)
        .map_err(|e| TxError::Rejected(PayError::Infra(unknown(e))))?;
    Ok(Payable {
        order,
        amount,
        total,
        paid_after,
        in_full,
    })
}

/// Adds a settled payment to the locked order, and posts its ledger `entries`: its paid
/// amount, and the move to `paid` (stock sold) when that is all of it, or a `part_payment`
/// event when it is not. `items`: the order's items (`items_of`), when the caller read
/// them already.
///
/// In the lock order every change of an order keeps (its stock, then wallets): the stock is
/// sold first, then the order's rows and the posting's are sent together (pipelined: one round
/// trip). A posting refused (a wallet too low) fails the whole, with `refused`; the caller
/// rolls back.
async fn settle<E: From<InfraError>>(
    conn: &mut AsyncPgConnection,
    payable: &Payable,
    by: (Option<i64>, DateTime<Utc>),
    items: Option<Vec<ItemRow>>,
    entries: &[NewLedgerEntry],
    refused: impl FnOnce(i64) -> E,
) -> Result<(), TxError<E>> {
    let (actor, now) = by;
    let order = &payable.order;
    let shared: &AsyncPgConnection = conn;
    let post = async {
        post_on(shared, entries)
            .await
            .map_err(|e| e.into_tx(refused))
    };
    if payable.in_full {
        let extra = status::Extra {
            items,
            ..status::Extra::default()
        };
        let staged = status::stage(shared, order, OrderAction::PayInFull, actor, "", now, extra)
            .await
            .map_err(from_status_change)?;
        futures::try_join!(
            async { status::write(shared, staged).await.map_err(TxError::Db) },
            post,
        )?;
    } else {
        let owed = Money::parse(payable.total.amount() - payable.paid_after.amount())
            .unwrap_or(Money::ZERO);
        let note = format!("{} paid, {owed} owed", payable.amount);
        futures::try_join!(
            async {
                let mut conn = shared;
                diesel::update(orders::table.filter(orders::id.eq(order.id)))
                    .set(orders::paid_amount.eq(payable.paid_after.amount()))
                    .execute(&mut conn)
                    .await
                    .map_err(TxError::Db)
            },
            async {
                status::record(
                    shared,
                    order.id,
                    EventAction::PartPayment,
                    Some(OrderStatus::PendingPayment),
                    OrderStatus::PendingPayment,
                    actor,
                    &note,
                )
                .await
                .map_err(TxError::Db)
            },
            post,
        )?;
    }
    Ok(())
}

async fn store_owner(mut conn: &AsyncPgConnection, store: i64) -> QueryResult<i64> {
    stores::table
        .filter(stores::id.eq(store))
        .select(stores::owner_id)
        .first(&mut conn)
        .await
}

fn amount_of(money: Money) -> Result<Amount, InfraError> {
    Amount::new(money).map_err(unknown)
}

async fn insert_payment(
    mut conn: &AsyncPgConnection,
    request: &PayRequest,
    order: &OrderRow,
    method: PaymentMethod,
    amount: Money,
) -> QueryResult<PaymentRow> {
    let settled = method == PaymentMethod::Wallet;
    diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(order.id),
            payments::payer_id.eq(request.payer),
            payments::method.eq(method.as_str()),
            payments::status.eq(if settled {
                PaymentStatus::Succeeded.as_str()
            } else {
                PaymentStatus::Pending.as_str()
            }),
            payments::amount.eq(amount.amount()),
            payments::currency.eq(&order.currency),
            payments::completed_at.eq(settled.then_some(request.now)),
        ))
        .returning(PaymentRow::as_returning())
        .get_result(&mut conn)
        .await
}

/// Money the provider took for an order that can no longer take it: recorded as received, the
/// payment as refunded, and a refund through the provider as due (made after the commit).
async fn give_back(
    conn: &mut AsyncPgConnection,
    payment: &PaymentRow,
    amount: Money,
    payment_reference: &str,
    now: DateTime<Utc>,
) -> Result<(), TxError<EventError>> {
    let moved = amount_of(amount).map_err(|e| TxError::Rejected(e.into()))?;
    let external = |kind, status| {
        NewLedgerEntry::external(kind, status, moved, &payment.currency)
            .map(|entry| entry.order(payment.order_id).payment(payment.id))
            .map_err(|e| TxError::Rejected(unknown(e).into()))
    };
    let entries = [
        external(EntryKind::Payment, EntryStatus::Succeeded)?
            .provider_reference(payment_reference.to_owned()),
        external(EntryKind::Refund, EntryStatus::Pending)?,
    ];
    // Rows without a wallet: nothing can be short.
    post_in(conn, &entries)
        .await
        .map_err(|e| e.into_tx(|user| unknown(format!("no wallet of {user} is debited")).into()))?;
    diesel::update(payments::table.filter(payments::id.eq(payment.id)))
        .set((
            payments::status.eq(PaymentStatus::Refunded.as_str()),
            payments::provider_reference.eq(payment_reference),
            payments::refunded_amount.eq(payments::amount),
            payments::completed_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

impl PgPaymentRepository {
    /// Pending refunds through the provider (rows without a wallet), of one order or all.
    async fn pending_refunds(
        &self,
        order: Option<domain::ordering::order::OrderId>,
        limit: i64,
    ) -> Result<Vec<RefundDue>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = financial_transactions::table
            .inner_join(
                payments::table.on(payments::id
                    .nullable()
                    .eq(financial_transactions::payment_id)),
            )
            .filter(financial_transactions::kind.eq(EntryKind::Refund.as_str()))
            .filter(financial_transactions::status.eq(EntryStatus::Pending.as_str()))
            .filter(financial_transactions::wallet_user_id.is_null())
            .order(financial_transactions::id)
            .limit(limit)
            .select((
                financial_transactions::id,
                payments::id,
                payments::provider_reference,
                financial_transactions::amount,
                financial_transactions::currency,
            ))
            .into_boxed();
        if let Some(order) = order {
            query = query.filter(financial_transactions::order_id.eq(order));
        }
        let rows: Vec<(i64, i64, Option<String>, Decimal, String)> =
            query.load(&mut conn).await.map_err(from_diesel)?;
        rows.into_iter()
            .map(|(entry_id, payment_id, reference, amount, currency)| {
                Ok(RefundDue {
                    entry_id,
                    payment_id,
                    payment_reference: reference.unwrap_or_default(),
                    amount: stored("amount", Money::parse(-amount))?,
                    currency,
                })
            })
            .collect()
    }
}

#[async_trait]
impl PaymentRepository for PgPaymentRepository {
    async fn pay_from_wallet(&self, request: &PayRequest) -> Result<Payment, PayError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<PayError>, _>(async |conn| {
            let payable = payable(conn, request).await?;
            let (order, amount) = (&payable.order, payable.amount);
            // Sent together (pipelined: one round trip), with the items whose stock is sold
            // when this payment settles the order.
            let items = async {
                if payable.in_full {
                    items_of(conn, &[order.id]).await.map(Some)
                } else {
                    Ok(None)
                }
            };
            let (payment, owner, items) = futures::try_join!(
                insert_payment(conn, request, order, PaymentMethod::Wallet, amount),
                store_owner(conn, order.store_id),
                items,
            )?;
            let moved = amount_of(amount).map_err(|e| TxError::Rejected(e.into()))?;
            let entries = [
                NewLedgerEntry::wallet(EntryKind::Payment, request.payer, moved, &order.currency)
                    .order(order.id)
                    .payment(payment.id)
                    .actor(request.payer),
                NewLedgerEntry::wallet(EntryKind::Payout, owner, moved, &order.currency)
                    .order(order.id)
                    .payment(payment.id)
                    .actor(request.payer),
            ];
            settle(
                conn,
                &payable,
                (Some(request.payer), request.now),
                items,
                &entries,
                |_| PayError::InsufficientFunds,
            )
            .await?;
            to_payment(payment).map_err(|e| TxError::Rejected(e.into()))
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn open_provider_payment(&self, request: &PayRequest) -> Result<Payment, PayError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<PayError>, _>(async |conn| {
            let Payable { order, amount, .. } = payable(conn, request).await?;
            let payment =
                insert_payment(conn, request, &order, PaymentMethod::Provider, amount).await?;
            to_payment(payment).map_err(|e| TxError::Rejected(e.into()))
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn attach_checkout(
        &self,
        payment: PaymentId,
        session: &CheckoutSession,
    ) -> Result<Payment, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<InfraError>, _>(async |conn| {
            let row: PaymentRow = diesel::update(payments::table.filter(payments::id.eq(payment)))
                .set((
                    payments::provider_session_id.eq(&session.id),
                    payments::checkout_url.eq(&session.url),
                ))
                .returning(PaymentRow::as_returning())
                .get_result(conn)
                .await?;
            diesel::update(orders::table.filter(orders::id.eq(row.order_id)))
                .set(orders::payment_session_id.eq(&session.id))
                .execute(conn)
                .await?;
            to_payment(row).map_err(TxError::Rejected)
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn fail_payment(&self, payment: PaymentId, now: DateTime<Utc>) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::update(
            payments::table
                .filter(payments::id.eq(payment))
                .filter(payments::status.eq(PaymentStatus::Pending.as_str())),
        )
        .set((
            payments::status.eq(PaymentStatus::Failed.as_str()),
            payments::completed_at.eq(now),
        ))
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        Ok(())
    }

    async fn take_provider_event(
        &self,
        event: &ProviderEvent,
        now: DateTime<Utc>,
    ) -> Result<EventOutcome, EventError> {
        let (session_id, event_type) = match &event.kind {
            ProviderEventKind::CheckoutCompleted { session_id, .. } => {
                (Some(session_id), "checkout.session.completed")
            }
            ProviderEventKind::CheckoutExpired { session_id } => {
                (Some(session_id), "checkout.session.expired")
            }
            ProviderEventKind::Other { event_type } => (None, event_type.as_str()),
        };
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<EventError>, _>(async |conn| {
            let payment: Option<PaymentRow> = match session_id {
                Some(session) => Some(
                    payments::table
                        .filter(payments::provider_session_id.eq(session))
                        .select(PaymentRow::as_select())
                        .for_update()
                        .first(conn)
                        .await
                        .optional()?
                        .ok_or(TxError::Rejected(EventError::UnknownSession))?,
                ),
                None => None,
            };
            let taken = diesel::insert_into(provider_events::table)
                .values((
                    provider_events::event_id.eq(&event.id),
                    provider_events::event_type.eq(event_type),
                    provider_events::payment_id.eq(payment.as_ref().map(|p| p.id)),
                ))
                .on_conflict(provider_events::event_id)
                .do_nothing()
                .execute(conn)
                .await?;
            if taken == 0 {
                return Err(TxError::Rejected(EventError::Replayed));
            }
            let Some(payment) = payment else {
                return Ok(EventOutcome::Ignored {
                    reason: format!("{event_type} events change nothing"),
                });
            };
            if payment.status != PaymentStatus::Pending.as_str() {
                return Ok(EventOutcome::Ignored {
                    reason: format!("the payment is {} already", payment.status),
                });
            }
            let ProviderEventKind::CheckoutCompleted {
                amount,
                currency,
                payment_reference,
                ..
            } = &event.kind
            else {
                diesel::update(payments::table.filter(payments::id.eq(payment.id)))
                    .set((
                        payments::status.eq(PaymentStatus::Failed.as_str()),
                        payments::completed_at.eq(now),
                    ))
                    .execute(conn)
                    .await?;
                return Ok(EventOutcome::Applied {
                    order: payment.order_id,
                });
            };
            if amount.amount() != payment.amount || *currency != payment.currency {
                return Ok(EventOutcome::Ignored {
                    reason: format!(
                        "paid {amount} {currency}, the payment is for {} {}",
                        payment.amount, payment.currency
                    ),
                });
            }
            let request = PayRequest {
                order: payment.order_id,
                payer: payment.payer_id,
                amount: Some(*amount),
                now,
            };
            let payable = match payable(conn, &request).await {
                Ok(payable) => payable,
                Err(TxError::Rejected(PayError::Infra(e))) => {
                    return Err(TxError::Rejected(e.into()));
                }
                Err(TxError::Rejected(refused)) => {
                    give_back(conn, &payment, *amount, payment_reference, now).await?;
                    return Ok(EventOutcome::Returned {
                        order: payment.order_id,
                        reason: format!(
                            "the order cannot take the payment ({refused}): it is refunded"
                        ),
                    });
                }
                Err(TxError::Db(e)) => return Err(TxError::Db(e)),
            };
            let order = &payable.order;
            diesel::update(payments::table.filter(payments::id.eq(payment.id)))
                .set((
                    payments::status.eq(PaymentStatus::Succeeded.as_str()),
                    payments::provider_reference.eq(payment_reference),
                    payments::completed_at.eq(now),
                ))
                .execute(conn)
                .await?;
            let owner = store_owner(conn, order.store_id).await?;
            let moved = amount_of(*amount).map_err(|e| TxError::Rejected(e.into()))?;
            let into_business = NewLedgerEntry::external(
                EntryKind::Payment,
                EntryStatus::Succeeded,
                moved,
                &order.currency,
            )
            .map_err(|e| TxError::Rejected(unknown(e).into()))?
            .order(order.id)
            .payment(payment.id)
            .provider_reference(payment_reference.clone());
            let entries = [
                into_business,
                NewLedgerEntry::wallet(EntryKind::Payout, owner, moved, &order.currency)
                    .order(order.id)
                    .payment(payment.id),
            ];
            // The provider's money in and the owner's payout: nothing is debited.
            let items = if payable.in_full {
                Some(items_of(conn, &[order.id]).await?)
            } else {
                None
            };
            settle(conn, &payable, (None, now), items, &entries, |user| {
                unknown(format!("no wallet of {user} is debited")).into()
            })
            .await?;
            Ok(EventOutcome::Applied { order: order.id })
        })
        .await
        .map_err(TxError::into_port)
    }

    async fn payments(
        &self,
        order: domain::ordering::order::OrderId,
    ) -> Result<Vec<Payment>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        payments::table
            .filter(payments::order_id.eq(order))
            .order(payments::id)
            .select(PaymentRow::as_select())
            .load(&mut conn)
            .await
            .map_err(from_diesel)?
            .into_iter()
            .map(to_payment)
            .collect()
    }

    async fn refunds_due(
        &self,
        order: domain::ordering::order::OrderId,
    ) -> Result<Vec<RefundDue>, InfraError> {
        self.pending_refunds(Some(order), i64::MAX).await
    }

    async fn refunds_pending(&self, limit: i64) -> Result<Vec<RefundDue>, InfraError> {
        self.pending_refunds(None, limit).await
    }

    async fn settle_refund(
        &self,
        entry_id: i64,
        refund_id: Option<&str>,
        succeeded: bool,
    ) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let status = if succeeded {
            EntryStatus::Succeeded
        } else {
            EntryStatus::Failed
        };
        diesel::update(
            financial_transactions::table
                .filter(financial_transactions::id.eq(entry_id))
                .filter(financial_transactions::status.eq(EntryStatus::Pending.as_str())),
        )
        .set((
            financial_transactions::status.eq(status.as_str()),
            financial_transactions::provider_reference.eq(refund_id),
        ))
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        Ok(())
    }
}
