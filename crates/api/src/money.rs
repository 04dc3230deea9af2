//! Money in JSON: `{"amount": "29.90", "currency": "CNY"}`. The amount is a decimal string with
//! two places, so no client reads it through a float.

use domain::money::Money;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Money, example = json!({"amount": "29.90", "currency": "CNY"}))]
pub struct MoneyDto {
    /// A decimal string with two places.
    #[schema(example = "29.90")]
    pub amount: String,
    /// ISO 4217; the deployment's currency (the `currency` system setting).
    #[schema(example = "CNY")]
    pub currency: String,
}

impl MoneyDto {
    pub fn new(money: Money, currency: &str) -> Self {
        Self {
            amount: money.to_string(),
            currency: currency.to_owned(),
        }
    }
}
