//! PostgreSQL adapters: one module per context implementing that context's ports, plus the
//! connection pool and the embedded migrations.
//!
//! Queries use diesel's DSL over `diesel-async`. Errors leave this crate as the ports' types:
//! a connection that cannot be had is [`ports::InfraError::Unavailable`], so the API can answer
//! 503 rather than 500 when PostgreSQL is down.

pub mod backoffice;
mod cached;
pub mod catalog;
mod error;
pub mod finance;
pub mod health;
pub mod identity;
mod like;
pub mod mail;
pub mod marketing;
pub mod migrations;
pub mod ordering;
pub mod pool;
mod schema;
pub mod stores;
pub mod studio;

pub use pool::{PgPool, PoolSettings, connect};
