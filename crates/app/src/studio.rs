//! The studio (影楼): customers, staff, rooms, schedules, packages and shoots.

pub mod shoots;
