//! Accounts.

use chrono::{DateTime, Utc};

use super::credentials::{DisplayName, Email, Username};
use super::role::{Access, RoleName};
use crate::Invalid;

pub type UserId = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub username: Username,
    pub email: Option<Email>,
    pub display_name: Option<DisplayName>,
    pub role: RoleName,
    pub status: AccountStatus,
    pub created_at: DateTime<Utc>,
}

/// Whether an account may be used. Staff disable accounts (an employee who left, a customer
/// who abused the shop); a disabled account cannot log in and its sessions stop working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "active" => Ok(Self::Active),
            "disabled" => Ok(Self::Disabled),
            _ => Err(Invalid::new("must be `active` or `disabled`")),
        }
    }
}

/// The person behind a request: who, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub username: Username,
    pub access: Access,
}

/// The name a deleted account keeps: its history (orders, payments) stays, and nothing in it
/// points at the person any more.
pub fn anonymised_username(id: UserId) -> String {
    format!("deleted-user-{id}")
}

/// A change to a profile: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChange {
    pub email: Option<Option<Email>>,
    pub display_name: Option<Option<DisplayName>>,
}

impl ProfileChange {
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.display_name.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_back_from_their_names() {
        for status in [AccountStatus::Active, AccountStatus::Disabled] {
            assert_eq!(AccountStatus::parse(status.as_str()), Ok(status));
        }
        assert!(AccountStatus::parse("Active").is_err());
    }

    #[test]
    fn anonymised_names_are_valid_and_distinct() {
        let a = anonymised_username(1);
        assert!(Username::parse(&a).is_ok());
        assert_ne!(a, anonymised_username(2));
    }
}
