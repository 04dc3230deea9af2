//! Storage for the studio: customers, employees, rooms, schedules, packages and shoots.

pub mod customers;
pub mod packages;
pub mod reports;
pub mod rooms;
pub mod schedule;
pub mod shoots;
pub mod staff;
