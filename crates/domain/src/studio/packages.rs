//! Packages (套系): what a package product includes. The product (its name, price, stock per
//! store) is the catalogue's; its order is a checkout order paid in parts, the deposit (订金)
//! at booking and the balance (尾款) at pickup.

use crate::Invalid;
use crate::money::Money;

/// What a package includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackageTerms {
    /// How long its shoot takes: 1 to 960 minutes.
    pub shoot_minutes: i32,
    /// Outfits and make-ups (造型).
    pub looks: i32,
    /// Retouched photos included: the customer may select this many at no extra cost.
    pub retouched_photos: i32,
    pub prints: i32,
    pub albums: i32,
    /// What each selected photo beyond the allowance costs.
    pub extra_photo_price: Money,
    /// What is paid at booking.
    pub deposit: Money,
}

/// A count a package includes: 0 to 10,000.
pub fn parse_count(raw: i64) -> Result<i32, Invalid> {
    i32::try_from(raw)
        .ok()
        .filter(|n| (0..=10_000).contains(n))
        .ok_or_else(|| Invalid::new("must be between 0 and 10000"))
}

/// A shoot's length: 1 to 960 minutes (16 hours, the longest shoot).
pub fn parse_shoot_minutes(raw: i64) -> Result<i32, Invalid> {
    i32::try_from(raw)
        .ok()
        .filter(|n| (1..=960).contains(n))
        .ok_or_else(|| Invalid::new("must be between 1 and 960"))
}

/// The deposit may not exceed the package's price.
pub fn check_deposit(deposit: Money, price: Money) -> Result<(), Invalid> {
    if deposit > price {
        Err(Invalid::new(format!(
            "must not exceed the package's price ({price})"
        )))
    } else {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    /// The catalogue's list price.
    pub list_price: Money,
    pub terms: PackageTerms,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn counts_and_lengths_are_bounded() {
        assert_eq!(parse_count(0), Ok(0));
        assert!(parse_count(-1).is_err());
        assert!(parse_count(10_001).is_err());
        assert_eq!(parse_shoot_minutes(120), Ok(120));
        assert!(parse_shoot_minutes(0).is_err());
        assert!(parse_shoot_minutes(961).is_err());
    }

    #[test]
    fn the_deposit_is_at_most_the_price() {
        let money = |cents| Money::parse(Decimal::new(cents, 2)).unwrap();
        assert!(check_deposit(money(50_000), money(299_900)).is_ok());
        assert!(check_deposit(money(299_900), money(299_900)).is_ok());
        assert!(check_deposit(money(300_000), money(299_900)).is_err());
    }
}
