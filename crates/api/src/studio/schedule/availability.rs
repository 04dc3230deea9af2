//! A store's free slots for a shoot of some length.

use actix_web::{get, web};
use app::studio::schedule::AvailabilityInput;
use chrono::{DateTime, NaiveDate, Utc};
use domain::studio::schedule::Slot;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Authorized, require};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// First local day, `YYYY-MM-DD`.
    pub from: NaiveDate,
    /// Last local day, included; at most 62 days from `from`.
    pub to: NaiveDate,
    /// How long the shoot lasts, 1 to 1440.
    pub duration_minutes: i64,
    /// Minutes between slot starts, counted from each local midnight: 5 to 1440 (default 30).
    pub step_minutes: Option<i64>,
    /// Minutes kept free of other shoots before a slot, 0 to 240 (default 0).
    pub buffer_before_minutes: Option<i64>,
    /// Minutes kept free of other shoots after a slot, 0 to 240 (default 0).
    pub buffer_after_minutes: Option<i64>,
    /// Only people of this position (`photographer`, `makeup_artist`, ...).
    pub position: Option<String>,
    /// Only this person.
    pub employee_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Slot)]
pub struct SlotDto {
    pub starts_at: DateTime<Utc>,
    /// `starts_at` plus the duration, in real time.
    pub ends_at: DateTime<Utc>,
    /// The start on the store's wall clock, `YYYY-MM-DDTHH:MM`.
    #[schema(example = "2026-03-08T09:00")]
    pub local_start: String,
    /// The people free for it.
    pub employees: Vec<i64>,
    /// The rooms free for it (empty when the store has none).
    pub rooms: Vec<i64>,
}

impl From<Slot> for SlotDto {
    fn from(slot: Slot) -> Self {
        Self {
            starts_at: slot.start,
            ends_at: slot.end,
            local_start: slot.local_start.format("%Y-%m-%dT%H:%M").to_string(),
            employees: slot.employees,
            rooms: slot.rooms,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Availability, example = json!({
    "store": "shanghai-1", "time_zone": "Asia/Shanghai",
    "slots": [{"starts_at": "2026-03-08T01:00:00Z", "ends_at": "2026-03-08T02:00:00Z",
               "local_start": "2026-03-08T09:00", "employees": [3, 4], "rooms": [1]}]
}))]
pub struct AvailabilityDto {
    /// The store's code.
    pub store: String,
    /// The store's time zone, in which days and slot starts are counted.
    pub time_zone: String,
    /// In order of time.
    pub slots: Vec<SlotDto>,
}

/// Get a store's free slots: the times a shoot of `duration_minutes` could start, with the
/// people and rooms free for it. Slot starts step over each local day's wall-clock times; a
/// time skipped by daylight saving starts none, a repeated one only its earlier instant. A
/// person is free inside one of their working periods, outside their time off, and with the
/// buffers clear of their shoots; a store with rooms needs a free room. No slot starts in the
/// past.
#[utoipa::path(
    tag = "studio",
    params(("code" = String, Path, description = "The store's code."), AvailabilityQuery),
    security(("bearer" = ["studio:schedule"]), ("bearer" = ["studio:shoots"])),
    responses((status = 200, description = "The free slots.", body = AvailabilityDto)),
)]
#[get("/stores/{code}/availability")]
pub async fn get_availability(
    _: Authorized<require::StudioWork>,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<AvailabilityQuery>,
) -> Result<web::Json<AvailabilityDto>, ApiError> {
    let query = query.into_inner();
    let availability = state
        .scheduling
        .availability(AvailabilityInput {
            store: code.into_inner(),
            from: query.from,
            to: query.to,
            duration_minutes: query.duration_minutes,
            step_minutes: query.step_minutes,
            buffer_before_minutes: query.buffer_before_minutes,
            buffer_after_minutes: query.buffer_after_minutes,
            position: query.position,
            employee_id: query.employee_id,
        })
        .await?;
    Ok(web::Json(AvailabilityDto {
        store: availability.store.code.as_str().to_owned(),
        time_zone: availability.store.time_zone.name().to_owned(),
        slots: availability.slots.into_iter().map(SlotDto::from).collect(),
    }))
}
