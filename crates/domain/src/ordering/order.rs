//! An order's life: the state machine every order follows, and the rules of paying for it.
//!
//! `pending_payment → paid → shipped → delivered → completed`; an unpaid order may be
//! `cancelled` (by the buyer or staff) or `expired` (its reservation ran out); a paid order not
//! yet shipped is cancelled by refunding it (`refunded`). Anything else is an illegal
//! transition, which the API answers with 409. An order is paid in one or more payments
//! (a deposit, then the balance) and becomes `paid` when they add up to its total.

use std::fmt;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::catalog::product::ProductId;
use crate::identity::address::AddressFields;
use crate::identity::permission::Permission;
use crate::identity::role::Access;
use crate::identity::user::UserId;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    Expired,
    Refunded,
}

impl OrderStatus {
    pub const ALL: &[OrderStatus] = &[
        Self::PendingPayment,
        Self::Paid,
        Self::Shipped,
        Self::Delivered,
        Self::Completed,
        Self::Cancelled,
        Self::Expired,
        Self::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == raw)
    }

    /// Whether nothing can happen to the order any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Completed | Self::Cancelled | Self::Expired | Self::Refunded
        )
    }

    /// Whether the order holds reserved stock (it is waiting for its payment).
    pub fn holds_reservation(self) -> bool {
        self == Self::PendingPayment
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What can happen to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderAction {
    /// The last payment made the paid amount reach the total.
    PayInFull,
    Ship,
    /// The buyer received it.
    Deliver,
    Complete,
    /// The buyer or staff call it off: unpaid, it is cancelled; paid and not shipped, refunded.
    Cancel,
    /// Its reservation ran out unpaid.
    Expire,
}

impl OrderAction {
    pub const ALL: &[OrderAction] = &[
        Self::PayInFull,
        Self::Ship,
        Self::Deliver,
        Self::Complete,
        Self::Cancel,
        Self::Expire,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PayInFull => "pay",
            Self::Ship => "ship",
            Self::Deliver => "deliver",
            Self::Complete => "complete",
            Self::Cancel => "cancel",
            Self::Expire => "expire",
        }
    }
}

/// An action the order's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {from} cannot {}", action.as_str())]
pub struct IllegalTransition {
    pub from: OrderStatus,
    pub action: OrderAction,
}

/// The status `action` takes an order in `from` to.
pub fn transition(
    from: OrderStatus,
    action: OrderAction,
) -> Result<OrderStatus, IllegalTransition> {
    use OrderAction as A;
    use OrderStatus as S;
    match (from, action) {
        (S::PendingPayment, A::PayInFull) => Ok(S::Paid),
        (S::PendingPayment, A::Cancel) => Ok(S::Cancelled),
        (S::PendingPayment, A::Expire) => Ok(S::Expired),
        (S::Paid, A::Ship) => Ok(S::Shipped),
        (S::Paid, A::Cancel) => Ok(S::Refunded),
        (S::Shipped, A::Deliver) => Ok(S::Delivered),
        (S::Delivered, A::Complete) => Ok(S::Completed),
        _ => Err(IllegalTransition { from, action }),
    }
}

/// The status an order has now: one waiting for payment whose reservation has run out with
/// nothing paid is expired, whether or not the sweeper has got to it yet; one with a deposit paid
/// keeps its reservation until it is paid in full or cancelled. Only an order whose status now is
/// `pending_payment` may be paid.
pub fn status_at(
    status: OrderStatus,
    paid: Money,
    reserved_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> OrderStatus {
    if status == OrderStatus::PendingPayment && paid == Money::ZERO && now >= reserved_until {
        OrderStatus::Expired
    } else {
        status
    }
}

/// Why a payment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentRuleViolation {
    #[error("a payment must be more than zero")]
    Nothing,
    /// More than is still owed.
    #[error("{owed} is owed, {offered} offered")]
    TooMuch { owed: Money, offered: Money },
}

/// What paying `amount` towards an order of `total`, of which `paid` is paid, leaves paid, and
/// whether that is all of it.
pub fn apply_payment(
    total: Money,
    paid: Money,
    amount: Money,
) -> Result<(Money, bool), PaymentRuleViolation> {
    if amount == Money::ZERO {
        return Err(PaymentRuleViolation::Nothing);
    }
    let owed = Money::parse(total.amount() - paid.amount()).unwrap_or(Money::ZERO);
    if amount > owed {
        return Err(PaymentRuleViolation::TooMuch {
            owed,
            offered: amount,
        });
    }
    let now_paid = Money::parse(paid.amount() + amount.amount()).unwrap_or(total);
    Ok((now_paid, now_paid == total))
}

pub type OrderId = i64;

/// What an order's line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// The product itself, taken from the store's stock.
    Product,
    /// Photos selected beyond a package's allowance (the product is the package): no stock.
    ExtraPhotos,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::ExtraPhotos => "extra_photos",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Product, Self::ExtraPhotos]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }

    /// Whether the line takes stock from the store.
    pub fn holds_stock(self) -> bool {
        self == Self::Product
    }
}

/// An item of an order: the product as it was sold, at the price it was sold at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    pub kind: ItemKind,
    pub product_id: ProductId,
    pub sku: String,
    pub product_name: String,
    pub unit_price: Money,
    pub quantity: i32,
    pub line_total: Money,
}

/// Who an order is for, or who is selling it: an id with the name people know it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: DateTime<Utc>,
    /// What the carrier last said, as it said it.
    pub tracking_details: Option<Value>,
    pub tracking_last_sync: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub number: String,
    /// The buyer (`name` is the username).
    pub buyer: Party,
    /// The store (`name` is its code) and its owner.
    pub store: Party,
    pub store_owner_id: UserId,
    pub status: OrderStatus,
    pub currency: String,
    pub subtotal: Money,
    pub discount: Money,
    pub total: Money,
    pub paid_amount: Money,
    pub refunded_amount: Money,
    pub email: Option<String>,
    pub shipping_address: Option<AddressFields>,
    pub note: String,
    pub reserved_until: DateTime<Utc>,
    pub shipment: Option<Shipment>,
    pub paid_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The coupon it was placed with, as written.
    pub coupon_code: Option<String>,
    pub items: Vec<OrderItem>,
}

impl Order {
    /// The status as it is now ([`status_at`]).
    pub fn status_at(&self, now: DateTime<Utc>) -> OrderStatus {
        status_at(self.status, self.paid_amount, self.reserved_until, now)
    }

    pub fn owed(&self) -> Money {
        Money::parse(self.total.amount() - self.paid_amount.amount()).unwrap_or(Money::ZERO)
    }

    /// The buyer, the store's owner (while they keep a store) and staff who see every order.
    pub fn visible_to(&self, user: UserId, access: &Access) -> bool {
        self.buyer.id == user
            || self.sells(user, access)
            || access.allows(Permission::OrdersReadAll)
    }

    /// Whether `user` may act for the store that sells the order.
    pub fn sells(&self, user: UserId, access: &Access) -> bool {
        self.store_owner_id == user && access.allows(Permission::StoresOpen)
    }

    /// Who may do `action`: the buyer receives, completes and cancels; the store ships and
    /// cancels; staff with `orders:manage` do anything. Paying is anyone's who can see it.
    pub fn allows(&self, action: OrderAction, user: UserId, access: &Access) -> bool {
        if access.allows(Permission::OrdersManage) {
            return true;
        }
        let buyer = self.buyer.id == user;
        let seller = self.sells(user, access);
        match action {
            OrderAction::PayInFull => self.visible_to(user, access),
            OrderAction::Ship => seller,
            OrderAction::Deliver | OrderAction::Complete => buyer,
            OrderAction::Cancel => buyer || seller,
            OrderAction::Expire => false,
        }
    }
}

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventAction {
    Place,
    /// A payment that left part of the total owed.
    PartPayment,
    Transition(OrderAction),
}

impl EventAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::PartPayment => "part_payment",
            Self::Transition(action) => action.as_str(),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "place" => Some(Self::Place),
            "part_payment" => Some(Self::PartPayment),
            _ => OrderAction::ALL
                .iter()
                .copied()
                .find(|a| a.as_str() == raw)
                .map(Self::Transition),
        }
    }
}

/// One line of an order's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderEvent {
    pub id: i64,
    pub action: EventAction,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    /// Who did it (`name` is the username); `None` for the system.
    pub actor: Option<Party>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// What a status change does to the stock the order holds: a reservation is let go (cancelled,
/// expired), turned into a sale (paid), or a sale is taken back (refunded before shipping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockEffect {
    Release,
    Sell,
    Return,
}

pub fn stock_effect(from: OrderStatus, to: OrderStatus) -> Option<StockEffect> {
    use OrderStatus as S;
    match (from, to) {
        (S::PendingPayment, S::Cancelled | S::Expired) => Some(StockEffect::Release),
        (S::PendingPayment, S::Paid) => Some(StockEffect::Sell),
        (S::Paid, S::Refunded) => Some(StockEffect::Return),
        _ => None,
    }
}

/// The carrier and tracking number of a shipment: each 1 to 100 characters, trimmed.
pub fn parse_shipment_field(raw: &str) -> Result<String, crate::Invalid> {
    crate::text::required(raw, 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cents(n: i64) -> Money {
        Money::from_cents(n).unwrap()
    }

    #[test]
    fn the_happy_path_and_the_ways_out() {
        use OrderAction as A;
        use OrderStatus as S;
        let mut status = S::PendingPayment;
        for action in [A::PayInFull, A::Ship, A::Deliver, A::Complete] {
            status = transition(status, action).unwrap();
        }
        assert_eq!(status, S::Completed);
        assert_eq!(transition(S::PendingPayment, A::Cancel), Ok(S::Cancelled));
        assert_eq!(transition(S::PendingPayment, A::Expire), Ok(S::Expired));
        assert_eq!(transition(S::Paid, A::Cancel), Ok(S::Refunded));
        let shipped = transition(S::Shipped, A::Cancel).unwrap_err();
        assert_eq!(
            shipped.to_string(),
            "an order that is shipped cannot cancel"
        );
        assert!(transition(S::Paid, A::Expire).is_err());
        assert!(transition(S::Paid, A::PayInFull).is_err(), "paying twice");
    }

    #[test]
    fn every_status_change_with_stock_held_or_sold_says_what_happens_to_it() {
        use OrderStatus as S;
        assert_eq!(
            stock_effect(S::PendingPayment, S::Paid),
            Some(StockEffect::Sell)
        );
        assert_eq!(
            stock_effect(S::PendingPayment, S::Expired),
            Some(StockEffect::Release)
        );
        assert_eq!(
            stock_effect(S::PendingPayment, S::Cancelled),
            Some(StockEffect::Release)
        );
        assert_eq!(
            stock_effect(S::Paid, S::Refunded),
            Some(StockEffect::Return)
        );
        assert_eq!(stock_effect(S::Paid, S::Shipped), None);
        for action in OrderAction::ALL {
            let event = EventAction::Transition(*action);
            assert_eq!(EventAction::parse(event.as_str()), Some(event));
        }
        assert_eq!(EventAction::parse("place"), Some(EventAction::Place));
        assert_eq!(
            EventAction::parse("part_payment"),
            Some(EventAction::PartPayment)
        );
    }

    #[test]
    fn statuses_parse_back() {
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }

    #[test]
    fn an_order_is_paid_in_parts_up_to_its_total() {
        let total = cents(10_000);
        assert_eq!(
            apply_payment(total, Money::ZERO, cents(3_000)),
            Ok((cents(3_000), false))
        );
        assert_eq!(
            apply_payment(total, cents(3_000), cents(7_000)),
            Ok((total, true))
        );
        assert_eq!(
            apply_payment(total, cents(3_000), cents(7_001)),
            Err(PaymentRuleViolation::TooMuch {
                owed: cents(7_000),
                offered: cents(7_001)
            })
        );
        assert_eq!(
            apply_payment(total, Money::ZERO, Money::ZERO),
            Err(PaymentRuleViolation::Nothing)
        );
    }

    #[test]
    fn an_order_past_its_reservation_is_not_payable() {
        use OrderStatus as S;
        let until = DateTime::from_timestamp(1_000, 0).unwrap();
        let before = DateTime::from_timestamp(999, 0).unwrap();
        let nothing = Money::ZERO;
        assert_eq!(
            status_at(S::PendingPayment, nothing, until, before),
            S::PendingPayment
        );
        assert_eq!(
            status_at(S::PendingPayment, nothing, until, until),
            S::Expired
        );
        assert_eq!(status_at(S::Paid, nothing, until, until), S::Paid);
        // A deposit keeps the order payable (and its stock held) past its reservation.
        assert_eq!(
            status_at(S::PendingPayment, cents(100), until, until),
            S::PendingPayment
        );
    }

    proptest! {
        /// Whatever is tried, a final status accepts nothing, and only an order that was paid
        /// can end up shipped, delivered, completed or refunded.
        #[test]
        fn no_sequence_of_actions_escapes_the_machine(
            actions in proptest::collection::vec(0..OrderAction::ALL.len(), 0..30)
        ) {
            let mut status = OrderStatus::PendingPayment;
            let mut was_paid = false;
            for index in actions {
                let action = OrderAction::ALL[index];
                match transition(status, action) {
                    Ok(next) => {
                        prop_assert!(!status.is_final(), "{status} moved on");
                        was_paid |= next == OrderStatus::Paid;
                        status = next;
                    }
                    Err(error) => prop_assert_eq!(error.from, status),
                }
                if matches!(status, OrderStatus::Shipped | OrderStatus::Delivered
                    | OrderStatus::Completed | OrderStatus::Refunded) {
                    prop_assert!(was_paid);
                }
            }
        }

        /// Payments never add up to more than the total, and the order is paid exactly when
        /// they add up to it.
        #[test]
        fn payments_never_exceed_the_total(
            total in 1i64..1_000_000,
            parts in proptest::collection::vec(0i64..400_000, 1..10)
        ) {
            let total = cents(total);
            let mut paid = Money::ZERO;
            for part in parts {
                if let Ok((now_paid, full)) = apply_payment(total, paid, cents(part)) {
                    prop_assert!(now_paid <= total);
                    prop_assert_eq!(full, now_paid == total);
                    paid = now_paid;
                }
            }
        }
    }
}
