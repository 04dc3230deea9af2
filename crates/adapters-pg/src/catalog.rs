//! The catalogue's storage in PostgreSQL: categories and products.

mod categories;
mod products;

pub use categories::PgCategoryRepository;
pub use products::{DEFAULT_SEARCH_CANDIDATES, PgProductRepository};
