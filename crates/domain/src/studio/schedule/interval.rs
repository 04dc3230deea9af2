//! A half-open span of time, `[start, end)`, and sorted sets of them that answer "does this
//! overlap anything?" by binary search.

use chrono::{DateTime, Utc};

use crate::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Interval {
    pub fn parse(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, Invalid> {
        if start < end {
            Ok(Self { start, end })
        } else {
            Err(Invalid::new("must end after it starts"))
        }
    }

    pub fn start(self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(self) -> DateTime<Utc> {
        self.end
    }

    pub fn overlaps(self, other: Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(self, other: Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Intervals merged into disjoint ones in order of time, so that one binary search tells
/// whether a span overlaps any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disjoint(Vec<Interval>);

impl Disjoint {
    pub fn new(mut intervals: Vec<Interval>) -> Self {
        intervals.sort_unstable();
        let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
        for interval in intervals {
            match merged.last_mut() {
                Some(last) if interval.start <= last.end => {
                    last.end = last.end.max(interval.end);
                }
                _ => merged.push(interval),
            }
        }
        Self(merged)
    }

    /// Whether `[start, end)` overlaps one of the intervals.
    pub fn overlaps(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let first_ending_after = self.0.partition_point(|i| i.end <= start);
        self.0
            .get(first_ending_after)
            .is_some_and(|i| i.start < end)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + minute * 60, 0).unwrap()
    }

    #[test]
    fn an_interval_must_end_after_it_starts() {
        assert!(Interval::parse(at(0), at(0)).is_err());
        assert!(Interval::parse(at(1), at(0)).is_err());
        assert!(Interval::parse(at(0), at(1)).is_ok());
    }

    #[test]
    fn touching_intervals_do_not_overlap() {
        let set = Disjoint::new(vec![Interval::parse(at(10), at(20)).unwrap()]);
        assert!(!set.overlaps(at(0), at(10)));
        assert!(!set.overlaps(at(20), at(30)));
        assert!(set.overlaps(at(19), at(30)));
        assert!(set.overlaps(at(0), at(11)));
        assert!(set.overlaps(at(12), at(13)));
    }

    proptest! {
        #[test]
        fn the_search_agrees_with_a_scan(
            spans in proptest::collection::vec((0i64..200, 1i64..30), 0..12),
            start in 0i64..240,
            length in 1i64..40,
        ) {
            let intervals: Vec<Interval> = spans
                .iter()
                .map(|&(s, l)| Interval::parse(at(s), at(s + l)).unwrap())
                .collect();
            let probe = Interval::parse(at(start), at(start + length)).unwrap();
            let scan = intervals.iter().any(|i| i.overlaps(probe));
            prop_assert_eq!(Disjoint::new(intervals).overlaps(probe.start(), probe.end()), scan);
        }
    }
}
