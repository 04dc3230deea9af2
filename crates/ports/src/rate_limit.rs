//! Counters of events per fixed window (see `domain::rate_limit`).

use async_trait::async_trait;
use chrono::TimeDelta;

use crate::InfraError;

#[async_trait]
pub trait RateCounter: Send + Sync {
    /// The events counted under `key` (which names the window).
    async fn count(&self, key: &str) -> Result<u32, InfraError>;

    /// Counts one more event under `key`, which is forgotten after `keep`; returns the count.
    async fn increment(&self, key: &str, keep: TimeDelta) -> Result<u32, InfraError>;

    /// Forgets the events under `key`.
    async fn clear(&self, key: &str) -> Result<(), InfraError>;
}
