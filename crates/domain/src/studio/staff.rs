//! Employees: who works at which store, as what, how to reach them, and the account they sign
//! in with (whose role says what they may do). Employees are deactivated, never deleted: shoots
//! refer to them.

use chrono::{DateTime, Utc};

use super::customers::{LinkedAccount, Phone};
use super::{EmployeeId, Position};
use crate::Invalid;
use crate::identity::credentials::Email;
use crate::identity::user::UserId;
use crate::stores::store::StoreId;

/// A position as typed (`photographer`, `makeup_artist`, ...).
pub fn parse_position(raw: &str) -> Result<Position, Invalid> {
    Position::parse(raw).ok_or_else(|| {
        let names: Vec<&str> = Position::ALL.iter().map(|p| p.as_str()).collect();
        Invalid::new(format!("must be one of {}", names.join(", ")))
    })
}

/// Everything a manager decides about an employee. Names follow the customers' rules
/// (`customers::parse_first_name`, `parse_last_name`); email and phone are both optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeDetails {
    pub store_id: StoreId,
    pub first_name: String,
    pub last_name: String,
    pub position: Position,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    /// Whether they still work here; inactive people are not booked.
    pub active: bool,
    /// The account they sign in with.
    pub user_id: Option<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub id: EmployeeId,
    pub details: EmployeeDetails,
    /// The code of their store.
    pub store: String,
    pub account: Option<LinkedAccount>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_the_studios_and_nothing_else() {
        assert_eq!(parse_position("front_desk"), Ok(Position::FrontDesk));
        let refused = parse_position("janitor").unwrap_err();
        assert!(refused.reason().contains("photographer"), "{refused}");
        assert!(parse_position("Photographer").is_err());
    }
}
