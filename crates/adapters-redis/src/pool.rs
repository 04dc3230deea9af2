use std::time::Duration;

use deadpool_redis::{Config, PoolConfig, Runtime, Timeouts};

pub type RedisPool = deadpool_redis::Pool;

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: usize,
    /// Longest wait for a connection: for a free slot, to connect, or to check an idle one.
    pub timeout: Duration,
}

/// Builds a pool without connecting, so the server starts while Redis is still down.
pub fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<RedisPool> {
    let mut config = Config::from_url(url);
    config.pool = Some(PoolConfig {
        max_size: settings.max_size,
        timeouts: Timeouts {
            wait: Some(settings.timeout),
            create: Some(settings.timeout),
            recycle: Some(settings.timeout),
        },
        ..PoolConfig::default()
    });
    Ok(config.create_pool(Some(Runtime::Tokio1))?)
}
