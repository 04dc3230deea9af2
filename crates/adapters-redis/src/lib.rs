//! Redis adapters. Every key goes through a [`Keyspace`], so deployments (and tests) that share
//! one Redis never read each other's keys.

pub mod health;
mod keyspace;
pub mod pool;

pub use keyspace::Keyspace;
pub use pool::{PoolSettings, RedisPool, connect};
