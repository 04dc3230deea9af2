//! Coupons: a code that takes a percentage or a fixed amount off one order, within a validity
//! window, above a minimum order amount, a limited number of times in total and per customer,
//! optionally while a campaign runs, optionally only at one store.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Invalid;
use crate::marketing::campaign::{Campaign, CampaignId};
use crate::money::Money;
use crate::stores::store::StoreId;

pub type CouponId = i64;

/// What customers type: 3 to 50 ASCII letters, digits, `-` or `_`, kept as written. Two codes
/// that differ only in case are the same code (the database compares them ignoring case).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CouponCode(String);

impl CouponCode {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        let valid = (3..=50).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new("must be 3 to 50 letters, digits, `-` or `_`"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CouponCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscountKind {
    Percentage,
    Fixed,
}

impl DiscountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Percentage => "percentage",
            Self::Fixed => "fixed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "percentage" => Ok(Self::Percentage),
            "fixed" => Ok(Self::Fixed),
            _ => Err(Invalid::new("must be percentage or fixed")),
        }
    }
}

/// What a coupon takes off: a percentage of the subtotal (more than 0, at most 100, two
/// decimal places at most), or an amount (more than zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    Percentage(Decimal),
    Fixed(Money),
}

impl Discount {
    pub fn parse(kind: DiscountKind, value: Decimal) -> Result<Self, Invalid> {
        match kind {
            DiscountKind::Percentage => {
                if value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
                    return Err(Invalid::new(
                        "a percentage must be more than 0 and at most 100",
                    ));
                }
                if value.normalize().scale() > 2 {
                    return Err(Invalid::new("must have at most two decimal places"));
                }
                Ok(Self::Percentage(value.round_dp(2)))
            }
            DiscountKind::Fixed => {
                let amount = Money::parse(value)?;
                if amount == Money::ZERO {
                    return Err(Invalid::new("an amount off must be more than zero"));
                }
                Ok(Self::Fixed(amount))
            }
        }
    }

    pub fn kind(self) -> DiscountKind {
        match self {
            Self::Percentage(_) => DiscountKind::Percentage,
            Self::Fixed(_) => DiscountKind::Fixed,
        }
    }

    /// The percentage or the amount, as stored.
    pub fn value(self) -> Decimal {
        match self {
            Self::Percentage(percent) => percent,
            Self::Fixed(amount) => amount.amount(),
        }
    }

    /// What it takes off `subtotal`: a percentage rounded to the cent (half a cent up), a
    /// fixed amount as it is; never more than the subtotal.
    pub fn off(self, subtotal: Money) -> Money {
        let off = match self {
            Self::Percentage(percent) => (subtotal.amount() * percent / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            Self::Fixed(amount) => amount.amount(),
        };
        // Between zero and the subtotal, so always a valid amount.
        Money::parse(off.min(subtotal.amount())).unwrap_or(Money::ZERO)
    }
}

/// When a coupon may be used: from `from`, and before `until` if it has an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityWindow {
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl ValidityWindow {
    pub fn parse(from: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Result<Self, Invalid> {
        if until.is_some_and(|until| until <= from) {
            return Err(Invalid::new("must be after valid_from"));
        }
        Ok(Self { from, until })
    }

    pub fn from(self) -> DateTime<Utc> {
        self.from
    }

    pub fn until(self) -> Option<DateTime<Utc>> {
        self.until
    }
}

/// How many times a coupon may be used (in total, or by one customer): at least once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UseLimit(i32);

impl UseLimit {
    pub fn parse(raw: i64) -> Result<Self, Invalid> {
        match i32::try_from(raw) {
            Ok(n) if n >= 1 => Ok(Self(n)),
            _ => Err(Invalid::new(format!("must be 1 to {}", i32::MAX))),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A coupon's description: at most 2000 characters, trimmed.
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 2000)
}

/// What staff decide about a coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponTerms {
    pub code: CouponCode,
    pub description: String,
    pub discount: Discount,
    pub window: ValidityWindow,
    /// The least subtotal of an order the coupon applies to.
    pub min_order_amount: Money,
    /// Uses in total; `None`: no limit.
    pub usage_limit: Option<UseLimit>,
    /// Uses by one customer; `None`: no limit.
    pub per_customer_limit: Option<UseLimit>,
    /// The campaign it belongs to: it applies only while that runs.
    pub campaign_id: Option<CampaignId>,
    /// The store whose own coupon it is: it applies only to that store's order.
    pub store_id: Option<StoreId>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub id: CouponId,
    pub terms: CouponTerms,
    /// The code of `terms.store_id`'s store.
    pub store_code: Option<String>,
    /// Redemptions that hold a use now (a cancelled unpaid order gave its use back).
    pub used_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Coupon {
    /// Uses left; `None` when there is no limit.
    pub fn remaining_uses(&self) -> Option<i32> {
        self.terms
            .usage_limit
            .map(|limit| (limit.get() - self.used_count).max(0))
    }
}

/// Why a coupon does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CouponRejection {
    #[error("the coupon has been switched off")]
    Inactive,
    #[error("the coupon is not valid yet")]
    NotStarted,
    #[error("the coupon has expired")]
    Expired,
    #[error("the coupon's campaign is not running")]
    CampaignInactive,
    #[error("the order's subtotal is below the coupon's minimum of {minimum}")]
    BelowMinimum { minimum: Money },
    #[error("the coupon has been used as often as it may be")]
    Exhausted,
    #[error("the customer has used the coupon as often as one customer may")]
    CustomerLimitReached,
    #[error("the coupon is another store's")]
    WrongStore,
}

impl CouponRejection {
    pub fn code(self) -> &'static str {
        match self {
            Self::Inactive => "coupon_inactive",
            Self::NotStarted => "coupon_not_started",
            Self::Expired => "coupon_expired",
            Self::CampaignInactive => "coupon_campaign_inactive",
            Self::BelowMinimum { .. } => "coupon_below_minimum",
            Self::Exhausted => "coupon_exhausted",
            Self::CustomerLimitReached => "coupon_customer_limit_reached",
            Self::WrongStore => "coupon_wrong_store",
        }
    }
}

/// Whether `coupon` applies to an order of `store` with `subtotal`, for a customer who has used
/// it `customer_uses` times, at `now` (`today` being its date in the deployment's time zone,
/// which campaign days are counted in); the discount if it does.
///
/// `campaign` is the coupon's campaign (`None` when it has none; a coupon of a campaign that is
/// not given is refused, as if its campaign did not run). Limits are checked against the counts
/// given: the database settles races when the coupon is redeemed.
pub fn evaluate(
    coupon: &Coupon,
    campaign: Option<&Campaign>,
    now: DateTime<Utc>,
    today: NaiveDate,
    store: StoreId,
    subtotal: Money,
    customer_uses: i64,
) -> Result<Money, CouponRejection> {
    let terms = &coupon.terms;
    if !terms.active {
        return Err(CouponRejection::Inactive);
    }
    if now < terms.window.from() {
        return Err(CouponRejection::NotStarted);
    }
    if terms.window.until().is_some_and(|until| now >= until) {
        return Err(CouponRejection::Expired);
    }
    if let Some(campaign_id) = terms.campaign_id {
        let running = campaign.is_some_and(|c| c.id == campaign_id && c.runs_on(today));
        if !running {
            return Err(CouponRejection::CampaignInactive);
        }
    }
    if terms.store_id.is_some_and(|own| own != store) {
        return Err(CouponRejection::WrongStore);
    }
    if subtotal < terms.min_order_amount {
        return Err(CouponRejection::BelowMinimum {
            minimum: terms.min_order_amount,
        });
    }
    if terms
        .usage_limit
        .is_some_and(|limit| coupon.used_count >= limit.get())
    {
        return Err(CouponRejection::Exhausted);
    }
    if terms
        .per_customer_limit
        .is_some_and(|limit| customer_uses >= i64::from(limit.get()))
    {
        return Err(CouponRejection::CustomerLimitReached);
    }
    Ok(terms.discount.off(subtotal))
}

/// Which order of a checkout (one order per store, given as each store's subtotal) a coupon
/// goes to: a store's own coupon to that store's order; any other to the order with the largest
/// subtotal, the lowest store id among equals. `None` when no order fits.
pub fn order_for_coupon(
    coupon_store: Option<StoreId>,
    subtotals: &[(StoreId, Money)],
) -> Option<StoreId> {
    match coupon_store {
        Some(own) => subtotals
            .iter()
            .any(|&(store, _)| store == own)
            .then_some(own),
        None => subtotals
            .iter()
            .max_by(|(a_store, a), (b_store, b)| a.cmp(b).then(b_store.cmp(a_store)))
            .map(|&(store, _)| store),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketing::campaign::{CampaignPeriod, CampaignTerms};
    use chrono::TimeDelta;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn money(text: &str) -> Money {
        Money::parse(dec(text)).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn coupon(discount: Discount) -> Coupon {
        Coupon {
            id: 1,
            terms: CouponTerms {
                code: CouponCode::parse("SPRING10").unwrap(),
                description: String::new(),
                discount,
                window: ValidityWindow::parse(
                    at("2026-03-01T00:00:00Z"),
                    Some(at("2026-04-01T00:00:00Z")),
                )
                .unwrap(),
                min_order_amount: Money::ZERO,
                usage_limit: None,
                per_customer_limit: None,
                campaign_id: None,
                store_id: None,
                active: true,
            },
            store_code: None,
            used_count: 0,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    fn ten_percent() -> Coupon {
        coupon(Discount::Percentage(dec("10")))
    }

    fn campaign(active: bool) -> Campaign {
        Campaign {
            id: 7,
            terms: CampaignTerms {
                name: "Spring".into(),
                description: String::new(),
                period: CampaignPeriod::parse(day("2026-03-10"), day("2026-03-20")).unwrap(),
                active,
            },
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    const NOW: &str = "2026-03-15T12:00:00Z";

    fn check(coupon: &Coupon, campaign: Option<&Campaign>) -> Result<Money, CouponRejection> {
        evaluate(
            coupon,
            campaign,
            at(NOW),
            day("2026-03-15"),
            3,
            money("200.00"),
            0,
        )
    }

    #[test]
    fn codes_are_short_plain_words() {
        assert_eq!(
            CouponCode::parse(" Spring-2026_a ").unwrap().as_str(),
            "Spring-2026_a"
        );
        assert!(CouponCode::parse(&"A".repeat(50)).is_ok());
        for bad in ["", "AB", "with space", "折扣码", "a.b", &"A".repeat(51)] {
            assert!(CouponCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn discounts_are_checked_by_kind() {
        let percentage = DiscountKind::Percentage;
        assert!(Discount::parse(percentage, dec("0")).is_err());
        assert!(Discount::parse(percentage, dec("100.01")).is_err());
        assert!(Discount::parse(percentage, dec("12.345")).is_err());
        assert_eq!(
            Discount::parse(percentage, dec("100")).unwrap(),
            Discount::Percentage(dec("100"))
        );
        let fixed = DiscountKind::Fixed;
        assert!(Discount::parse(fixed, dec("0")).is_err());
        assert!(Discount::parse(fixed, dec("-5")).is_err());
        assert!(Discount::parse(fixed, dec("5.001")).is_err());
        assert_eq!(
            Discount::parse(fixed, dec("500")).unwrap(),
            Discount::Fixed(money("500"))
        );
        assert!(DiscountKind::parse("half").is_err());
    }

    #[test]
    fn a_percentage_is_rounded_half_a_cent_up_and_a_fixed_amount_capped() {
        let pct = |p: &str| Discount::Percentage(dec(p));
        // 12.5% of 0.99 is 0.12375: 0.12.
        assert_eq!(pct("12.5").off(money("0.99")), money("0.12"));
        // 10% of 0.05 is 0.005: half a cent, up.
        assert_eq!(pct("10").off(money("0.05")), money("0.01"));
        // 33.33% of 10.00 is 3.333.
        assert_eq!(pct("33.33").off(money("10.00")), money("3.33"));
        assert_eq!(pct("100").off(money("59.90")), money("59.90"));
        let fixed = Discount::Fixed(money("30.00"));
        assert_eq!(fixed.off(money("100.00")), money("30.00"));
        assert_eq!(fixed.off(money("19.90")), money("19.90"));
        assert_eq!(fixed.off(Money::ZERO), Money::ZERO);
    }

    #[test]
    fn windows_end_after_they_start() {
        let from = at("2026-03-01T00:00:00Z");
        assert!(ValidityWindow::parse(from, Some(from)).is_err());
        assert!(ValidityWindow::parse(from, None).is_ok());
        assert!(UseLimit::parse(0).is_err());
        assert!(UseLimit::parse(i64::from(i32::MAX) + 1).is_err());
        assert_eq!(UseLimit::parse(5).unwrap().get(), 5);
    }

    #[test]
    fn a_valid_coupon_gives_its_discount() {
        assert_eq!(check(&ten_percent(), None), Ok(money("20.00")));
    }

    #[test]
    fn each_rule_has_its_rejection() {
        let mut c = ten_percent();
        c.terms.active = false;
        assert_eq!(check(&c, None), Err(CouponRejection::Inactive));

        let c = ten_percent();
        let before = evaluate(
            &c,
            None,
            at("2026-02-28T23:59:59Z"),
            day("2026-02-28"),
            3,
            money("200"),
            0,
        );
        assert_eq!(before, Err(CouponRejection::NotStarted));
        // The window's end is not in it.
        let at_end = evaluate(
            &c,
            None,
            at("2026-04-01T00:00:00Z"),
            day("2026-04-01"),
            3,
            money("200"),
            0,
        );
        assert_eq!(at_end, Err(CouponRejection::Expired));

        let mut c = ten_percent();
        c.terms.campaign_id = Some(7);
        assert_eq!(check(&c, Some(&campaign(true))), Ok(money("20.00")));
        assert_eq!(
            check(&c, Some(&campaign(false))),
            Err(CouponRejection::CampaignInactive)
        );
        assert_eq!(check(&c, None), Err(CouponRejection::CampaignInactive));
        let outside = evaluate(
            &c,
            Some(&campaign(true)),
            at(NOW),
            day("2026-03-21"),
            3,
            money("200"),
            0,
        );
        assert_eq!(outside, Err(CouponRejection::CampaignInactive));

        let mut c = ten_percent();
        c.terms.store_id = Some(4);
        assert_eq!(check(&c, None), Err(CouponRejection::WrongStore));
        c.terms.store_id = Some(3);
        assert_eq!(check(&c, None), Ok(money("20.00")));

        let mut c = ten_percent();
        c.terms.min_order_amount = money("200.01");
        assert_eq!(
            check(&c, None),
            Err(CouponRejection::BelowMinimum {
                minimum: money("200.01")
            })
        );
        c.terms.min_order_amount = money("200.00");
        assert!(check(&c, None).is_ok(), "the minimum itself is enough");

        let mut c = ten_percent();
        c.terms.usage_limit = Some(UseLimit::parse(5).unwrap());
        c.used_count = 4;
        assert!(check(&c, None).is_ok());
        assert_eq!(c.remaining_uses(), Some(1));
        c.used_count = 5;
        assert_eq!(check(&c, None), Err(CouponRejection::Exhausted));
        assert_eq!(c.remaining_uses(), Some(0));

        let mut c = ten_percent();
        c.terms.per_customer_limit = Some(UseLimit::parse(2).unwrap());
        let uses = |n| evaluate(&c, None, at(NOW), day("2026-03-15"), 3, money("200"), n);
        assert!(uses(1).is_ok());
        assert_eq!(uses(2), Err(CouponRejection::CustomerLimitReached));
    }

    #[test]
    fn rejections_have_stable_codes() {
        assert_eq!(CouponRejection::Exhausted.code(), "coupon_exhausted");
        assert_eq!(
            CouponRejection::BelowMinimum {
                minimum: Money::ZERO
            }
            .code(),
            "coupon_below_minimum"
        );
    }

    #[test]
    fn a_coupon_goes_to_its_store_or_the_largest_order() {
        let subtotals = [
            (5, money("30")),
            (2, money("80")),
            (9, money("80")),
            (1, money("10")),
        ];
        assert_eq!(order_for_coupon(None, &subtotals), Some(2));
        assert_eq!(order_for_coupon(Some(1), &subtotals), Some(1));
        assert_eq!(order_for_coupon(Some(4), &subtotals), None);
        assert_eq!(order_for_coupon(None, &[]), None);
        assert_eq!(order_for_coupon(None, &[(9, money("1"))]), Some(9));
    }

    fn any_discount() -> impl Strategy<Value = Discount> {
        prop_oneof![
            (1i64..=10_000).prop_map(|bp| Discount::Percentage(Decimal::new(bp, 2))),
            (1i64..=100_000_000).prop_map(|c| Discount::Fixed(Money::from_cents(c).unwrap())),
        ]
    }

    proptest! {
        #[test]
        fn a_discount_is_never_negative_nor_more_than_the_subtotal(
            discount in any_discount(),
            cents in 0i64..1_000_000_000,
        ) {
            let subtotal = Money::from_cents(cents).unwrap();
            let off = discount.off(subtotal);
            prop_assert!(off <= subtotal);
            prop_assert!(off >= Money::ZERO);
            prop_assert!(off.amount().normalize().scale() <= 2);
        }

        #[test]
        fn evaluation_never_gives_more_than_the_subtotal(
            discount in any_discount(),
            cents in 0i64..1_000_000_000,
            minimum in 0i64..1_000_000,
            minutes in -100_000i64..100_000,
        ) {
            let mut c = coupon(discount);
            c.terms.min_order_amount = Money::from_cents(minimum).unwrap();
            let subtotal = Money::from_cents(cents).unwrap();
            let now = at(NOW) + TimeDelta::minutes(minutes);
            if let Ok(off) = evaluate(&c, None, now, now.date_naive(), 3, subtotal, 0) {
                prop_assert!(off <= subtotal);
                prop_assert!(subtotal >= c.terms.min_order_amount);
            }
        }

        #[test]
        fn the_largest_order_gets_a_coupon_of_no_store(
            subtotals in proptest::collection::vec((1i64..50, 0i64..10_000), 1..8),
        ) {
            let subtotals: Vec<(StoreId, Money)> = subtotals
                .into_iter()
                .map(|(store, cents)| (store, Money::from_cents(cents).unwrap()))
                .collect();
            let chosen = order_for_coupon(None, &subtotals).unwrap();
            let best = subtotals.iter().map(|(_, m)| *m).max().unwrap();
            let lowest = subtotals.iter().filter(|(_, m)| *m == best).map(|(s, _)| *s).min();
            prop_assert_eq!(Some(chosen), lowest);
        }
    }
}
