//! A store: a studio branch, or a seller's shop on the marketplace.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::Invalid;
use crate::identity::permission::Permission;
use crate::identity::role::Access;
use crate::identity::user::UserId;

pub type StoreId = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    pub id: StoreId,
    pub code: StoreCode,
    pub owner_id: UserId,
    pub owner_username: String,
    pub name: String,
    pub description: String,
    pub status: StoreStatus,
    pub time_zone: TimeZone,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Whether `user` may change the store and its stock: its owner while they may keep a
    /// store, and staff who manage every store.
    pub fn manageable_by(&self, user: UserId, access: &Access) -> bool {
        access.allows(Permission::StoresManage)
            || (self.owner_id == user && access.allows(Permission::StoresOpen))
    }

    pub fn is_open(&self) -> bool {
        self.status == StoreStatus::Open
    }
}

/// Whether `access` may open a store at all (for themselves, or with `StoresManage` for
/// someone else).
pub fn may_open_stores(access: &Access) -> bool {
    access.allows(Permission::StoresOpen) || access.allows(Permission::StoresManage)
}

/// A store's public key (the bookstore contract's `store_id`): 1 to 100 URL-safe characters
/// (letters, digits, `.`, `_`, `~`, `-`), kept as given; it is a path segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreCode(String);

impl StoreCode {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid = (1..=100).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-'));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "must be 1 to 100 letters, digits, `.`, `_`, `~` or `-`",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreStatus {
    Open,
    Closed,
}

impl StoreStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            _ => Err(Invalid::new("must be open or closed")),
        }
    }
}

/// An IANA time zone name (`Asia/Shanghai`), checked against the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        chrono_tz::Tz::from_str(raw.trim())
            .map(Self)
            .map_err(|_| Invalid::new("must be an IANA time zone name, such as Asia/Shanghai"))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }
}

/// A store's name: 1 to 100 characters, trimmed.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, 100)
}

/// A store's description: at most 2000 characters, trimmed.
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 2000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_url_safe() {
        assert!(StoreCode::parse("test_new_order_store_id_1f0e-9a~v2.0").is_ok());
        assert!(StoreCode::parse(&"a".repeat(100)).is_ok());
        for bad in ["", "with space", "a/b", "店铺", &"a".repeat(101)] {
            assert!(StoreCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zones_come_from_the_tz_database() {
        assert_eq!(
            TimeZone::parse("Asia/Shanghai").unwrap().name(),
            "Asia/Shanghai"
        );
        assert_eq!(
            TimeZone::parse(" Europe/Paris ").unwrap().name(),
            "Europe/Paris"
        );
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert!(TimeZone::parse("").is_err());
    }

    proptest! {
        #[test]
        fn a_parsed_code_is_kept_as_given(raw in "[A-Za-z0-9._~-]{1,100}") {
            let code = StoreCode::parse(&raw).unwrap();
            prop_assert_eq!(code.as_str(), raw.as_str());
        }
    }
}
