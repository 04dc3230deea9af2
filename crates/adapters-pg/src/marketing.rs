//! Marketing: campaigns, coupons, and redemptions.
//!
//! [`redeem_in`] and [`release_in`] work inside a transaction the caller holds, so checkout
//! (and cancelling or expiring an order) take or give back a coupon's use in the same
//! transaction as the rest of the order; [`PgCouponRepository`] also offers them in a
//! transaction of their own.

mod campaigns;
mod coupons;
mod redemptions;

pub use campaigns::PgCampaignRepository;
pub use coupons::PgCouponRepository;
pub use redemptions::{RedeemError, redeem_in, release_in};
