//! Atelier's HTTP API (the driving adapter) and the wiring of the `atelier` binary.
//!
//! Handlers are thin: DTO in, use case, DTO out. Each context has a module of the same name as
//! in `domain`, `ports`, `app` and the adapters.

pub mod auth;
pub mod backoffice;
pub mod bookstore;
pub mod catalog;
pub mod config;
pub mod extract;
pub mod fallback;
pub mod finance;
pub mod health;
pub mod idempotency;
pub mod identity;
pub mod marketing;
pub mod media;
pub mod money;
pub mod openapi;
pub mod ordering;
pub mod pagination;
pub mod payment_provider;
pub mod problem;
pub mod request_id;
pub mod routes;
pub mod startup;
pub mod state;
pub mod stores;
pub mod studio;
pub mod sweeper;
pub mod telemetry;
pub mod tracking_provider;
