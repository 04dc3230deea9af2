//! The catalogue over HTTP.

mod categories;
mod products;
mod search;
