//! Ordering: the cart, and orders: their state machine and how they are paid.

pub mod cart;
pub mod order;
