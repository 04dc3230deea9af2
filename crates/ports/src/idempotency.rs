//! Records of requests made with an `Idempotency-Key`, so a retried request gets the first
//! one's answer instead of running again.
//!
//! A record is first a claim (the request is running), then the stored response. Claiming is
//! atomic: of many requests with one key, exactly one gets [`Claim::Claimed`]. Each claim
//! carries a token of its own, and only the holder of the token may complete or release it,
//! so a request whose claim lapsed cannot overwrite the record of one that came after.

use std::time::Duration;

use async_trait::async_trait;

use crate::InfraError;

/// A response as it is replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free; it is now held by this request under the given token.
    Claimed { token: String },
    /// Another request with the key is running.
    Running { fingerprint: String },
    /// A request with the key has finished; this is its response.
    Done {
        fingerprint: String,
        response: StoredResponse,
    },
}

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for a request with `fingerprint`, held for `lease` at most, unless a record
    /// is there: then returns it.
    async fn claim(
        &self,
        key: &str,
        fingerprint: &str,
        lease: Duration,
    ) -> Result<Claim, InfraError>;

    /// Replaces the claim held under `token` with the response, kept for `ttl`. Does nothing
    /// when the claim is no longer this token's.
    async fn complete(
        &self,
        key: &str,
        token: &str,
        fingerprint: &str,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<(), InfraError>;

    /// Forgets the claim held under `token`, so the next request with the key runs.
    async fn release(&self, key: &str, token: &str) -> Result<(), InfraError>;
}
