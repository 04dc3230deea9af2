//! The tracking adapter against a local server playing the tracking service
//! (`testkit::FakeTracker`).

use std::time::Duration;

use adapters_tracking::{HttpTracking, TrackingSettings};
use ports::tracking::{TrackingError, TrackingProvider};
use serde_json::json;
use testkit::FakeTracker;

fn tracking(fake: &FakeTracker, api_key: Option<&str>, timeout: Duration) -> HttpTracking {
    HttpTracking::new(TrackingSettings {
        url_template: fake.url_template(),
        api_key: api_key.map(str::to_owned),
        timeout,
    })
    .unwrap()
}

#[tokio::test]
async fn a_parcel_s_details_are_the_service_s_json() {
    let fake = FakeTracker::start();
    let details = json!({"status": "in_transit", "events": [{"at": "2026-01-02T03:04:05Z", "where": "上海"}]});
    fake.set_parcel("SF Express", "SF/123&4", details.clone());
    let tracking = tracking(&fake, Some("track-key"), TrackingSettings::DEFAULT_TIMEOUT);

    assert_eq!(
        tracking.track("SF Express", "SF/123&4").await.unwrap(),
        details
    );
    let [request] = fake.requests().try_into().unwrap();
    assert_eq!(request.path, "/v1/track");
    assert_eq!(request.param("carrier"), Some("SF Express"));
    assert_eq!(request.param("number"), Some("SF/123&4"));
    assert_eq!(request.authorization.as_deref(), Some("Bearer track-key"));

    let anonymous = self::tracking(&fake, None, TrackingSettings::DEFAULT_TIMEOUT);
    anonymous.track("SF Express", "SF/123&4").await.unwrap();
    assert_eq!(fake.requests()[1].authorization, None);
}

#[tokio::test]
async fn failures_map_to_errors_the_caller_can_act_on() {
    let fake = FakeTracker::start();
    fake.set_parcel("ems", "1", json!({}));
    let tracking = tracking(&fake, None, Duration::from_millis(300));

    let error = tracking.track("ems", "2").await.unwrap_err();
    assert!(
        matches!(&error, TrackingError::NotFound { tracking_number, .. } if tracking_number == "2"),
        "{error:?}"
    );
    for (status, unavailable) in [(500, true), (503, true), (429, true), (400, false)] {
        fake.fail_next(status);
        let error = tracking.track("ems", "1").await.unwrap_err();
        if unavailable {
            assert!(matches!(error, TrackingError::Unavailable(_)), "{error:?}");
        } else {
            assert!(matches!(error, TrackingError::Rejected { .. }), "{error:?}");
        }
    }
    fake.fail_next(401);
    assert!(matches!(
        tracking.track("ems", "1").await,
        Err(TrackingError::Unknown(_))
    ));
    fake.delay_next(Duration::from_secs(3));
    assert!(matches!(
        tracking.track("ems", "1").await,
        Err(TrackingError::Unavailable(_))
    ));
    tracking.track("ems", "1").await.unwrap();
}
