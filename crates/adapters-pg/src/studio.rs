//! The studio.

pub mod schedule;
