//! Back office: system settings, the log of messages sent to people, and later the audit log
//! and backups.

pub mod messages;
pub mod settings;
