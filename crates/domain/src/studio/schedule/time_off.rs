//! Time off: a person away (leave, sickness) or a room closed (repairs), between two instants.

use chrono::{DateTime, Utc};

use super::Interval;
use crate::Invalid;
use crate::identity::user::UserId;
use crate::studio::{EmployeeId, RoomId};

pub type TimeOffId = i64;

/// The most characters a reason may have.
pub const MAX_REASON_CHARS: usize = 500;

/// Whose time off it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeOffSubject {
    Employee(EmployeeId),
    Room(RoomId),
}

impl TimeOffSubject {
    /// From the two optional ids of a request or a row: exactly one must be given.
    pub fn parse(employee: Option<EmployeeId>, room: Option<RoomId>) -> Result<Self, Invalid> {
        match (employee, room) {
            (Some(id), None) => Ok(Self::Employee(id)),
            (None, Some(id)) => Ok(Self::Room(id)),
            _ => Err(Invalid::new(
                "give exactly one of employee_id (a person's leave) and room_id (a room's closure)",
            )),
        }
    }

    pub fn employee(self) -> Option<EmployeeId> {
        match self {
            Self::Employee(id) => Some(id),
            Self::Room(_) => None,
        }
    }

    pub fn room(self) -> Option<RoomId> {
        match self {
            Self::Room(id) => Some(id),
            Self::Employee(_) => None,
        }
    }
}

/// What is recorded of a time off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOffTerms {
    pub subject: TimeOffSubject,
    pub during: Interval,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOff {
    pub id: TimeOffId,
    pub terms: TimeOffTerms,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

pub fn parse_reason(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, MAX_REASON_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_subject() {
        assert_eq!(
            TimeOffSubject::parse(Some(1), None),
            Ok(TimeOffSubject::Employee(1))
        );
        assert_eq!(
            TimeOffSubject::parse(None, Some(2)),
            Ok(TimeOffSubject::Room(2))
        );
        assert!(TimeOffSubject::parse(Some(1), Some(2)).is_err());
        assert!(TimeOffSubject::parse(None, None).is_err());
    }
}
