//! Readiness: can this replica serve requests that need its dependencies?

use std::sync::Arc;
use std::time::{Duration, Instant};

use ports::health::DependencyProbe;

/// The outcome of one probe.
#[derive(Debug, Clone)]
pub struct DependencyStatus {
    pub name: &'static str,
    pub healthy: bool,
    /// Why the probe failed; `None` when it succeeded.
    pub error: Option<String>,
    pub latency: Duration,
}

#[derive(Debug, Clone)]
pub struct ReadinessReport {
    pub dependencies: Vec<DependencyStatus>,
}

impl ReadinessReport {
    pub fn is_ready(&self) -> bool {
        self.dependencies.iter().all(|d| d.healthy)
    }
}

/// Runs every probe at once, each bounded by `timeout` so a hung dependency cannot hang the
/// caller (a load balancer's health check has a deadline of its own).
#[derive(Clone)]
pub struct Readiness {
    probes: Vec<Arc<dyn DependencyProbe>>,
    timeout: Duration,
}

impl Readiness {
    pub fn new(probes: Vec<Arc<dyn DependencyProbe>>, timeout: Duration) -> Self {
        Self { probes, timeout }
    }

    pub async fn check(&self) -> ReadinessReport {
        let checks = self.probes.iter().map(|probe| async move {
            let started = Instant::now();
            let outcome = tokio::time::timeout(self.timeout, probe.check()).await;
            let error = match outcome {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(format!("{e:#}")),
                Err(_) => Some(format!("no answer within {} ms", self.timeout.as_millis())),
            };
            if let Some(error) = &error {
                tracing::warn!(dependency = probe.name(), %error, "dependency not ready");
            }
            DependencyStatus {
                name: probe.name(),
                healthy: error.is_none(),
                error,
                latency: started.elapsed(),
            }
        });
        ReadinessReport {
            dependencies: futures::future::join_all(checks).await,
        }
    }
}
