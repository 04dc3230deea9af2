//! The cart: what a person means to buy, one line per store and product, shown with what each
//! store asks and has now. Nothing is held back until checkout.

use crate::Invalid;
use crate::catalog::product::{ProductId, ProductStatus};
use crate::media::MediaKey;
use crate::money::Money;
use crate::stores::store::StoreId;

pub type CartLineId = i64;

/// Most items of one product in one line.
pub const MAX_LINE_QUANTITY: i32 = 999;
/// Most lines in a cart.
pub const MAX_LINES: usize = 100;

/// How many of a product a line holds: 1 to [`MAX_LINE_QUANTITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CartQuantity(i32);

impl CartQuantity {
    pub fn parse(raw: i64) -> Result<Self, Invalid> {
        match i32::try_from(raw) {
            Ok(n @ 1..=MAX_LINE_QUANTITY) => Ok(Self(n)),
            _ => Err(Invalid::new(format!("must be 1 to {MAX_LINE_QUANTITY}"))),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A line of a cart, with the state of its store, product and stock as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub id: CartLineId,
    pub store_id: StoreId,
    pub store_code: String,
    pub store_open: bool,
    pub product_id: ProductId,
    pub sku: String,
    pub product_name: String,
    pub product_status: ProductStatus,
    pub primary_image: Option<MediaKey>,
    pub quantity: i32,
    /// What the store asks and has now; `None` when it no longer stocks the product.
    pub offer: Option<LineOffer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineOffer {
    pub price: Money,
    pub available: i32,
}

/// Why a line cannot be bought now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineIssue {
    StoreClosed,
    ProductArchived,
    NotStocked,
    /// Fewer available than the line asks for.
    Short {
        available: i32,
    },
}

impl LineIssue {
    pub fn code(self) -> &'static str {
        match self {
            Self::StoreClosed => "store_closed",
            Self::ProductArchived => "product_archived",
            Self::NotStocked => "not_stocked",
            Self::Short { .. } => "insufficient_stock",
        }
    }
}

impl CartLine {
    /// Why the line cannot be bought now, if it cannot.
    pub fn issue(&self) -> Option<LineIssue> {
        if !self.store_open {
            return Some(LineIssue::StoreClosed);
        }
        if self.product_status != ProductStatus::Active {
            return Some(LineIssue::ProductArchived);
        }
        match self.offer {
            None => Some(LineIssue::NotStocked),
            Some(offer) if offer.available < self.quantity => Some(LineIssue::Short {
                available: offer.available,
            }),
            Some(_) => None,
        }
    }

    /// The line's price now: the store's price times the quantity.
    pub fn total(&self) -> Option<Money> {
        self.offer.and_then(|offer| {
            Money::parse(offer.price.amount() * rust_decimal::Decimal::from(self.quantity)).ok()
        })
    }
}

/// What the lines that can be bought now cost together.
pub fn total(lines: &[CartLine]) -> Money {
    let sum = lines
        .iter()
        .filter(|line| line.issue().is_none())
        .filter_map(CartLine::total)
        .map(Money::amount)
        .sum();
    Money::parse(sum).unwrap_or(Money::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn line(quantity: i32, price: i64, available: i32) -> CartLine {
        CartLine {
            id: 1,
            store_id: 1,
            store_code: "shop".into(),
            store_open: true,
            product_id: 1,
            sku: "A".into(),
            product_name: "A".into(),
            product_status: ProductStatus::Active,
            primary_image: None,
            quantity,
            offer: Some(LineOffer {
                price: Money::from_cents(price).unwrap(),
                available,
            }),
        }
    }

    #[test]
    fn quantities_are_bounded() {
        assert!(CartQuantity::parse(0).is_err());
        assert!(CartQuantity::parse(1000).is_err());
        assert_eq!(CartQuantity::parse(999).unwrap().get(), 999);
    }

    #[test]
    fn a_line_says_why_it_cannot_be_bought() {
        assert_eq!(line(2, 1000, 2).issue(), None);
        assert_eq!(
            line(3, 1000, 2).issue(),
            Some(LineIssue::Short { available: 2 })
        );
        let closed = CartLine {
            store_open: false,
            ..line(1, 1000, 5)
        };
        assert_eq!(closed.issue(), Some(LineIssue::StoreClosed));
        let archived = CartLine {
            product_status: ProductStatus::Archived,
            ..line(1, 1000, 5)
        };
        assert_eq!(archived.issue(), Some(LineIssue::ProductArchived));
        let gone = CartLine {
            offer: None,
            ..line(1, 1000, 5)
        };
        assert_eq!(gone.issue(), Some(LineIssue::NotStocked));
    }

    #[test]
    fn the_total_counts_what_can_be_bought() {
        let lines = [line(2, 1250, 5), line(3, 100, 2), line(1, 99, 1)];
        assert_eq!(total(&lines).amount(), Decimal::new(2599, 2));
    }
}
