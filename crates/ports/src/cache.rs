//! A shared cache of read results, invalidated by scope.
//!
//! Entries are stored under a *version*: the current generations of the scopes their data
//! depends on (`catalog`, `settings`). A write bumps its scope's generation, after which every
//! entry made before it is out of reach at once, whatever its key; stale entries just expire.
//! A reader puts what it loaded under the version it saw *before* loading, so a value read
//! from the database while a write commits can never be stored as current.

use std::time::Duration;

use async_trait::async_trait;

use crate::InfraError;

/// What a lookup found, and the version to put a freshly loaded value under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheLookup {
    pub version: String,
    pub value: Option<Vec<u8>>,
}

#[async_trait]
pub trait Cache: Send + Sync {
    /// The entry `key` of the current version of `scopes`.
    async fn get(&self, scopes: &[&str], key: &str) -> Result<CacheLookup, InfraError>;

    /// Stores `value` as the entry `key` of `version`, for `ttl`.
    async fn put(
        &self,
        version: &str,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), InfraError>;

    /// Makes every entry that depends on `scope` unreachable.
    async fn invalidate(&self, scope: &str) -> Result<(), InfraError>;
}
