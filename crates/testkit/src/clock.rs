//! A clock a test can move forward, to see what happens when an hour has passed without
//! waiting an hour.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use ports::clock::Clock;

/// The real time plus an offset that only grows. It starts at the real time, because Redis
/// expires keys by its own clock: a session stored "in the past" would vanish at once.
#[derive(Debug, Default)]
pub struct TestClock {
    offset: Mutex<TimeDelta>,
}

impl TestClock {
    pub fn advance(&self, by: TimeDelta) {
        *self.offset.lock().expect("clock lock") += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().expect("clock lock")
    }
}
