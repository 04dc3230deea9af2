use domain::money::Money;
use domain::{FieldErrors, Invalid};
use ports::InfraError;

/// Every way a finance use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum FinanceError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// A withdrawal larger than the balance; nothing changed.
    #[error("the balance is {balance}, {requested} asked for")]
    InsufficientFunds { balance: Money, requested: Money },
    /// A top-up that would take the balance past the largest one stored; nothing changed.
    #[error("the balance would exceed the largest one a wallet holds")]
    BalanceLimit,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl FinanceError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}
