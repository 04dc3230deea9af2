//! The parcel tracking service the configuration names: a JSON-over-HTTP one when
//! `ATELIER_TRACKING_URL` is set, none otherwise (tracking details are not refreshed).

use std::sync::Arc;

use adapters_tracking::{HttpTracking, TrackingSettings};
use ports::tracking::TrackingProvider;

use crate::config::Config;

pub fn provider(config: &Config) -> anyhow::Result<Option<Arc<dyn TrackingProvider>>> {
    let Some(url_template) = &config.tracking_url else {
        return Ok(None);
    };
    let tracking = HttpTracking::new(TrackingSettings {
        url_template: url_template.clone(),
        api_key: config.tracking_api_key.clone(),
        timeout: TrackingSettings::DEFAULT_TIMEOUT,
    })?;
    Ok(Some(Arc::new(tracking)))
}
