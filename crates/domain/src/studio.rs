//! The studio (影楼): the customers it serves, the people who work there and the rooms they
//! shoot in, when those people work, the packages (套系) it sells, and the shoots it books.
//!
//! The identifiers and positions here are shared by every part of the context.

pub mod customers;
pub mod packages;
pub mod reports;
pub mod rooms;
pub mod schedule;
pub mod shoots;
pub mod staff;

use std::fmt;

pub type CustomerId = i64;
pub type EmployeeId = i64;
pub type RoomId = i64;
pub type ShootId = i64;

/// What a person does at the studio (seed 000 `employees.position`), and what they do in a
/// shoot they are booked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    Photographer,
    MakeupArtist,
    Retoucher,
    FrontDesk,
    Sales,
    Manager,
}

impl Position {
    pub const ALL: &[Position] = &[
        Self::Photographer,
        Self::MakeupArtist,
        Self::Retoucher,
        Self::FrontDesk,
        Self::Sales,
        Self::Manager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Photographer => "photographer",
            Self::MakeupArtist => "makeup_artist",
            Self::Retoucher => "retoucher",
            Self::FrontDesk => "front_desk",
            Self::Sales => "sales",
            Self::Manager => "manager",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.as_str() == raw)
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a person's name is shown: family name first and run together when either part is
/// written in Chinese (张三), given name first with a space otherwise (Ann Lee).
pub fn display_name(first_name: &str, last_name: &str) -> String {
    if last_name.is_empty() {
        first_name.to_owned()
    } else if first_name.is_ascii() && last_name.is_ascii() {
        format!("{first_name} {last_name}")
    } else {
        format!("{last_name}{first_name}")
    }
}

#[cfg(test)]
mod tests {
    use super::{Position, display_name};

    #[test]
    fn chinese_names_put_the_family_first() {
        assert_eq!(display_name("三", "张"), "张三");
        assert_eq!(display_name("Ann", "Lee"), "Ann Lee");
        assert_eq!(display_name("Ann", ""), "Ann");
    }

    #[test]
    fn positions_parse_back() {
        for position in Position::ALL {
            assert_eq!(Position::parse(position.as_str()), Some(*position));
        }
        assert_eq!(Position::parse("janitor"), None);
    }
}
