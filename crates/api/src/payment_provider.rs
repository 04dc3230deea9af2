//! The payment provider the configuration names: a Stripe-compatible one when
//! `ATELIER_STRIPE_SECRET_KEY` is set, none otherwise (payments through a provider are off).

use std::sync::Arc;

use adapters_stripe::{StripeProvider, StripeSettings};
use anyhow::Context;
use ports::finance::provider::PaymentProvider;

use crate::config::Config;

/// The header a webhook request of the provider is signed in.
pub const SIGNATURE_HEADER: &str = adapters_stripe::webhook::SIGNATURE_HEADER;

pub fn provider(config: &Config) -> anyhow::Result<Option<Arc<dyn PaymentProvider>>> {
    let Some(secret_key) = &config.stripe_secret_key else {
        return Ok(None);
    };
    let webhook_secret = config
        .stripe_webhook_secret
        .as_deref()
        .context("ATELIER_STRIPE_SECRET_KEY needs ATELIER_STRIPE_WEBHOOK_SECRET")?;
    let provider = StripeProvider::new(StripeSettings::new(
        &config.stripe_api_base,
        secret_key,
        webhook_secret,
    ))?;
    Ok(Some(Arc::new(provider)))
}
