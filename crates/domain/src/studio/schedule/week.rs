//! A person's working week, in two shapes: as people write it, a day's span with breaks
//! ([`DayHours`]), and as it is stored, the periods worked between the breaks ([`LocalPeriod`]
//! per weekday). [`WorkingWeek`] holds the second and converts both ways.

use chrono::{NaiveTime, Timelike, Weekday};

use crate::{FieldErrors, Fields, Invalid};

/// The most periods one day may have (so at most seven breaks).
pub const MAX_PERIODS_PER_DAY: usize = 8;

/// A stretch of local wall-clock time within one day, `[start, end)`, on whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalPeriod {
    start: NaiveTime,
    end: NaiveTime,
}

fn on_a_minute(time: NaiveTime) -> bool {
    time.second() == 0 && time.nanosecond() == 0
}

impl LocalPeriod {
    pub fn parse(start: NaiveTime, end: NaiveTime) -> Result<Self, Invalid> {
        if !on_a_minute(start) || !on_a_minute(end) {
            return Err(Invalid::new("times must be whole minutes (HH:MM)"));
        }
        if start >= end {
            return Err(Invalid::new("must end after it starts"));
        }
        Ok(Self { start, end })
    }

    pub fn start(self) -> NaiveTime {
        self.start
    }

    pub fn end(self) -> NaiveTime {
        self.end
    }
}

/// A working day as people write it: from `start` to `end`, except the breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayHours {
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub breaks: Vec<(NaiveTime, NaiveTime)>,
}

/// When a person works, each weekday's periods sorted and apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingWeek {
    days: [Vec<LocalPeriod>; 7],
}

impl WorkingWeek {
    /// From the days as written; field names are `days[i]...`. A weekday given twice, a break
    /// outside its day or overlapping another, or more than [`MAX_PERIODS_PER_DAY`] periods
    /// are refused.
    pub fn from_days(days: &[DayHours]) -> Result<Self, FieldErrors> {
        let mut fields = Fields::default();
        let mut week = Self::default();
        let mut seen = [false; 7];
        for (i, day) in days.iter().enumerate() {
            let index = day.weekday.num_days_from_monday() as usize;
            if std::mem::replace(&mut seen[index], true) {
                fields.check::<()>(
                    &format!("days[{i}].weekday"),
                    Err(Invalid::new("is given twice")),
                );
                continue;
            }
            if let Some(periods) = day_periods(day, i, &mut fields) {
                week.days[index] = periods;
            }
        }
        fields.finish()?;
        Ok(week)
    }

    /// From stored periods, in any order; they must not overlap.
    pub fn from_periods(
        periods: impl IntoIterator<Item = (Weekday, LocalPeriod)>,
    ) -> Result<Self, Invalid> {
        let mut week = Self::default();
        for (weekday, period) in periods {
            week.days[weekday.num_days_from_monday() as usize].push(period);
        }
        for periods in &mut week.days {
            periods.sort_unstable();
            if periods.windows(2).any(|pair| pair[1].start < pair[0].end) {
                return Err(Invalid::new("working periods of a day overlap"));
            }
        }
        Ok(week)
    }

    /// The periods of `weekday`, in order.
    pub fn periods(&self, weekday: Weekday) -> &[LocalPeriod] {
        &self.days[weekday.num_days_from_monday() as usize]
    }

    /// Every period, Monday first: the stored shape.
    pub fn all_periods(&self) -> impl Iterator<Item = (Weekday, LocalPeriod)> + '_ {
        WEEK.iter()
            .flat_map(|&weekday| self.periods(weekday).iter().map(move |&p| (weekday, p)))
    }

    /// The days worked, Monday first, as people write them: the span from the first period's
    /// start to the last one's end, and the gaps between periods as breaks.
    pub fn days(&self) -> Vec<DayHours> {
        WEEK.iter()
            .filter_map(|&weekday| {
                let periods = self.periods(weekday);
                let (first, last) = (periods.first()?, periods.last()?);
                Some(DayHours {
                    weekday,
                    start: first.start,
                    end: last.end,
                    breaks: periods
                        .windows(2)
                        .filter(|pair| pair[0].end < pair[1].start)
                        .map(|pair| (pair[0].end, pair[1].start))
                        .collect(),
                })
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The periods a day's span leaves between its breaks, or `None` with the refusals recorded.
fn day_periods(day: &DayHours, i: usize, fields: &mut Fields) -> Option<Vec<LocalPeriod>> {
    let span = fields.check(
        &format!("days[{i}].ends_at"),
        LocalPeriod::parse(day.start, day.end),
    );
    let mut breaks = Vec::with_capacity(day.breaks.len());
    let mut valid = span.is_some();
    for (j, &(start, end)) in day.breaks.iter().enumerate() {
        let field = format!("days[{i}].breaks[{j}]");
        let parsed = LocalPeriod::parse(start, end).and_then(|b| match span {
            Some(span) if b.start <= span.start || b.end >= span.end => Err(Invalid::new(
                "must lie inside the day, after it starts and before it ends",
            )),
            _ => Ok(b),
        });
        match fields.check(&field, parsed) {
            Some(b) => breaks.push((j, b)),
            None => valid = false,
        }
    }
    breaks.sort_unstable_by_key(|&(_, b)| b);
    for pair in breaks.windows(2) {
        if pair[1].1.start < pair[0].1.end {
            valid = false;
            fields.check::<()>(
                &format!("days[{i}].breaks[{}]", pair[1].0),
                Err(Invalid::new("overlaps another break")),
            );
        }
    }
    if breaks.len() >= MAX_PERIODS_PER_DAY {
        valid = false;
        fields.check::<()>(
            &format!("days[{i}].breaks"),
            Err(Invalid::new(format!(
                "must be at most {} breaks",
                MAX_PERIODS_PER_DAY - 1
            ))),
        );
    }
    let span = span.filter(|_| valid)?;
    let mut periods = Vec::with_capacity(breaks.len() + 1);
    let mut from = span.start;
    for (_, b) in &breaks {
        // Touching breaks leave no period between them.
        if from < b.start {
            periods.push(LocalPeriod {
                start: from,
                end: b.start,
            });
        }
        from = b.end;
    }
    periods.push(LocalPeriod {
        start: from,
        end: span.end,
    });
    Some(periods)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t(raw: &str) -> NaiveTime {
        NaiveTime::parse_from_str(raw, "%H:%M").unwrap()
    }

    fn day(weekday: Weekday, start: &str, end: &str, breaks: &[(&str, &str)]) -> DayHours {
        DayHours {
            weekday,
            start: t(start),
            end: t(end),
            breaks: breaks.iter().map(|&(s, e)| (t(s), t(e))).collect(),
        }
    }

    fn refused(days: &[DayHours]) -> Vec<String> {
        WorkingWeek::from_days(days)
            .unwrap_err()
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    }

    #[test]
    fn breaks_split_the_day_into_periods() {
        let week = WorkingWeek::from_days(&[day(
            Weekday::Mon,
            "09:00",
            "18:00",
            &[("15:00", "15:15"), ("12:00", "13:00")],
        )])
        .unwrap();
        assert_eq!(
            week.periods(Weekday::Mon),
            &[
                LocalPeriod::parse(t("09:00"), t("12:00")).unwrap(),
                LocalPeriod::parse(t("13:00"), t("15:00")).unwrap(),
                LocalPeriod::parse(t("15:15"), t("18:00")).unwrap(),
            ]
        );
        assert!(week.periods(Weekday::Tue).is_empty());
        // Back as written, breaks in order.
        assert_eq!(
            week.days(),
            vec![day(
                Weekday::Mon,
                "09:00",
                "18:00",
                &[("12:00", "13:00"), ("15:00", "15:15")]
            )]
        );
    }

    #[test]
    fn a_day_must_end_after_it_starts() {
        assert_eq!(
            refused(&[day(Weekday::Mon, "18:00", "09:00", &[])]),
            ["days[0].ends_at"]
        );
    }

    #[test]
    fn breaks_lie_inside_the_day_and_apart() {
        assert_eq!(
            refused(&[day(
                Weekday::Tue,
                "09:00",
                "18:00",
                &[("08:00", "10:00"), ("12:00", "13:00"), ("12:30", "14:00")]
            )]),
            ["days[0].breaks[0]", "days[0].breaks[2]"]
        );
        assert_eq!(
            refused(&[day(Weekday::Tue, "09:00", "18:00", &[("09:00", "10:00")])]),
            ["days[0].breaks[0]"]
        );
    }

    #[test]
    fn a_weekday_once_and_times_on_a_minute() {
        assert_eq!(
            refused(&[
                day(Weekday::Wed, "09:00", "18:00", &[]),
                day(Weekday::Wed, "10:00", "11:00", &[]),
            ]),
            ["days[1].weekday"]
        );
        let mut seconds = day(Weekday::Thu, "09:00", "18:00", &[]);
        seconds.start = NaiveTime::from_hms_opt(9, 0, 30).unwrap();
        assert_eq!(refused(&[seconds]), ["days[0].ends_at"]);
    }

    #[test]
    fn at_most_seven_breaks() {
        let breaks: Vec<(String, String)> = (0..8)
            .map(|h| (format!("{:02}:00", 10 + h), format!("{:02}:30", 10 + h)))
            .collect();
        let breaks: Vec<(&str, &str)> = breaks.iter().map(|(s, e)| (&**s, &**e)).collect();
        assert_eq!(
            refused(&[day(Weekday::Fri, "09:00", "20:00", &breaks)]),
            ["days[0].breaks"]
        );
        assert!(
            WorkingWeek::from_days(&[day(Weekday::Fri, "09:00", "20:00", &breaks[..7])]).is_ok()
        );
    }

    #[test]
    fn stored_periods_may_not_overlap() {
        let p = |s, e| LocalPeriod::parse(t(s), t(e)).unwrap();
        assert!(
            WorkingWeek::from_periods([
                (Weekday::Mon, p("13:00", "18:00")),
                (Weekday::Mon, p("09:00", "12:00"))
            ])
            .is_ok()
        );
        assert!(
            WorkingWeek::from_periods([
                (Weekday::Mon, p("09:00", "13:00")),
                (Weekday::Mon, p("12:00", "18:00"))
            ])
            .is_err()
        );
    }

    /// Up to seven weekdays, each with sorted, apart periods on minutes.
    fn any_week() -> impl Strategy<Value = WorkingWeek> {
        proptest::collection::vec(
            proptest::collection::btree_set(0u32..(24 * 60), 0..(2 * MAX_PERIODS_PER_DAY)),
            7,
        )
        .prop_map(|days| {
            let periods = days.into_iter().enumerate().flat_map(|(d, minutes)| {
                let minutes: Vec<u32> = minutes.into_iter().collect();
                minutes
                    .chunks_exact(2)
                    .map(|pair| {
                        let at = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
                        (
                            WEEK[d],
                            LocalPeriod::parse(at(pair[0]), at(pair[1])).unwrap(),
                        )
                    })
                    .collect::<Vec<_>>()
            });
            WorkingWeek::from_periods(periods).unwrap()
        })
    }

    proptest! {
        #[test]
        fn periods_and_days_round_trip(week in any_week()) {
            let days = week.days();
            prop_assert_eq!(&WorkingWeek::from_days(&days).unwrap(), &week);
            let stored: Vec<_> = week.all_periods().collect();
            prop_assert_eq!(WorkingWeek::from_periods(stored).unwrap(), week);
        }
    }
}
