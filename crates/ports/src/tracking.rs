//! Where a shipped parcel is: an outside tracking service asked by carrier and tracking number.

use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    /// The service does not know this parcel (it answered 404).
    #[error("the tracking service knows no parcel {tracking_number} of {carrier}")]
    NotFound {
        carrier: String,
        tracking_number: String,
    },
    /// The service refused the request (another 4xx): a carrier it does not serve ...
    #[error("the tracking service refused the request: {message}")]
    Rejected { message: String },
    /// No answer, a timeout, a 5xx or a rate limit: the same call may succeed later.
    #[error("the tracking service is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: an answer that is not JSON, our key refused, a bug.
    #[error(transparent)]
    Unknown(#[from] anyhow::Error),
}

#[async_trait]
pub trait TrackingProvider: Send + Sync {
    /// The service's details of the parcel, as it gives them (kept by the caller as JSON).
    async fn track(
        &self,
        carrier: &str,
        tracking_number: &str,
    ) -> Result<serde_json::Value, TrackingError>;
}
