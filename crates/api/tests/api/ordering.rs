//! Ordering over HTTP.

mod cart;
