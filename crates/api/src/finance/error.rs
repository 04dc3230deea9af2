//! From the finance use-case errors to problems.

use app::finance::FinanceError;
use serde_json::json;

use crate::problem::{ApiError, ProblemCode};

impl From<FinanceError> for ApiError {
    fn from(error: FinanceError) -> Self {
        match error {
            FinanceError::Invalid(fields) => ApiError::invalid_fields(fields),
            FinanceError::InsufficientFunds { balance, requested } => ApiError::new(
                ProblemCode::InsufficientFunds,
                format!("The wallet holds {balance}; {requested} cannot be taken from it."),
            )
            .with_extension("balance", json!(balance.to_string())),
            FinanceError::BalanceLimit => ApiError::new(
                ProblemCode::Conflict,
                "The wallet would hold more than a wallet can; nothing was credited.",
            ),
            FinanceError::Infra(error) => error.into(),
        }
    }
}
