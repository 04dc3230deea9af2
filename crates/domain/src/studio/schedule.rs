//! When people work and when they are free: a person's working week, time off (a person's
//! leave or a room's closure), the check a booking must pass, and the free slots of a store.
//!
//! Working hours are local wall-clock times of the store's time zone; everything else (time
//! off, shoots, slots) is an instant. [`zone`] is where the two meet, daylight saving included.

pub mod availability;
pub mod booking;
pub mod day;
pub mod interval;
pub mod time_off;
pub mod week;
pub mod zone;

pub use availability::{
    AvailabilityRequest, EmployeeCalendar, RoomCalendar, Slot, SlotRules, free_slots,
};
pub use booking::{WorkingTimeConflict, check_working_time};
pub use day::{free_time, working_time};
pub use interval::Interval;
pub use time_off::{TimeOff, TimeOffId, TimeOffSubject, TimeOffTerms};
pub use week::{DayHours, LocalPeriod, WorkingWeek};
