use chrono::{Timelike, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::London;
use proptest::prelude::*;

use super::*;
use crate::studio::schedule::{DayHours, LocalPeriod};

fn t(raw: &str) -> NaiveTime {
    NaiveTime::parse_from_str(raw, "%H:%M").unwrap()
}

fn d(raw: &str) -> NaiveDate {
    raw.parse().unwrap()
}

fn utc(raw: &str) -> DateTime<Utc> {
    raw.parse().unwrap()
}

fn span(start: &str, end: &str) -> Interval {
    Interval::parse(utc(start), utc(end)).unwrap()
}

/// Every day 09:00–18:00 with lunch 12:00–13:00.
fn nine_to_six() -> WorkingWeek {
    let days: Vec<DayHours> = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(|weekday| DayHours {
        weekday,
        start: t("09:00"),
        end: t("18:00"),
        breaks: vec![(t("12:00"), t("13:00"))],
    })
    .collect();
    WorkingWeek::from_days(&days).unwrap()
}

fn person(id: EmployeeId) -> EmployeeCalendar {
    EmployeeCalendar {
        id,
        name: format!("Person {id}"),
        position: Position::Photographer,
        week: nine_to_six(),
        time_off: vec![],
        busy: vec![],
    }
}

fn request(zone: Tz, from: &str, to: &str, minutes: i64) -> AvailabilityRequest {
    AvailabilityRequest {
        zone,
        days: DateRange::parse(d(from), d(to)).unwrap(),
        rules: SlotRules::parse(minutes, None, None, None).unwrap(),
        now: utc("2000-01-01T00:00:00Z"),
    }
}

fn starts(slots: &[Slot]) -> Vec<String> {
    slots
        .iter()
        .map(|s| s.local_start.format("%H:%M").to_string())
        .collect()
}

#[test]
fn slots_fill_the_working_periods_around_the_break() {
    let slots = free_slots(
        &request(London, "2026-06-01", "2026-06-01", 60),
        &[person(1)],
        &[],
    );
    assert_eq!(
        starts(&slots),
        [
            "09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30", "14:00", "14:30",
            "15:00", "15:30", "16:00", "16:30", "17:00"
        ]
    );
    // BST: 09:00 local is 08:00Z.
    assert_eq!(slots[0].start, utc("2026-06-01T08:00:00Z"));
    assert_eq!(slots[0].end, utc("2026-06-01T09:00:00Z"));
    assert_eq!(slots[0].employees, [1]);
}

#[test]
fn spring_forward_in_new_york() {
    let day = free_slots(
        &request(New_York, "2026-03-07", "2026-03-08", 60),
        &[person(1)],
        &[],
    );
    let first_of = |date: &str| {
        day.iter()
            .find(|s| s.local_start.date() == d(date))
            .unwrap()
    };
    assert_eq!(first_of("2026-03-07").start, utc("2026-03-07T14:00:00Z"));
    assert_eq!(first_of("2026-03-08").start, utc("2026-03-08T13:00:00Z"));

    // Someone working through the night never starts at 02:00 or 02:30, which do not exist.
    let mut night = person(2);
    night.week = WorkingWeek::from_periods([(
        Weekday::Sun,
        LocalPeriod::parse(t("00:00"), t("06:00")).unwrap(),
    )])
    .unwrap();
    let slots = free_slots(
        &request(New_York, "2026-03-08", "2026-03-08", 30),
        &[night],
        &[],
    );
    assert_eq!(
        starts(&slots),
        [
            "00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00",
            "05:30"
        ]
    );
    // 01:30 EST and 03:00 EDT are half an hour apart in real time.
    assert_eq!(slots[3].start, utc("2026-03-08T06:30:00Z"));
    assert_eq!(slots[4].start, utc("2026-03-08T07:00:00Z"));
}

#[test]
fn fall_back_in_london_takes_the_earlier_of_a_repeated_time() {
    let mut night = person(1);
    night.week = WorkingWeek::from_periods([(
        Weekday::Sun,
        LocalPeriod::parse(t("00:00"), t("04:00")).unwrap(),
    )])
    .unwrap();
    let slots = free_slots(
        &request(London, "2026-10-25", "2026-10-25", 60),
        &[night],
        &[],
    );
    assert_eq!(
        starts(&slots),
        [
            "00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00"
        ]
    );
    // 01:00 is its BST instant; an hour of real time later 01:00 GMT starts none.
    assert_eq!(slots[2].start, utc("2026-10-25T00:00:00Z"));
    assert_eq!(slots[4].start, utc("2026-10-25T02:00:00Z"));
    // A slot lasts its real hour across the change: 01:30 BST to 01:30 GMT.
    assert_eq!(slots[3].end, utc("2026-10-25T01:30:00Z"));
    // And on the day after, 09:00 is 09:00Z again.
    let after = free_slots(
        &request(London, "2026-10-26", "2026-10-26", 60),
        &[person(3)],
        &[],
    );
    assert_eq!(after[0].start, utc("2026-10-26T09:00:00Z"));
}

#[test]
fn time_off_shoots_with_buffers_and_now() {
    let mut busy = person(1);
    // 10:00–11:00 BST off; a shoot 14:00–15:00 BST.
    busy.time_off = vec![span("2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z")];
    busy.busy = vec![span("2026-06-01T13:00:00Z", "2026-06-01T14:00:00Z")];
    let mut ask = request(London, "2026-06-01", "2026-06-01", 60);
    ask.rules = SlotRules::parse(60, Some(60), Some(30), Some(30)).unwrap();
    let slots = free_slots(&ask, &[busy], &[]);
    // 09:00 ends at 10:00 (time off starts then: free); 13:00 ends 14:00 but its 30 minutes after
    // run into the shoot; 15:00 starts when it ends but the 30 minutes before do not.
    assert_eq!(starts(&slots), ["09:00", "11:00", "16:00", "17:00"]);

    ask.now = utc("2026-06-01T15:00:01Z");
    assert_eq!(starts(&free_slots(&ask, &[person(1)], &[])), ["17:00"]);
}

#[test]
fn a_slot_needs_a_free_room_when_the_store_has_rooms() {
    let rooms = [
        RoomCalendar {
            id: 10,
            closures: vec![span("2026-06-01T08:00:00Z", "2026-06-01T10:00:00Z")],
            busy: vec![],
        },
        RoomCalendar {
            id: 11,
            closures: vec![],
            busy: vec![span("2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z")],
        },
    ];
    let mut ask = request(London, "2026-06-01", "2026-06-01", 60);
    ask.rules = SlotRules::parse(60, Some(60), None, None).unwrap();
    let slots = free_slots(&ask, &[person(1), person(2)], &rooms);
    // 09:00 BST: room 10 closed, room 11 busy. 10:00: only room 11. 11:00: both.
    assert_eq!(starts(&slots)[..2], ["10:00", "11:00"]);
    assert_eq!(slots[0].rooms, [11]);
    assert_eq!(slots[1].rooms, [10, 11]);
    assert_eq!(slots[1].employees, [1, 2]);
}

#[test]
fn requests_are_bounded() {
    assert!(DateRange::parse(d("2026-01-02"), d("2026-01-01")).is_err());
    assert!(DateRange::parse(d("2026-01-01"), d("2026-03-03")).is_ok());
    assert!(DateRange::parse(d("2026-01-01"), d("2026-03-04")).is_err());
    let fields: Vec<String> = SlotRules::parse(0, Some(4), Some(-1), Some(241))
        .unwrap_err()
        .into_iter()
        .map(|(field, _)| field)
        .collect();
    assert_eq!(
        fields,
        [
            "duration_minutes",
            "step_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes"
        ]
    );
}

#[test]
fn fifty_people_over_a_month_is_quick() {
    let people: Vec<EmployeeCalendar> = (0..50)
        .map(|i| {
            let mut p = person(i);
            p.busy = (0..31)
                .map(|day| {
                    let start = utc("2026-07-01T10:00:00Z")
                        + TimeDelta::days(day)
                        + TimeDelta::minutes(i * 7 % 300);
                    Interval::parse(start, start + TimeDelta::hours(2)).unwrap()
                })
                .collect();
            p
        })
        .collect();
    let ask = request(New_York, "2026-07-01", "2026-07-31", 60);
    let started = std::time::Instant::now();
    let slots = free_slots(&ask, &people, &[]);
    // Debug build, so only a loose bound; `cargo xtask bench availability` measures release.
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(slots.len(), 31 * 14);
}

/// A period's instants found by walking the minutes: from the first whose local time is in it
/// to the first after that which is past its end or on another day.
fn period_instants(zone: Tz, date: NaiveDate, p: LocalPeriod) -> (DateTime<Utc>, DateTime<Utc>) {
    let mut at = date.and_time(NaiveTime::MIN).and_utc() - TimeDelta::hours(15);
    let local = |at: DateTime<Utc>| at.with_timezone(&zone).naive_local();
    while local(at).date() < date || (local(at).date() == date && local(at).time() < p.start()) {
        at += TimeDelta::minutes(1);
    }
    let from = at;
    while local(at).date() == date && local(at).time() < p.end() {
        at += TimeDelta::minutes(1);
    }
    (from, at)
}

// What a slot is, checked the slow way: minute by minute, interval by interval.
fn brute_force(
    request: &AvailabilityRequest,
    employees: &[EmployeeCalendar],
    rooms: &[RoomCalendar],
) -> Vec<Slot> {
    let zone = request.zone;
    let rules = request.rules;
    let range = request.days.instants(zone, TimeDelta::zero());
    let mut periods = std::collections::HashMap::new();
    let mut slots = Vec::new();
    let mut start = range.start();
    while start < range.end() {
        let local = start.with_timezone(&zone).naive_local();
        let minute_of_day = i64::from(local.time().num_seconds_from_midnight() / 60);
        let first_time = (1..=180).all(|m| {
            (start - TimeDelta::minutes(m))
                .with_timezone(&zone)
                .naive_local()
                != local
        });
        if minute_of_day % rules.step.num_minutes() == 0 && first_time && start >= request.now {
            let end = start + rules.duration;
            let slot = Interval::parse(start, end).unwrap();
            let kept =
                Interval::parse(start - rules.buffer_before, end + rules.buffer_after).unwrap();
            let mut works = |week: &WorkingWeek| {
                week.periods(local.date().weekday()).iter().any(|&p| {
                    let (from, to) = *periods
                        .entry((local.date(), p))
                        .or_insert_with(|| period_instants(zone, local.date(), p));
                    from <= start && end <= to
                })
            };
            let free: Vec<EmployeeId> = employees
                .iter()
                .filter(|e| {
                    works(&e.week)
                        && e.time_off.iter().all(|o| !o.overlaps(slot))
                        && e.busy.iter().all(|b| !b.overlaps(kept))
                })
                .map(|e| e.id)
                .collect();
            let free_rooms: Vec<RoomId> = rooms
                .iter()
                .filter(|r| {
                    r.closures.iter().all(|c| !c.overlaps(slot))
                        && r.busy.iter().all(|b| !b.overlaps(kept))
                })
                .map(|r| r.id)
                .collect();
            if !free.is_empty() && (rooms.is_empty() || !free_rooms.is_empty()) {
                slots.push(Slot {
                    start,
                    end,
                    local_start: local,
                    employees: free,
                    rooms: free_rooms,
                });
            }
        }
        start += TimeDelta::minutes(1);
    }
    slots
}

fn any_intervals(base: DateTime<Utc>) -> impl Strategy<Value = Vec<Interval>> {
    proptest::collection::vec((0i64..(3 * 24 * 60), 5i64..300), 0..4).prop_map(move |spans| {
        spans
            .into_iter()
            .map(|(at, length)| {
                let start = base + TimeDelta::minutes(at);
                Interval::parse(start, start + TimeDelta::minutes(length)).unwrap()
            })
            .collect()
    })
}

fn any_week() -> impl Strategy<Value = WorkingWeek> {
    proptest::collection::vec((0u32..7, 0u32..(24 * 60 - 1), 5u32..600), 0..6).prop_map(|periods| {
        let mut by_day: Vec<Vec<(u32, u32)>> = vec![Vec::new(); 7];
        for (day, start, length) in periods {
            let end = (start + length).min(24 * 60 - 1);
            let taken = by_day[day as usize]
                .iter()
                .any(|&(s, e)| start < e && s < end);
            if start < end && !taken {
                by_day[day as usize].push((start, end));
            }
        }
        let at = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap();
        WorkingWeek::from_periods(by_day.into_iter().enumerate().flat_map(|(day, spans)| {
            spans.into_iter().map(move |(s, e)| {
                (
                    Weekday::try_from(day as u8).unwrap(),
                    LocalPeriod::parse(at(s), at(e)).unwrap(),
                )
            })
        }))
        .unwrap()
    })
}

/// Days around the clock changes of New York and London, and an ordinary one.
fn any_day() -> impl Strategy<Value = (Tz, NaiveDate)> {
    prop_oneof![
        Just((New_York, d("2026-03-07"))),
        Just((New_York, d("2026-10-31"))),
        Just((London, d("2026-03-28"))),
        Just((London, d("2026-10-24"))),
        Just((London, d("2026-06-10"))),
    ]
}

fn any_case() -> impl Strategy<
    Value = (
        AvailabilityRequest,
        Vec<EmployeeCalendar>,
        Vec<RoomCalendar>,
    ),
> {
    any_day().prop_flat_map(|(zone, from)| {
        let base = zone::edge(zone, from, NaiveTime::MIN) - TimeDelta::hours(6);
        (
            Just(zone),
            Just(from),
            0i64..2,
            (
                1i64..150,
                prop_oneof![Just(5i64), Just(15), Just(30), Just(45), Just(60)],
                0i64..60,
                0i64..60,
            ),
            0i64..(3 * 24 * 60),
            proptest::collection::vec((any_week(), any_intervals(base), any_intervals(base)), 1..4),
            proptest::collection::vec((any_intervals(base), any_intervals(base)), 0..3),
        )
            .prop_map(
                move |(
                    zone,
                    from,
                    extra_days,
                    (duration, step, before, after),
                    now,
                    people,
                    rooms,
                )| {
                    let request = AvailabilityRequest {
                        zone,
                        days: DateRange::parse(from, from + TimeDelta::days(extra_days)).unwrap(),
                        rules: SlotRules::parse(duration, Some(step), Some(before), Some(after))
                            .unwrap(),
                        now: base + TimeDelta::minutes(now) - TimeDelta::days(1),
                    };
                    let people = people
                        .into_iter()
                        .enumerate()
                        .map(|(i, (week, time_off, busy))| EmployeeCalendar {
                            id: i as i64 + 1,
                            name: String::new(),
                            position: Position::Photographer,
                            week,
                            time_off,
                            busy,
                        })
                        .collect();
                    let rooms = rooms
                        .into_iter()
                        .enumerate()
                        .map(|(i, (closures, busy))| RoomCalendar {
                            id: i as i64 + 100,
                            closures,
                            busy,
                        })
                        .collect();
                    (request, people, rooms)
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_slots_are_exactly_those_a_brute_force_finds((request, people, rooms) in any_case()) {
        let slots = free_slots(&request, &people, &rooms);
        let expected = brute_force(&request, &people, &rooms);
        prop_assert_eq!(slots, expected);
    }
}
