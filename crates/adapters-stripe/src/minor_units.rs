//! Amounts in a currency's minor units, as Stripe takes them: `12.34` CNY is `1234`.
//!
//! [`Money`] has at most two decimal places, so the conversion is exact for currencies with
//! two; currencies that Stripe counts in whole units (JPY ...) or in thousandths (KWD ...)
//! would change the amount a hundredfold or lose precision, and are refused.

use domain::money::Money;
use ports::finance::provider::ProviderError;

/// Stripe's zero-decimal currencies, its three-decimal ones, and ISK (zero-decimal, sent
/// with two and divisible by 100).
const NOT_TWO_DECIMALS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
    "XAF", "XOF", "XPF", "BHD", "JOD", "KWD", "OMR", "TND", "ISK",
];

/// The ISO 4217 code upper-cased, when it is three ASCII letters with two decimal places.
pub fn currency_code(currency: &str) -> Result<String, ProviderError> {
    let code = currency.to_ascii_uppercase();
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ProviderError::Unknown(anyhow::anyhow!(
            "{currency:?} is not an ISO 4217 currency code"
        )));
    }
    if NOT_TWO_DECIMALS.contains(&code.as_str()) {
        return Err(ProviderError::UnsupportedCurrency(code));
    }
    Ok(code)
}

/// The amount in minor units and the currency in Stripe's spelling (lower case).
pub fn minor_units(amount: Money, currency: &str) -> Result<(i64, String), ProviderError> {
    let code = currency_code(currency)?;
    Ok((amount.cents(), code.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn two_decimal_currencies_convert_exactly_and_others_are_refused() {
        let amount = Money::parse(Decimal::new(1234, 2)).unwrap();
        assert_eq!(
            minor_units(amount, "CNY").unwrap(),
            (1234, "cny".to_owned())
        );
        assert_eq!(
            minor_units(amount, "eur").unwrap(),
            (1234, "eur".to_owned())
        );
        assert_eq!(
            minor_units(
                Money::parse(Decimal::new(999_999_999_999, 2)).unwrap(),
                "USD"
            )
            .unwrap()
            .0,
            999_999_999_999
        );
        assert!(matches!(
            minor_units(amount, "JPY"),
            Err(ProviderError::UnsupportedCurrency(code)) if code == "JPY"
        ));
        assert!(matches!(
            minor_units(amount, "kwd"),
            Err(ProviderError::UnsupportedCurrency(_))
        ));
        assert!(matches!(
            minor_units(amount, "C1Y"),
            Err(ProviderError::Unknown(_))
        ));
    }
}
