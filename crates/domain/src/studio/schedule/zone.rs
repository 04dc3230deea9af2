//! From a store's local wall-clock time to an instant, on days when the clocks change too.
//!
//! Two rules, used everywhere in scheduling:
//! - a local time that does not exist (skipped when the clocks spring forward, 02:30 in New
//!   York on the second Sunday of March) is no slot start; as the edge of a working period it
//!   means the first instant after the gap (03:00 new time), so a person working 02:00–04:00
//!   that day works one real hour;
//! - a local time that happens twice (when the clocks fall back) means its earlier instant.

use chrono::TimeZone as _;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// The instant of `local` in `zone`: the earlier of two, none inside a gap.
pub fn instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The instant of a working period's edge: as [`instant`], but a time inside a gap is the
/// first instant after it.
pub fn edge(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    if let Some(at) = instant(zone, local) {
        return at;
    }
    // Gaps are whole minutes and at most a day (Samoa skipped 2011-12-30 whole).
    let mut probe = local;
    for _ in 0..2 * 24 * 60 {
        probe += TimeDelta::minutes(1);
        if let Some(at) = instant(zone, probe) {
            return at;
        }
    }
    unreachable!("no time zone skips two days at {local}")
}

#[cfg(test)]
mod tests {
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::London;

    use super::*;

    fn local(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    #[test]
    fn new_york_before_and_on_the_spring_forward_day() {
        assert_eq!(
            instant(New_York, local("2026-03-07", "09:00")),
            Some(utc("2026-03-07T14:00:00Z"))
        );
        assert_eq!(
            instant(New_York, local("2026-03-08", "09:00")),
            Some(utc("2026-03-08T13:00:00Z"))
        );
        assert_eq!(instant(New_York, local("2026-03-08", "02:30")), None);
    }

    #[test]
    fn an_edge_in_the_gap_is_the_end_of_the_gap() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(
            edge(New_York, date, NaiveTime::from_hms_opt(2, 30, 0).unwrap()),
            utc("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn a_local_day_starts_at_its_midnight_or_the_first_time_after_it() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            edge(
                chrono_tz::Asia::Shanghai,
                date(2026, 11, 28),
                NaiveTime::MIN
            )
            .to_rfc3339(),
            "2026-11-27T16:00:00+00:00"
        );
        // Havana springs forward at midnight: the day starts at 01:00 (UTC-4).
        assert_eq!(
            edge(chrono_tz::America::Havana, date(2026, 3, 8), NaiveTime::MIN).to_rfc3339(),
            "2026-03-08T05:00:00+00:00"
        );
    }

    #[test]
    fn a_skipped_day_ends_at_the_next_one() {
        let date = NaiveDate::from_ymd_opt(2011, 12, 30).unwrap();
        assert_eq!(
            edge(
                chrono_tz::Pacific::Apia,
                date,
                NaiveTime::from_hms_opt(9, 0, 0).unwrap()
            ),
            utc("2011-12-30T10:00:00Z")
        );
    }

    #[test]
    fn a_repeated_time_is_its_earlier_instant() {
        // London falls back at 02:00 BST on 2026-10-25: 01:30 happens at 00:30Z and 01:30Z.
        assert_eq!(
            instant(London, local("2026-10-25", "01:30")),
            Some(utc("2026-10-25T00:30:00Z"))
        );
        assert_eq!(
            instant(London, local("2026-10-25", "09:00")),
            Some(utc("2026-10-25T09:00:00Z"))
        );
        assert_eq!(
            instant(London, local("2026-10-24", "09:00")),
            Some(utc("2026-10-24T08:00:00Z"))
        );
    }
}
