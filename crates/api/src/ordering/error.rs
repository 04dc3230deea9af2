//! From the ordering use-case errors to problems.

use app::ordering::OrderingError;

use crate::problem::{ApiError, ProblemCode};

impl From<OrderingError> for ApiError {
    fn from(error: OrderingError) -> Self {
        match error {
            OrderingError::Invalid(fields) => ApiError::invalid_fields(fields),
            OrderingError::CartLineNotFound => ApiError::not_found("There is no such cart line."),
            OrderingError::CartFull(max) => ApiError::new(
                ProblemCode::CartFull,
                format!("A cart holds at most {max} lines; remove one first."),
            ),
            OrderingError::StoreClosed => {
                ApiError::new(ProblemCode::StoreClosed, "The store is closed.")
            }
            OrderingError::ProductArchived => ApiError::new(
                ProblemCode::ProductArchived,
                "The product is no longer sold.",
            ),
            OrderingError::NotStocked => ApiError::new(
                ProblemCode::NotStocked,
                "The store does not offer this product.",
            ),
            OrderingError::InsufficientStock {
                available,
                requested,
            } => ApiError::new(
                ProblemCode::InsufficientStock,
                format!("Only {available} available ({requested} asked for)."),
            ),
            OrderingError::Infra(error) => error.into(),
        }
    }
}
