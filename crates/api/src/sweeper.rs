//! The reservation sweeper: a background task in every server that expires unpaid orders
//! whose reservation has ended and lets their stock go, and asks the payment provider again for
//! refunds it could not take when they were due.
//!
//! Every replica runs one; they never expire an order twice because each claims its orders
//! with `FOR UPDATE SKIP LOCKED`. The sweeper only tidies up: an order past its reservation is
//! refused payment and shown expired whether or not the sweeper has been by.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use crate::config::Config;
use crate::state::AppState;

pub fn spawn(state: &AppState, config: &Config) -> Option<JoinHandle<()>> {
    if config.expiry_sweep_ms == 0 {
        return None;
    }
    let ordering = state.ordering.clone();
    let period = Duration::from_millis(config.expiry_sweep_ms);
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match ordering.expire_due().await {
                Ok(0) => {}
                Ok(expired) => tracing::info!(expired, "expired unpaid orders"),
                Err(error) => tracing::warn!(error = %error, "expiring unpaid orders failed"),
            }
            match ordering.retry_refunds().await {
                Ok(0) => {}
                Ok(tried) => tracing::info!(tried, "asked the provider again for pending refunds"),
                Err(error) => tracing::warn!(error = %error, "retrying pending refunds failed"),
            }
        }
    }))
}
