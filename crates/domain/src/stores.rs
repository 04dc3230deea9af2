//! Stores and their stock: a store is owned by a person and keeps, per product, what it holds,
//! what orders hold back, and its own price.

pub mod inventory;
pub mod store;
