//! The catalogue: categories and products, their images, and how they are searched.

pub mod category;
pub mod image;
pub mod product;
pub mod search;
