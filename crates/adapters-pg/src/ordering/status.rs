//! Changes of an order's status, under the order's row lock: the domain's state machine decides,
//! the stock follows, an event is written — all in the caller's transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::user::UserId;
use domain::ordering::order::{
    EventAction, OrderAction, OrderId, OrderStatus, StockEffect, stock_effect, transition,
};
use domain::stores::inventory::MovementReason;
use ports::ordering::StatusChangeError;

use super::orders::{ItemRow, OrderRow, items_of};
use crate::cached::CacheByText;
use crate::error::TxError;
use crate::schema::{order_events, orders, payments, stock_movements, store_inventory, stores};

/// The order row, locked for the rest of the transaction.
pub(crate) async fn lock(
    conn: &mut AsyncPgConnection,
    id: OrderId,
) -> QueryResult<Option<OrderRow>> {
    orders::table
        .filter(orders::id.eq(id))
        .select(OrderRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// What else a status change sets on the order, and what the caller read already.
#[derive(Default)]
pub(crate) struct Extra<'a> {
    pub shipment: Option<(&'a str, &'a str)>,
    /// The order's items as [`items_of`] reads them, when the caller has them (read in the
    /// same round trip as something else); otherwise a change that moves stock reads them.
    pub items: Option<Vec<ItemRow>>,
}

/// Moves the locked order by `action`, with its stock, timestamps and event. Cancelling an
/// order something was paid for refunds every payment to where it came from; cancelling or
/// expiring an unpaid order gives its coupon's use back.
///
/// On a shared connection (`conn` MUST be in a transaction). A caller with statements of its
/// own to send with the last ones calls [`stage`] and [`write`] instead.
pub(crate) async fn apply(
    conn: &AsyncPgConnection,
    order: &OrderRow,
    action: OrderAction,
    actor: Option<UserId>,
    note: &str,
    now: DateTime<Utc>,
    extra: Extra<'_>,
) -> Result<OrderStatus, TxError<StatusChangeError>> {
    let staged = stage(conn, order, action, actor, note, now, extra).await?;
    Ok(write(conn, staged).await?)
}

/// A status change decided, its stock moved and its money given back, with its rows (stock
/// movements, the order's status, the event) still to [`write`].
pub(crate) struct Staged<'a> {
    order: OrderId,
    action: OrderAction,
    from: OrderStatus,
    to: OrderStatus,
    actor: Option<UserId>,
    note: &'a str,
    now: DateTime<Utc>,
    extra: Extra<'a>,
    movements: Vec<NewMovement>,
}

/// The first part of [`apply`]: the transition decided, the stock changed (row locks taken in
/// lock order), payments refunded and the coupon's use given back.
pub(crate) async fn stage<'a>(
    conn: &AsyncPgConnection,
    order: &OrderRow,
    action: OrderAction,
    actor: Option<UserId>,
    note: &'a str,
    now: DateTime<Utc>,
    mut extra: Extra<'a>,
) -> Result<Staged<'a>, TxError<StatusChangeError>> {
    let from = order
        .status()
        .map_err(|e| TxError::Rejected(StatusChangeError::Infra(e)))?;
    let to = transition(from, action).map_err(|e| TxError::Rejected(e.into()))?;
    let movements = match stock_effect(from, to) {
        Some(effect) => {
            let items = match extra.items.take() {
                Some(items) => items,
                None => items_of(conn, &[order.id]).await?,
            };
            move_stock(conn, order, &items, effect, actor).await?
        }
        None => Vec::new(),
    };
    if matches!(to, OrderStatus::Cancelled | OrderStatus::Refunded)
        && order.paid_amount > rust_decimal::Decimal::ZERO
    {
        refund(conn, order, actor).await?;
    }
    if matches!(to, OrderStatus::Cancelled | OrderStatus::Expired) {
        crate::marketing::release_in(conn, order.id).await?;
    }
    Ok(Staged {
        order: order.id,
        action,
        from,
        to,
        actor,
        note,
        now,
        extra,
        movements,
    })
}

/// The rest of [`apply`]: the stock movements, the new status and its event, sent together
/// (pipelined: one round trip; PostgreSQL runs them in this order).
pub(crate) async fn write(
    conn: &AsyncPgConnection,
    staged: Staged<'_>,
) -> QueryResult<OrderStatus> {
    let movements = staged.movements;
    let moved = async move {
        if movements.is_empty() {
            return Ok(0);
        }
        let mut conn = conn;
        diesel::insert_into(stock_movements::table)
            .values(&movements)
            .cached()
            .execute(&mut conn)
            .await
    };
    futures::try_join!(
        moved,
        set_status(conn, staged.order, staged.to, staged.now, &staged.extra),
        record(
            conn,
            staged.order,
            EventAction::Transition(staged.action),
            Some(staged.from),
            staged.to,
            staged.actor,
            staged.note,
        ),
    )?;
    Ok(staged.to)
}

/// Writes the order's new status, with the timestamp (and what else) that status sets.
async fn set_status(
    mut conn: &AsyncPgConnection,
    id: OrderId,
    to: OrderStatus,
    now: DateTime<Utc>,
    extra: &Extra<'_>,
) -> QueryResult<usize> {
    let target = orders::table.filter(orders::id.eq(id));
    let base = (
        orders::status.eq(to.as_str()),
        orders::inventory_reserved.eq(to.holds_reservation()),
    );
    match to {
        // Paid in full: what is paid is the total (the payment that got it there is written
        // with this update).
        OrderStatus::Paid => {
            diesel::update(target)
                .set((
                    base,
                    orders::paid_at.eq(now),
                    orders::paid_amount.eq(orders::total),
                ))
                .cached()
                .execute(&mut conn)
                .await
        }
        OrderStatus::Shipped => {
            let (carrier, tracking_number) = extra.shipment.unwrap_or_default();
            diesel::update(target)
                .set((
                    base,
                    orders::shipped_at.eq(now),
                    orders::carrier.eq(carrier),
                    orders::tracking_number.eq(tracking_number),
                ))
                .cached()
                .execute(&mut conn)
                .await
        }
        OrderStatus::Delivered => {
            diesel::update(target)
                .set((base, orders::delivered_at.eq(now)))
                .cached()
                .execute(&mut conn)
                .await
        }
        OrderStatus::Completed => {
            diesel::update(target)
                .set((base, orders::completed_at.eq(now)))
                .cached()
                .execute(&mut conn)
                .await
        }
        OrderStatus::Cancelled | OrderStatus::Expired | OrderStatus::Refunded => {
            diesel::update(target)
                .set((base, orders::closed_at.eq(now)))
                .cached()
                .execute(&mut conn)
                .await
        }
        OrderStatus::PendingPayment => {
            diesel::update(target)
                .set(base)
                .cached()
                .execute(&mut conn)
                .await
        }
    }
}

pub(crate) async fn record(
    mut conn: &AsyncPgConnection,
    order: OrderId,
    action: EventAction,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: Option<UserId>,
    note: &str,
) -> QueryResult<()> {
    diesel::insert_into(order_events::table)
        .values((
            order_events::order_id.eq(order),
            order_events::action.eq(action.as_str()),
            order_events::from_status.eq(from.map(OrderStatus::as_str)),
            order_events::to_status.eq(to.as_str()),
            order_events::actor_id.eq(actor),
            order_events::note.eq(note),
        ))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// A stock movement to write.
#[derive(Insertable)]
#[diesel(table_name = stock_movements)]
struct NewMovement {
    store_id: i64,
    product_id: i64,
    reason: &'static str,
    on_hand_delta: i32,
    reserved_delta: i32,
    on_hand_after: i32,
    reserved_after: i32,
    price_after: rust_decimal::Decimal,
    actor_id: Option<UserId>,
    order_id: Option<OrderId>,
}

/// Lets go of, sells or takes back the order's `items` (in product order, the lock order
/// checkout uses: see [`items_of`]), line by line; the stock movements to write for them.
async fn move_stock(
    mut conn: &AsyncPgConnection,
    order: &OrderRow,
    items: &[ItemRow],
    effect: StockEffect,
    actor: Option<UserId>,
) -> QueryResult<Vec<NewMovement>> {
    let (reason, on_hand_sign, reserved_sign) = match effect {
        StockEffect::Release => (MovementReason::Release, 0, -1),
        StockEffect::Sell => (MovementReason::Sale, -1, -1),
        StockEffect::Return => (MovementReason::Return, 1, 0),
    };
    let mut movements = Vec::with_capacity(items.len());
    for item in items.iter().filter(|item| item.holds_stock()) {
        let (on_hand_delta, reserved_delta) =
            (on_hand_sign * item.quantity, reserved_sign * item.quantity);
        // The CHECK on store_inventory (0 <= reserved <= on_hand) refuses anything that would
        // break the invariant; the reservation made at checkout guarantees it does not.
        let (on_hand, reserved, price): (i32, i32, rust_decimal::Decimal) = diesel::update(
            store_inventory::table
                .filter(store_inventory::store_id.eq(order.store_id))
                .filter(store_inventory::product_id.eq(item.product_id)),
        )
        .set((
            store_inventory::on_hand.eq(store_inventory::on_hand + on_hand_delta),
            store_inventory::reserved.eq(store_inventory::reserved + reserved_delta),
        ))
        .returning((
            store_inventory::on_hand,
            store_inventory::reserved,
            store_inventory::price,
        ))
        .cached()
        .get_result(&mut conn)
        .await?;
        movements.push(NewMovement {
            store_id: order.store_id,
            product_id: item.product_id,
            reason: reason.as_str(),
            on_hand_delta,
            reserved_delta,
            on_hand_after: on_hand,
            reserved_after: reserved,
            price_after: price,
            actor_id: actor,
            order_id: Some(order.id),
        });
    }
    Ok(movements)
}

/// Claims up to `limit` unpaid orders past their reservation that no one else is expiring (an
/// order with a deposit paid keeps its reservation).
pub(super) async fn claim_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<OrderRow>> {
    orders::table
        .filter(orders::status.eq(OrderStatus::PendingPayment.as_str()))
        .filter(orders::reserved_until.le(now))
        .filter(orders::paid_amount.eq(rust_decimal::Decimal::ZERO))
        .order(orders::reserved_until)
        .limit(limit)
        .select(OrderRow::as_select())
        .for_update()
        .skip_locked()
        .load(conn)
        .await
}

#[derive(Queryable)]
struct PaidRow {
    id: i64,
    payer_id: i64,
    method: String,
    amount: rust_decimal::Decimal,
}

/// Gives back every settled payment of the order: the store owner's payout is clawed back and
/// the money goes to the payer's wallet, or (paid through the provider) a refund through the
/// provider is recorded as pending, to be made once this transaction commits.
async fn refund(
    mut conn: &AsyncPgConnection,
    order: &OrderRow,
    actor: Option<UserId>,
) -> Result<(), TxError<StatusChangeError>> {
    use domain::finance::ledger::{Amount, EntryKind, EntryStatus, NewLedgerEntry};
    use domain::finance::payment::{PaymentMethod, PaymentStatus};

    let owner: i64 = stores::table
        .filter(stores::id.eq(order.store_id))
        .select(stores::owner_id)
        .first(&mut conn)
        .await?;
    let paid: Vec<PaidRow> = payments::table
        .filter(payments::order_id.eq(order.id))
        .filter(payments::status.eq(PaymentStatus::Succeeded.as_str()))
        .order(payments::id)
        .select((
            payments::id,
            payments::payer_id,
            payments::method,
            payments::amount,
        ))
        .load(&mut conn)
        .await?;
    let stored = |e: domain::Invalid| {
        TxError::Rejected(StatusChangeError::Infra(ports::InfraError::Unknown(
            anyhow::anyhow!("refunding order {}: {e}", order.id),
        )))
    };
    let mut entries = Vec::with_capacity(paid.len() * 2);
    for payment in &paid {
        let amount = domain::money::Money::parse(payment.amount)
            .and_then(Amount::new)
            .map_err(stored)?;
        let currency = order.currency.as_str();
        let with = |entry: NewLedgerEntry| {
            let entry = entry.order(order.id).payment(payment.id);
            match actor {
                Some(actor) => entry.actor(actor),
                None => entry,
            }
        };
        entries.push(with(NewLedgerEntry::wallet(
            EntryKind::Clawback,
            owner,
            amount,
            currency,
        )));
        let back = if payment.method == PaymentMethod::Wallet.as_str() {
            NewLedgerEntry::wallet(EntryKind::Refund, payment.payer_id, amount, currency)
        } else {
            NewLedgerEntry::external(EntryKind::Refund, EntryStatus::Pending, amount, currency)
                .map_err(|e| stored(domain::Invalid::new(e.to_string())))?
        };
        entries.push(with(back));
    }
    crate::finance::ledger::post_on(conn, &entries)
        .await
        .map_err(|e| e.into_tx(|_| StatusChangeError::RefundNotCovered))?;
    diesel::update(payments::table.filter(payments::id.eq_any(paid.iter().map(|p| p.id))))
        .set((
            payments::status.eq(PaymentStatus::Refunded.as_str()),
            payments::refunded_amount.eq(payments::amount),
        ))
        .execute(&mut conn)
        .await?;
    diesel::update(orders::table.filter(orders::id.eq(order.id)))
        .set(orders::refunded_amount.eq(orders::paid_amount))
        .execute(&mut conn)
        .await?;
    Ok(())
}
