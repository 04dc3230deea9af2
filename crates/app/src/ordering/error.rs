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
    /// The coupon does not apply (found so before checkout's transaction).
    #[error(transparent)]
    Coupon(crate::marketing::MarketingError),
    /// The coupon stopped applying inside checkout's transaction.
    /// (With the currency its amounts are in.)
    #[error("{0}")]
    CouponRejected(domain::marketing::coupon::CouponRejection, String),
    /// Not waiting for payment, or its reservation ran out with nothing paid.
    #[error("an order that is {0} cannot be paid")]
    NotPayable(domain::ordering::order::OrderStatus),
    #[error("the wallet holds too little")]
    InsufficientFunds,
    /// The store owner's wallet no longer holds what the order paid them.
    #[error("the store owner's wallet does not cover the refund")]
    RefundNotCovered,
    /// No payment provider is configured.
    #[error("payments through a provider are not set up")]
    ProviderNotConfigured,
    #[error(transparent)]
    Provider(ports::finance::provider::ProviderError),
    #[error(transparent)]
    WebhookRejected(ports::finance::provider::WebhookRejection),
    #[error("the event was taken already")]
    EventReplayed,
    #[error("no payment has this checkout session")]
    UnknownCheckoutSession,
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
            StatusChangeError::RefundNotCovered => Self::RefundNotCovered,
            StatusChangeError::Infra(e) => Self::Infra(e),
        }
    }
}
