//! A store's free slots: the times a shoot of some length could start, with who and which
//! rooms are free for it.
//!
//! The rules:
//! - Slot starts step over each local day's wall-clock times from midnight (00:00, 00:30, ...
//!   with a 30-minute step). A local time that does not exist that day (clocks spring forward)
//!   is skipped; one that happens twice (clocks fall back) starts a slot at its earlier instant
//!   only (see [`super::zone`]). A slot ends `duration` of real time after it starts.
//! - No slot starts before `now`.
//! - A person is free for a slot when all of `[start, end)` lies inside one of their working
//!   periods of that local day, it overlaps none of their time off, and `[start − buffer_before,
//!   end + buffer_after)` overlaps none of their shoots.
//! - A room is free when `[start, end)` overlaps none of its closures and the slot with its
//!   buffers overlaps none of its shoots. When the store has rooms, a slot needs a free one.
//! - A slot is offered when at least one of the candidate people is free for it.
//!
//! Each person's and room's intervals are merged and sorted once, and each check is a binary
//! search: the work grows with slots × people × log(intervals).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::interval::Disjoint;
use super::{Interval, WorkingWeek, zone};
use crate::studio::{EmployeeId, Position, RoomId};
use crate::{FieldErrors, Fields, Invalid};

/// The most days one request may cover.
pub const MAX_DAYS: i64 = 62;
/// The step between slot starts unless given.
pub const DEFAULT_STEP_MINUTES: i64 = 30;
pub const MIN_STEP_MINUTES: i64 = 5;
/// The longest shoot, as a package may last (`packages.shoot_minutes`).
pub const MAX_DURATION_MINUTES: i64 = 1440;
pub const MAX_BUFFER_MINUTES: i64 = 240;

/// How long a slot lasts, how far apart slot starts are, and the time kept free around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRules {
    duration: TimeDelta,
    step: TimeDelta,
    buffer_before: TimeDelta,
    buffer_after: TimeDelta,
}

impl SlotRules {
    /// Minutes as received; a step of `None` is [`DEFAULT_STEP_MINUTES`], buffers 0.
    pub fn parse(
        duration_minutes: i64,
        step_minutes: Option<i64>,
        buffer_before_minutes: Option<i64>,
        buffer_after_minutes: Option<i64>,
    ) -> Result<Self, FieldErrors> {
        let mut fields = Fields::default();
        let within = |value: i64, min: i64, max: i64| {
            if (min..=max).contains(&value) {
                Ok(TimeDelta::minutes(value))
            } else {
                Err(Invalid::new(format!("must be from {min} to {max} minutes")))
            }
        };
        let duration = fields.check(
            "duration_minutes",
            within(duration_minutes, 1, MAX_DURATION_MINUTES),
        );
        let step = fields.check(
            "step_minutes",
            within(
                step_minutes.unwrap_or(DEFAULT_STEP_MINUTES),
                MIN_STEP_MINUTES,
                1440,
            ),
        );
        let buffer_before = fields.check(
            "buffer_before_minutes",
            within(buffer_before_minutes.unwrap_or(0), 0, MAX_BUFFER_MINUTES),
        );
        let buffer_after = fields.check(
            "buffer_after_minutes",
            within(buffer_after_minutes.unwrap_or(0), 0, MAX_BUFFER_MINUTES),
        );
        fields.finish()?;
        match (duration, step, buffer_before, buffer_after) {
            (Some(duration), Some(step), Some(buffer_before), Some(buffer_after)) => Ok(Self {
                duration,
                step,
                buffer_before,
                buffer_after,
            }),
            _ => unreachable!("every field parsed when there are no errors"),
        }
    }

    pub fn duration(self) -> TimeDelta {
        self.duration
    }
}

/// Local days from `from` to `to`, both included, at most [`MAX_DAYS`] of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl DateRange {
    /// Refusals are against `to`.
    pub fn parse(from: NaiveDate, to: NaiveDate) -> Result<Self, Invalid> {
        let days = (to - from).num_days() + 1;
        if days < 1 {
            Err(Invalid::new("must not be before from"))
        } else if days > MAX_DAYS {
            Err(Invalid::new(format!(
                "must be at most {MAX_DAYS} days from from, both included"
            )))
        } else {
            Ok(Self { from, to })
        }
    }

    pub fn from(self) -> NaiveDate {
        self.from
    }

    pub fn to(self) -> NaiveDate {
        self.to
    }

    /// From the start of `from` to the end of `to` in `zone`, widened by `margin` either side:
    /// every interval that can touch a slot of the range lies inside it.
    pub fn instants(self, zone: Tz, margin: TimeDelta) -> Interval {
        let start = zone::edge(zone, self.from, NaiveTime::MIN) - margin;
        let end = zone::edge(zone, self.to + TimeDelta::days(1), NaiveTime::MIN) + margin;
        Interval::parse(start, end).expect("a range ends after it starts")
    }
}

/// What a free-slot search asks.
#[derive(Debug, Clone, Copy)]
pub struct AvailabilityRequest {
    pub zone: Tz,
    pub days: DateRange,
    pub rules: SlotRules,
    pub now: DateTime<Utc>,
}

/// A person who could take a slot, with what keeps them from it.
#[derive(Debug, Clone)]
pub struct EmployeeCalendar {
    pub id: EmployeeId,
    pub name: String,
    pub position: Position,
    pub week: WorkingWeek,
    pub time_off: Vec<Interval>,
    /// Their active shoots.
    pub busy: Vec<Interval>,
}

/// A room of the store, with what keeps it from a slot.
#[derive(Debug, Clone)]
pub struct RoomCalendar {
    pub id: RoomId,
    pub closures: Vec<Interval>,
    /// Its active shoots.
    pub busy: Vec<Interval>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The start on the store's wall clock.
    pub local_start: NaiveDateTime,
    /// Who is free for it, by id.
    pub employees: Vec<EmployeeId>,
    /// Which rooms are free for it, by id; empty when the store has none.
    pub rooms: Vec<RoomId>,
}

struct Person<'a> {
    id: EmployeeId,
    week: &'a WorkingWeek,
    time_off: Disjoint,
    busy: Disjoint,
    /// The working periods of the day being walked, as instants.
    today: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

struct Room {
    id: RoomId,
    closures: Disjoint,
    busy: Disjoint,
}

/// The free slots of `request` for these people and rooms, in order of time.
pub fn free_slots(
    request: &AvailabilityRequest,
    employees: &[EmployeeCalendar],
    rooms: &[RoomCalendar],
) -> Vec<Slot> {
    let rules = request.rules;
    let zone = request.zone;
    let mut people: Vec<Person<'_>> = employees
        .iter()
        .map(|e| Person {
            id: e.id,
            week: &e.week,
            time_off: Disjoint::new(e.time_off.clone()),
            busy: Disjoint::new(e.busy.clone()),
            today: Vec::new(),
        })
        .collect();
    let rooms: Vec<Room> = rooms
        .iter()
        .map(|r| Room {
            id: r.id,
            closures: Disjoint::new(r.closures.clone()),
            busy: Disjoint::new(r.busy.clone()),
        })
        .collect();
    let steps_per_day = (TimeDelta::days(1).num_minutes() - 1) / rules.step.num_minutes() + 1;

    let mut slots = Vec::new();
    let mut date = request.days.from;
    while date <= request.days.to {
        let weekday = date.weekday();
        for person in &mut people {
            person.today.clear();
            person
                .today
                .extend(person.week.periods(weekday).iter().map(|p| {
                    (
                        zone::edge(zone, date, p.start()),
                        zone::edge(zone, date, p.end()),
                    )
                }));
        }
        for k in 0..steps_per_day {
            let local_start = date.and_time(NaiveTime::MIN) + rules.step * k as i32;
            let Some(start) = zone::instant(zone, local_start) else {
                continue;
            };
            if start < request.now {
                continue;
            }
            let end = start + rules.duration;
            let (kept_from, kept_to) = (start - rules.buffer_before, end + rules.buffer_after);
            let free_people: Vec<EmployeeId> = people
                .iter()
                .filter(|p| {
                    p.today.iter().any(|&(s, e)| s <= start && end <= e)
                        && !p.time_off.overlaps(start, end)
                        && !p.busy.overlaps(kept_from, kept_to)
                })
                .map(|p| p.id)
                .collect();
            if free_people.is_empty() {
                continue;
            }
            let free_rooms: Vec<RoomId> = rooms
                .iter()
                .filter(|r| {
                    !r.closures.overlaps(start, end) && !r.busy.overlaps(kept_from, kept_to)
                })
                .map(|r| r.id)
                .collect();
            if !rooms.is_empty() && free_rooms.is_empty() {
                continue;
            }
            slots.push(Slot {
                start,
                end,
                local_start,
                employees: free_people,
                rooms: free_rooms,
            });
        }
        date += TimeDelta::days(1);
    }
    slots
}

#[cfg(test)]
mod tests;
