//! Amounts of money: decimals with at most two places, as `NUMERIC(12,2)` stores them. The
//! currency is the deployment's (a system setting), so an amount does not carry one.

use std::fmt;

use rust_decimal::Decimal;

use crate::Invalid;

/// A non-negative amount with at most two decimal places, below 10^10.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The largest amount `NUMERIC(12,2)` holds.
    pub fn max() -> Decimal {
        Decimal::new(999_999_999_999, 2)
    }

    pub fn parse(amount: Decimal) -> Result<Self, Invalid> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(Invalid::new("must not be negative"));
        }
        if amount.normalize().scale() > 2 {
            return Err(Invalid::new("must have at most two decimal places"));
        }
        if amount > Self::max() {
            return Err(Invalid::new("must be less than 10000000000"));
        }
        Ok(Self(amount.round_dp(2)))
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// Integer cents (the bookstore contract's unit).
    pub fn cents(self) -> i64 {
        let cents = (self.0 * Decimal::ONE_HUNDRED).trunc();
        i64::try_from(cents).unwrap_or(i64::MAX)
    }

    pub fn from_cents(cents: i64) -> Result<Self, Invalid> {
        Self::parse(Decimal::new(cents, 2))
    }
}

impl fmt::Display for Money {
    /// Always two decimal places: `29.90`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn amounts_are_checked_and_shown_with_two_places() {
        assert_eq!(Money::parse(dec("29.9")).unwrap().to_string(), "29.90");
        assert_eq!(Money::parse(dec("0")).unwrap(), Money::ZERO);
        assert_eq!(Money::parse(dec("1.500")).unwrap().to_string(), "1.50");
        assert!(Money::parse(dec("-0.01")).is_err());
        assert!(Money::parse(dec("0.001")).is_err());
        assert!(Money::parse(dec("10000000000")).is_err());
        assert!(Money::parse(dec("9999999999.99")).is_ok());
    }

    proptest! {
        #[test]
        fn cents_convert_exactly_both_ways(cents in 0i64..999_999_999_999) {
            let money = Money::from_cents(cents).unwrap();
            prop_assert_eq!(money.cents(), cents);
            prop_assert_eq!(Money::parse(money.amount()).unwrap(), money);
        }
    }
}
