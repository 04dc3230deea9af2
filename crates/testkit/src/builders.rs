//! Test data builders: rows put straight into a test's database, with a default for every
//! column, so a test spells out only what it is about and arranges its data without going
//! through the API it is testing. One builder per table a test needs to prefill.

use crate::TestDatabase;

/// A stored `system_settings` value.
#[derive(Debug, Clone)]
pub struct SettingRow {
    name: String,
    value: String,
    updated_at: String,
}

impl SettingRow {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.to_owned(),
            value: value.to_owned(),
            updated_at: "now()".to_owned(),
        }
    }

    /// An RFC 3339 timestamp.
    pub fn updated_at(mut self, at: &str) -> Self {
        self.updated_at = format!("'{at}'::timestamptz");
        self
    }

    pub async fn insert(self, db: &TestDatabase) {
        db.execute(&format!(
            "INSERT INTO system_settings (setting_name, setting_value, updated_at) VALUES ({}, {}, {})",
            quote(&self.name),
            quote(&self.value),
            self.updated_at
        ))
        .await;
    }
}

/// A SQL string literal.
pub fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
