//! Orders as the contract shows them, and the codes of the moves an order's status refuses.

use app::ordering::OrderingError;
use domain::ordering::order::{Order, OrderStatus};
use serde_json::{Value, json};

use super::cents;
use super::reply::Refusal;

/// What a use case that moves an order answered, in the contract's codes: an unknown order is
/// 518, one that expired 524, one the caller may not move 401; `illegal` says what any other
/// status refuses.
pub fn transition_refused(
    error: OrderingError,
    order_id: &str,
    illegal: impl FnOnce(OrderStatus) -> Refusal,
) -> Refusal {
    match error {
        OrderingError::OrderNotFound => Refusal::invalid_order(order_id),
        OrderingError::IllegalTransition(refused) if refused.from == OrderStatus::Expired => {
            Refusal::expired(order_id)
        }
        OrderingError::IllegalTransition(refused) => illegal(refused.from),
        OrderingError::Forbidden(_) => Refusal::authorization(),
        other => other.into(),
    }
}

/// An order in the contract's terms: ids are the order number, the store's code and the
/// books' ids; money is in cents.
pub fn order_json(order: &Order) -> Value {
    let items: Vec<Value> = order
        .items
        .iter()
        .map(|item| {
            json!({
                "book_id": item.sku,
                "title": item.product_name,
                "count": item.quantity,
                "price": cents::of(item.unit_price),
            })
        })
        .collect();
    json!({
        "order_id": order.number,
        "store_id": order.store.name,
        "status": order.status.as_str(),
        "total": cents::of(order.total),
        "paid": cents::of(order.paid_amount),
        "refunded": cents::of(order.refunded_amount),
        "created_at": order.created_at.to_rfc3339(),
        "paid_at": order.paid_at.map(|at| at.to_rfc3339()),
        "items": items,
    })
}
