//! Coupons: creating, listing, changing, deleting (only a coupon never redeemed; deactivate
//! one that was).

use chrono::{DateTime, Utc};
use domain::Fields;
use domain::Invalid;
use domain::marketing::campaign::CampaignId;
use domain::marketing::coupon::{
    self, Coupon, CouponCode, CouponId, CouponTerms, Discount, DiscountKind, UseLimit,
    ValidityWindow,
};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use ports::marketing::CouponFilter;
use rust_decimal::Decimal;

use super::{Marketing, MarketingError};
use crate::catalog::Priced;
use crate::stores::store_named;

/// A new coupon as received.
#[derive(Debug, Clone)]
pub struct CouponInput {
    pub code: String,
    pub description: Option<String>,
    /// `percentage` or `fixed`.
    pub kind: String,
    pub value: Decimal,
    /// Now unless given.
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// Zero unless given.
    pub min_order_amount: Option<Decimal>,
    pub usage_limit: Option<i64>,
    pub per_customer_limit: Option<i64>,
    pub campaign_id: Option<CampaignId>,
    /// The code of the store whose own coupon it is.
    pub store: Option<String>,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a coupon as received: `None` leaves a field as it is; `Some(None)` clears a
/// field that may be empty (no end, no limit, no campaign, any store).
#[derive(Debug, Clone, Default)]
pub struct CouponPatch {
    pub code: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub value: Option<Decimal>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<Option<DateTime<Utc>>>,
    pub min_order_amount: Option<Decimal>,
    pub usage_limit: Option<Option<i64>>,
    pub per_customer_limit: Option<Option<i64>>,
    pub campaign_id: Option<Option<CampaignId>>,
    pub store: Option<Option<String>>,
    pub active: Option<bool>,
}

impl From<CouponInput> for CouponPatch {
    fn from(input: CouponInput) -> Self {
        Self {
            code: Some(input.code),
            description: input.description,
            kind: Some(input.kind),
            value: Some(input.value),
            valid_from: input.valid_from,
            valid_until: Some(input.valid_until),
            min_order_amount: input.min_order_amount,
            usage_limit: Some(input.usage_limit),
            per_customer_limit: Some(input.per_customer_limit),
            campaign_id: Some(input.campaign_id),
            store: Some(input.store),
            active: input.active,
        }
    }
}

fn limit(raw: Option<i64>) -> Result<Option<UseLimit>, Invalid> {
    raw.map(UseLimit::parse).transpose()
}

impl Marketing {
    pub async fn create_coupon(
        &self,
        input: CouponInput,
    ) -> Result<Priced<Coupon>, MarketingError> {
        let terms = self.terms(None, input.into()).await?;
        let coupon = self.ports.coupons.create(&terms).await?;
        tracing::info!(coupon_id = coupon.id, "coupon created");
        self.priced(coupon).await
    }

    pub async fn coupon(&self, id: CouponId) -> Result<Priced<Coupon>, MarketingError> {
        let coupon = self.find_coupon(id).await?;
        self.priced(coupon).await
    }

    async fn find_coupon(&self, id: CouponId) -> Result<Coupon, MarketingError> {
        self.ports
            .coupons
            .find(id)
            .await?
            .ok_or(MarketingError::CouponNotFound)
    }

    /// A page of coupons, newest first, of one campaign or all, active or not or both.
    pub async fn coupons(
        &self,
        campaign_id: Option<CampaignId>,
        active: Option<bool>,
        page: &PageRequest<CouponId>,
    ) -> Result<Priced<Page<Coupon>>, MarketingError> {
        let filter = CouponFilter {
            campaign_id,
            active,
        };
        let coupons = self.ports.coupons.list(&filter, page).await?;
        self.priced(coupons).await
    }

    pub async fn update_coupon(
        &self,
        id: CouponId,
        patch: CouponPatch,
    ) -> Result<Priced<Coupon>, MarketingError> {
        let current = self.find_coupon(id).await?;
        let terms = self.terms(Some(&current), patch).await?;
        let coupon = self.ports.coupons.update(id, &terms).await?;
        self.priced(coupon).await
    }

    /// Deletes a coupon that was never redeemed; one that was stays (deactivate it).
    pub async fn delete_coupon(&self, id: CouponId) -> Result<(), MarketingError> {
        self.ports.coupons.delete(id).await?;
        tracing::info!(coupon_id = id, "coupon deleted");
        Ok(())
    }

    /// The terms `patch` makes of `base`'s (or, for a new coupon, of the defaults), every
    /// field checked.
    async fn terms(
        &self,
        base: Option<&Coupon>,
        patch: CouponPatch,
    ) -> Result<CouponTerms, MarketingError> {
        let old = base.map(|coupon| &coupon.terms);
        let mut fields = Fields::default();
        let code = match (&patch.code, old) {
            (Some(raw), _) => fields.check("code", CouponCode::parse(raw)),
            (None, Some(old)) => Some(old.code.clone()),
            (None, None) => fields.check("code", Err(Invalid::new("is required"))),
        };
        let description = match (&patch.description, old) {
            (Some(raw), _) => fields.check("description", coupon::parse_description(raw)),
            (None, Some(old)) => Some(old.description.clone()),
            (None, None) => Some(String::new()),
        };
        let kind = match (&patch.kind, old) {
            (Some(raw), _) => fields.check("kind", DiscountKind::parse(raw)),
            (None, Some(old)) => Some(old.discount.kind()),
            (None, None) => fields.check("kind", Err(Invalid::new("is required"))),
        };
        let value = patch.value.or(old.map(|old| old.discount.value()));
        let discount = match (kind, value) {
            (Some(kind), Some(value)) => fields.check("value", Discount::parse(kind, value)),
            (Some(_), None) => fields.check("value", Err(Invalid::new("is required"))),
            (None, _) => None,
        };
        let window = fields.check(
            "valid_until",
            ValidityWindow::parse(
                patch
                    .valid_from
                    .or(old.map(|old| old.window.from()))
                    .unwrap_or_else(|| self.ports.clock.now()),
                match patch.valid_until {
                    Some(until) => until,
                    None => old.and_then(|old| old.window.until()),
                },
            ),
        );
        let min_order_amount = match (patch.min_order_amount, old) {
            (Some(raw), _) => fields.check("min_order_amount", Money::parse(raw)),
            (None, Some(old)) => Some(old.min_order_amount),
            (None, None) => Some(Money::ZERO),
        };
        let usage_limit = match patch.usage_limit {
            Some(raw) => fields.check("usage_limit", limit(raw)),
            None => Some(old.and_then(|old| old.usage_limit)),
        };
        if let (Some(Some(limit)), Some(coupon)) = (usage_limit, base)
            && limit.get() < coupon.used_count
        {
            fields.check::<()>(
                "usage_limit",
                Err(Invalid::new(format!(
                    "must not be below the {} uses so far",
                    coupon.used_count
                ))),
            );
        }
        let per_customer_limit = match patch.per_customer_limit {
            Some(raw) => fields.check("per_customer_limit", limit(raw)),
            None => Some(old.and_then(|old| old.per_customer_limit)),
        };
        let store_id = match patch.store {
            Some(Some(code)) => {
                let store = store_named(self.ports.stores.as_ref(), &code).await?;
                fields.check(
                    "store",
                    store
                        .map(|store| Some(store.id))
                        .ok_or_else(|| Invalid::new("names no store")),
                )
            }
            Some(None) => Some(None),
            None => Some(old.and_then(|old| old.store_id)),
        };
        fields.finish().map_err(MarketingError::Invalid)?;
        let (
            Some(code),
            Some(description),
            Some(discount),
            Some(window),
            Some(min_order_amount),
            Some(usage_limit),
            Some(per_customer_limit),
            Some(store_id),
        ) = (
            code,
            description,
            discount,
            window,
            min_order_amount,
            usage_limit,
            per_customer_limit,
            store_id,
        )
        else {
            unreachable!("every field parsed when there are no errors");
        };
        Ok(CouponTerms {
            code,
            description,
            discount,
            window,
            min_order_amount,
            usage_limit,
            per_customer_limit,
            campaign_id: match patch.campaign_id {
                Some(campaign) => campaign,
                None => old.and_then(|old| old.campaign_id),
            },
            store_id,
            active: patch.active.or(old.map(|old| old.active)).unwrap_or(true),
        })
    }
}
