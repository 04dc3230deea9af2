//! Ordering: the cart, checkout, and orders: their state machine and how they are paid.

pub mod cart;
pub mod checkout;
pub mod order;
