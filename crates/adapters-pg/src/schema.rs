//! Diesel's view of the tables, kept by hand beside `migrations/`. Every query in this crate is
//! covered by an integration test, which fails if a definition here drifts from the database.

diesel::table! {
    system_settings (id) {
        id -> Int8,
        setting_name -> Varchar,
        setting_value -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}
