//! The shape of every list: `{"items": [...], "next_cursor": "..."}`. A `null` cursor means the
//! list is complete; otherwise pass it back as `?cursor=` for the next page.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A list that is always returned whole (a small, fixed set).
    pub fn complete(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }
}
