//! Structured logs through `tracing`: human-readable by default, one JSON object per line with
//! `ATELIER_LOG_FORMAT=json`. Each request's lines carry its `request_id` (see
//! [`crate::request_id`]); in JSON they sit under `span`.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

const DEFAULT_FILTER: &str = "info,actix_server=warn";

/// Installs the global subscriber. A second call (as in tests) keeps the first.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}
