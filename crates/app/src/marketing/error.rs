use domain::marketing::coupon::CouponRejection;
use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::marketing::{CampaignStoreError, CouponStoreError};

/// Every way a marketing use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum MarketingError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("no such campaign")]
    CampaignNotFound,
    /// Coupons belong to the campaign: it cannot be deleted.
    #[error("coupons belong to the campaign")]
    CampaignInUse,
    #[error("no such coupon")]
    CouponNotFound,
    /// Another coupon has the code, ignoring case.
    #[error("a coupon has this code")]
    CouponCodeTaken,
    /// The coupon has been redeemed: deactivate it instead of deleting it.
    #[error("the coupon has been redeemed")]
    CouponInUse,
    /// The code names no coupon.
    #[error("no coupon has this code")]
    CouponUnknown,
    /// Nothing in the cart can be bought now.
    #[error("the cart has nothing to buy")]
    CartEmpty,
    /// The coupon does not apply; `currency` is what the rejection's amounts are in.
    #[error("{rejection}")]
    Rejected {
        rejection: CouponRejection,
        currency: String,
    },
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl MarketingError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<CampaignStoreError> for MarketingError {
    fn from(error: CampaignStoreError) -> Self {
        match error {
            CampaignStoreError::NotFound => Self::CampaignNotFound,
            CampaignStoreError::InUse => Self::CampaignInUse,
            CampaignStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<CouponStoreError> for MarketingError {
    fn from(error: CouponStoreError) -> Self {
        match error {
            CouponStoreError::NotFound => Self::CouponNotFound,
            CouponStoreError::CodeTaken => Self::CouponCodeTaken,
            CouponStoreError::UnknownCampaign => {
                Self::invalid("campaign_id", Invalid::new("names no campaign"))
            }
            CouponStoreError::UnknownStore => {
                Self::invalid("store", Invalid::new("names no store"))
            }
            CouponStoreError::LimitBelowUses => Self::invalid(
                "usage_limit",
                Invalid::new("must not be below the uses so far"),
            ),
            CouponStoreError::InUse => Self::CouponInUse,
            CouponStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
