//! Ports: what the use cases in `app` need from storage, caches and the outside world.
//!
//! Each trait is shaped by a use case, not by a table: an operation that must be atomic is one
//! method, so an adapter can make it one transaction. Errors are typed where a caller can act on
//! them and end in [`InfraError`] (whose `Unknown` holds an `anyhow::Error`) where it cannot.
//!
//! Traits are object safe (`#[async_trait]`) so the binary can wire adapters as
//! `Arc<dyn Trait>` without making every handler generic.

pub mod backoffice;
pub mod cache;
pub mod catalog;
pub mod clock;
pub mod error;
pub mod finance;
pub mod health;
pub mod idempotency;
pub mod identity;
pub mod mail;
pub mod marketing;
pub mod media;
pub mod ordering;
pub mod rate_limit;
pub mod stores;
pub mod studio;
pub mod tracking;

pub use error::InfraError;
