//! Checkout: turning what a person asks for into one order per store.
//!
//! The lines are merged (the same product of the same store twice is one line), grouped by
//! store, and put in the order their stock is locked in: stores by id, then products by id, so
//! two checkouts touching the same lines never wait for each other in a cycle.

use std::collections::BTreeMap;

use crate::Invalid;
use crate::catalog::product::ProductId;
use crate::ordering::cart::{MAX_LINE_QUANTITY, MAX_LINES};
use crate::stores::store::StoreId;

/// Most items of one product in one order: as many as a cart line holds.
pub const MAX_ITEM_QUANTITY: i32 = MAX_LINE_QUANTITY;

/// One thing asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WantedLine {
    pub store_id: StoreId,
    pub product_id: ProductId,
    pub quantity: i32,
}

/// What one store's order is to hold, products in lock order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreBasket {
    pub store_id: StoreId,
    pub lines: Vec<(ProductId, i32)>,
}

/// Groups the lines into one basket per store, stores and products in lock order.
pub fn baskets(lines: &[WantedLine]) -> Result<Vec<StoreBasket>, Invalid> {
    if lines.is_empty() {
        return Err(Invalid::new("there is nothing to order"));
    }
    if lines.len() > MAX_LINES {
        return Err(Invalid::new(format!("at most {MAX_LINES} lines")));
    }
    let mut merged: BTreeMap<StoreId, BTreeMap<ProductId, i32>> = BTreeMap::new();
    for line in lines {
        if line.quantity < 1 {
            return Err(Invalid::new("every quantity must be at least 1"));
        }
        let quantity = merged
            .entry(line.store_id)
            .or_default()
            .entry(line.product_id)
            .or_default();
        *quantity = quantity.saturating_add(line.quantity);
        if *quantity > MAX_ITEM_QUANTITY {
            return Err(Invalid::new(format!(
                "at most {MAX_ITEM_QUANTITY} of one product from one store"
            )));
        }
    }
    Ok(merged
        .into_iter()
        .map(|(store_id, products)| StoreBasket {
            store_id,
            lines: products.into_iter().collect(),
        })
        .collect())
}

/// Why an item cannot be ordered; checkout reports every such item and changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailability {
    StoreClosed,
    ProductArchived,
    NotStocked,
    Short { available: i32 },
}

impl Unavailability {
    pub fn code(self) -> &'static str {
        match self {
            Self::StoreClosed => "store_closed",
            Self::ProductArchived => "product_archived",
            Self::NotStocked => "not_stocked",
            Self::Short { .. } => "insufficient_stock",
        }
    }

    /// How many of the product the store could sell now.
    pub fn available(self) -> i32 {
        match self {
            Self::Short { available } => available,
            _ => 0,
        }
    }
}

/// An item checkout could not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnavailableItem {
    pub store_id: StoreId,
    pub store_code: String,
    pub product_id: ProductId,
    pub requested: i32,
    pub reason: Unavailability,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(store_id: StoreId, product_id: ProductId, quantity: i32) -> WantedLine {
        WantedLine {
            store_id,
            product_id,
            quantity,
        }
    }

    #[test]
    fn lines_are_merged_and_grouped_in_lock_order() {
        let baskets =
            baskets(&[line(2, 9, 1), line(1, 5, 2), line(2, 3, 1), line(2, 9, 4)]).unwrap();
        assert_eq!(
            baskets,
            vec![
                StoreBasket {
                    store_id: 1,
                    lines: vec![(5, 2)]
                },
                StoreBasket {
                    store_id: 2,
                    lines: vec![(3, 1), (9, 5)]
                },
            ]
        );
    }

    #[test]
    fn nothing_zero_or_too_much_is_refused() {
        assert!(baskets(&[]).is_err());
        assert!(baskets(&[line(1, 1, 0)]).is_err());
        assert!(baskets(&[line(1, 1, 500), line(1, 1, 500)]).is_err());
        let many: Vec<_> = (0..=MAX_LINES as i64).map(|p| line(1, p, 1)).collect();
        assert!(baskets(&many).is_err());
    }

    proptest! {
        /// Whatever is asked for, every item is in exactly one basket with its summed quantity,
        /// and the baskets come in lock order.
        #[test]
        fn baskets_keep_every_item_in_lock_order(
            raw in proptest::collection::vec((1i64..4, 1i64..6, 1i32..5), 1..30)
        ) {
            let lines: Vec<_> = raw.iter().map(|&(s, p, q)| line(s, p, q)).collect();
            let baskets = baskets(&lines).unwrap();
            let stores: Vec<_> = baskets.iter().map(|b| b.store_id).collect();
            prop_assert!(stores.windows(2).all(|w| w[0] < w[1]));
            for basket in &baskets {
                prop_assert!(basket.lines.windows(2).all(|w| w[0].0 < w[1].0));
                for &(product, quantity) in &basket.lines {
                    let asked: i32 = lines.iter()
                        .filter(|l| l.store_id == basket.store_id && l.product_id == product)
                        .map(|l| l.quantity).sum();
                    prop_assert_eq!(quantity, asked);
                }
            }
            let total: i32 = baskets.iter().flat_map(|b| &b.lines).map(|l| l.1).sum();
            prop_assert_eq!(total, lines.iter().map(|l| l.quantity).sum::<i32>());
        }
    }
}
