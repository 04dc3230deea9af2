//! The API over HTTP, against real PostgreSQL and Redis (see `testkit`). One binary, so the
//! workspace links one test executable for the API instead of one per file.

mod binary;
mod bookstore;
mod catalog;
mod errors;
mod finance;
mod health;
mod idempotency;
mod identity;
mod marketing;
mod openapi;
mod ordering;
mod settings;
mod stores;
mod studio;
mod workers;
