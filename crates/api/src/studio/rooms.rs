//! Rooms: the sets a store shoots in, managed by managers (`staff:manage`) and the front desk
//! (`studio:schedule`). A room stays in its store; `active: false` retires it (shoots refer to
//! rooms, so they are not deleted).

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use app::studio::{RoomInput, RoomPatch};
use chrono::{DateTime, Utc};
use domain::studio::rooms::Room;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Room, example = json!({
    "id": 2, "store": "main", "name": "森系棚", "active": true,
    "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-20T09:00:00Z"
}))]
pub struct RoomDto {
    pub id: i64,
    /// The code of its store.
    pub store: String,
    pub name: String,
    /// Whether shoots may book it.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Room> for RoomDto {
    fn from(room: Room) -> Self {
        Self {
            id: room.id,
            store: room.store,
            name: room.details.name,
            active: room.details.active,
            created_at: room.created_at,
            updated_at: room.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRoomRequest {
    /// The code of its store.
    #[schema(example = "main")]
    pub store: String,
    /// Unique within the store.
    #[schema(example = "森系棚", max_length = 100)]
    pub name: String,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a room: a field left out stays as it is.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRoomRequest {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoomQuery {
    /// Only the rooms of the store of this code (none for an unknown code).
    pub store: Option<String>,
    /// Only active (`true`) or retired (`false`) rooms.
    pub active: Option<bool>,
}

/// List rooms, by id.
#[utoipa::path(
    tag = "studio",
    params(PageQuery, RoomQuery),
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "A page of rooms.", body = Page<RoomDto>)),
)]
#[get("/rooms")]
pub async fn list_rooms(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<RoomQuery>,
) -> Result<web::Json<Page<RoomDto>>, ApiError> {
    let query = query.into_inner();
    let rooms = state
        .studio
        .rooms(query.store, query.active, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(rooms, |room| room.id)))
}

/// Create a room.
#[utoipa::path(
    tag = "studio",
    request_body = CreateRoomRequest,
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses(
        (status = 201, description = "The room.", body = RoomDto,
            headers(("Location" = String, description = "The room's URL."))),
        (status = 409, description = "`room_name_taken`: the store has a room of this name.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/rooms")]
pub async fn create_room(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    Json(body): Json<CreateRoomRequest>,
) -> Result<HttpResponse, ApiError> {
    let room = state
        .studio
        .create_room(RoomInput {
            store: body.store,
            name: body.name,
            active: body.active,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/studio/rooms/{}", room.id),
        ))
        .json(RoomDto::from(room)))
}

/// Get a room.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The room's id.")),
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "The room.", body = RoomDto)),
)]
#[get("/rooms/{id}")]
pub async fn get_room(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<RoomDto>, ApiError> {
    Ok(web::Json(state.studio.room(*id).await?.into()))
}

/// Rename a room, or retire it (`active: false`).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The room's id.")),
    request_body = UpdateRoomRequest,
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses(
        (status = 200, description = "The room, changed.", body = RoomDto),
        (status = 409, description = "`room_name_taken`: the store has a room of this name.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/rooms/{id}")]
pub async fn update_room(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateRoomRequest>,
) -> Result<web::Json<RoomDto>, ApiError> {
    let room = state
        .studio
        .update_room(
            *id,
            RoomPatch {
                name: body.name,
                active: body.active,
            },
        )
        .await?;
    Ok(web::Json(room.into()))
}
