//! Back-office use cases.

pub mod messages;
pub mod settings;
