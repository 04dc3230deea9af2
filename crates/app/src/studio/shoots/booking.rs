//! Booking shoots, finding them, the day board, and moving a shoot to another time.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use domain::identity::user::Principal;
use domain::ordering::order::{OrderStatus, status_at};
use domain::pagination::{Page, PageRequest};
use domain::stores::store::Store;
use domain::studio::schedule::zone::edge;
use domain::studio::schedule::{Interval, free_time, working_time};
use domain::studio::shoots::{self, Allowance, Assignment, Shoot, Slot};
use domain::studio::{CustomerId, EmployeeId, RoomId, ShootId};
use domain::{Fields, Invalid};
use ports::studio::schedule::Candidates;
use ports::studio::shoots::{BookedPackage, NewShoot, ShootChange, ShootFilter, ShootKey};

use super::{Shoots, ShootsError, schedules};

/// A booking as received.
#[derive(Debug, Clone)]
pub struct BookingInput {
    pub customer_id: CustomerId,
    /// The store's code.
    pub store: String,
    pub starts_at: DateTime<Utc>,
    /// The end; or `duration_minutes`; or, for a package order, its package's shoot length.
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    /// The number of the customer's package order the shoot is for.
    pub order: Option<String>,
    pub staff: Vec<Assignment>,
    pub room_id: Option<RoomId>,
    pub notes: Option<String>,
}

/// A change of a booked shoot as received; `None` keeps what it has.
#[derive(Debug, Clone, Default)]
pub struct ShootChangeInput {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub room_id: Option<Option<RoomId>>,
    pub staff: Option<Vec<Assignment>>,
    pub retoucher_id: Option<Option<EmployeeId>>,
    pub notes: Option<String>,
}

/// Which shoots to list: those overlapping `[from, to)`, of one store (by code) or all.
#[derive(Debug, Clone)]
pub struct ShootQuery {
    pub store: Option<String>,
    /// Now, if `None`.
    pub from: Option<DateTime<Utc>>,
    /// A week after `from`, if `None`.
    pub to: Option<DateTime<Utc>>,
    pub stage: Option<String>,
    pub employee_id: Option<EmployeeId>,
    pub customer_id: Option<CustomerId>,
}

/// The longest period one list or board covers.
const MAX_PERIOD: TimeDelta = TimeDelta::days(62);
/// The most shoots a board shows.
const BOARD_LIMIT: u32 = 1000;

/// A store's days, in its time zone.
#[derive(Debug, Clone)]
pub struct BoardQuery {
    pub store: String,
    /// The first day; today in the store's time zone if `None`.
    pub date: Option<NaiveDate>,
    /// 1 to 7.
    pub days: u32,
}

/// A person who works on a day of the board: when, and which of it is still free.
#[derive(Debug, Clone)]
pub struct StaffDay {
    pub employee_id: EmployeeId,
    pub name: String,
    pub position: domain::studio::Position,
    pub working: Vec<Interval>,
    pub free: Vec<Interval>,
}

/// A store's schedule for some days: its shoots, by start, and for each day who works when
/// and is free when.
#[derive(Debug, Clone)]
pub struct Board {
    /// For each day from the first, the active staff who work that day.
    pub staff: Vec<(NaiveDate, Vec<StaffDay>)>,
    pub store: Store,
    /// Its first day, in the store's time zone.
    pub first_day: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub shoots: Vec<Shoot>,
    /// More shoots than a board shows fall in the period.
    pub truncated: bool,
}

impl Shoots {
    /// Books a shoot; its people and room must be free then (409 otherwise).
    pub async fn book(
        &self,
        caller: &Principal,
        input: BookingInput,
    ) -> Result<Shoot, ShootsError> {
        let mut fields = Fields::default();
        let staff = fields.check("staff", shoots::parse_staff(input.staff));
        let notes = fields.check(
            "notes",
            shoots::parse_notes(input.notes.as_deref().unwrap_or("")),
        );
        let now = self.ports.clock.now();
        if input.starts_at <= now {
            fields.check::<()>("starts_at", Err(Invalid::new("must be in the future")));
        }
        fields.finish().map_err(ShootsError::Invalid)?;
        let (Some(staff), Some(notes)) = (staff, notes) else {
            unreachable!("every field parsed when there are no errors");
        };
        let store = self
            .store_named(&input.store)
            .await?
            .ok_or_else(|| ShootsError::invalid("store", Invalid::new("names no store")))?;
        let customer = self
            .ports
            .customers
            .find(input.customer_id)
            .await?
            .ok_or_else(|| {
                ShootsError::invalid("customer_id", Invalid::new("names no customer"))
            })?;
        let mut package = None;
        let mut order_id = None;
        let mut package_minutes = None;
        if let Some(number) = &input.order {
            let order = self
                .ports
                .shoots
                .package_order(number)
                .await?
                .filter(|o| Some(o.user_id) == customer.details.user_id)
                .ok_or_else(|| {
                    ShootsError::invalid(
                        "order",
                        Invalid::new("names no order of the customer's linked account"),
                    )
                })?;
            if order.store_id != store.id {
                return Err(ShootsError::invalid(
                    "order",
                    Invalid::new("is an order of another store"),
                ));
            }
            let status = status_at(order.status, order.paid, order.reserved_until, now);
            if !matches!(status, OrderStatus::PendingPayment | OrderStatus::Paid) {
                return Err(ShootsError::invalid(
                    "order",
                    Invalid::new(format!("is {}", status.as_str())),
                ));
            }
            let Some((product_id, _, terms)) = order.package else {
                return Err(ShootsError::invalid(
                    "order",
                    Invalid::new("bought no package"),
                ));
            };
            order_id = Some(order.order_id);
            package_minutes = Some(i64::from(terms.shoot_minutes));
            package = Some(BookedPackage {
                product_id,
                allowance: Allowance {
                    photos_included: terms.retouched_photos,
                    extra_photo_price: terms.extra_photo_price,
                },
            });
        }
        let slot = match (input.ends_at, input.duration_minutes.or(package_minutes)) {
            (Some(ends_at), _) => Slot::parse(input.starts_at, ends_at),
            (None, Some(minutes)) => Slot::lasting(input.starts_at, minutes),
            (None, None) => Err(Invalid::new(
                "is needed (or duration_minutes, or an order for a package)",
            )),
        }
        .map_err(|e| ShootsError::invalid("ends_at", e))?;
        let people: Vec<EmployeeId> = staff.iter().map(|a| a.employee_id).collect();
        self.check_bookable(store.id, store.time_zone, slot, &people, input.room_id)
            .await?;
        let id = self
            .ports
            .shoots
            .book(&NewShoot {
                customer_id: customer.id,
                store_id: store.id,
                order_id,
                package,
                room_id: input.room_id,
                staff,
                slot,
                notes,
                actor: caller.user_id,
            })
            .await?;
        tracing::info!(shoot_id = id, store = %store.code, "shoot booked");
        self.visible(caller, id).await
    }

    /// A page of the shoots overlapping a period, by start: every shoot for schedulers, one's
    /// own for the people who work on them. An unknown store has none.
    pub async fn shoots(
        &self,
        caller: &Principal,
        query: ShootQuery,
        page: &PageRequest<ShootKey>,
    ) -> Result<Page<Shoot>, ShootsError> {
        let from = query.from.unwrap_or_else(|| self.ports.clock.now());
        let to = query.to.unwrap_or(from + TimeDelta::days(7));
        if to <= from || to - from > MAX_PERIOD {
            return Err(ShootsError::invalid(
                "to",
                Invalid::new("must be after `from`, at most 62 days"),
            ));
        }
        let stage = query
            .stage
            .as_deref()
            .map(|raw| {
                shoots::Stage::parse(raw)
                    .ok_or_else(|| ShootsError::invalid("stage", Invalid::new("is not a stage")))
            })
            .transpose()?;
        let store_id = match &query.store {
            Some(code) => match self.store_named(code).await? {
                Some(store) => Some(store.id),
                None => {
                    return Ok(Page {
                        items: Vec::new(),
                        has_more: false,
                    });
                }
            },
            None => None,
        };
        let filter = ShootFilter {
            store_id,
            from,
            to,
            stage,
            employee_id: query.employee_id,
            customer_id: query.customer_id,
            involving: (!schedules(caller)).then_some(caller.user_id),
        };
        Ok(self.ports.shoots.list(&filter, page).await?)
    }

    /// A store's board: the shoots of `days` local days from `date`, in its time zone.
    pub async fn board(&self, caller: &Principal, query: BoardQuery) -> Result<Board, ShootsError> {
        if !(1..=7).contains(&query.days) {
            return Err(ShootsError::invalid(
                "days",
                Invalid::new("must be between 1 and 7"),
            ));
        }
        let store = self
            .store_named(&query.store)
            .await?
            .ok_or(ShootsError::StoreNotFound)?;
        let zone = store.time_zone.tz();
        let first_day = query
            .date
            .unwrap_or_else(|| self.ports.clock.now().with_timezone(&zone).date_naive());
        let midnight = |date: NaiveDate| edge(zone, date, NaiveTime::MIN);
        let from = midnight(first_day);
        let to = midnight(first_day + TimeDelta::days(i64::from(query.days)));
        let filter = ShootFilter {
            store_id: Some(store.id),
            from,
            to,
            stage: None,
            employee_id: None,
            customer_id: None,
            involving: (!schedules(caller)).then_some(caller.user_id),
        };
        let page = self
            .ports
            .shoots
            .list(&filter, &PageRequest::first(BOARD_LIMIT))
            .await?;
        let during = Interval::parse(from, to).map_err(|e| ShootsError::invalid("days", e))?;
        let calendars = self
            .ports
            .schedule
            .calendars(store.id, Candidates::default(), during)
            .await?;
        let staff = (0..query.days)
            .map(|offset| {
                let date = first_day + TimeDelta::days(i64::from(offset));
                let working: Vec<StaffDay> = calendars
                    .employees
                    .iter()
                    .filter_map(|person| {
                        let working = working_time(zone, date, person);
                        (!working.is_empty()).then(|| StaffDay {
                            employee_id: person.id,
                            name: person.name.clone(),
                            position: person.position,
                            free: free_time(zone, date, person),
                            working,
                        })
                    })
                    .collect();
                (date, working)
            })
            .collect();
        Ok(Board {
            staff,
            store,
            first_day,
            from,
            to,
            shoots: page.items,
            truncated: page.has_more,
        })
    }

    /// Moves a shoot to another time or room, or changes its people, its retoucher or its
    /// notes. Time, room and people change only before it is shot, and only into a time they
    /// are all free.
    pub async fn change(
        &self,
        caller: &Principal,
        id: ShootId,
        input: ShootChangeInput,
    ) -> Result<Shoot, ShootsError> {
        let shoot = self.visible(caller, id).await?;
        if !schedules(caller) {
            return Err(ShootsError::Forbidden(
                "only the front desk changes a shoot's time, room or people",
            ));
        }
        let mut fields = Fields::default();
        let staff = input
            .staff
            .and_then(|staff| fields.check("staff", shoots::parse_staff(staff)));
        let notes = input
            .notes
            .as_deref()
            .and_then(|raw| fields.check("notes", shoots::parse_notes(raw)));
        let moves = input.starts_at.is_some() || input.ends_at.is_some();
        let slot = if moves {
            let starts_at = input.starts_at.unwrap_or(shoot.slot.starts_at());
            let length = shoot.slot.ends_at() - shoot.slot.starts_at();
            let ends_at = input.ends_at.unwrap_or(starts_at + length);
            if starts_at <= self.ports.clock.now() {
                fields.check::<()>("starts_at", Err(Invalid::new("must be in the future")));
            }
            fields.check("ends_at", Slot::parse(starts_at, ends_at))
        } else {
            None
        };
        fields.finish().map_err(ShootsError::Invalid)?;
        let books_anew = moves || input.room_id.is_some() || staff.is_some();
        if books_anew && !shoot.stage.can_reschedule() {
            return Err(ShootsError::WrongStage { stage: shoot.stage });
        }
        if shoot.stage.is_final() {
            return Err(ShootsError::WrongStage { stage: shoot.stage });
        }
        if books_anew {
            let store = self
                .store_named(&shoot.store_code)
                .await?
                .ok_or(ShootsError::StoreNotFound)?;
            let people: Vec<EmployeeId> = match &staff {
                Some(staff) => staff.iter().map(|a| a.employee_id).collect(),
                None => shoot.staff.iter().map(|p| p.employee_id).collect(),
            };
            let room = match input.room_id {
                Some(room) => room,
                None => shoot.room.as_ref().map(|r| r.id),
            };
            self.check_bookable(
                store.id,
                store.time_zone,
                slot.unwrap_or(shoot.slot),
                &people,
                room,
            )
            .await?;
        }
        let change = ShootChange {
            slot,
            room_id: input.room_id,
            staff,
            retoucher_id: input.retoucher_id,
            notes,
        };
        self.ports
            .shoots
            .change(id, shoot.stage, &change, caller.user_id)
            .await?;
        self.visible(caller, id).await
    }
}
