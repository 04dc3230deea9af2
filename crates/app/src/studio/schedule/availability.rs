//! A store's free slots over some days.

use chrono::{NaiveDate, TimeDelta};
use domain::Fields;
use domain::stores::store::Store;
use domain::studio::schedule::availability::DateRange;
use domain::studio::schedule::{AvailabilityRequest, Slot, SlotRules, free_slots};
use domain::studio::{EmployeeId, staff};
use ports::studio::schedule::Candidates;

use super::{Scheduling, SchedulingError};
use crate::stores::store_named;

/// A free-slot search as received.
#[derive(Debug, Clone)]
pub struct AvailabilityInput {
    pub store: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub duration_minutes: i64,
    pub step_minutes: Option<i64>,
    pub buffer_before_minutes: Option<i64>,
    pub buffer_after_minutes: Option<i64>,
    pub position: Option<String>,
    pub employee_id: Option<EmployeeId>,
}

#[derive(Debug, Clone)]
pub struct Availability {
    pub store: Store,
    pub slots: Vec<Slot>,
}

impl Scheduling {
    /// The free slots of the store's active people (of `position`, or the one person asked
    /// for) over the days asked for, in the store's time zone.
    pub async fn availability(
        &self,
        input: AvailabilityInput,
    ) -> Result<Availability, SchedulingError> {
        let mut fields = Fields::default();
        let days = fields.check("to", DateRange::parse(input.from, input.to));
        let position = match input.position.as_deref() {
            Some(raw) => fields.check("position", staff::parse_position(raw)),
            None => None,
        };
        let rules = match SlotRules::parse(
            input.duration_minutes,
            input.step_minutes,
            input.buffer_before_minutes,
            input.buffer_after_minutes,
        ) {
            Ok(rules) => Some(rules),
            Err(errors) => {
                fields.extend(errors);
                None
            }
        };
        let store = store_named(self.ports.stores.as_ref(), &input.store)
            .await?
            .ok_or(SchedulingError::StoreNotFound)?;
        fields.finish().map_err(SchedulingError::Invalid)?;
        let (Some(days), Some(rules)) = (days, rules) else {
            unreachable!("every field parsed when there are no errors");
        };
        let zone = store.time_zone.tz();
        // Shoots up to a buffer away from the range, or a slot's length past its end, matter.
        let margin = rules.duration()
            + TimeDelta::minutes(domain::studio::schedule::availability::MAX_BUFFER_MINUTES);
        let calendars = self
            .ports
            .schedule
            .calendars(
                store.id,
                Candidates {
                    position,
                    employee_id: input.employee_id,
                },
                days.instants(zone, margin),
            )
            .await?;
        let request = AvailabilityRequest {
            zone,
            days,
            rules,
            now: self.ports.clock.now(),
        };
        let slots = free_slots(&request, &calendars.employees, &calendars.rooms);
        Ok(Availability { store, slots })
    }
}
