//! Time off: a person's leave or a room's closure.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use app::studio::schedule::TimeOffInput;
use chrono::{DateTime, Utc};
use domain::studio::schedule::TimeOff;
use ports::studio::schedule::TimeOffFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TimeOff, example = json!({
    "id": 5, "employee_id": 3, "room_id": null,
    "starts_at": "2026-03-09T00:00:00Z", "ends_at": "2026-03-12T00:00:00Z",
    "reason": "Annual leave", "created_by": 1, "created_at": "2026-03-01T08:00:00Z"
}))]
pub struct TimeOffDto {
    pub id: i64,
    /// The person away; `null` for a room's closure.
    pub employee_id: Option<i64>,
    /// The room closed; `null` for a person's leave.
    pub room_id: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<TimeOff> for TimeOffDto {
    fn from(off: TimeOff) -> Self {
        Self {
            id: off.id,
            employee_id: off.terms.subject.employee(),
            room_id: off.terms.subject.room(),
            starts_at: off.terms.during.start(),
            ends_at: off.terms.during.end(),
            reason: off.terms.reason,
            created_by: off.created_by,
            created_at: off.created_at,
        }
    }
}

/// Exactly one of `employee_id` and `room_id`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTimeOffRequest {
    pub employee_id: Option<i64>,
    pub room_id: Option<i64>,
    #[schema(example = "2026-03-09T00:00:00Z")]
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`.
    #[schema(example = "2026-03-12T00:00:00Z")]
    pub ends_at: DateTime<Utc>,
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimeOffQuery {
    /// Only this person's.
    pub employee_id: Option<i64>,
    /// Only this room's.
    pub room_id: Option<i64>,
    /// Only time off ending after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only time off starting before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// List time off, newest first.
#[utoipa::path(
    tag = "studio",
    params(PageQuery, TimeOffQuery),
    security(("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "A page of time off.", body = Page<TimeOffDto>)),
)]
#[get("/time-off")]
pub async fn list_time_off(
    _: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<TimeOffQuery>,
) -> Result<web::Json<Page<TimeOffDto>>, ApiError> {
    let filter = TimeOffFilter {
        employee_id: query.employee_id,
        room_id: query.room_id,
        from: query.from,
        to: query.to,
    };
    let items = state
        .scheduling
        .list_time_off(&filter, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(items, |off| off.id)))
}

/// Record time off: a person's leave or a room's closure.
#[utoipa::path(
    tag = "studio",
    request_body = CreateTimeOffRequest,
    security(("bearer" = ["studio:schedule"])),
    responses(
        (status = 201, description = "The time off.", body = TimeOffDto,
            headers(("Location" = String, description = "The time off's URL."))),
    ),
)]
#[post("/time-off")]
pub async fn create_time_off(
    caller: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    Json(body): Json<CreateTimeOffRequest>,
) -> Result<HttpResponse, ApiError> {
    let off = state
        .scheduling
        .create_time_off(
            TimeOffInput {
                employee_id: body.employee_id,
                room_id: body.room_id,
                starts_at: body.starts_at,
                ends_at: body.ends_at,
                reason: body.reason,
            },
            caller.0.principal.user_id,
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/studio/time-off/{}", off.id),
        ))
        .json(TimeOffDto::from(off)))
}

/// Get a time off.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The time off's id.")),
    security(("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "The time off.", body = TimeOffDto)),
)]
#[get("/time-off/{id}")]
pub async fn get_time_off(
    _: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<TimeOffDto>, ApiError> {
    Ok(web::Json(state.scheduling.time_off(*id).await?.into()))
}

/// Delete a time off (the person or room is available again).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The time off's id.")),
    security(("bearer" = ["studio:schedule"])),
    responses((status = 204, description = "The time off is gone.")),
)]
#[delete("/time-off/{id}")]
pub async fn delete_time_off(
    _: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.scheduling.delete_time_off(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}
