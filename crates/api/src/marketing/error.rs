//! From the marketing use-case errors to problems.

use app::marketing::MarketingError;
use domain::marketing::coupon::CouponRejection;

use crate::money::MoneyDto;
use crate::problem::{ApiError, ProblemCode};

pub(crate) fn rejection(rejection: CouponRejection, currency: &str) -> ApiError {
    let (code, detail) = match rejection {
        CouponRejection::Inactive => (
            ProblemCode::CouponInactive,
            "The coupon has been switched off.",
        ),
        CouponRejection::NotStarted => (
            ProblemCode::CouponNotStarted,
            "The coupon is not valid yet.",
        ),
        CouponRejection::Expired => (ProblemCode::CouponExpired, "The coupon has expired."),
        CouponRejection::CampaignInactive => (
            ProblemCode::CouponCampaignInactive,
            "The coupon's campaign is not running.",
        ),
        CouponRejection::BelowMinimum { minimum } => {
            return ApiError::new(
                ProblemCode::CouponBelowMinimum,
                format!("The coupon needs an order of at least {minimum} {currency}."),
            )
            .with_extension(
                "minimum",
                serde_json::to_value(MoneyDto::new(minimum, currency)).unwrap_or_default(),
            );
        }
        CouponRejection::Exhausted => (
            ProblemCode::CouponExhausted,
            "The coupon has been used as often as it may be.",
        ),
        CouponRejection::CustomerLimitReached => (
            ProblemCode::CouponCustomerLimitReached,
            "You have used this coupon as often as one customer may.",
        ),
        CouponRejection::WrongStore => (
            ProblemCode::CouponWrongStore,
            "The coupon is a store's own, and nothing of that store is being bought.",
        ),
    };
    ApiError::new(code, detail)
}

impl From<MarketingError> for ApiError {
    fn from(error: MarketingError) -> Self {
        match error {
            MarketingError::Invalid(fields) => ApiError::invalid_fields(fields),
            MarketingError::CampaignNotFound => ApiError::not_found("There is no such campaign."),
            MarketingError::CampaignInUse => ApiError::new(
                ProblemCode::CampaignInUse,
                "Coupons belong to the campaign; move or delete them first, or deactivate it.",
            ),
            MarketingError::CouponNotFound => ApiError::not_found("There is no such coupon."),
            MarketingError::CouponCodeTaken => ApiError::new(
                ProblemCode::CouponCodeTaken,
                "A coupon has this code (codes are compared ignoring case).",
            ),
            MarketingError::CouponInUse => ApiError::new(
                ProblemCode::CouponInUse,
                "The coupon has been redeemed and stays with its orders; deactivate it instead.",
            ),
            MarketingError::CouponUnknown => {
                ApiError::new(ProblemCode::CouponUnknown, "No coupon has this code.")
            }
            MarketingError::CartEmpty => ApiError::new(
                ProblemCode::CartEmpty,
                "The cart has nothing that can be bought now.",
            ),
            MarketingError::Rejected {
                rejection: why,
                currency,
            } => rejection(why, &currency),
            MarketingError::Infra(error) => error.into(),
        }
    }
}
