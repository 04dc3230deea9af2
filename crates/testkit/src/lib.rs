//! Atelier's test harness.
//!
//! - [`TestDatabase`]: a PostgreSQL database per test, cloned (`CREATE DATABASE ... TEMPLATE`)
//!   from a template migrated once per migration set, dropped when the test ends;
//! - [`TestRedis`]: a Redis key prefix per test, its keys deleted when the test ends;
//! - [`spawn_app`]: the whole API on a free port over both, as a [`TestApp`] with typed helpers,
//!   a known admin account and a [`TestClock`] the test can move forward;
//! - [`TcpProxy`]: a TCP hop between the app and a dependency that a test can cut and restore,
//!   to watch the app behave while PostgreSQL or Redis is down;
//! - [`builders`]: rows put straight into a test's database;
//! - [`problem`]: assertions on problem responses;
//! - [`ledger`]: wallets against their ledger rows (balance == sum of rows, never negative);
//! - [`images`]: sample image files, `multipart/form-data` bodies, the app's media directory;
//! - [`fake_s3`]: an S3-compatible object store played by a local HTTP server;
//! - [`fake_stripe`]: a payment provider speaking Stripe's API, with signed webhook events;
//! - [`fake_tracker`]: a parcel tracking service.
//!
//! The services come from `cargo xtask test` (or `cargo xtask stack`), which exports
//! `ATELIER_TEST_DATABASE_URL` and `ATELIER_TEST_REDIS_URL`.

mod app;
pub mod builders;
mod clock;
mod db;
pub mod env;
pub mod fake_s3;
mod fake_server;
pub mod fake_stripe;
pub mod fake_tracker;
pub mod images;
pub mod ledger;
pub mod problem;
pub mod proxy;
mod redis;

pub use app::{ADMIN_PASSWORD, ADMIN_USERNAME, TestApp, TestUser, spawn_app, spawn_app_with};
pub use clock::TestClock;
pub use db::TestDatabase;
pub use fake_s3::FakeS3;
pub use fake_stripe::FakeStripe;
pub use fake_tracker::FakeTracker;
pub use proxy::TcpProxy;
pub use redis::TestRedis;
