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

/// Empty orders with the given ids, bought by the first account from a store of its own, for
/// tests of rows that point at orders (ledger rows, coupon redemptions). Needs an account.
pub async fn orders(db: &TestDatabase, ids: impl IntoIterator<Item = i64>) {
    let list: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    db.execute(&format!(
        "INSERT INTO stores (code, owner_id, name, time_zone)
             SELECT 'fixture-orders', min(id), 'Fixture', 'UTC' FROM users
             ON CONFLICT ON CONSTRAINT stores_code_key DO NOTHING;
         INSERT INTO orders (id, user_id, store_id, currency, subtotal, total, reserved_until)
             OVERRIDING SYSTEM VALUE
             SELECT i, (SELECT min(id) FROM users),
                    (SELECT id FROM stores WHERE code = 'fixture-orders'), 'CNY', 0, 0, now()
             FROM unnest(ARRAY[{}]::bigint[]) AS i
             ON CONFLICT ON CONSTRAINT orders_pkey DO NOTHING;",
        list.join(",")
    ))
    .await;
}
