use async_trait::async_trait;
use deadpool_redis::redis;
use ports::health::DependencyProbe;

use crate::RedisPool;

/// Ready when a pooled connection answers `PING`.
pub struct RedisProbe {
    pool: RedisPool,
}

impl RedisProbe {
    pub fn new(pool: RedisPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DependencyProbe for RedisProbe {
    fn name(&self) -> &'static str {
        "redis"
    }

    async fn check(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await?;
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}
