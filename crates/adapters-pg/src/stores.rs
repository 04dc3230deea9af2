//! Stores and their stock.

mod inventory;
mod store;

pub use inventory::PgInventoryRepository;
pub use store::PgStoreRepository;
