//! The catalogue over HTTP.

mod cache;
mod categories;
mod images;
mod products;
mod search;
