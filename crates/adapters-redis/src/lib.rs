//! Redis adapters. Every key goes through a [`Keyspace`], so deployments (and tests) that share
//! one Redis never read each other's keys.

pub mod cache;
mod error;
pub mod health;
pub mod idempotency;
pub mod identity;
mod keyspace;
pub mod pool;
pub mod rate_limit;

pub use keyspace::Keyspace;
pub use pool::{PoolSettings, RedisPool, connect};
