//! Ordering: the cart, and (with checkout) orders and their items.

pub mod cart;
