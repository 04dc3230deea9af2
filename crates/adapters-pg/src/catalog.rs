//! The catalogue's storage in PostgreSQL: categories, products and product images.

mod categories;
mod images;
mod products;

pub use categories::PgCategoryRepository;
pub use images::PgImageRepository;
pub use products::{DEFAULT_SEARCH_CANDIDATES, PgProductRepository};
