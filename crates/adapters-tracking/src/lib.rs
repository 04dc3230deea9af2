//! The [`TrackingProvider`] port over a tracking service that answers JSON over HTTP: the URL
//! of a parcel comes from a template with `{carrier}` and `{number}` in it
//! (`https://tracker.example/v1/track?carrier={carrier}&number={number}`), each replaced by its
//! value percent-encoded, and the answer's JSON is the parcel's details as they are. An API
//! key, when given, is sent as a bearer token.

use std::time::Duration;

use anyhow::{anyhow, bail};
use async_trait::async_trait;
use ports::tracking::{TrackingError, TrackingProvider};

#[derive(Clone)]
pub struct TrackingSettings {
    /// The URL of a parcel, with `{carrier}` and `{number}` where their values go.
    pub url_template: String,
    /// Sent as `Authorization: Bearer <key>` when set.
    pub api_key: Option<String>,
    /// Longest time one call may take, connecting included.
    pub timeout: Duration,
}

impl TrackingSettings {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
}

/// Leaves the key out.
impl std::fmt::Debug for TrackingSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrackingSettings")
            .field("url_template", &self.url_template)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

pub struct HttpTracking {
    http: reqwest::Client,
    settings: TrackingSettings,
}

impl HttpTracking {
    /// Checks the template and configures the client; connects on the first call.
    pub fn new(settings: TrackingSettings) -> anyhow::Result<Self> {
        if !settings.url_template.contains("{number}") {
            bail!(
                "the tracking URL template {:?} has no {{number}}",
                settings.url_template
            );
        }
        url::Url::parse(&fill(&settings.url_template, "carrier", "0"))
            .map_err(|e| anyhow!("the tracking URL template is not a URL: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(3)))
            .user_agent(concat!("atelier/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, settings })
    }

    /// The URL of a parcel.
    pub fn url(&self, carrier: &str, tracking_number: &str) -> String {
        self.settings
            .url_template
            .replace("{carrier}", &percent_encode(carrier))
            .replace("{number}", &percent_encode(tracking_number))
    }
}

fn fill(template: &str, carrier: &str, number: &str) -> String {
    template
        .replace("{carrier}", carrier)
        .replace("{number}", number)
}

/// Every byte but the unreserved characters of RFC 3986 as `%XX`: safe in a path segment and
/// in a query value alike.
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn unavailable(error: impl Into<anyhow::Error>) -> TrackingError {
    TrackingError::Unavailable(error.into())
}

#[async_trait]
impl TrackingProvider for HttpTracking {
    async fn track(
        &self,
        carrier: &str,
        tracking_number: &str,
    ) -> Result<serde_json::Value, TrackingError> {
        let mut request = self
            .http
            .get(self.url(carrier, tracking_number))
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(unavailable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(unavailable)?;
        let text = || String::from_utf8_lossy(&body[..body.len().min(500)]).into_owned();
        match status.as_u16() {
            200..=299 => serde_json::from_slice(&body).map_err(|e| {
                TrackingError::Unknown(anyhow!(e).context("the tracking service's answer"))
            }),
            404 => Err(TrackingError::NotFound {
                carrier: carrier.to_owned(),
                tracking_number: tracking_number.to_owned(),
            }),
            401 | 403 => Err(TrackingError::Unknown(anyhow!(
                "the tracking service refused our key ({status}): {}",
                text()
            ))),
            408 | 429 => Err(unavailable(anyhow!("{status}: {}", text()))),
            400..=499 => Err(TrackingError::Rejected { message: text() }),
            _ => Err(unavailable(anyhow!("{status}: {}", text()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded_into_the_template() {
        let tracking = HttpTracking::new(TrackingSettings {
            url_template: "https://t.example/v1/{carrier}/track?n={number}".to_owned(),
            api_key: None,
            timeout: TrackingSettings::DEFAULT_TIMEOUT,
        })
        .unwrap();
        assert_eq!(
            tracking.url("顺丰 SF", "A/1&b=2#x"),
            "https://t.example/v1/%E9%A1%BA%E4%B8%B0%20SF/track?n=A%2F1%26b%3D2%23x"
        );
        let no_number = TrackingSettings {
            url_template: "https://t.example/{carrier}".to_owned(),
            api_key: None,
            timeout: TrackingSettings::DEFAULT_TIMEOUT,
        };
        assert!(HttpTracking::new(no_number).is_err());
    }
}
