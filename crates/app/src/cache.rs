//! Read-through caching for use cases, over the [`Cache`] port.
//!
//! The cache only ever saves work: a lookup or a store that fails is logged and the value is
//! loaded from the source, so reads keep working with the cache down. A value that does not
//! decode (written by another version of the program) counts as a miss.

use std::sync::Arc;
use std::time::Duration;

use ports::cache::Cache;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

#[derive(Clone)]
pub struct ReadCache {
    cache: Arc<dyn Cache>,
    ttl: Duration,
}

impl ReadCache {
    pub fn new(cache: Arc<dyn Cache>, ttl: Duration) -> Self {
        Self { cache, ttl }
    }

    /// The entry `key` of the current version of `scopes`, or else what `load` gives, kept
    /// for the next reader. With a TTL of zero the cache is off: every read loads.
    pub async fn read_through<T, E>(
        &self,
        scopes: &[&str],
        key: &str,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
    {
        if self.ttl.is_zero() {
            return load.await;
        }
        let lookup = match self.cache.get(scopes, key).await {
            Ok(lookup) => Some(lookup),
            Err(error) => {
                tracing::debug!(%error, key, "cache lookup failed; reading the source");
                None
            }
        };
        if let Some(bytes) = lookup.as_ref().and_then(|l| l.value.as_deref())
            && let Ok(value) = serde_json::from_slice(bytes)
        {
            return Ok(value);
        }
        let value = load.await?;
        if let Some(lookup) = lookup {
            match serde_json::to_vec(&value) {
                Ok(bytes) => {
                    if let Err(error) = self.cache.put(&lookup.version, key, &bytes, self.ttl).await
                    {
                        tracing::debug!(%error, key, "cache store failed");
                    }
                }
                Err(error) => tracing::warn!(%error, key, "a value did not encode for the cache"),
            }
        }
        Ok(value)
    }

    /// After a write: entries depending on `scope` are out of date. A failure is logged; the
    /// stale entries then live until their TTL ends.
    pub async fn invalidate(&self, scope: &str) {
        if let Err(error) = self.cache.invalidate(scope).await {
            tracing::warn!(%error, scope, "cache invalidation failed; stale entries expire with their TTL");
        }
    }
}

/// A short, fixed-length key for a request described by `parts` (a filter, a page).
pub fn digest(parts: &str) -> String {
    hex::encode(&Sha256::digest(parts.as_bytes())[..16])
}
