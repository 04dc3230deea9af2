//! The catalogue over HTTP.

mod categories;
mod images;
mod products;
mod search;
