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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_is_configured_by_a_url_template() {
        let mut config = Config::new("postgres://db".to_owned(), "redis://r".to_owned());
        assert!(provider(&config).unwrap().is_none());
        config.tracking_url = Some("https://t.example/track?n={number}".to_owned());
        assert!(provider(&config).unwrap().is_some());
        config.tracking_url = Some("https://t.example/track".to_owned());
        assert!(provider(&config).is_err());
    }
}
