//! Fixed-window rate limits: at most `limit` events per `window`, windows aligned to the epoch.
//! The counting happens in Redis; which window an instant falls in, and what to tell a caller
//! who is over the limit, is decided here.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedWindow {
    pub limit: u32,
    pub window: TimeDelta,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Over the limit until the window ends, this long from now (at least one second).
    Limited {
        retry_after: TimeDelta,
    },
}

impl FixedWindow {
    /// The number of the window `now` falls in; counters are kept per window.
    pub fn window_index(&self, now: DateTime<Utc>) -> i64 {
        let width = self.window.num_milliseconds().max(1);
        now.timestamp_millis().div_euclid(width)
    }

    /// When the window `now` falls in ends.
    pub fn window_end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let width = self.window.num_milliseconds().max(1);
        let end = (self.window_index(now) + 1) * width;
        DateTime::from_timestamp_millis(end).unwrap_or(now)
    }

    /// Whether one more event is allowed after `count` in the current window.
    pub fn decide(&self, count: u32, now: DateTime<Utc>) -> Decision {
        if count < self.limit {
            return Decision::Allowed;
        }
        let left_ms = (self.window_end(now) - now).num_milliseconds();
        let seconds = (left_ms + 999) / 1000;
        Decision::Limited {
            retry_after: TimeDelta::seconds(seconds.max(1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn the_limit_applies_within_a_window_and_lifts_after_it() {
        let rule = FixedWindow {
            limit: 3,
            window: TimeDelta::minutes(15),
        };
        assert_eq!(rule.decide(2, at(900)), Decision::Allowed);
        assert_eq!(
            rule.decide(3, at(960)),
            Decision::Limited {
                retry_after: TimeDelta::seconds(840)
            }
        );
        assert_ne!(rule.window_index(at(1799)), rule.window_index(at(1800)));
    }

    proptest! {
        #[test]
        fn retry_after_points_into_the_next_window(
            millis in 0i64..10_000_000_000,
            width in 1i64..100_000,
        ) {
            let rule = FixedWindow { limit: 0, window: TimeDelta::seconds(width) };
            let now = DateTime::from_timestamp_millis(millis).unwrap();
            let Decision::Limited { retry_after } = rule.decide(0, now) else {
                panic!("a zero limit always limits");
            };
            prop_assert!(retry_after >= TimeDelta::seconds(1));
            prop_assert_eq!(retry_after.subsec_nanos(), 0, "whole seconds");
            prop_assert!(retry_after <= TimeDelta::seconds(width));
            prop_assert_eq!(rule.window_index(now + retry_after), rule.window_index(now) + 1);
        }
    }
}
