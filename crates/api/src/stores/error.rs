//! From the stores use-case errors to problems.

use app::stores::StoresError;

use crate::problem::{ApiError, ProblemCode};

impl From<StoresError> for ApiError {
    fn from(error: StoresError) -> Self {
        match error {
            StoresError::Invalid(fields) => ApiError::invalid_fields(fields),
            StoresError::MayNotOpen(why) => {
                ApiError::new(ProblemCode::Forbidden, format!("Not allowed: {why}."))
            }
            StoresError::NotManager => ApiError::new(
                ProblemCode::Forbidden,
                "Only the store's owner or staff with stores:manage may do this.",
            ),
            StoresError::StoreNotFound => ApiError::not_found("There is no such store."),
            StoresError::CodeTaken => {
                ApiError::new(ProblemCode::StoreCodeTaken, "A store has this code.")
            }
            StoresError::StoreClosed => ApiError::new(
                ProblemCode::StoreClosed,
                "The store is closed: its stock does not change until it is reopened.",
            ),
            StoresError::ProductNotFound => ApiError::not_found("There is no such product."),
            StoresError::NotListed => ApiError::not_found(
                "The store does not stock this product; receive stock or set a price first.",
            ),
            StoresError::AlreadyListed => ApiError::new(
                ProblemCode::AlreadyListed,
                "The store lists this product already: receive stock or set its price instead.",
            ),
            StoresError::Catalog(error) => error.into(),
            StoresError::InsufficientStock {
                available,
                requested,
            } => ApiError::new(
                ProblemCode::InsufficientStock,
                format!(
                    "Only {available} can be taken away ({requested} asked for): the rest is \
                     held by orders or not there."
                ),
            ),
            StoresError::Infra(error) => error.into(),
        }
    }
}
