/// A failure of infrastructure that no use case can repair: the caller reports it.
#[derive(Debug, thiserror::Error)]
pub enum InfraError {
    /// A service the system depends on cannot be reached now; the same call may succeed later.
    #[error("{service} is unavailable")]
    Unavailable {
        service: &'static str,
        #[source]
        source: anyhow::Error,
    },
    /// Anything else: a bug, a schema mismatch, a broken invariant.
    #[error(transparent)]
    Unknown(#[from] anyhow::Error),
}
