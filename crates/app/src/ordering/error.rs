use domain::ordering::checkout::UnavailableItem;
use domain::ordering::order::IllegalTransition;
use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::ordering::{CartError, StatusChangeError};

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
    /// Checkout could not have these items; nothing was changed.
    #[error("{} items cannot be ordered", .0.len())]
    Unavailable(Vec<UnavailableItem>),
    /// No such order, or not one the caller may see.
    #[error("no such order")]
    OrderNotFound,
    #[error("no such store")]
    StoreNotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    IllegalTransition(#[from] IllegalTransition),
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

impl From<StatusChangeError> for OrderingError {
    fn from(error: StatusChangeError) -> Self {
        match error {
            StatusChangeError::NotFound => Self::OrderNotFound,
            StatusChangeError::Illegal(illegal) => Self::IllegalTransition(illegal),
            StatusChangeError::Infra(e) => Self::Infra(e),
        }
    }
}
