//! Marketing: campaigns and coupons (staff with `marketing:manage`), and checking a code
//! against a cart (anyone signed in).
//!
//! Whether a coupon applies is decided by `domain::marketing::coupon::evaluate` alone, in
//! [`Marketing::apply_coupon`], which validation and checkout share; taking a use happens at
//! checkout, in its transaction (`adapters_pg::marketing::redeem_in`), where the database
//! settles concurrent redemptions.

mod campaigns;
mod coupons;
mod error;
mod validation;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ports::InfraError;
use ports::clock::Clock;
use ports::marketing::{CampaignRepository, CouponRepository};
use ports::ordering::CartRepository;
use ports::stores::StoreRepository;

use crate::backoffice::settings::SettingsService;
use crate::catalog::Priced;

pub use campaigns::{CampaignInput, CampaignPatch};
pub use coupons::{CouponInput, CouponPatch};
pub use error::MarketingError;
pub use validation::{AppliedCoupon, CartCoupon};

#[derive(Clone)]
pub struct MarketingPorts {
    pub campaigns: Arc<dyn CampaignRepository>,
    pub coupons: Arc<dyn CouponRepository>,
    /// For validating a code against the caller's cart.
    pub cart: Arc<dyn CartRepository>,
    /// For a store's own coupons, named by the store's code.
    pub stores: Arc<dyn StoreRepository>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Marketing {
    ports: MarketingPorts,
    settings: SettingsService,
}

impl Marketing {
    pub fn new(ports: MarketingPorts, settings: SettingsService) -> Self {
        Self { ports, settings }
    }

    async fn currency(&self) -> Result<String, InfraError> {
        self.settings.value("currency").await
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, MarketingError> {
        Ok(Priced {
            item,
            currency: self.currency().await?,
        })
    }

    /// Now, and today's date in the deployment's time zone (campaign days are counted in it).
    async fn now_and_today(&self) -> Result<(DateTime<Utc>, NaiveDate), InfraError> {
        let now = self.ports.clock.now();
        let zone = self.settings.time_zone().await?;
        Ok((now, now.with_timezone(&zone.tz()).date_naive()))
    }
}
