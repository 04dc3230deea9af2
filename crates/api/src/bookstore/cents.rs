//! The contract counts money in integer cents (分); amounts here are decimals with two places.

use domain::money::Money;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// `cents` as a decimal amount, exactly.
pub fn to_amount(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// An amount in cents. Amounts have at most two places, so this is exact; `i64::MAX` would
/// need an amount far above any an amount can hold.
pub fn of(money: Money) -> i64 {
    (money.amount() * Decimal::ONE_HUNDRED)
        .trunc()
        .to_i64()
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cents_are_hundredths() {
        assert_eq!(to_amount(1), Decimal::new(1, 2));
        assert_eq!(to_amount(12_345), "123.45".parse::<Decimal>().unwrap());
        assert_eq!(to_amount(-250), "-2.50".parse::<Decimal>().unwrap());
        let money = Money::parse("99.9".parse().unwrap()).unwrap();
        assert_eq!(of(money), 9_990);
    }

    proptest! {
        #[test]
        fn every_amount_goes_there_and_back(cents in 0_i64..=999_999_999_999) {
            let money = Money::parse(to_amount(cents)).unwrap();
            prop_assert_eq!(of(money), cents);
        }
    }
}
