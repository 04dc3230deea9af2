//! Employees: who works at which store, as what, and the account they sign in with. Managers
//! (`staff:manage`) hire and change them; the front desk (`studio:schedule`) reads them to book
//! shoots. Nobody deletes an employee (shoots refer to them): `active: false` retires one.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use app::studio::{EmployeeInput, EmployeePatch};
use chrono::{DateTime, Utc};
use domain::studio::staff::Employee;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

/// The account an employee signs in with, and its role (what they may do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EmployeeAccount)]
pub struct EmployeeAccountDto {
    #[schema(example = "li.si")]
    pub username: String,
    #[schema(example = "photographer")]
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Employee, example = json!({
    "id": 3, "store": "main", "first_name": "四", "last_name": "李", "position": "photographer",
    "email": "lisi@example.com", "phone": "13900139000", "active": true,
    "account": {"username": "li.si", "role": "photographer"},
    "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-20T09:00:00Z"
}))]
pub struct EmployeeDto {
    pub id: i64,
    /// The code of their store.
    pub store: String,
    pub first_name: String,
    pub last_name: String,
    /// `photographer`, `makeup_artist`, `retoucher`, `front_desk`, `sales` or `manager`.
    pub position: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub account: Option<EmployeeAccountDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Employee> for EmployeeDto {
    fn from(employee: Employee) -> Self {
        let details = employee.details;
        Self {
            id: employee.id,
            store: employee.store,
            first_name: details.first_name,
            last_name: details.last_name,
            position: details.position.as_str().to_owned(),
            email: details.email.map(|e| e.as_str().to_owned()),
            phone: details.phone.map(|p| p.as_str().to_owned()),
            active: details.active,
            account: employee.account.map(|a| EmployeeAccountDto {
                username: a.username,
                role: a.role,
            }),
            created_at: employee.created_at,
            updated_at: employee.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEmployeeRequest {
    /// The code of their store.
    #[schema(example = "main")]
    pub store: String,
    #[schema(example = "四", max_length = 50)]
    pub first_name: String,
    #[schema(example = "李", max_length = 50)]
    pub last_name: Option<String>,
    #[schema(example = "photographer")]
    pub position: String,
    pub email: Option<String>,
    /// 5 to 20 digits with an optional leading `+`; spaces and dashes are dropped.
    pub phone: Option<String>,
    /// `true` unless given.
    pub active: Option<bool>,
    /// The username of the account they sign in with.
    #[schema(example = "li.si")]
    pub account: Option<String>,
}

/// A change to an employee: a field left out stays as it is; `null` clears it (`account: null`
/// unlinks the account).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEmployeeRequest {
    pub store: Option<String>,
    #[schema(max_length = 50)]
    pub first_name: Option<String>,
    #[schema(max_length = 50)]
    pub last_name: Option<String>,
    pub position: Option<String>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub email: Option<Option<String>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub phone: Option<Option<String>>,
    /// `false` retires them.
    pub active: Option<bool>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub account: Option<Option<String>>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeQuery {
    /// Only the employees of the store of this code (none for an unknown code).
    pub store: Option<String>,
    /// Only those of this position.
    pub position: Option<String>,
    /// Only active (`true`) or retired (`false`) employees.
    pub active: Option<bool>,
}

/// List employees, by id.
#[utoipa::path(
    tag = "studio",
    params(PageQuery, EmployeeQuery),
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "A page of employees.", body = Page<EmployeeDto>)),
)]
#[get("/employees")]
pub async fn list_employees(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<EmployeeQuery>,
) -> Result<web::Json<Page<EmployeeDto>>, ApiError> {
    let query = query.into_inner();
    let employees = state
        .studio
        .employees(query.store, query.position, query.active, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(employees, |employee| employee.id)))
}

/// Create (hire) an employee.
#[utoipa::path(
    tag = "studio",
    request_body = CreateEmployeeRequest,
    security(("bearer" = ["staff:manage"])),
    responses(
        (status = 201, description = "The employee.", body = EmployeeDto,
            headers(("Location" = String, description = "The employee's URL."))),
        (status = 409, description = "`account_linked`: the account is another employee's.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/employees")]
pub async fn create_employee(
    _: Authorized<require::StaffManage>,
    state: web::Data<AppState>,
    Json(body): Json<CreateEmployeeRequest>,
) -> Result<HttpResponse, ApiError> {
    let employee = state
        .studio
        .create_employee(EmployeeInput {
            store: body.store,
            first_name: body.first_name,
            last_name: body.last_name,
            position: body.position,
            email: body.email,
            phone: body.phone,
            active: body.active,
            account: body.account,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/studio/employees/{}", employee.id),
        ))
        .json(EmployeeDto::from(employee)))
}

/// Get an employee.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The employee's id.")),
    security(("bearer" = ["staff:manage"]), ("bearer" = ["studio:schedule"])),
    responses((status = 200, description = "The employee.", body = EmployeeDto)),
)]
#[get("/employees/{id}")]
pub async fn get_employee(
    _: Authorized<require::StaffOrSchedule>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<EmployeeDto>, ApiError> {
    Ok(web::Json(state.studio.employee(*id).await?.into()))
}

/// Change an employee, link or unlink their account, or retire them (`active: false`).
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The employee's id.")),
    request_body = UpdateEmployeeRequest,
    security(("bearer" = ["staff:manage"])),
    responses(
        (status = 200, description = "The employee, changed.", body = EmployeeDto),
        (status = 409, description = "`account_linked`: the account is another employee's.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/employees/{id}")]
pub async fn update_employee(
    _: Authorized<require::StaffManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateEmployeeRequest>,
) -> Result<web::Json<EmployeeDto>, ApiError> {
    let employee = state
        .studio
        .update_employee(
            *id,
            EmployeePatch {
                store: body.store,
                first_name: body.first_name,
                last_name: body.last_name,
                position: body.position,
                email: body.email,
                phone: body.phone,
                active: body.active,
                account: body.account,
            },
        )
        .await?;
    Ok(web::Json(employee.into()))
}
