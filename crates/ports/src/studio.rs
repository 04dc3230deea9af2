//! Storage for the studio.

pub mod schedule;
