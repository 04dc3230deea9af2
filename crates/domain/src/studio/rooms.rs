//! Rooms: the sets a store shoots in. Shoots book them; a room that is no longer used is
//! deactivated rather than deleted.

use chrono::{DateTime, Utc};

use super::RoomId;
use crate::Invalid;
use crate::stores::store::StoreId;

/// A room's name: 1 to 100 characters, trimmed; unique within its store.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, 100)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomDetails {
    pub store_id: StoreId,
    pub name: String,
    /// Whether shoots may book it.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: RoomId,
    pub details: RoomDetails,
    /// The code of its store.
    pub store: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::parse_name;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name(" 森系棚 ").unwrap(), "森系棚");
        assert!(parse_name(" ").is_err());
        assert!(parse_name(&"棚".repeat(101)).is_err());
    }
}
