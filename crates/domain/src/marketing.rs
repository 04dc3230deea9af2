//! Marketing: campaigns, and the coupons customers type at checkout.
//!
//! One pure rule, [`coupon::evaluate`], decides whether a coupon applies to an order and what it
//! takes off; validating a code for a cart and checkout both call it, so a code that validates
//! is a code checkout accepts (until its limits run out, which the database settles).

pub mod campaign;
pub mod coupon;
