//! Payments of orders: each from the buyer's wallet (settled at once) or through the outside
//! payment provider (pending until its signed webhook says the buyer paid).

use chrono::{DateTime, Utc};

use crate::money::Money;
use crate::ordering::order::OrderId;

pub type PaymentId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentMethod {
    Wallet,
    Provider,
}

impl PaymentMethod {
    pub const ALL: &[PaymentMethod] = &[Self::Wallet, Self::Provider];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wallet => "wallet",
            Self::Provider => "provider",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, crate::Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|m| m.as_str() == raw)
            .ok_or_else(|| crate::Invalid::new("must be `wallet` or `provider`"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    /// Waiting for the provider to say the buyer paid.
    Pending,
    Succeeded,
    /// The provider's session ended unpaid.
    Failed,
    /// Given back when its order was cancelled.
    Refunded,
}

impl PaymentStatus {
    pub const ALL: &[PaymentStatus] =
        &[Self::Pending, Self::Succeeded, Self::Failed, Self::Refunded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub order_id: OrderId,
    pub payer_id: i64,
    pub method: PaymentMethod,
    pub status: PaymentStatus,
    pub amount: Money,
    pub currency: String,
    pub refunded_amount: Money,
    /// Where the buyer pays, for a provider payment still pending.
    pub checkout_url: Option<String>,
    pub provider_session_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// How much a payment is for: what the buyer names, or everything still owed. Refused when
/// nothing is owed or more is offered than is owed (checked again under the order's lock by
/// `ordering::order::apply_payment`).
pub fn amount_to_pay(owed: Money, asked: Option<Money>) -> Result<Money, crate::Invalid> {
    let amount = asked.unwrap_or(owed);
    if amount == Money::ZERO {
        return Err(crate::Invalid::new(if owed == Money::ZERO {
            "nothing is owed"
        } else {
            "must be more than zero"
        }));
    }
    if amount > owed {
        return Err(crate::Invalid::new(format!(
            "must be at most what is owed, {owed}"
        )));
    }
    Ok(amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cents(n: i64) -> Money {
        Money::from_cents(n).unwrap()
    }

    #[test]
    fn a_payment_is_for_what_is_owed_unless_less_is_named() {
        assert_eq!(amount_to_pay(cents(500), None), Ok(cents(500)));
        assert_eq!(amount_to_pay(cents(500), Some(cents(200))), Ok(cents(200)));
        assert!(amount_to_pay(cents(500), Some(cents(501))).is_err());
        assert!(amount_to_pay(cents(500), Some(Money::ZERO)).is_err());
        assert!(amount_to_pay(Money::ZERO, None).is_err());
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(method.as_str()), Ok(*method));
        }
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(*status));
        }
    }
}
