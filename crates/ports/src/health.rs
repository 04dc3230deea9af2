//! Readiness probes: one per service the system cannot work without.

use async_trait::async_trait;

#[async_trait]
pub trait DependencyProbe: Send + Sync {
    /// A short, stable name shown in the readiness report (`postgres`, `redis`).
    fn name(&self) -> &'static str;

    /// Succeeds when the service answers a trivial request.
    async fn check(&self) -> anyhow::Result<()>;
}
