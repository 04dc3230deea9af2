//! Storage for the studio: customers, employees, rooms, packages and shoots.

pub mod customers;
pub mod packages;
pub mod reports;
pub mod rooms;
pub mod shoots;
pub mod staff;
