//! A person's working week: a span per weekday with breaks, in the store's local time.

use actix_web::{get, put, web};
use app::studio::schedule::Reader;
use chrono::{NaiveTime, Weekday};
use domain::identity::permission::Permission;
use domain::studio::schedule::{DayHours, WorkingWeek};
use domain::{Fields, Invalid};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, Caller, require};
use crate::extract::Json;
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WeekdayDto {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<WeekdayDto> for Weekday {
    fn from(day: WeekdayDto) -> Self {
        match day {
            WeekdayDto::Monday => Weekday::Mon,
            WeekdayDto::Tuesday => Weekday::Tue,
            WeekdayDto::Wednesday => Weekday::Wed,
            WeekdayDto::Thursday => Weekday::Thu,
            WeekdayDto::Friday => Weekday::Fri,
            WeekdayDto::Saturday => Weekday::Sat,
            WeekdayDto::Sunday => Weekday::Sun,
        }
    }
}

impl From<Weekday> for WeekdayDto {
    fn from(day: Weekday) -> Self {
        match day {
            Weekday::Mon => Self::Monday,
            Weekday::Tue => Self::Tuesday,
            Weekday::Wed => Self::Wednesday,
            Weekday::Thu => Self::Thursday,
            Weekday::Fri => Self::Friday,
            Weekday::Sat => Self::Saturday,
            Weekday::Sun => Self::Sunday,
        }
    }
}

/// A break within a day, local time `HH:MM`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakDto {
    #[schema(example = "12:00")]
    pub starts_at: String,
    #[schema(example = "13:00")]
    pub ends_at: String,
}

/// A working day: from `starts_at` to `ends_at` (local time of the person's store, `HH:MM`),
/// except the breaks.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayDto {
    pub weekday: WeekdayDto,
    #[schema(example = "09:00")]
    pub starts_at: String,
    #[schema(example = "18:00")]
    pub ends_at: String,
    /// Inside the day and apart; at most seven.
    #[serde(default)]
    pub breaks: Vec<BreakDto>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WorkingHours, example = json!({
    "employee_id": 3,
    "days": [{"weekday": "monday", "starts_at": "09:00", "ends_at": "18:00",
              "breaks": [{"starts_at": "12:00", "ends_at": "13:00"}]}]
}))]
pub struct WorkingHoursDto {
    pub employee_id: i64,
    /// The days worked, Monday first; a weekday left out is a day off.
    pub days: Vec<DayDto>,
}

/// The whole week; a weekday left out is a day off.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetWorkingHoursRequest {
    pub days: Vec<DayDto>,
}

fn hhmm(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

fn time(raw: &str) -> Result<NaiveTime, Invalid> {
    NaiveTime::parse_from_str(raw, "%H:%M")
        .ok()
        .filter(|_| raw.len() == 5)
        .ok_or_else(|| Invalid::new("must be a time of day as HH:MM"))
}

fn dto(employee_id: i64, week: &WorkingWeek) -> WorkingHoursDto {
    WorkingHoursDto {
        employee_id,
        days: week
            .days()
            .into_iter()
            .map(|day| DayDto {
                weekday: day.weekday.into(),
                starts_at: hhmm(day.start),
                ends_at: hhmm(day.end),
                breaks: day
                    .breaks
                    .into_iter()
                    .map(|(start, end)| BreakDto {
                        starts_at: hhmm(start),
                        ends_at: hhmm(end),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The days of a request, every time checked (by field) before any rule of the week.
fn days(request: &SetWorkingHoursRequest) -> Result<Vec<DayHours>, ApiError> {
    let mut fields = Fields::default();
    let mut days = Vec::with_capacity(request.days.len());
    for (i, day) in request.days.iter().enumerate() {
        let start = fields.check(&format!("days[{i}].starts_at"), time(&day.starts_at));
        let end = fields.check(&format!("days[{i}].ends_at"), time(&day.ends_at));
        let mut breaks = Vec::with_capacity(day.breaks.len());
        for (j, b) in day.breaks.iter().enumerate() {
            let start = fields.check(
                &format!("days[{i}].breaks[{j}].starts_at"),
                time(&b.starts_at),
            );
            let end = fields.check(&format!("days[{i}].breaks[{j}].ends_at"), time(&b.ends_at));
            if let (Some(start), Some(end)) = (start, end) {
                breaks.push((start, end));
            }
        }
        if let (Some(start), Some(end)) = (start, end) {
            days.push(DayHours {
                weekday: day.weekday.into(),
                start,
                end,
                breaks,
            });
        }
    }
    fields.finish().map_err(ApiError::invalid_fields)?;
    Ok(days)
}

/// Get a person's working hours. Anyone signed in may read their own (the employee linked to
/// their account); reading anyone's needs `studio:schedule`.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The employee's id.")),
    security(("bearer" = ["studio:schedule"]), ("bearer" = [])),
    responses((status = 200, description = "The week.", body = WorkingHoursDto)),
)]
#[get("/employees/{id}/working-hours")]
pub async fn get_working_hours(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<WorkingHoursDto>, ApiError> {
    let reader = Reader {
        user_id: caller.principal.user_id,
        reads_everyone: caller.principal.access.allows(Permission::StudioSchedule),
    };
    let week = state.scheduling.working_week(*id, reader).await?;
    Ok(web::Json(dto(*id, &week)))
}

/// Set a person's working hours: replaces the whole week at once (nothing changes when any
/// day is refused).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The employee's id.")),
    request_body = SetWorkingHoursRequest,
    security(("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "The week, as stored.", body = WorkingHoursDto)),
)]
#[put("/employees/{id}/working-hours")]
pub async fn set_working_hours(
    _: Authorized<require::StudioSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<SetWorkingHoursRequest>,
) -> Result<web::Json<WorkingHoursDto>, ApiError> {
    let days = days(&body)?;
    let week = state.scheduling.set_working_week(*id, &days).await?;
    Ok(web::Json(dto(*id, &week)))
}
