use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::ordering::CartError;

/// Every way an ordering use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum OrderingError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("no such cart line")]
    CartLineNotFound,
    #[error("the cart is full")]
    CartFull(usize),
    #[error("the store is closed")]
    StoreClosed,
    #[error("the product is archived")]
    ProductArchived,
    #[error("the store does not stock the product")]
    NotStocked,
    #[error("{available} available, {requested} asked for")]
    InsufficientStock { available: i32, requested: i32 },
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl OrderingError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<CartError> for OrderingError {
    fn from(error: CartError) -> Self {
        match error {
            CartError::NotFound => Self::CartLineNotFound,
            CartError::LineTooLarge => Self::invalid(
                "quantity",
                Invalid::new(format!(
                    "would make the line hold more than {}",
                    domain::ordering::cart::MAX_LINE_QUANTITY
                )),
            ),
            CartError::Full => Self::CartFull(domain::ordering::cart::MAX_LINES),
            CartError::Infra(e) => Self::Infra(e),
        }
    }
}
