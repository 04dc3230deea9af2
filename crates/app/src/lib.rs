//! Atelier's use cases. Each context is a module holding a service built from ports; the API
//! (and any other driving adapter, such as the bookstore contract) calls these and nothing below.

pub mod backoffice;
pub mod cache;
pub mod catalog;
pub mod finance;
pub mod health;
pub mod identity;
pub mod marketing;
pub mod ordering;
pub mod stores;
pub mod studio;
