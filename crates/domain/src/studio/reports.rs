//! What a studio manager reads: shoots per stage, money taken on package orders per period,
//! and each person's shoots and hours. Periods are whole local days.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::Invalid;

/// The longest period a report covers.
pub const MAX_DAYS: i64 = 366;

/// Local days from `from` to `to`, both included: at most [`MAX_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

impl ReportPeriod {
    pub fn parse(from: NaiveDate, to: NaiveDate) -> Result<Self, Invalid> {
        if to < from {
            return Err(Invalid::new("must not be before `from`"));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(Invalid::new(format!(
                "must be at most {MAX_DAYS} days after `from`"
            )));
        }
        Ok(Self { from, to })
    }

    /// The month `today` falls in, up to its last day.
    pub fn month_of(today: NaiveDate) -> Self {
        let from = today.with_day(1).unwrap_or(today);
        let next = if from.month() == 12 {
            NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
        };
        let to = next.map_or(today, |next| next - TimeDelta::days(1));
        Self { from, to }
    }

    pub fn from(self) -> NaiveDate {
        self.from
    }

    pub fn to(self) -> NaiveDate {
        self.to
    }

    /// The day after the last: where the period ends.
    pub fn end(self) -> NaiveDate {
        self.to + TimeDelta::days(1)
    }
}

/// How a report's rows are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Day,
    Week,
    Month,
}

impl Grouping {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "day" => Some(Self::Day),
            "week" => Some(Self::Week),
            "month" => Some(Self::Month),
            _ => None,
        }
    }

    /// PostgreSQL's `date_trunc` unit.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_run_forward_for_at_most_a_year() {
        assert!(ReportPeriod::parse(date(2026, 3, 2), date(2026, 3, 1)).is_err());
        assert!(ReportPeriod::parse(date(2026, 1, 1), date(2026, 12, 31)).is_ok());
        assert!(ReportPeriod::parse(date(2026, 1, 1), date(2027, 1, 1)).is_ok());
        assert!(ReportPeriod::parse(date(2026, 1, 1), date(2027, 1, 2)).is_err());
        assert_eq!(
            ReportPeriod::parse(date(2026, 3, 1), date(2026, 3, 1))
                .unwrap()
                .end(),
            date(2026, 3, 2)
        );
    }

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let december = ReportPeriod::month_of(date(2026, 12, 24));
        assert_eq!(
            (december.from(), december.to()),
            (date(2026, 12, 1), date(2026, 12, 31))
        );
        let february = ReportPeriod::month_of(date(2028, 2, 10));
        assert_eq!(february.to(), date(2028, 2, 29));
    }

    #[test]
    fn groupings_parse() {
        for g in [Grouping::Day, Grouping::Week, Grouping::Month] {
            assert_eq!(Grouping::parse(g.as_str()), Some(g));
        }
        assert_eq!(Grouping::parse("year"), None);
    }
}
