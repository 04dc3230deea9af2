//! The read cache: `cache:gen:<scope>` holds a scope's generation (a counter that a write
//! bumps); an entry lives at `cache:entry:<key>@<versions>`, where `<versions>` are the
//! generations of the scopes it depends on, and expires with its TTL. A lookup reads the
//! generations and the entry in one script, one round trip.
//!
//! The cache is an optimisation: when Redis fails, callers read from the database. So that a
//! Redis that is down or slow does not cost every read a timeout, a failure makes this adapter
//! answer "miss" at once for a short while before it tries Redis again. (Under Redis Cluster
//! the keys of one script would need a common hash tag.)

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use deadpool_redis::redis::{self, AsyncCommands};
use ports::InfraError;
use ports::cache::{Cache, CacheLookup};

use crate::error::{from_pool, from_redis};
use crate::{Keyspace, RedisPool};

/// How long to leave Redis alone after it failed.
const BACK_OFF: Duration = Duration::from_secs(2);

const LOOKUP: &str = r"
local versions = {}
for i, key in ipairs(KEYS) do
    versions[i] = redis.call('GET', key) or '0'
end
local version = table.concat(versions, '.')
return {version, redis.call('GET', ARGV[1] .. ARGV[2] .. '@' .. version)}
";

pub struct RedisCache {
    pool: RedisPool,
    keys: Keyspace,
    lookup: redis::Script,
    started: Instant,
    /// Milliseconds since `started` before which Redis is not asked (0: ask).
    resting_until: Arc<AtomicU64>,
}

impl RedisCache {
    pub fn new(pool: RedisPool, keys: Keyspace) -> Self {
        Self {
            pool,
            keys,
            lookup: redis::Script::new(LOOKUP),
            started: Instant::now(),
            resting_until: Arc::new(AtomicU64::new(0)),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn resting(&self) -> bool {
        self.now_ms() < self.resting_until.load(Ordering::Relaxed)
    }

    fn unavailable() -> InfraError {
        InfraError::Unavailable {
            service: "Redis",
            source: anyhow::anyhow!("Redis failed a moment ago; the cache is resting"),
        }
    }

    /// Runs `op` unless Redis failed a moment ago; a failure starts a rest.
    async fn guarded<T>(
        &self,
        op: impl Future<Output = Result<T, InfraError>>,
    ) -> Result<T, InfraError> {
        if self.resting() {
            return Err(Self::unavailable());
        }
        let outcome = op.await;
        if let Err(InfraError::Unavailable { .. }) = &outcome {
            let until = self.now_ms() + u64::try_from(BACK_OFF.as_millis()).unwrap_or(0);
            self.resting_until.store(until, Ordering::Relaxed);
        }
        outcome
    }

    fn generation_key(&self, scope: &str) -> String {
        self.keys.key(&["cache", "gen", scope])
    }

    fn entry_prefix(&self) -> String {
        self.keys.key(&["cache", "entry", ""])
    }
}

#[async_trait]
impl Cache for RedisCache {
    async fn get(&self, scopes: &[&str], key: &str) -> Result<CacheLookup, InfraError> {
        self.guarded(async {
            let mut conn = self.pool.get().await.map_err(from_pool)?;
            let mut invocation = self.lookup.prepare_invoke();
            for scope in scopes {
                invocation.key(self.generation_key(scope));
            }
            invocation.arg(self.entry_prefix()).arg(key);
            let (version, value): (String, Option<Vec<u8>>) = invocation
                .invoke_async(&mut conn)
                .await
                .map_err(from_redis)?;
            Ok(CacheLookup { version, value })
        })
        .await
    }

    async fn put(
        &self,
        version: &str,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), InfraError> {
        self.guarded(async {
            let mut conn = self.pool.get().await.map_err(from_pool)?;
            let entry = format!("{}{key}@{version}", self.entry_prefix());
            let () = conn
                .set_ex(entry, value, ttl.as_secs().max(1))
                .await
                .map_err(from_redis)?;
            Ok(())
        })
        .await
    }

    async fn invalidate(&self, scope: &str) -> Result<(), InfraError> {
        // Never skipped: a write must reach Redis if Redis can be reached at all.
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let _: i64 = conn
            .incr(self.generation_key(scope), 1)
            .await
            .map_err(from_redis)?;
        Ok(())
    }
}
