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

/// The first instant of a local day: midnight, or the first time that exists when a
/// daylight-saving change skips midnight.
pub fn local_midnight(
    zone: chrono_tz::Tz,
    date: chrono::NaiveDate,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::{LocalResult, TimeZone};
    let mut time = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    loop {
        match zone.from_local_datetime(&time) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.to_utc(),
            LocalResult::None => time += chrono::TimeDelta::minutes(15),
        }
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
    fn a_local_day_starts_at_its_midnight_or_the_first_time_after_it() {
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let shanghai = chrono_tz::Asia::Shanghai;
        assert_eq!(
            super::local_midnight(shanghai, date(2026, 11, 28)).to_rfc3339(),
            "2026-11-27T16:00:00+00:00"
        );
        // Havana springs forward at midnight: the day starts at 01:00 (UTC-4).
        let havana = chrono_tz::America::Havana;
        assert_eq!(
            super::local_midnight(havana, date(2026, 3, 8)).to_rfc3339(),
            "2026-03-08T05:00:00+00:00"
        );
    }

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
