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

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new("postgres://db".to_owned(), "redis://r".to_owned())
    }

    #[test]
    fn a_provider_is_configured_by_its_secret_key_and_needs_the_webhook_secret() {
        assert!(provider(&config()).unwrap().is_none());
        let mut with_key = config();
        with_key.stripe_secret_key = Some("sk_test_1".to_owned());
        let error = provider(&with_key).err().unwrap();
        assert!(
            error.to_string().contains("ATELIER_STRIPE_WEBHOOK_SECRET"),
            "{error}"
        );
        with_key.stripe_webhook_secret = Some("whsec_1".to_owned());
        assert!(provider(&with_key).unwrap().is_some());
    }
}
