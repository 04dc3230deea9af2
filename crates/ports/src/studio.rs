//! Storage for the studio: customers, staff, rooms, schedules, packages and shoots.

pub mod packages;
pub mod shoots;
