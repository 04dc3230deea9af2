//! Checkout's transaction: every basket becomes an order, or nothing changes.
//!
//! Stock is reserved with one guarded statement per line (`reserved = reserved + q WHERE
//! on_hand - reserved >= q`), stores and products in lock order, so concurrent checkouts can
//! neither oversell nor deadlock. An item that cannot be had does not stop the others being
//! tried: checkout answers with every such item, then rolls back.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::catalog::product::ProductStatus;
use domain::marketing::coupon::CouponRejection;
use domain::money::Money;
use domain::ordering::checkout::{StoreBasket, Unavailability, UnavailableItem};
use domain::ordering::order::{EventAction, OrderId, OrderStatus};
use domain::stores::inventory::MovementReason;
use ports::ordering::{PlaceError, PlaceOrders};
use rust_decimal::Decimal;

use super::orders::address_json;
use crate::cached::CacheByText;
use crate::error::TxError;
use crate::marketing::RedeemError;
use crate::schema::{
    cart_items, order_events, order_items, orders, products, stock_movements, store_inventory,
    stores,
};

/// A line reserved: the product as it is sold and the stock after the reservation.
struct Reserved {
    product_id: i64,
    quantity: i32,
    sku: String,
    name: String,
    price: Decimal,
    on_hand: i32,
    reserved: i32,
}

pub(super) async fn place(
    conn: &mut AsyncPgConnection,
    request: &PlaceOrders,
) -> Result<Vec<OrderId>, TxError<PlaceError>> {
    let product_ids: Vec<i64> = request
        .baskets
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| l.0))
        .collect();
    // The products and the stores' locks are sent together (pipelined: one round trip).
    // FOR SHARE: a store is not closed under a checkout that is reserving its stock.
    let mut shared: &AsyncPgConnection = conn;
    let products = products::table
        .filter(products::id.eq_any(&product_ids))
        .select((
            products::id,
            products::sku,
            products::name,
            products::status,
        ))
        .load::<(i64, String, String, String)>(&mut shared);
    let stores = futures::future::try_join_all(request.baskets.iter().map(|basket| {
        stores::table
            .filter(stores::id.eq(basket.store_id))
            .select((stores::code, stores::status))
            .for_share()
            .first::<(String, String)>(&mut shared)
    }));
    let (products, stores) = futures::try_join!(products, stores)?;
    let mut unavailable = Vec::new();
    let mut reserved_baskets = Vec::with_capacity(request.baskets.len());
    for (basket, (code, status)) in request.baskets.iter().zip(stores) {
        let mut lines = Vec::with_capacity(basket.lines.len());
        for &(product_id, quantity) in &basket.lines {
            let product = products.iter().find(|p| p.0 == product_id);
            let reason = if status != "open" {
                Some(Unavailability::StoreClosed)
            } else if product.is_none_or(|p| p.3 != ProductStatus::Active.as_str()) {
                Some(Unavailability::ProductArchived)
            } else {
                match reserve(conn, basket, product_id, quantity).await? {
                    Ok((price, on_hand, reserved)) => {
                        let (_, sku, name, _) = product.expect("checked above");
                        lines.push(Reserved {
                            product_id,
                            quantity,
                            sku: sku.clone(),
                            name: name.clone(),
                            price,
                            on_hand,
                            reserved,
                        });
                        None
                    }
                    Err(reason) => Some(reason),
                }
            };
            if let Some(reason) = reason {
                unavailable.push(UnavailableItem {
                    store_id: basket.store_id,
                    store_code: code.clone(),
                    product_id,
                    requested: quantity,
                    reason,
                });
            }
        }
        reserved_baskets.push((basket, lines));
    }
    if !unavailable.is_empty() {
        return Err(TxError::Rejected(PlaceError::Unavailable(unavailable)));
    }
    let mut ids = Vec::with_capacity(reserved_baskets.len());
    for (basket, lines) in reserved_baskets {
        ids.push(write_order(conn, request, basket, &lines).await?);
    }
    Ok(ids)
}

/// Holds `quantity` of the line back if that many are available: the stock after, with the
/// store's price; or why not.
async fn reserve(
    conn: &mut AsyncPgConnection,
    basket: &StoreBasket,
    product_id: i64,
    quantity: i32,
) -> QueryResult<Result<(Decimal, i32, i32), Unavailability>> {
    let line = store_inventory::table
        .filter(store_inventory::store_id.eq(basket.store_id))
        .filter(store_inventory::product_id.eq(product_id));
    let updated: Option<(Decimal, i32, i32)> = diesel::update(
        line.filter((store_inventory::on_hand - store_inventory::reserved).ge(quantity)),
    )
    .set(store_inventory::reserved.eq(store_inventory::reserved + quantity))
    .returning((
        store_inventory::price,
        store_inventory::on_hand,
        store_inventory::reserved,
    ))
    .cached()
    .get_result(conn)
    .await
    .optional()?;
    if let Some(reserved) = updated {
        return Ok(Ok(reserved));
    }
    let available: Option<i32> = line
        .select(store_inventory::on_hand - store_inventory::reserved)
        .first(conn)
        .await
        .optional()?;
    Ok(Err(match available {
        None => Unavailability::NotStocked,
        Some(available) => Unavailability::Short { available },
    }))
}

fn line_total(price: Decimal, quantity: i32) -> Decimal {
    price * Decimal::from(quantity)
}

async fn write_order(
    conn: &mut AsyncPgConnection,
    request: &PlaceOrders,
    basket: &StoreBasket,
    lines: &[Reserved],
) -> Result<OrderId, TxError<PlaceError>> {
    let subtotal: Decimal = lines.iter().map(|l| line_total(l.price, l.quantity)).sum();
    let Ok(subtotal_money) = Money::parse(subtotal) else {
        return Err(TxError::Rejected(PlaceError::TotalTooLarge));
    };
    let coupon = request
        .coupon
        .as_ref()
        .filter(|coupon| coupon.store_id == basket.store_id);
    let discount = match coupon {
        Some(coupon) if subtotal_money < coupon.minimum => {
            return Err(TxError::Rejected(PlaceError::Coupon(
                CouponRejection::BelowMinimum {
                    minimum: coupon.minimum,
                },
            )));
        }
        Some(coupon) => coupon.discount.off(subtotal_money),
        None => Money::ZERO,
    };
    let address = request.shipping_address.as_ref();
    let order_id: i64 = diesel::insert_into(orders::table)
        .values((
            orders::user_id.eq(request.buyer),
            orders::store_id.eq(basket.store_id),
            orders::currency.eq(&request.currency),
            orders::subtotal.eq(subtotal),
            orders::discount.eq(discount.amount()),
            orders::total.eq(subtotal - discount.amount()),
            orders::coupon_code.eq(coupon.map(|c| c.code.as_str())),
            orders::email.eq(request.email.as_deref()),
            orders::shipping_name.eq(address.map(|a| a.name.as_str())),
            orders::shipping_phone.eq(address.map(|a| a.phone.as_str())),
            orders::shipping_address.eq(address.map(address_json)),
            orders::note.eq(&request.note),
            orders::reserved_until.eq(request.reserved_until),
        ))
        .returning(orders::id)
        .get_result(conn)
        .await?;
    let items: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                order_items::order_id.eq(order_id),
                order_items::product_id.eq(l.product_id),
                order_items::sku.eq(&l.sku),
                order_items::product_name.eq(&l.name),
                order_items::unit_price.eq(l.price),
                order_items::quantity.eq(l.quantity),
                order_items::line_total.eq(line_total(l.price, l.quantity)),
            )
        })
        .collect();

    let movements: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                stock_movements::store_id.eq(basket.store_id),
                stock_movements::product_id.eq(l.product_id),
                stock_movements::reason.eq(MovementReason::Reservation.as_str()),
                stock_movements::reserved_delta.eq(l.quantity),
                stock_movements::on_hand_after.eq(l.on_hand),
                stock_movements::reserved_after.eq(l.reserved),
                stock_movements::price_after.eq(l.price),
                stock_movements::actor_id.eq(Some(request.buyer)),
                stock_movements::order_id.eq(Some(order_id)),
            )
        })
        .collect();
    // The order's items, stock movements and first event: sent together (one round trip).
    let mut shared: &AsyncPgConnection = conn;
    futures::try_join!(
        diesel::insert_into(order_items::table)
            .values(&items)
            .cached()
            .execute(&mut shared),
        diesel::insert_into(stock_movements::table)
            .values(&movements)
            .cached()
            .execute(&mut shared),
        diesel::insert_into(order_events::table)
            .values((
                order_events::order_id.eq(order_id),
                order_events::action.eq(EventAction::Place.as_str()),
                order_events::to_status.eq(OrderStatus::PendingPayment.as_str()),
                order_events::actor_id.eq(Some(request.buyer)),
            ))
            .execute(&mut shared),
    )?;
    if let Some(coupon) = coupon {
        crate::marketing::redeem_in(conn, coupon.coupon_id, request.buyer, order_id, discount)
            .await
            .map_err(|e| match e {
                RedeemError::Exhausted => TxError::Rejected(CouponRejection::Exhausted.into()),
                RedeemError::Inactive => TxError::Rejected(CouponRejection::Inactive.into()),
                RedeemError::CustomerLimitReached => {
                    TxError::Rejected(CouponRejection::CustomerLimitReached.into())
                }
                RedeemError::OrderHasCoupon => TxError::Rejected(PlaceError::Infra(
                    ports::InfraError::Unknown(anyhow::anyhow!("a new order has a coupon")),
                )),
                RedeemError::Db(e) => TxError::Db(e),
            })?;
    }
    if request.clear_cart_lines {
        let ordered: Vec<i64> = lines.iter().map(|l| l.product_id).collect();
        diesel::delete(
            cart_items::table
                .filter(cart_items::user_id.eq(request.buyer))
                .filter(cart_items::store_id.eq(basket.store_id))
                .filter(cart_items::product_id.eq_any(ordered)),
        )
        .execute(conn)
        .await?;
    }
    Ok(order_id)
}
