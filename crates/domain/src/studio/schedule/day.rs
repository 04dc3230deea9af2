//! A person's day as the front desk reads it on the board: when they work, and which of that
//! time is still free (not away, not in a shoot).

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::{EmployeeCalendar, Interval, zone};

/// The person's working periods on the local `date`, as instants.
pub fn working_time(zone: Tz, date: NaiveDate, calendar: &EmployeeCalendar) -> Vec<Interval> {
    calendar
        .week
        .periods(date.weekday())
        .iter()
        .filter_map(|period| {
            Interval::parse(
                zone::edge(zone, date, period.start()),
                zone::edge(zone, date, period.end()),
            )
            .ok()
        })
        .collect()
}

/// The person's working time on the local `date` less their time off and active shoots.
pub fn free_time(zone: Tz, date: NaiveDate, calendar: &EmployeeCalendar) -> Vec<Interval> {
    let mut blocks: Vec<Interval> = calendar
        .time_off
        .iter()
        .chain(&calendar.busy)
        .copied()
        .collect();
    blocks.sort_by_key(|block| block.start());
    let mut free = Vec::new();
    for period in working_time(zone, date, calendar) {
        let mut start = period.start();
        for block in &blocks {
            if block.end() <= start || block.start() >= period.end() {
                continue;
            }
            if let Ok(gap) = Interval::parse(start, block.start()) {
                free.push(gap);
            }
            start = start.max(block.end());
        }
        if let Ok(rest) = Interval::parse(start, period.end()) {
            free.push(rest);
        }
    }
    free
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveTime, TimeDelta, Utc, Weekday};
    use chrono_tz::{America::New_York, UTC};

    use super::*;
    use crate::studio::Position;
    use crate::studio::schedule::{DayHours, WorkingWeek};

    fn t(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    fn date() -> NaiveDate {
        // A Tuesday.
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        date().and_time(t(hour, minute)).and_utc()
    }

    fn span(from: (u32, u32), to: (u32, u32)) -> Interval {
        Interval::parse(at(from.0, from.1), at(to.0, to.1)).unwrap()
    }

    fn calendar(time_off: Vec<Interval>, busy: Vec<Interval>) -> EmployeeCalendar {
        let week = WorkingWeek::from_days(&[DayHours {
            weekday: Weekday::Tue,
            start: t(9, 0),
            end: t(18, 0),
            breaks: vec![(t(12, 0), t(13, 0))],
        }])
        .unwrap();
        EmployeeCalendar {
            id: 1,
            name: "Wei".to_owned(),
            position: Position::Photographer,
            week,
            time_off,
            busy,
        }
    }

    #[test]
    fn free_time_is_working_time_less_time_off_and_shoots() {
        let wei = calendar(
            vec![span((16, 0), (20, 0))],
            vec![span((10, 0), (11, 0)), span((10, 30), (12, 30))],
        );
        assert_eq!(
            working_time(UTC, date(), &wei),
            [span((9, 0), (12, 0)), span((13, 0), (18, 0))]
        );
        assert_eq!(
            free_time(UTC, date(), &wei),
            [span((9, 0), (10, 0)), span((13, 0), (16, 0))]
        );
        // A day off has no time at all.
        let wednesday = date() + TimeDelta::days(1);
        assert!(free_time(UTC, wednesday, &wei).is_empty());
    }

    #[test]
    fn working_time_is_the_local_wall_clock() {
        let wei = calendar(vec![], vec![]);
        // 09:00 in New York in December is 14:00Z.
        assert_eq!(working_time(New_York, date(), &wei)[0].start(), at(14, 0));
    }
}
