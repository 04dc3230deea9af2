//! Ordering: the cart.

mod cart;

pub use cart::PgCartRepository;
