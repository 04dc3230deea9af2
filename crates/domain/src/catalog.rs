//! The catalogue: categories and products, and how they are searched.

pub mod category;
pub mod product;
pub mod search;
