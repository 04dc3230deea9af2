//! Atelier's domain: the entities, value objects and rules of the business, free of I/O.
//!
//! Every bounded context is a module here and keeps the same name on every other layer
//! (`ports::identity`, `app::identity`, `adapters_pg::identity`, `api::identity`).
//! This crate must not depend on diesel, actix, redis, tokio or deadpool; `cargo xtask test`
//! checks that.

pub mod backoffice;
pub mod catalog;
pub mod finance;
pub mod identity;
mod invalid;
pub mod marketing;
pub mod media;
pub mod money;
pub mod ordering;
pub mod pagination;
pub mod rate_limit;
pub mod stores;
pub mod studio;
pub mod text;

pub use invalid::{FieldErrors, Fields, Invalid};
