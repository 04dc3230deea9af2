//! Whether a coupon applies: to a checkout's orders (what checkout calls before it takes the
//! use), or to the caller's cart as it is now (validation, which takes nothing).

use domain::marketing::coupon::Discount;
use std::collections::BTreeMap;

use domain::identity::user::{Principal, UserId};
use domain::marketing::coupon::{self, CouponCode, CouponId, CouponRejection, order_for_coupon};
use domain::money::Money;
use domain::stores::store::StoreId;
use rust_decimal::Decimal;

use super::{Marketing, MarketingError};
use crate::catalog::Priced;

/// A coupon that applies to one order of a checkout, and what it takes off that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCoupon {
    pub coupon_id: CouponId,
    pub code: CouponCode,
    /// The store whose order it goes to.
    pub store_id: StoreId,
    /// That order's subtotal.
    pub subtotal: Money,
    pub discount: Money,
    /// The coupon's terms, for checkout to settle the discount again on the prices it locks.
    pub terms: Discount,
    pub minimum: Money,
}

impl AppliedCoupon {
    /// The order's total after the discount.
    pub fn total(&self) -> Money {
        // The discount is never more than the subtotal.
        Money::parse(self.subtotal.amount() - self.discount.amount()).unwrap_or(Money::ZERO)
    }
}

/// A coupon checked against a cart: the order it would go to, by its store's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartCoupon {
    pub applied: AppliedCoupon,
    pub store_code: String,
}

impl Marketing {
    /// Whether the coupon `code` applies to a checkout by `user` whose orders have `subtotals`
    /// (one per store), to which order, and what it takes off. Nothing is redeemed: checkout
    /// takes the use in its transaction, where the limits are settled again.
    pub async fn apply_coupon(
        &self,
        user: UserId,
        code: &str,
        subtotals: &[(StoreId, Money)],
    ) -> Result<AppliedCoupon, MarketingError> {
        let Ok(code) = CouponCode::parse(code) else {
            return Err(MarketingError::CouponUnknown);
        };
        let found = self
            .ports
            .coupons
            .find_by_code(&code)
            .await?
            .ok_or(MarketingError::CouponUnknown)?;
        if subtotals.is_empty() {
            return Err(MarketingError::CartEmpty);
        }
        let rejected = |rejection| async move {
            Err(MarketingError::Rejected {
                rejection,
                currency: self.currency().await?,
            })
        };
        let Some(store_id) = order_for_coupon(found.coupon.terms.store_id, subtotals) else {
            return rejected(CouponRejection::WrongStore).await;
        };
        let subtotal = subtotals
            .iter()
            .find(|(store, _)| *store == store_id)
            .map_or(Money::ZERO, |(_, subtotal)| *subtotal);
        let uses = self
            .ports
            .coupons
            .customer_uses(found.coupon.id, user)
            .await?;
        let (now, today) = self.now_and_today().await?;
        match coupon::evaluate(
            &found.coupon,
            found.campaign.as_ref(),
            now,
            today,
            store_id,
            subtotal,
            uses,
        ) {
            Ok(discount) => Ok(AppliedCoupon {
                coupon_id: found.coupon.id,
                terms: found.coupon.terms.discount,
                minimum: found.coupon.terms.min_order_amount,
                code: found.coupon.terms.code,
                store_id,
                subtotal,
                discount,
            }),
            Err(rejection) => rejected(rejection).await,
        }
    }

    /// Whether the coupon `code` applies to the caller's cart as checkout would see it now:
    /// one order per store, of the lines that can be bought, at the stores' prices.
    pub async fn validate_coupon(
        &self,
        caller: &Principal,
        code: &str,
    ) -> Result<Priced<CartCoupon>, MarketingError> {
        let lines = self.ports.cart.lines(caller.user_id).await?;
        let mut by_store: BTreeMap<StoreId, (String, Decimal)> = BTreeMap::new();
        for line in lines.iter().filter(|line| line.issue().is_none()) {
            let entry = by_store
                .entry(line.store_id)
                .or_insert_with(|| (line.store_code.clone(), Decimal::ZERO));
            entry.1 += line.total().map_or(Decimal::ZERO, Money::amount);
        }
        let subtotals: Vec<(StoreId, Money)> = by_store
            .iter()
            .map(|(&store, (_, sum))| {
                let capped = Money::parse((*sum).min(Money::max())).unwrap_or(Money::ZERO);
                (store, capped)
            })
            .collect();
        let applied = self.apply_coupon(caller.user_id, code, &subtotals).await?;
        let store_code = by_store
            .remove(&applied.store_id)
            .map(|(code, _)| code)
            .unwrap_or_default();
        self.priced(CartCoupon {
            applied,
            store_code,
        })
        .await
    }
}
