//! Storage for the studio: customers, employees and rooms.

pub mod customers;
pub mod rooms;
pub mod staff;
