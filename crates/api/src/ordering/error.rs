//! From the ordering use-case errors to problems.

use app::ordering::OrderingError;
use domain::ordering::checkout::{Unavailability, UnavailableItem};
use ports::finance::provider::{ProviderError, WebhookRejection};
use ports::tracking::TrackingError;
use serde_json::json;

use crate::problem::{ApiError, ProblemCode, sentence};

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
            OrderingError::Unavailable(items) => unavailable(items),
            OrderingError::OrderNotFound => ApiError::not_found("There is no such order."),
            OrderingError::StoreNotFound => ApiError::not_found("There is no such store."),
            OrderingError::Forbidden(why) => {
                ApiError::new(ProblemCode::Forbidden, format!("Not allowed: {why}."))
            }
            OrderingError::IllegalTransition(illegal) => {
                ApiError::new(ProblemCode::IllegalTransition, sentence(&illegal))
                    .with_extension("order_status", illegal.from.as_str().into())
            }
            OrderingError::Coupon(error) => error.into(),
            OrderingError::CouponRejected(rejection, currency) => {
                crate::marketing::error::rejection(rejection, &currency)
            }
            OrderingError::NotPayable(status) => ApiError::new(
                ProblemCode::OrderNotPayable,
                format!("An order that is {status} cannot be paid."),
            )
            .with_extension("order_status", status.as_str().into()),
            OrderingError::InsufficientFunds => ApiError::new(
                ProblemCode::InsufficientFunds,
                "Your wallet holds less than the payment; top it up first.",
            ),
            OrderingError::RefundNotCovered => ApiError::new(
                ProblemCode::RefundNotCovered,
                "The store owner's wallet no longer holds what the order paid them; \
                 the refund needs staff.",
            ),
            OrderingError::ProviderNotConfigured => ApiError::invalid_field(
                "method",
                "payments through a provider are not set up on this server",
            ),
            OrderingError::Provider(error) => provider_error(error),
            OrderingError::WebhookRejected(rejection) => match rejection {
                WebhookRejection::Malformed(why) => {
                    ApiError::bad_request(format!("The event cannot be read: {why}."))
                }
                other => ApiError::new(ProblemCode::InvalidSignature, sentence(&other)),
            },
            OrderingError::EventReplayed => {
                ApiError::new(ProblemCode::EventReplayed, "This event was taken already.")
            }
            OrderingError::UnknownCheckoutSession => ApiError::new(
                ProblemCode::UnknownCheckoutSession,
                "No payment has this checkout session.",
            ),
            OrderingError::NotShipped => ApiError::new(
                ProblemCode::NotShipped,
                "The order has not been shipped: there is no parcel to track.",
            ),
            OrderingError::TrackingNotConfigured => ApiError::new(
                ProblemCode::Conflict,
                "Parcel tracking is not set up on this server.",
            ),
            OrderingError::Tracking(error) => match error {
                TrackingError::NotFound { .. } => ApiError::not_found(sentence(&error)),
                TrackingError::Unavailable(cause) => {
                    ApiError::unavailable("The tracking service", cause)
                }
                other => ApiError::internal(anyhow::anyhow!("{other}")),
            },
            OrderingError::Infra(error) => error.into(),
        }
    }
}

/// Checkout's refusal: the code of the first item's issue, and every item under `items`.
fn unavailable(items: Vec<UnavailableItem>) -> ApiError {
    let code = match items.first().map(|item| item.reason) {
        Some(Unavailability::StoreClosed) => ProblemCode::StoreClosed,
        Some(Unavailability::ProductArchived) => ProblemCode::ProductArchived,
        Some(Unavailability::NotStocked) => ProblemCode::NotStocked,
        Some(Unavailability::Short { .. }) | None => ProblemCode::InsufficientStock,
    };
    let listed: Vec<_> = items
        .iter()
        .map(|item| {
            json!({
                "store": item.store_code,
                "product_id": item.product_id,
                "requested": item.requested,
                "available": item.reason.available(),
                "issue": item.reason.code(),
            })
        })
        .collect();
    let detail = match items.len() {
        1 => "1 item cannot be had; nothing was ordered.".to_owned(),
        n => format!("{n} items cannot be had; nothing was ordered."),
    };
    ApiError::new(code, detail).with_extension("items", listed.into())
}

fn provider_error(error: ProviderError) -> ApiError {
    match error {
        ProviderError::Declined { message } => ApiError::new(
            ProblemCode::PaymentDeclined,
            format!("The payment provider declined: {message}"),
        ),
        ProviderError::Unavailable(cause) => ApiError::unavailable("The payment provider", cause),
        ProviderError::UnsupportedCurrency(_) | ProviderError::Rejected { .. } => {
            ApiError::internal(anyhow::anyhow!("{error}"))
        }
        ProviderError::Unknown(cause) => ApiError::internal(cause),
    }
}
