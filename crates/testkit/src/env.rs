//! Where the test services are.

use std::path::PathBuf;

use url::Url;

/// A superuser URL of the test PostgreSQL (any database; the harness creates its own).
pub const DATABASE_URL: &str = "ATELIER_TEST_DATABASE_URL";
/// The test Redis.
pub const REDIS_URL: &str = "ATELIER_TEST_REDIS_URL";
/// Directory of PostgreSQL's client programs (`pg_dump`), when they are not on `PATH`.
pub const PG_BIN_DIR: &str = "ATELIER_PG_BIN_DIR";

fn required(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set. Run the tests with `cargo xtask test`, or start the test services \
             with `cargo xtask stack` and export the variables it prints."
        )
    })
}

pub fn database_url() -> Url {
    let raw = required(DATABASE_URL);
    Url::parse(&raw).unwrap_or_else(|e| panic!("{DATABASE_URL} is not a URL ({e}): {raw}"))
}

pub fn redis_url() -> String {
    required(REDIS_URL)
}

/// The path of a PostgreSQL client program such as `pg_dump`.
pub fn pg_program(name: &str) -> PathBuf {
    match std::env::var_os(PG_BIN_DIR) {
        Some(dir) => PathBuf::from(dir).join(name),
        None => PathBuf::from(name),
    }
}
