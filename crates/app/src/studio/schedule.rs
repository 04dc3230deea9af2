//! Scheduling: people's working hours and time off (`studio:schedule`), the check a booking
//! must pass, and a store's free slots.
//!
//! The rules live in `domain::studio::schedule`; this loads what they need and stores what
//! they allow.

mod availability;
mod error;
mod hours;
mod time_off;

use std::sync::Arc;

use ports::clock::Clock;
use ports::stores::StoreRepository;
use ports::studio::schedule::ScheduleRepository;

pub use availability::{Availability, AvailabilityInput};
pub use error::SchedulingError;
pub use hours::Reader;
pub use time_off::TimeOffInput;

#[derive(Clone)]
pub struct SchedulingPorts {
    pub schedule: Arc<dyn ScheduleRepository>,
    /// For a store's time zone, named by its code.
    pub stores: Arc<dyn StoreRepository>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Scheduling {
    ports: SchedulingPorts,
}

impl Scheduling {
    pub fn new(ports: SchedulingPorts) -> Self {
        Self { ports }
    }
}
