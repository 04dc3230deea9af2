//! Whether a person can be booked for a span of time: inside one of their working periods of
//! that local day, and clear of their time off. Whether they are booked already is the
//! database's to settle (the exclusion constraint on `shoot_staff`).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Interval, TimeOff, WorkingWeek, zone};

/// Why a person cannot be booked for a span.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkingTimeConflict {
    /// The span is not inside one working period (it starts before, ends after, or crosses a
    /// break or midnight).
    #[error("outside the person's working hours")]
    OutsideWorkingHours,
    /// The span overlaps this time off.
    #[error("during the person's time off")]
    DuringTimeOff(TimeOff),
}

/// Whether the person whose week and time off these are may be booked for `[start, end)`, in
/// the store's `zone` (see [`zone`] for days when the clocks change).
pub fn check_working_time(
    week: &WorkingWeek,
    time_off: &[TimeOff],
    zone: Tz,
    during: Interval,
) -> Result<(), WorkingTimeConflict> {
    if !within_working_hours(week, zone, during.start(), during.end()) {
        return Err(WorkingTimeConflict::OutsideWorkingHours);
    }
    match time_off
        .iter()
        .find(|off| off.terms.during.overlaps(during))
    {
        Some(off) => Err(WorkingTimeConflict::DuringTimeOff(off.clone())),
        None => Ok(()),
    }
}

/// Whether `[start, end)` lies inside one working period of the local day `start` falls on.
pub(super) fn within_working_hours(
    week: &WorkingWeek,
    zone: Tz,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> bool {
    let date = start.with_timezone(&zone).date_naive();
    week.periods(chrono::Datelike::weekday(&date))
        .iter()
        .any(|period| {
            zone::edge(zone, date, period.start()) <= start
                && end <= zone::edge(zone, date, period.end())
        })
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveTime, Weekday};
    use chrono_tz::America::New_York;

    use super::*;
    use crate::studio::schedule::{DayHours, TimeOffSubject, TimeOffTerms};

    fn t(raw: &str) -> NaiveTime {
        NaiveTime::parse_from_str(raw, "%H:%M").unwrap()
    }

    fn span(start: &str, end: &str) -> Interval {
        Interval::parse(start.parse().unwrap(), end.parse().unwrap()).unwrap()
    }

    /// Sundays 09:00–18:00 with lunch 12:00–13:00.
    fn sundays() -> WorkingWeek {
        WorkingWeek::from_days(&[DayHours {
            weekday: Weekday::Sun,
            start: t("09:00"),
            end: t("18:00"),
            breaks: vec![(t("12:00"), t("13:00"))],
        }])
        .unwrap()
    }

    #[test]
    fn inside_a_period_on_the_spring_forward_day() {
        // 2026-03-08, New York: 09:00 local is 13:00Z (EDT), not 14:00Z.
        let week = sundays();
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-08T13:00:00Z", "2026-03-08T16:00:00Z")
            ),
            Ok(())
        );
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-08T12:30:00Z", "2026-03-08T13:30:00Z")
            ),
            Err(WorkingTimeConflict::OutsideWorkingHours)
        );
        // A week earlier 09:00 was 14:00Z.
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-01T13:00:00Z", "2026-03-01T14:00:00Z")
            ),
            Err(WorkingTimeConflict::OutsideWorkingHours)
        );
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-01T14:00:00Z", "2026-03-01T15:00:00Z")
            ),
            Ok(())
        );
    }

    #[test]
    fn not_across_a_break_nor_on_a_day_off() {
        let week = sundays();
        // 11:30–12:30 EDT crosses lunch.
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-08T15:30:00Z", "2026-03-08T16:30:00Z")
            ),
            Err(WorkingTimeConflict::OutsideWorkingHours)
        );
        // A Monday.
        assert_eq!(
            check_working_time(
                &week,
                &[],
                New_York,
                span("2026-03-09T13:00:00Z", "2026-03-09T14:00:00Z")
            ),
            Err(WorkingTimeConflict::OutsideWorkingHours)
        );
    }

    #[test]
    fn not_during_time_off() {
        let off = TimeOff {
            id: 7,
            terms: TimeOffTerms {
                subject: TimeOffSubject::Employee(1),
                during: span("2026-03-08T14:00:00Z", "2026-03-08T15:00:00Z"),
                reason: "dentist".to_owned(),
            },
            created_by: None,
            created_at: "2026-03-01T00:00:00Z".parse().unwrap(),
        };
        let week = sundays();
        assert_eq!(
            check_working_time(
                &week,
                std::slice::from_ref(&off),
                New_York,
                span("2026-03-08T14:30:00Z", "2026-03-08T15:30:00Z")
            ),
            Err(WorkingTimeConflict::DuringTimeOff(off.clone()))
        );
        assert_eq!(
            check_working_time(
                &week,
                &[off],
                New_York,
                span("2026-03-08T15:00:00Z", "2026-03-08T16:00:00Z")
            ),
            Ok(())
        );
    }
}
