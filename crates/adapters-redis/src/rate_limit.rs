use async_trait::async_trait;
use chrono::TimeDelta;
use deadpool_redis::redis::{self, AsyncCommands};
use ports::InfraError;
use ports::rate_limit::RateCounter;

use crate::error::{from_pool, from_redis};
use crate::{Keyspace, RedisPool};

/// Counters as plain Redis integers that expire on their own.
pub struct RedisRateCounter {
    pool: RedisPool,
    keys: Keyspace,
}

impl RedisRateCounter {
    pub fn new(pool: RedisPool, keys: Keyspace) -> Self {
        Self { pool, keys }
    }
}

#[async_trait]
impl RateCounter for RedisRateCounter {
    async fn count(&self, key: &str) -> Result<u32, InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let count: Option<u32> = conn.get(self.keys.key(&[key])).await.map_err(from_redis)?;
        Ok(count.unwrap_or(0))
    }

    async fn increment(&self, key: &str, keep: TimeDelta) -> Result<u32, InfraError> {
        let key = self.keys.key(&[key]);
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let (count,): (u32,) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(keep.num_milliseconds().max(1))
            .arg("NX")
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(count)
    }

    async fn clear(&self, key: &str) -> Result<(), InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let _: () = conn.del(self.keys.key(&[key])).await.map_err(from_redis)?;
        Ok(())
    }
}
