//! Back office: system settings, and later the audit log and backups.

pub mod settings;
