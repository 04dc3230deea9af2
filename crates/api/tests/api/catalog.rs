//! The catalogue over HTTP.

mod cache;
mod categories;
mod products;
mod search;
