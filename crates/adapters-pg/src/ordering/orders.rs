//! Reading orders back: the order row with its buyer and store, its items, its events.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::address::AddressFields;
use domain::money::Money;
use domain::ordering::order::{
    EventAction, ItemKind, Order, OrderEvent, OrderId, OrderItem, OrderStatus, Party, Shipment,
};
use ports::InfraError;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::error::{from_diesel, stored};
use crate::schema::{order_events, order_items, orders, users};

#[derive(Queryable, Selectable)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub(crate) struct OrderRow {
    pub id: i64,
    pub number: String,
    pub user_id: i64,
    pub store_id: i64,
    pub status: String,
    pub currency: String,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub total: Decimal,
    pub paid_amount: Decimal,
    pub refunded_amount: Decimal,
    pub email: Option<String>,
    pub shipping_name: Option<String>,
    pub shipping_phone: Option<String>,
    pub shipping_address: Option<Value>,
    pub note: String,
    pub reserved_until: DateTime<Utc>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub tracking_details: Option<Value>,
    pub tracking_last_sync: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub coupon_code: Option<String>,
}

impl OrderRow {
    pub fn status(&self) -> Result<OrderStatus, InfraError> {
        status("status", &self.status)
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = order_items, check_for_backend(diesel::pg::Pg))]
pub(crate) struct ItemRow {
    pub order_id: i64,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub unit_price: Decimal,
    pub quantity: i32,
    pub line_total: Decimal,
    pub kind: String,
}

impl ItemRow {
    /// Whether the line takes stock from the store (extra photos do not).
    pub fn holds_stock(&self) -> bool {
        ItemKind::parse(&self.kind).is_none_or(ItemKind::holds_stock)
    }
}

/// The order with the names of its buyer and store, and the store's owner.
pub(super) type Heading = (OrderRow, String, String, i64);

/// The select every read of an order starts from.
macro_rules! order_heading {
    () => {
        crate::schema::orders::table
            .inner_join(crate::schema::stores::table)
            .inner_join(crate::schema::users::table)
            .select((
                OrderRow::as_select(),
                crate::schema::users::username,
                crate::schema::stores::code,
                crate::schema::stores::owner_id,
            ))
    };
}
pub(super) use order_heading;

/// Address fields as the `shipping_*` columns keep them: name and phone in their own columns,
/// the rest as a JSON object.
pub(super) fn address_json(address: &AddressFields) -> Value {
    json!({
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
    })
}

fn address_from(row: &OrderRow) -> Option<AddressFields> {
    let json = row.shipping_address.as_ref()?;
    let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(AddressFields {
        name: row.shipping_name.clone().unwrap_or_default(),
        phone: row.shipping_phone.clone().unwrap_or_default(),
        line1: text("line1").unwrap_or_default(),
        line2: text("line2"),
        city: text("city").unwrap_or_default(),
        state: text("state"),
        postal_code: text("postal_code"),
        country: text("country").unwrap_or_default(),
    })
}

fn money(column: &str, amount: Decimal) -> Result<Money, InfraError> {
    stored(column, Money::parse(amount))
}

fn to_item(row: ItemRow) -> Result<OrderItem, InfraError> {
    Ok(OrderItem {
        kind: stored(
            "kind",
            ItemKind::parse(&row.kind).ok_or_else(|| domain::Invalid::new("is not an item kind")),
        )?,
        product_id: row.product_id,
        sku: row.sku,
        product_name: row.product_name,
        unit_price: money("unit_price", row.unit_price)?,
        quantity: row.quantity,
        line_total: money("line_total", row.line_total)?,
    })
}

pub(super) fn to_order(
    (row, username, store_code, owner_id): Heading,
    items: Vec<ItemRow>,
) -> Result<Order, InfraError> {
    let shipment = match (&row.carrier, &row.tracking_number, row.shipped_at) {
        (Some(carrier), Some(tracking_number), Some(shipped_at)) => Some(Shipment {
            carrier: carrier.clone(),
            tracking_number: tracking_number.clone(),
            shipped_at,
            tracking_details: row.tracking_details.clone(),
            tracking_last_sync: row.tracking_last_sync,
        }),
        _ => None,
    };
    Ok(Order {
        id: row.id,
        number: row.number.clone(),
        buyer: Party {
            id: row.user_id,
            name: username,
        },
        store: Party {
            id: row.store_id,
            name: store_code,
        },
        store_owner_id: owner_id,
        status: row.status()?,
        currency: row.currency.clone(),
        subtotal: money("subtotal", row.subtotal)?,
        discount: money("discount", row.discount)?,
        total: money("total", row.total)?,
        paid_amount: money("paid_amount", row.paid_amount)?,
        refunded_amount: money("refunded_amount", row.refunded_amount)?,
        email: row.email.clone(),
        shipping_address: address_from(&row),
        note: row.note.clone(),
        reserved_until: row.reserved_until,
        shipment,
        paid_at: row.paid_at,
        delivered_at: row.delivered_at,
        completed_at: row.completed_at,
        closed_at: row.closed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
        coupon_code: row.coupon_code.clone(),
        items: items.into_iter().map(to_item).collect::<Result<_, _>>()?,
    })
}

/// The items of the orders, by product id within each order.
pub(crate) async fn items_of(
    mut conn: &AsyncPgConnection,
    ids: &[OrderId],
) -> QueryResult<Vec<ItemRow>> {
    order_items::table
        .filter(order_items::order_id.eq_any(ids))
        .order((order_items::order_id, order_items::product_id))
        .select(ItemRow::as_select())
        .load(&mut conn)
        .await
}

/// Attaches to each heading its items.
pub(super) fn assemble(
    headings: Vec<Heading>,
    items: Vec<ItemRow>,
) -> Result<Vec<Order>, InfraError> {
    let mut by_order: std::collections::HashMap<i64, Vec<ItemRow>> = Default::default();
    for item in items {
        by_order.entry(item.order_id).or_default().push(item);
    }
    headings
        .into_iter()
        .map(|heading| {
            let items = by_order.remove(&heading.0.id).unwrap_or_default();
            to_order(heading, items)
        })
        .collect()
}

/// Which order to read.
#[derive(Clone, Copy)]
pub(super) enum Key<'a> {
    Id(OrderId),
    Number(&'a str),
}

/// The order with its items, both reads sent together (pipelined on the connection: one round
/// trip); by number, the items are those of the order with that number.
pub(super) async fn load(
    conn: &AsyncPgConnection,
    key: Key<'_>,
) -> Result<Option<Order>, InfraError> {
    let query = order_heading!().into_boxed();
    let heading = async move {
        let mut conn = conn;
        let query = match key {
            Key::Id(id) => query.filter(orders::id.eq(id)),
            Key::Number(number) => query.filter(orders::number.eq(number)),
        };
        query.first::<Heading>(&mut conn).await.optional()
    };
    let items = async move {
        match key {
            Key::Id(id) => items_of(conn, &[id]).await,
            Key::Number(number) => {
                let mut conn = conn;
                order_items::table
                    .filter(
                        order_items::order_id.eq_any(
                            orders::table
                                .filter(orders::number.eq(number))
                                .select(orders::id),
                        ),
                    )
                    .order((order_items::order_id, order_items::product_id))
                    .select(ItemRow::as_select())
                    .load(&mut conn)
                    .await
            }
        }
    };
    let (heading, items) = futures::try_join!(heading, items).map_err(from_diesel)?;
    let Some(heading) = heading else {
        return Ok(None);
    };
    Ok(assemble(vec![heading], items)?.pop())
}

#[derive(Queryable)]
pub(super) struct EventRow {
    id: i64,
    action: String,
    from_status: Option<String>,
    to_status: String,
    actor_id: Option<i64>,
    note: String,
    created_at: DateTime<Utc>,
    actor_name: Option<String>,
}

pub(super) async fn events_of(
    conn: &mut AsyncPgConnection,
    id: OrderId,
) -> QueryResult<Vec<EventRow>> {
    order_events::table
        .left_join(users::table)
        .filter(order_events::order_id.eq(id))
        .order(order_events::id)
        .select((
            order_events::id,
            order_events::action,
            order_events::from_status,
            order_events::to_status,
            order_events::actor_id,
            order_events::note,
            order_events::created_at,
            users::username.nullable(),
        ))
        .load(conn)
        .await
}

fn status(column: &str, raw: &str) -> Result<OrderStatus, InfraError> {
    stored(
        column,
        OrderStatus::parse(raw).ok_or_else(|| domain::Invalid::new("is not an order status")),
    )
}

pub(super) fn to_event(row: EventRow) -> Result<OrderEvent, InfraError> {
    Ok(OrderEvent {
        id: row.id,
        action: stored(
            "action",
            EventAction::parse(&row.action)
                .ok_or_else(|| domain::Invalid::new("is not an order event")),
        )?,
        from: row
            .from_status
            .as_deref()
            .map(|raw| status("from_status", raw))
            .transpose()?,
        to: status("to_status", &row.to_status)?,
        actor: row
            .actor_id
            .zip(row.actor_name)
            .map(|(id, name)| Party { id, name }),
        note: row.note,
        created_at: row.created_at,
    })
}
