//! Storage for marketing: campaigns, coupons and their redemptions.

use async_trait::async_trait;
use domain::identity::user::UserId;
use domain::marketing::campaign::{Campaign, CampaignId, CampaignTerms};
use domain::marketing::coupon::{Coupon, CouponCode, CouponId, CouponTerms};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};

use crate::InfraError;

/// Which campaigns a list holds.
#[derive(Debug, Clone, Default)]
pub struct CampaignFilter {
    pub active: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignStoreError {
    #[error("no such campaign")]
    NotFound,
    /// Coupons belong to it.
    #[error("coupons belong to the campaign")]
    InUse,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait CampaignRepository: Send + Sync {
    async fn create(&self, terms: &CampaignTerms) -> Result<Campaign, InfraError>;

    async fn find(&self, id: CampaignId) -> Result<Option<Campaign>, InfraError>;

    /// A page of campaigns, newest first, after `page.after`.
    async fn list(
        &self,
        filter: &CampaignFilter,
        page: &PageRequest<CampaignId>,
    ) -> Result<Page<Campaign>, InfraError>;

    /// Replaces the campaign's terms.
    async fn update(
        &self,
        id: CampaignId,
        terms: &CampaignTerms,
    ) -> Result<Campaign, CampaignStoreError>;

    /// Deletes the campaign, unless a coupon belongs to it (`InUse`).
    async fn delete(&self, id: CampaignId) -> Result<(), CampaignStoreError>;
}

/// Which coupons a list holds.
#[derive(Debug, Clone, Default)]
pub struct CouponFilter {
    pub campaign_id: Option<CampaignId>,
    pub active: Option<bool>,
}

/// A coupon with its campaign, if it has one: what evaluating it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponWithCampaign {
    pub coupon: Coupon,
    pub campaign: Option<Campaign>,
}

#[derive(Debug, thiserror::Error)]
pub enum CouponStoreError {
    #[error("no such coupon")]
    NotFound,
    /// Another coupon has this code, ignoring case.
    #[error("a coupon has this code")]
    CodeTaken,
    #[error("no such campaign")]
    UnknownCampaign,
    #[error("no such store")]
    UnknownStore,
    /// The usage limit would be below the uses so far.
    #[error("the usage limit is below the uses so far")]
    LimitBelowUses,
    /// It has been redeemed: it stays, as the history of its orders.
    #[error("the coupon has been redeemed")]
    InUse,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// A use of a coupon by a customer on an order, with what it took off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redemption {
    pub coupon_id: CouponId,
    pub user_id: UserId,
    pub order_id: i64,
    pub discount: Money,
}

/// Why a redemption was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum RedemptionError {
    /// Every use is taken.
    #[error("the coupon has no uses left")]
    Exhausted,
    /// It was switched off (or deleted) since it was read.
    #[error("the coupon is not active")]
    Inactive,
    #[error("the customer has used the coupon as often as one customer may")]
    CustomerLimitReached,
    /// The order has a coupon already.
    #[error("the order has a coupon already")]
    OrderHasCoupon,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait CouponRepository: Send + Sync {
    async fn create(&self, terms: &CouponTerms) -> Result<Coupon, CouponStoreError>;

    async fn find(&self, id: CouponId) -> Result<Option<Coupon>, InfraError>;

    /// The coupon of `code` (ignoring case), with its campaign.
    async fn find_by_code(
        &self,
        code: &CouponCode,
    ) -> Result<Option<CouponWithCampaign>, InfraError>;

    /// A page of coupons, newest first, after `page.after`.
    async fn list(
        &self,
        filter: &CouponFilter,
        page: &PageRequest<CouponId>,
    ) -> Result<Page<Coupon>, InfraError>;

    /// Replaces the coupon's terms (its uses stay).
    async fn update(&self, id: CouponId, terms: &CouponTerms) -> Result<Coupon, CouponStoreError>;

    /// Deletes a coupon that was never redeemed (`InUse` otherwise).
    async fn delete(&self, id: CouponId) -> Result<(), CouponStoreError>;

    /// How many uses of the coupon the customer holds now.
    async fn customer_uses(&self, coupon: CouponId, user: UserId) -> Result<i64, InfraError>;

    /// Records the redemption and takes a use, in one transaction that settles concurrent
    /// redemptions: no more than the limits allow ever succeed. Checkout does the same inside
    /// its own transaction.
    async fn redeem(&self, redemption: &Redemption) -> Result<(), RedemptionError>;

    /// Gives the use of the order's redemption back (its order was cancelled or expired
    /// unpaid); `false` when the order had none.
    async fn release(&self, order_id: i64) -> Result<bool, InfraError>;
}
