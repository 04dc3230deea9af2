//! Back-office use cases.

pub mod settings;
