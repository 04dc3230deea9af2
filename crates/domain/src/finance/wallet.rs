//! A person's wallet: a balance that only ledger rows change, never below zero.

use rust_decimal::Decimal;

use super::ledger::Amount;
use crate::Invalid;
use crate::money::Money;

/// The most one top-up or withdrawal may move.
pub fn max_operation() -> Money {
    Money::parse(Decimal::new(10_000_000, 2)).unwrap_or(Money::ZERO)
}

/// The amount of a top-up or withdrawal as typed: more than zero, two places at most, at most
/// [`max_operation`].
pub fn parse_operation_amount(raw: Decimal) -> Result<Amount, Invalid> {
    let amount = Amount::parse(raw)?;
    let max = max_operation();
    if amount.money() > max {
        return Err(Invalid::new(format!("must be at most {max}")));
    }
    Ok(amount)
}

/// A note on a top-up or withdrawal: optional, at most 500 characters, trimmed.
pub fn parse_note(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 500)
}

/// Why a change of a balance is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WalletRuleViolation {
    /// A debit larger than the balance.
    #[error("the balance is {balance}, {requested} asked for")]
    InsufficientFunds { balance: Money, requested: Money },
    /// A credit that would take the balance past what can be stored.
    #[error("the balance would exceed {}", Money::max())]
    BalanceLimit,
}

/// The balance after `change` (signed: + credits, − debits).
pub fn apply(balance: Money, change: Decimal) -> Result<Money, WalletRuleViolation> {
    let after = balance.amount() + change;
    if after.is_sign_negative() && !after.is_zero() {
        return Err(WalletRuleViolation::InsufficientFunds {
            balance,
            requested: Money::parse(-change).unwrap_or(Money::ZERO),
        });
    }
    Money::parse(after).map_err(|_| WalletRuleViolation::BalanceLimit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::ledger::{EntryKind, NewLedgerEntry};
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn money(text: &str) -> Money {
        Money::parse(dec(text)).unwrap()
    }

    #[test]
    fn a_debit_never_takes_a_balance_below_zero() {
        assert_eq!(apply(money("10"), dec("-10")), Ok(Money::ZERO));
        assert_eq!(
            apply(money("10"), dec("-10.01")),
            Err(WalletRuleViolation::InsufficientFunds {
                balance: money("10"),
                requested: money("10.01")
            })
        );
        assert_eq!(apply(Money::ZERO, dec("0.01")), Ok(money("0.01")));
        assert_eq!(
            apply(money("9999999999.99"), dec("0.01")),
            Err(WalletRuleViolation::BalanceLimit)
        );
    }

    #[test]
    fn operation_amounts_are_bounded() {
        assert!(parse_operation_amount(dec("0")).is_err());
        assert!(parse_operation_amount(dec("-5")).is_err());
        assert!(parse_operation_amount(dec("1.234")).is_err());
        assert!(parse_operation_amount(dec("100000.00")).is_ok());
        let too_much = parse_operation_amount(dec("100000.01")).unwrap_err();
        assert_eq!(too_much.reason(), "must be at most 100000.00");
        assert!(parse_note(&"x".repeat(501)).is_err());
    }

    proptest! {
        /// Whatever top-ups and withdrawals are tried, the refused ones write nothing, the
        /// balance never goes below zero, and it always equals the sum of the rows written.
        #[test]
        fn the_balance_is_the_sum_of_the_rows_and_never_negative(
            steps in proptest::collection::vec((any::<bool>(), 0i64..5_000_000), 0..80)
        ) {
            let mut balance = Money::ZERO;
            let mut rows: Vec<Decimal> = Vec::new();
            for (credit, cents) in steps {
                let Ok(amount) = parse_operation_amount(Decimal::new(cents, 2)) else {
                    prop_assert!(cents == 0 || cents > 10_000_000);
                    continue;
                };
                let kind = if credit { EntryKind::TopUp } else { EntryKind::Withdrawal };
                let entry = NewLedgerEntry::wallet(kind, 1, amount, "CNY");
                match apply(balance, entry.signed_amount()) {
                    Ok(after) => {
                        rows.push(entry.signed_amount());
                        balance = after;
                    }
                    Err(WalletRuleViolation::InsufficientFunds { balance: was, requested }) => {
                        prop_assert!(!credit);
                        prop_assert!(requested > was);
                    }
                    Err(WalletRuleViolation::BalanceLimit) => prop_assert!(credit),
                }
                prop_assert!(!balance.amount().is_sign_negative() || balance.amount().is_zero());
                prop_assert_eq!(balance.amount(), rows.iter().sum::<Decimal>());
            }
        }
    }
}
