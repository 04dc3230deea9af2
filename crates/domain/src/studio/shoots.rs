//! Shoots (seed 000 `photo_tasks`): a customer's session at a store, with the people and room
//! it books, moving through the stages studios use.
//!
//! ```text
//! booked → confirmed → shot → selecting (选片) → retouching ⇄ proofing (看版)
//!        → ready_for_pickup (取件) → completed
//! booked | confirmed → cancelled | no_show
//! ```
//!
//! [`check_move`] is the one place that decides whether a shoot may move to a stage and who may
//! move it; the database's exclusion constraints decide whether its time is free.

use chrono::{DateTime, TimeDelta, Utc};
use std::fmt;

use super::{CustomerId, EmployeeId, Position, RoomId, ShootId};
use crate::Invalid;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    Booked,
    Confirmed,
    Shot,
    Selecting,
    Retouching,
    Proofing,
    ReadyForPickup,
    Completed,
    Cancelled,
    NoShow,
}

impl Stage {
    pub const ALL: &[Stage] = &[
        Self::Booked,
        Self::Confirmed,
        Self::Shot,
        Self::Selecting,
        Self::Retouching,
        Self::Proofing,
        Self::ReadyForPickup,
        Self::Completed,
        Self::Cancelled,
        Self::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Shot => "shot",
            Self::Selecting => "selecting",
            Self::Retouching => "retouching",
            Self::Proofing => "proofing",
            Self::ReadyForPickup => "ready_for_pickup",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == raw)
    }

    /// The stages a shoot may move to from this one.
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Booked => &[Confirmed, Cancelled, NoShow],
            Confirmed => &[Shot, Cancelled, NoShow],
            Shot => &[Selecting],
            Selecting => &[Retouching],
            Retouching => &[Proofing],
            // The customer asks for changes, or accepts the proofs.
            Proofing => &[Retouching, ReadyForPickup],
            ReadyForPickup => &[Completed],
            Completed | Cancelled | NoShow => &[],
        }
    }

    /// Whether a shoot here holds its people and room for its time.
    pub fn holds_time(self) -> bool {
        !matches!(self, Self::Cancelled | Self::NoShow)
    }

    /// Whether nothing more can happen to it.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }

    /// Whether its time may still change: only before it is shot.
    pub fn can_reschedule(self) -> bool {
        matches!(self, Self::Booked | Self::Confirmed)
    }

    /// The stages of the work itself, which the people booked for a shoot move it through;
    /// the others (confirming, cancelling, a no-show, the pickup) are the front desk's.
    pub fn is_production(self) -> bool {
        matches!(
            self,
            Self::Shot | Self::Selecting | Self::Retouching | Self::Proofing | Self::ReadyForPickup
        )
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What moving a shoot needs to know besides its stages.
#[derive(Debug, Clone, Copy)]
pub struct MoveContext {
    pub now: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    /// Whether the customer's selection is recorded.
    pub selected: bool,
    /// Whether the shoot's order, if it has one, is paid in full.
    pub balance_paid: bool,
}

/// Who is moving a shoot.
#[derive(Debug, Clone, Copy)]
pub struct Mover {
    /// Holds `studio:schedule`: may make every legal move.
    pub schedules: bool,
    /// Is booked for the shoot or retouches it, and holds `studio:shoots`.
    pub works_on_it: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefusal {
    #[error("a shoot cannot move from {from} to {to}")]
    Illegal { from: Stage, to: Stage },
    /// The people working on a shoot move it through the work's stages only.
    #[error("only the front desk moves a shoot to {to}")]
    NotYours { to: Stage },
    /// Shot or a no-show before it has begun.
    #[error("the shoot has not started yet")]
    NotStarted,
    /// Retouching before the customer has chosen their photos.
    #[error("the customer's selection is not recorded")]
    SelectionMissing,
    /// Handed over while its order still has money owing.
    #[error("the order's balance is not paid")]
    BalanceDue,
}

/// Whether `mover` may move a shoot from `from` to `to` now.
pub fn check_move(
    from: Stage,
    to: Stage,
    mover: Mover,
    context: MoveContext,
) -> Result<(), MoveRefusal> {
    let may = mover.schedules || (mover.works_on_it && to.is_production());
    if !may {
        return Err(MoveRefusal::NotYours { to });
    }
    if !from.next().contains(&to) {
        return Err(MoveRefusal::Illegal { from, to });
    }
    match to {
        Stage::Shot | Stage::NoShow if context.now < context.starts_at => {
            Err(MoveRefusal::NotStarted)
        }
        Stage::Retouching if !context.selected => Err(MoveRefusal::SelectionMissing),
        Stage::Completed if !context.balance_paid => Err(MoveRefusal::BalanceDue),
        _ => Ok(()),
    }
}

/// The longest shoot that can be booked.
pub const MAX_LENGTH: TimeDelta = TimeDelta::hours(16);

/// A shoot's time: it ends after it starts, within [`MAX_LENGTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl Slot {
    pub fn parse(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, Invalid> {
        if ends_at <= starts_at {
            return Err(Invalid::new("must be after starts_at"));
        }
        if ends_at - starts_at > MAX_LENGTH {
            return Err(Invalid::new(format!(
                "must be at most {} hours after starts_at",
                MAX_LENGTH.num_hours()
            )));
        }
        Ok(Self { starts_at, ends_at })
    }

    /// A slot of `minutes` from `starts_at`.
    pub fn lasting(starts_at: DateTime<Utc>, minutes: i64) -> Result<Self, Invalid> {
        if minutes < 1 {
            return Err(Invalid::new("must be at least 1 minute"));
        }
        Self::parse(starts_at, starts_at + TimeDelta::minutes(minutes))
    }

    pub fn starts_at(self) -> DateTime<Utc> {
        self.starts_at
    }

    pub fn ends_at(self) -> DateTime<Utc> {
        self.ends_at
    }
}

/// A person booked for a shoot, and as what: their own position unless given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub employee_id: EmployeeId,
    pub position: Option<Position>,
}

/// The people of a booking: one to ten, each once.
pub fn parse_staff(staff: Vec<Assignment>) -> Result<Vec<Assignment>, Invalid> {
    if staff.is_empty() {
        return Err(Invalid::new("must name at least one person"));
    }
    if staff.len() > 10 {
        return Err(Invalid::new("must name at most 10 people"));
    }
    let mut seen = std::collections::BTreeSet::new();
    if !staff.iter().all(|a| seen.insert(a.employee_id)) {
        return Err(Invalid::new("must name each person once"));
    }
    Ok(staff)
}

/// A shoot's notes: at most 2000 characters.
pub fn parse_notes(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 2000)
}

/// What a package allowed when its shoot was booked (a snapshot, like an order's prices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    pub photos_included: i32,
    pub extra_photo_price: Money,
}

/// The customer's choice (选片): how many photos, and how many of them are beyond the
/// package's allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    pub photos: i32,
    pub extra: i32,
}

impl Selection {
    /// `photos` chosen: 1 to 10,000.
    pub fn parse(photos: i64, allowance: Option<Allowance>) -> Result<Self, Invalid> {
        let photos = i32::try_from(photos)
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| Invalid::new("must be between 1 and 10000"))?;
        let included = allowance.map_or(photos, |a| a.photos_included);
        Ok(Self {
            photos,
            extra: (photos - included).max(0),
        })
    }

    /// What the photos beyond the allowance cost.
    pub fn extra_charge(self, allowance: Option<Allowance>) -> Money {
        allowance.map_or(Money::ZERO, |a| {
            Money::parse(a.extra_photo_price.amount() * rust_decimal::Decimal::from(self.extra))
                .unwrap_or(Money::ZERO)
        })
    }
}

/// Someone or something a shoot names, with what people call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named<Id> {
    pub id: Id,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedPerson {
    pub employee_id: EmployeeId,
    pub name: String,
    pub position: Position,
    /// The account they sign in with, if linked.
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shoot {
    pub id: ShootId,
    pub customer: Named<CustomerId>,
    pub store_code: String,
    pub store_id: i64,
    /// The package order it was booked for.
    pub order_number: Option<String>,
    pub package_sku: Option<String>,
    pub allowance: Option<Allowance>,
    pub room: Option<Named<RoomId>>,
    pub staff: Vec<BookedPerson>,
    pub retoucher: Option<BookedPerson>,
    pub slot: Slot,
    pub stage: Stage,
    pub photos_selected: Option<i32>,
    pub extra_photos: i32,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Shoot {
    /// Whether the account `user_id` is booked for the shoot or retouches it.
    pub fn involves(&self, user_id: i64) -> bool {
        self.staff
            .iter()
            .chain(self.retoucher.iter())
            .any(|p| p.user_id == Some(user_id))
    }
}

/// What happened to a shoot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Booked,
    Stage,
    Rescheduled,
    Selection,
    Staffing,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Stage => "stage",
            Self::Rescheduled => "rescheduled",
            Self::Selection => "selection",
            Self::Staffing => "staffing",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Booked,
            Self::Stage,
            Self::Rescheduled,
            Self::Selection,
            Self::Staffing,
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShootEvent {
    pub id: i64,
    pub kind: EventKind,
    pub from_stage: Option<Stage>,
    pub to_stage: Option<Stage>,
    pub details: serde_json::Value,
    /// The username of who made the change.
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn context() -> MoveContext {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        MoveContext {
            now: at,
            starts_at: at,
            selected: true,
            balance_paid: true,
        }
    }

    const DESK: Mover = Mover {
        schedules: true,
        works_on_it: false,
    };
    const PHOTOGRAPHER: Mover = Mover {
        schedules: false,
        works_on_it: true,
    };
    const STRANGER: Mover = Mover {
        schedules: false,
        works_on_it: false,
    };

    #[test]
    fn the_happy_path_walks_every_stage_in_order() {
        let path = [
            Stage::Booked,
            Stage::Confirmed,
            Stage::Shot,
            Stage::Selecting,
            Stage::Retouching,
            Stage::Proofing,
            Stage::ReadyForPickup,
            Stage::Completed,
        ];
        for pair in path.windows(2) {
            assert_eq!(check_move(pair[0], pair[1], DESK, context()), Ok(()));
        }
        assert_eq!(
            check_move(Stage::Proofing, Stage::Retouching, DESK, context()),
            Ok(())
        );
    }

    #[test]
    fn the_people_on_a_shoot_move_only_the_work_and_strangers_nothing() {
        assert_eq!(
            check_move(Stage::Confirmed, Stage::Shot, PHOTOGRAPHER, context()),
            Ok(())
        );
        assert_eq!(
            check_move(Stage::Booked, Stage::Confirmed, PHOTOGRAPHER, context()),
            Err(MoveRefusal::NotYours {
                to: Stage::Confirmed
            })
        );
        assert_eq!(
            check_move(
                Stage::ReadyForPickup,
                Stage::Completed,
                PHOTOGRAPHER,
                context()
            ),
            Err(MoveRefusal::NotYours {
                to: Stage::Completed
            })
        );
        assert_eq!(
            check_move(Stage::Confirmed, Stage::Shot, STRANGER, context()),
            Err(MoveRefusal::NotYours { to: Stage::Shot })
        );
    }

    #[test]
    fn conditions_of_the_moves() {
        let early = MoveContext {
            now: context().starts_at - TimeDelta::minutes(1),
            ..context()
        };
        assert_eq!(
            check_move(Stage::Confirmed, Stage::Shot, DESK, early),
            Err(MoveRefusal::NotStarted)
        );
        assert_eq!(
            check_move(Stage::Booked, Stage::NoShow, DESK, early),
            Err(MoveRefusal::NotStarted)
        );
        assert_eq!(
            check_move(Stage::Booked, Stage::Cancelled, DESK, early),
            Ok(())
        );
        let unselected = MoveContext {
            selected: false,
            ..context()
        };
        assert_eq!(
            check_move(Stage::Selecting, Stage::Retouching, DESK, unselected),
            Err(MoveRefusal::SelectionMissing)
        );
        let owing = MoveContext {
            balance_paid: false,
            ..context()
        };
        assert_eq!(
            check_move(Stage::ReadyForPickup, Stage::Completed, DESK, owing),
            Err(MoveRefusal::BalanceDue)
        );
    }

    proptest! {
        #[test]
        fn only_listed_moves_are_legal(from in 0..Stage::ALL.len(), to in 0..Stage::ALL.len()) {
            let (from, to) = (Stage::ALL[from], Stage::ALL[to]);
            let legal = check_move(from, to, DESK, context()).is_ok();
            prop_assert_eq!(legal, from.next().contains(&to));
            // Final stages go nowhere; nothing goes back to booked.
            if matches!(from, Stage::Completed | Stage::Cancelled | Stage::NoShow) || to == Stage::Booked {
                prop_assert!(!legal);
            }
        }
    }

    #[test]
    fn stages_parse_back_and_only_cancelled_and_no_show_free_their_time() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(*stage));
            assert_eq!(
                stage.holds_time(),
                !matches!(stage, Stage::Cancelled | Stage::NoShow)
            );
        }
    }

    #[test]
    fn slots_end_after_they_start_within_the_longest_shoot() {
        let at = context().starts_at;
        assert!(Slot::parse(at, at).is_err());
        assert!(Slot::parse(at, at + TimeDelta::hours(17)).is_err());
        assert_eq!(
            Slot::lasting(at, 90).unwrap().ends_at(),
            at + TimeDelta::minutes(90)
        );
        assert!(Slot::lasting(at, 0).is_err());
    }

    #[test]
    fn staff_are_named_once() {
        let a = |id| Assignment {
            employee_id: id,
            position: Some(Position::Photographer),
        };
        assert!(parse_staff(vec![]).is_err());
        assert!(parse_staff(vec![a(1), a(1)]).is_err());
        assert_eq!(parse_staff(vec![a(1), a(2)]).unwrap().len(), 2);
    }

    #[test]
    fn photos_beyond_the_allowance_are_extra_and_charged() {
        let allowance = Allowance {
            photos_included: 30,
            extra_photo_price: Money::parse(rust_decimal::Decimal::new(5000, 2)).unwrap(),
        };
        let within = Selection::parse(25, Some(allowance)).unwrap();
        assert_eq!(within.extra, 0);
        assert_eq!(within.extra_charge(Some(allowance)), Money::ZERO);
        let beyond = Selection::parse(34, Some(allowance)).unwrap();
        assert_eq!(beyond.extra, 4);
        assert_eq!(
            beyond.extra_charge(Some(allowance)).amount(),
            rust_decimal::Decimal::new(20000, 2)
        );
        assert_eq!(Selection::parse(40, None).unwrap().extra, 0);
        assert!(Selection::parse(0, None).is_err());
    }
}
