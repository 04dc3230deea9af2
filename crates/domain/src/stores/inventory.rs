//! A store's stock of one product, and the rules every change to it follows. Quantities are
//! whole items; `0 <= reserved <= on_hand` always (the database checks it too), and buyers see
//! `available = on_hand - reserved`.

use chrono::{DateTime, Utc};

use crate::Invalid;
use crate::catalog::product::ProductId;
use crate::identity::user::UserId;
use crate::money::Money;
use crate::stores::store::StoreId;

/// Most items one receipt or adjustment may move.
pub const MAX_QUANTITY: i32 = 1_000_000;

/// What a store holds of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLevel {
    pub on_hand: i32,
    pub reserved: i32,
}

/// Why a change to stock is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StockRuleViolation {
    /// Fewer items would be on hand than orders hold (or fewer than none).
    #[error("{available} available, {requested} asked for")]
    Insufficient { available: i32, requested: i32 },
    #[error("more than {} items on hand", i32::MAX)]
    TooMany,
}

impl StockLevel {
    pub const EMPTY: StockLevel = StockLevel {
        on_hand: 0,
        reserved: 0,
    };

    pub fn available(self) -> i32 {
        self.on_hand - self.reserved
    }

    /// Stock coming in.
    pub fn receive(self, quantity: Quantity) -> Result<Self, StockRuleViolation> {
        self.adjust(quantity.get())
    }

    /// A correction by `delta` items (a count, a loss); may not take away what is held back.
    pub fn adjust(self, delta: i32) -> Result<Self, StockRuleViolation> {
        let on_hand = self
            .on_hand
            .checked_add(delta)
            .ok_or(StockRuleViolation::TooMany)?;
        if on_hand < self.reserved {
            return Err(StockRuleViolation::Insufficient {
                available: self.available(),
                requested: -delta,
            });
        }
        Ok(Self { on_hand, ..self })
    }

    /// An order holds `quantity` items back until it is paid or let go.
    pub fn reserve(self, quantity: Quantity) -> Result<Self, StockRuleViolation> {
        if quantity.get() > self.available() {
            return Err(StockRuleViolation::Insufficient {
                available: self.available(),
                requested: quantity.get(),
            });
        }
        Ok(Self {
            reserved: self.reserved + quantity.get(),
            ..self
        })
    }
}

/// A positive number of items, at most [`MAX_QUANTITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i32);

impl Quantity {
    pub fn parse(raw: i64) -> Result<Self, Invalid> {
        match i32::try_from(raw) {
            Ok(n @ 1..=MAX_QUANTITY) => Ok(Self(n)),
            _ => Err(Invalid::new(format!("must be 1 to {MAX_QUANTITY}"))),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The change of an adjustment: not zero, at most [`MAX_QUANTITY`] either way.
pub fn parse_delta(raw: i64) -> Result<i32, Invalid> {
    match i32::try_from(raw) {
        Ok(0) => Err(Invalid::new("must not be zero")),
        Ok(n) if n.unsigned_abs() <= MAX_QUANTITY.unsigned_abs() => Ok(n),
        _ => Err(Invalid::new(format!(
            "must be between -{MAX_QUANTITY} and {MAX_QUANTITY}"
        ))),
    }
}

/// Why an adjustment was made: required, 1 to 500 characters, trimmed.
pub fn parse_reason(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, 500)
}

/// A note on a receipt: optional, at most 500 characters, trimmed.
pub fn parse_note(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 500)
}

/// A store's line for one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryItem {
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub sku: String,
    pub product_name: String,
    pub level: StockLevel,
    pub price: Money,
    pub updated_at: DateTime<Utc>,
}

/// What a store offers of a product, as buyers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub price: Money,
    pub available: i32,
}

/// Why stock changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementReason {
    /// Stock came in.
    Receipt,
    /// A count, a loss or a correction, explained in the note.
    Adjustment,
    /// The store's price changed.
    Repricing,
    /// An order holds items back.
    Reservation,
    /// An order let held items go (cancelled or expired).
    Release,
    /// Held items left with their order.
    Sale,
    /// Sold items came back.
    Return,
}

impl MovementReason {
    pub const ALL: &[MovementReason] = &[
        Self::Receipt,
        Self::Adjustment,
        Self::Repricing,
        Self::Reservation,
        Self::Release,
        Self::Sale,
        Self::Return,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Adjustment => "adjustment",
            Self::Repricing => "repricing",
            Self::Reservation => "reservation",
            Self::Release => "release",
            Self::Sale => "sale",
            Self::Return => "return",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|reason| reason.as_str() == raw)
            .ok_or_else(|| Invalid::new("is not a movement reason"))
    }
}

/// One change to a store's stock of a product, with the stock and price after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMovement {
    pub id: i64,
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub reason: MovementReason,
    pub on_hand_delta: i32,
    pub reserved_delta: i32,
    pub after: StockLevel,
    pub price_after: Money,
    pub note: String,
    /// Who made it; `None` for the system.
    pub actor: Option<Actor>,
    pub order_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn level(on_hand: i32, reserved: i32) -> StockLevel {
        StockLevel { on_hand, reserved }
    }

    #[test]
    fn adjustments_never_take_what_orders_hold() {
        assert_eq!(level(10, 4).adjust(-6), Ok(level(4, 4)));
        assert_eq!(
            level(10, 4).adjust(-7),
            Err(StockRuleViolation::Insufficient {
                available: 6,
                requested: 7
            })
        );
        assert_eq!(
            level(i32::MAX, 0).adjust(1),
            Err(StockRuleViolation::TooMany)
        );
    }

    #[test]
    fn reservations_come_out_of_what_is_available() {
        let three = Quantity::parse(3).unwrap();
        assert_eq!(level(5, 2).reserve(three), Ok(level(5, 5)));
        assert!(level(5, 3).reserve(three).is_err());
    }

    #[test]
    fn quantities_and_deltas_are_bounded() {
        assert!(Quantity::parse(0).is_err());
        assert!(Quantity::parse(i64::from(MAX_QUANTITY) + 1).is_err());
        assert_eq!(Quantity::parse(7).unwrap().get(), 7);
        assert!(parse_delta(0).is_err());
        assert_eq!(parse_delta(-MAX_QUANTITY as i64), Ok(-MAX_QUANTITY));
        assert!(parse_delta(i64::from(i32::MIN)).is_err());
        assert!(parse_reason("  ").is_err());
    }

    #[test]
    fn reasons_parse_back() {
        for reason in MovementReason::ALL {
            assert_eq!(MovementReason::parse(reason.as_str()), Ok(*reason));
        }
        assert!(MovementReason::parse("theft").is_err());
    }

    proptest! {
        /// Whatever sequence of changes is tried, the refused ones change nothing and the
        /// level keeps 0 <= reserved <= on_hand.
        #[test]
        fn the_invariant_holds_under_any_changes(
            steps in proptest::collection::vec((any::<bool>(), -50i64..50), 0..60)
        ) {
            let mut stock = StockLevel::EMPTY;
            for (reserve, n) in steps {
                let next = if reserve {
                    Quantity::parse(n.abs()).ok().map(|q| stock.reserve(q))
                } else {
                    parse_delta(n).ok().map(|d| stock.adjust(d))
                };
                if let Some(Ok(level)) = next {
                    stock = level;
                }
                prop_assert!(0 <= stock.reserved && stock.reserved <= stock.on_hand);
                prop_assert_eq!(stock.available(), stock.on_hand - stock.reserved);
            }
        }
    }
}
