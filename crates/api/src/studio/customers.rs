//! Customers (CRM): finding them by part of a name, phone or email; what the studio keeps about
//! them; the online account they may have; their history.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::studio::{CustomerInput, CustomerPatch};
use chrono::{DateTime, NaiveDate, Utc};
use domain::studio::customers::Customer;
use ports::studio::customers::{CustomerHistory, OrderRecord, PaymentRecord, ShootRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Customer, example = json!({
    "id": 7, "first_name": "三", "last_name": "张", "email": "zhangsan@example.com",
    "phone": "13800138000", "birthday": "1995-05-20", "anniversary": "2026-10-01",
    "lead_source": "referral", "notes": "Prefers outdoor sets.", "account": "zhangsan",
    "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-20T09:00:00Z"
}))]
pub struct CustomerDto {
    pub id: i64,
    /// Given name (名).
    pub first_name: String,
    /// Family name (姓); may be empty.
    pub last_name: String,
    pub email: Option<String>,
    /// Digits with an optional leading `+`, as stored (spaces and dashes dropped).
    pub phone: Option<String>,
    pub birthday: Option<NaiveDate>,
    /// A wedding or other date the studio remembers.
    pub anniversary: Option<NaiveDate>,
    /// `walk_in`, `referral`, `website`, `social_media`, `partner`, `advertising`, `event` or
    /// `other`.
    pub lead_source: Option<String>,
    pub notes: String,
    /// The username of their online account, if linked.
    pub account: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Customer> for CustomerDto {
    fn from(customer: Customer) -> Self {
        let details = customer.details;
        Self {
            id: customer.id,
            first_name: details.first_name,
            last_name: details.last_name,
            email: details.contact.email().map(|e| e.as_str().to_owned()),
            phone: details.contact.phone().map(|p| p.as_str().to_owned()),
            birthday: details.birthday,
            anniversary: details.anniversary,
            lead_source: details.lead_source.map(|s| s.as_str().to_owned()),
            notes: details.notes,
            account: customer.account.map(|a| a.username),
            created_at: customer.created_at,
            updated_at: customer.updated_at,
        }
    }
}

/// A new customer: an email address, a phone number or both.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCustomerRequest {
    #[schema(example = "三", max_length = 50)]
    pub first_name: String,
    #[schema(example = "张", max_length = 50)]
    pub last_name: Option<String>,
    #[schema(example = "zhangsan@example.com")]
    pub email: Option<String>,
    /// 5 to 20 digits with an optional leading `+`; spaces and dashes are dropped.
    #[schema(example = "138 0013 8000")]
    pub phone: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub anniversary: Option<NaiveDate>,
    #[schema(example = "referral")]
    pub lead_source: Option<String>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// The username of their online account, to link it.
    #[schema(example = "zhangsan")]
    pub account: Option<String>,
}

/// A change to a customer: a field left out stays as it is; `null` clears it (`account: null`
/// unlinks the account). Email and phone may not both end up empty.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCustomerRequest {
    #[schema(max_length = 50)]
    pub first_name: Option<String>,
    #[schema(max_length = 50)]
    pub last_name: Option<String>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub email: Option<Option<String>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub phone: Option<Option<String>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub birthday: Option<Option<NaiveDate>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub anniversary: Option<Option<NaiveDate>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub lead_source: Option<Option<String>>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub account: Option<Option<String>>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// Part of a name (family and given name in either order: 张三, 三, 三 张), of a phone
    /// number (spaces and dashes ignored) or of an email address, ignoring case.
    pub q: Option<String>,
}

/// List customers, newest first, or find them by part of a name, phone or email.
#[utoipa::path(
    tag = "studio",
    params(PageQuery, CustomerQuery),
    security(("bearer" = ["customers:manage"])),
    responses((status = 200, description = "A page of customers.", body = Page<CustomerDto>)),
)]
#[get("/customers")]
pub async fn list_customers(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<CustomerQuery>,
) -> Result<web::Json<Page<CustomerDto>>, ApiError> {
    let query = query.into_inner();
    let customers = state.studio.customers(query.q, &page.request()?).await?;
    Ok(web::Json(Page::of(customers, |customer| customer.id)))
}

/// Create a customer.
#[utoipa::path(
    tag = "studio",
    request_body = CreateCustomerRequest,
    security(("bearer" = ["customers:manage"])),
    responses(
        (status = 201, description = "The customer.", body = CustomerDto,
            headers(("Location" = String, description = "The customer's URL."))),
        (status = 409, description = "`customer_email_taken`, `customer_phone_taken`: another \
            customer has the email or phone; `account_linked`: the account is another customer's.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/customers")]
pub async fn create_customer(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    Json(body): Json<CreateCustomerRequest>,
) -> Result<HttpResponse, ApiError> {
    let customer = state
        .studio
        .create_customer(CustomerInput {
            first_name: body.first_name,
            last_name: body.last_name,
            email: body.email,
            phone: body.phone,
            birthday: body.birthday,
            anniversary: body.anniversary,
            lead_source: body.lead_source,
            notes: body.notes,
            account: body.account,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/studio/customers/{}", customer.id),
        ))
        .json(CustomerDto::from(customer)))
}

/// Get a customer.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:manage"])),
    responses((status = 200, description = "The customer.", body = CustomerDto)),
)]
#[get("/customers/{id}")]
pub async fn get_customer(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CustomerDto>, ApiError> {
    Ok(web::Json(state.studio.customer(*id).await?.into()))
}

/// Change a customer, or link or unlink their account.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The customer's id.")),
    request_body = UpdateCustomerRequest,
    security(("bearer" = ["customers:manage"])),
    responses(
        (status = 200, description = "The customer, changed.", body = CustomerDto),
        (status = 409, description = "`customer_email_taken`, `customer_phone_taken`, \
            `account_linked`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/customers/{id}")]
pub async fn update_customer(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateCustomerRequest>,
) -> Result<web::Json<CustomerDto>, ApiError> {
    let customer = state
        .studio
        .update_customer(
            *id,
            CustomerPatch {
                first_name: body.first_name,
                last_name: body.last_name,
                email: body.email,
                phone: body.phone,
                birthday: body.birthday,
                anniversary: body.anniversary,
                lead_source: body.lead_source,
                notes: body.notes,
                account: body.account,
            },
        )
        .await?;
    Ok(web::Json(customer.into()))
}

/// Delete a customer who has no shoots.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:manage"])),
    responses(
        (status = 204, description = "The customer is gone."),
        (status = 409, description = "`customer_has_shoots`: shoots keep the customer.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/customers/{id}")]
pub async fn delete_customer(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.studio.delete_customer(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerShoot)]
pub struct ShootRecordDto {
    pub id: i64,
    /// The code of the store it is at.
    pub store: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[schema(example = "booked")]
    pub stage: String,
}

impl From<ShootRecord> for ShootRecordDto {
    fn from(shoot: ShootRecord) -> Self {
        Self {
            id: shoot.id,
            store: shoot.store,
            starts_at: shoot.starts_at,
            ends_at: shoot.ends_at,
            stage: shoot.stage,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerOrder)]
pub struct OrderRecordDto {
    pub id: i64,
    #[schema(example = "20261120-000042")]
    pub number: String,
    pub store: String,
    #[schema(example = "paid")]
    pub status: String,
    pub total: MoneyDto,
    pub paid_amount: MoneyDto,
    pub created_at: DateTime<Utc>,
}

impl From<OrderRecord> for OrderRecordDto {
    fn from(order: OrderRecord) -> Self {
        Self {
            id: order.id,
            number: order.number,
            store: order.store,
            status: order.status,
            total: MoneyDto::new(order.total, &order.currency),
            paid_amount: MoneyDto::new(order.paid_amount, &order.currency),
            created_at: order.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerPayment)]
pub struct PaymentRecordDto {
    pub id: i64,
    pub order_id: i64,
    pub order_number: String,
    /// `wallet` or `provider`.
    pub method: String,
    /// `pending`, `succeeded`, `failed` or `refunded`.
    pub status: String,
    pub amount: MoneyDto,
    pub refunded_amount: MoneyDto,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<PaymentRecord> for PaymentRecordDto {
    fn from(payment: PaymentRecord) -> Self {
        Self {
            id: payment.id,
            order_id: payment.order_id,
            order_number: payment.order_number,
            method: payment.method,
            status: payment.status,
            amount: MoneyDto::new(payment.amount, &payment.currency),
            refunded_amount: MoneyDto::new(payment.refunded_amount, &payment.currency),
            created_at: payment.created_at,
            completed_at: payment.completed_at,
        }
    }
}

/// What the studio did with a customer. Each list is newest first and holds the latest 100 at
/// most: shoots by start, orders of the linked account, payments of that account's orders.
/// Without a linked account, orders and payments are empty.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerHistory)]
pub struct CustomerHistoryDto {
    pub shoots: Vec<ShootRecordDto>,
    pub orders: Vec<OrderRecordDto>,
    pub payments: Vec<PaymentRecordDto>,
}

impl From<CustomerHistory> for CustomerHistoryDto {
    fn from(history: CustomerHistory) -> Self {
        Self {
            shoots: history.shoots.into_iter().map(Into::into).collect(),
            orders: history.orders.into_iter().map(Into::into).collect(),
            payments: history.payments.into_iter().map(Into::into).collect(),
        }
    }
}

/// Get a customer's history: their shoots, and the orders and payments of their account.
#[utoipa::path(
    tag = "studio",
    params(("id" = i64, Path, description = "The customer's id.")),
    security(("bearer" = ["customers:manage"])),
    responses((status = 200, description = "The latest 100 of each, newest first.",
        body = CustomerHistoryDto)),
)]
#[get("/customers/{id}/history")]
pub async fn get_customer_history(
    _: Authorized<require::CustomersManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CustomerHistoryDto>, ApiError> {
    Ok(web::Json(state.studio.customer_history(*id).await?.into()))
}
