//! Shoots: booking, the board, stages, rescheduling and the selection.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, put, web};
use app::studio::shoots::{
    Board, BoardQuery, BookingInput, ShootChangeInput, ShootDetail, ShootQuery, StaffDay,
};
use chrono::{DateTime, NaiveDate, Utc};
use domain::studio::schedule::Interval;
use domain::studio::shoots::{Assignment, BookedPerson, Shoot, ShootEvent, Stage};
use domain::studio::staff;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShootPerson)]
pub struct PersonDto {
    pub employee_id: i64,
    pub name: String,
    /// What they do in this shoot.
    #[schema(example = "photographer")]
    pub position: &'static str,
}

impl From<BookedPerson> for PersonDto {
    fn from(person: BookedPerson) -> Self {
        Self {
            employee_id: person.employee_id,
            name: person.name,
            position: person.position.as_str(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = NamedRef)]
pub struct NamedDto {
    pub id: i64,
    pub name: String,
}

/// What the shoot's package allowed when it was booked.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShootPackage)]
pub struct PackageRefDto {
    pub sku: String,
    /// Retouched photos included.
    pub photos_included: i32,
    /// What each photo selected beyond them costs.
    pub extra_photo_price: MoneyDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Shoot)]
pub struct ShootDto {
    pub id: i64,
    /// `booked`, `confirmed`, `shot`, `selecting`, `retouching`, `proofing`,
    /// `ready_for_pickup`, `completed`, `cancelled` or `no_show`.
    #[schema(example = "booked")]
    pub stage: &'static str,
    pub customer: NamedDto,
    /// The store's code.
    pub store: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub room: Option<NamedDto>,
    /// The people booked for its time.
    pub staff: Vec<PersonDto>,
    pub retoucher: Option<PersonDto>,
    /// The package order it was booked for.
    pub order: Option<String>,
    pub package: Option<PackageRefDto>,
    /// How many photos the customer chose, once recorded.
    pub photos_selected: Option<i32>,
    /// How many of them were beyond the package's allowance.
    pub extra_photos: i32,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ShootDto {
    fn new(shoot: Shoot, currency: &str) -> Self {
        Self {
            id: shoot.id,
            stage: shoot.stage.as_str(),
            customer: NamedDto {
                id: shoot.customer.id,
                name: shoot.customer.name,
            },
            store: shoot.store_code,
            starts_at: shoot.slot.starts_at(),
            ends_at: shoot.slot.ends_at(),
            room: shoot.room.map(|r| NamedDto {
                id: r.id,
                name: r.name,
            }),
            staff: shoot.staff.into_iter().map(Into::into).collect(),
            retoucher: shoot.retoucher.map(Into::into),
            order: shoot.order_number,
            package: shoot
                .package_sku
                .zip(shoot.allowance)
                .map(|(sku, a)| PackageRefDto {
                    sku,
                    photos_included: a.photos_included,
                    extra_photo_price: MoneyDto::new(a.extra_photo_price, currency),
                }),
            photos_selected: shoot.photos_selected,
            extra_photos: shoot.extra_photos,
            notes: shoot.notes,
            created_at: shoot.created_at,
            updated_at: shoot.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShootEvent)]
pub struct ShootEventDto {
    pub id: i64,
    /// `booked`, `stage`, `rescheduled`, `selection` or `staffing`.
    pub kind: &'static str,
    pub from_stage: Option<&'static str>,
    pub to_stage: Option<&'static str>,
    /// What changed: the new time and room, the people, the photos chosen, a note.
    #[schema(value_type = Object)]
    pub details: Value,
    /// Who made the change.
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ShootEvent> for ShootEventDto {
    fn from(event: ShootEvent) -> Self {
        Self {
            id: event.id,
            kind: event.kind.as_str(),
            from_stage: event.from_stage.map(Stage::as_str),
            to_stage: event.to_stage.map(Stage::as_str),
            details: event.details,
            actor: event.actor,
            created_at: event.created_at,
        }
    }
}

/// A shoot with its history, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShootDetail)]
pub struct ShootDetailDto {
    #[serde(flatten)]
    pub shoot: ShootDto,
    pub events: Vec<ShootEventDto>,
}

impl ShootDetailDto {
    fn new(detail: ShootDetail, currency: &str) -> Self {
        Self {
            shoot: ShootDto::new(detail.shoot, currency),
            events: detail.events.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ShootAssignment)]
pub struct AssignmentRequest {
    pub employee_id: i64,
    /// What they do in the shoot; their own position unless given.
    #[schema(example = "photographer")]
    pub position: Option<String>,
}

fn assignments(staff: Vec<AssignmentRequest>) -> Result<Vec<Assignment>, ApiError> {
    staff
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let position = a
                .position
                .map(|raw| {
                    staff::parse_position(&raw).map_err(|e| {
                        ApiError::invalid_field(format!("staff[{i}].position"), e.reason())
                    })
                })
                .transpose()?;
            Ok(Assignment {
                employee_id: a.employee_id,
                position,
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreateShootRequest)]
pub struct CreateShootRequest {
    pub customer_id: i64,
    /// The store's code.
    #[schema(example = "atelier-flagship")]
    pub store: String,
    /// In the future.
    pub starts_at: DateTime<Utc>,
    /// The end; or give `duration_minutes`; or leave both out for a package order, whose
    /// package says how long its shoot takes. At most 16 hours after the start.
    pub ends_at: Option<DateTime<Utc>>,
    pub duration_minutes: Option<i64>,
    /// The customer's package order the shoot is for (its number): it must be an order of the
    /// customer's linked account, at this store, waiting for payment or paid, for a package.
    pub order: Option<String>,
    /// The people booked for the shoot's time: one to ten.
    pub staff: Vec<AssignmentRequest>,
    pub room_id: Option<i64>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// Book a shoot for a customer, with its people and room.
///
/// Each person must be at work for the whole time (inside one of their working periods of that
/// day in the store's time zone, clear of their time off) and the room open: otherwise 422.
/// Each person and the room must be free: a clash with another active shoot is `409
/// booking_conflict`, naming the resource and the shoot that holds it. Concurrent bookings of
/// the same time are settled by the database: exactly one wins.
#[utoipa::path(
    tag = "studio",
    params(crate::idempotency::IdempotencyKey),
    request_body = CreateShootRequest,
    security(("bearer" = ["studio:schedule"])),
    responses(
        (status = 201, description = "The shoot, booked.", body = ShootDto,
            headers(("Location" = String, description = "The shoot's URL."))),
        (status = 409, description = "`booking_conflict`: a person or the room is booked then; \
            `resource` (`{kind, id}`) and `clashing_shoot` say which.",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: unknown customer, store, order, \
            people or room; a start in the past; no end. `outside_working_hours` or \
            `during_time_off` (with `employee_id`, and the `time_off_id`): a person does not work \
            then; `room_closed` (with `room_id` and `time_off_id`).",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/shoots", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn create_shoot(
    caller: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    Json(body): Json<CreateShootRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = BookingInput {
        customer_id: body.customer_id,
        store: body.store,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        duration_minutes: body.duration_minutes,
        order: body.order,
        staff: assignments(body.staff)?,
        room_id: body.room_id,
        notes: body.notes,
    };
    let shoot = state.shoots.book(&caller.0.principal, input).await?;
    let currency = state.shoots.currency().await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/studio/shoots/{}", shoot.id),
        ))
        .json(ShootDto::new(shoot, &currency)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShootListQuery {
    /// Only this store's shoots (its code); every store's if left out.
    pub store: Option<String>,
    /// Shoots that end after this instant (default: now).
    pub from: Option<DateTime<Utc>>,
    /// Shoots that start before this instant (default: 7 days after `from`; at most 62 days
    /// after it).
    pub to: Option<DateTime<Utc>>,
    /// Only shoots at this stage.
    pub stage: Option<String>,
    /// Only shoots this person is booked for or retouches.
    pub employee_id: Option<i64>,
    pub customer_id: Option<i64>,
}

/// List the shoots in a period, by start.
///
/// The front desk sees every shoot; the people who work on shoots see their own.
#[utoipa::path(
    tag = "studio",
    params(PageQuery, ShootListQuery),
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses((status = 200, description = "A page of shoots.", body = Page<ShootDto>)),
)]
#[get("/shoots")]
pub async fn list_shoots(
    caller: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<ShootListQuery>,
) -> Result<web::Json<Page<ShootDto>>, ApiError> {
    let query = query.into_inner();
    let input = ShootQuery {
        store: query.store,
        from: query.from,
        to: query.to,
        stage: query.stage,
        employee_id: query.employee_id,
        customer_id: query.customer_id,
    };
    let shoots = state
        .shoots
        .shoots(&caller.0.principal, input, &page.request_keyed()?)
        .await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(Page::of_mapped(
        shoots,
        |shoot| (shoot.slot.starts_at(), shoot.id),
        |shoot| ShootDto::new(shoot, &currency),
    )))
}

/// Get a shoot with its history.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The shoot's id.")),
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses(
        (status = 200, description = "The shoot.", body = ShootDetailDto),
        (status = 404, description = "No such shoot, or not one of the caller's.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/shoots/{id}")]
pub async fn get_shoot(
    caller: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<ShootDetailDto>, ApiError> {
    let detail = state.shoots.shoot(&caller.0.principal, *id).await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(ShootDetailDto::new(detail, &currency)))
}

/// A change to a shoot: a field left out stays as it is; `null` clears `room_id` or
/// `retoucher_id`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = UpdateShootRequest)]
pub struct UpdateShootRequest {
    /// A new start; the shoot keeps its length unless `ends_at` is given too.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<i64>)]
    pub room_id: Option<Option<i64>>,
    /// Replaces the people booked.
    pub staff: Option<Vec<AssignmentRequest>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    #[schema(value_type = Option<i64>)]
    pub retoucher_id: Option<Option<i64>>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
}

/// Reschedule a shoot, or change its room, people, retoucher or notes.
///
/// Time, room and people change only while the shoot is `booked` or `confirmed`, and only into
/// a time when all of them are free (`409 booking_conflict` otherwise).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The shoot's id.")),
    request_body = UpdateShootRequest,
    security(("bearer" = ["studio:schedule"])),
    responses(
        (status = 200, description = "The shoot, changed.", body = ShootDto),
        (status = 409, description = "`booking_conflict`, or `illegal_stage_move` when the \
            shoot is past rescheduling.",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`outside_working_hours`, `during_time_off` or \
            `room_closed`, as when booking.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/shoots/{id}")]
pub async fn update_shoot(
    caller: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateShootRequest>,
) -> Result<web::Json<ShootDto>, ApiError> {
    let input = ShootChangeInput {
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        room_id: body.room_id,
        staff: body.staff.map(assignments).transpose()?,
        retoucher_id: body.retoucher_id,
        notes: body.notes,
    };
    let shoot = state.shoots.change(&caller.0.principal, *id, input).await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(ShootDto::new(shoot, &currency)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SetShootStageRequest)]
pub struct SetShootStageRequest {
    /// The stage to move to.
    #[schema(example = "confirmed")]
    pub stage: String,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Move a shoot to its next stage.
///
/// `booked → confirmed → shot → selecting → retouching → proofing → ready_for_pickup →
/// completed`, with `proofing → retouching` for changes, and `cancelled` or `no_show` from
/// `booked` or `confirmed`. The people booked for a shoot (with `studio:shoots`) move it through
/// `shot` to `ready_for_pickup`; the rest is the front desk's. `shot` and `no_show` need the
/// shoot to have started, `retouching` the selection, `completed` the order paid in full.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The shoot's id.")),
    request_body = SetShootStageRequest,
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses(
        (status = 200, description = "The shoot, moved, with its history.", body = ShootDetailDto),
        (status = 403, description = "The caller works on the shoot but may not make this move.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_stage_move` (with the shoot's `stage`), \
            `shoot_not_started`, `selection_missing` or `balance_due`.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/shoots/{id}/stage")]
pub async fn set_shoot_stage(
    caller: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<SetShootStageRequest>,
) -> Result<web::Json<ShootDetailDto>, ApiError> {
    let stage = Stage::parse(&body.stage).ok_or_else(|| {
        ApiError::invalid_field(
            "stage",
            "must be booked, confirmed, shot, selecting, retouching, proofing, ready_for_pickup, \
             completed, cancelled or no_show",
        )
    })?;
    let detail = state
        .shoots
        .move_to(&caller.0.principal, *id, stage, body.note)
        .await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(ShootDetailDto::new(detail, &currency)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SetShootSelectionRequest)]
pub struct SetShootSelectionRequest {
    /// How many photos the customer chose: 1 to 10,000.
    #[schema(example = 36)]
    pub photos: i64,
}

/// Record the customer's selection (选片) while the shoot is `selecting`.
///
/// Photos beyond the package's allowance become one `extra_photos` line of the package order
/// (replaced if the selection is recorded again), at the package's price per extra photo when
/// the shoot was booked; the order must still wait for payment (`409 order_settled`).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The shoot's id.")),
    request_body = SetShootSelectionRequest,
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses(
        (status = 200, description = "The shoot, with its history.", body = ShootDetailDto),
        (status = 409, description = "`illegal_stage_move` when the shoot is not `selecting`; \
            `order_settled`.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/shoots/{id}/selection")]
pub async fn set_shoot_selection(
    caller: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<SetShootSelectionRequest>,
) -> Result<web::Json<ShootDetailDto>, ApiError> {
    let detail = state
        .shoots
        .select(&caller.0.principal, *id, body.photos)
        .await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(ShootDetailDto::new(detail, &currency)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// The first day, in the store's time zone; today there if left out.
    pub date: Option<NaiveDate>,
    /// How many days: 1 (default) to 7.
    pub days: Option<u32>,
}

/// A stretch of time.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Period)]
pub struct PeriodDto {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl From<Interval> for PeriodDto {
    fn from(interval: Interval) -> Self {
        Self {
            starts_at: interval.start(),
            ends_at: interval.end(),
        }
    }
}

/// A person at work on a day of the board.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BoardPerson)]
pub struct StaffDayDto {
    pub employee_id: i64,
    pub name: String,
    #[schema(example = "photographer")]
    pub position: &'static str,
    /// Their working periods that day (breaks are the gaps).
    pub working: Vec<PeriodDto>,
    /// What of it is free: not away, not in a shoot.
    pub free: Vec<PeriodDto>,
}

impl From<StaffDay> for StaffDayDto {
    fn from(day: StaffDay) -> Self {
        Self {
            employee_id: day.employee_id,
            name: day.name,
            position: day.position.as_str(),
            working: day.working.into_iter().map(Into::into).collect(),
            free: day.free.into_iter().map(Into::into).collect(),
        }
    }
}

/// One local day of a store's board.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BoardDay)]
pub struct BoardDayDto {
    pub date: NaiveDate,
    /// The shoots that start that day, by start.
    pub shoots: Vec<ShootDto>,
    /// The store's active people who work that day, with their free time.
    pub staff: Vec<StaffDayDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Board)]
pub struct BoardDto {
    pub store: String,
    /// The store's IANA time zone, which the days are in.
    pub time_zone: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub days: Vec<BoardDayDto>,
    /// More than 1,000 shoots fall in the period; the board shows the first.
    pub truncated: bool,
}

impl BoardDto {
    fn new(board: Board, first: NaiveDate, currency: &str) -> Self {
        let zone = board.store.time_zone.tz();
        let mut columns: Vec<BoardDayDto> = board
            .staff
            .into_iter()
            .map(|(date, staff)| BoardDayDto {
                date,
                shoots: Vec::new(),
                staff: staff.into_iter().map(Into::into).collect(),
            })
            .collect();
        for shoot in board.shoots {
            let date = shoot.slot.starts_at().with_timezone(&zone).date_naive();
            // A shoot that began the day before the board belongs to its first day.
            let index = usize::try_from((date - first).num_days()).unwrap_or(0);
            if let Some(column) = columns.get_mut(index) {
                column.shoots.push(ShootDto::new(shoot, currency));
            }
        }
        Self {
            store: board.store.code.as_str().to_owned(),
            time_zone: zone.name().to_owned(),
            from: board.from,
            to: board.to,
            days: columns,
            truncated: board.truncated,
        }
    }
}

/// A store's board: its shoots for a day or a week, in its time zone, with customer, people,
/// room and stage; and each day, who works when and is still free when.
///
/// For the slots a shoot of a given length could take, ask
/// `GET /api/v1/studio/stores/{code}/availability`.
#[utoipa::path(
    tag = "studio",
    params(("store" = String, Path, description = "The store's code."), BoardParams),
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses(
        (status = 200, description = "The board.", body = BoardDto),
        (status = 404, description = "No store has this code.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/boards/{store}")]
pub async fn get_board(
    caller: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    store: web::Path<String>,
    query: web::Query<BoardParams>,
) -> Result<web::Json<BoardDto>, ApiError> {
    let query = query.into_inner();
    let days = query.days.unwrap_or(1);
    let board = state
        .shoots
        .board(
            &caller.0.principal,
            BoardQuery {
                store: store.into_inner(),
                date: query.date,
                days,
            },
        )
        .await?;
    let first = board.first_day;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(BoardDto::new(board, first, &currency)))
}
