//! Where files (product images ...) are kept: a media store holds bytes under keys and knows
//! the public URL of each. Its failures are infrastructure's: `InfraError::Unavailable` when
//! the store cannot be reached now, `InfraError::Unknown` otherwise.

use async_trait::async_trait;
use domain::media::MediaKey;

use crate::InfraError;

/// How a stored file is served: for ever, as what it is (keys are never reused).
pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Stores `bytes` under `key`, served as `content_type`. Atomic: until it returns `Ok`,
    /// nothing is served under the key, and a failed call leaves nothing behind.
    async fn put(
        &self,
        key: &MediaKey,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), InfraError>;

    /// Removes the file under `key`; removing what is not there succeeds.
    async fn delete(&self, key: &MediaKey) -> Result<(), InfraError>;

    /// The URL the file under `key` is served at (absolute, or absolute-path relative to the
    /// API's origin).
    fn url(&self, key: &MediaKey) -> String;
}
