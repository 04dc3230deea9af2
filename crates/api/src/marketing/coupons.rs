//! Coupons: managed by staff; checked against a cart by anyone signed in.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::catalog::Priced;
use app::marketing::{CartCoupon, CouponInput, CouponPatch};
use chrono::{DateTime, Utc};
use domain::marketing::coupon::{Coupon, UseLimit};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, Caller, require};
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Coupon, example = json!({
    "id": 3, "code": "SPRING10", "description": "Ten percent off, once per customer.",
    "kind": "percentage", "value": "10.00",
    "valid_from": "2026-03-01T00:00:00Z", "valid_until": "2026-04-01T00:00:00Z",
    "min_order_amount": {"amount": "100.00", "currency": "CNY"},
    "usage_limit": 500, "per_customer_limit": 1, "used_count": 42, "remaining_uses": 458,
    "campaign_id": 1, "store": null, "active": true,
    "created_at": "2026-02-20T09:00:00Z", "updated_at": "2026-02-20T09:00:00Z"
}))]
pub struct CouponDto {
    pub id: i64,
    /// What customers type; unique ignoring case.
    pub code: String,
    pub description: String,
    /// `percentage` or `fixed`.
    pub kind: &'static str,
    /// A percentage of the order's subtotal (`percentage`), or an amount in the deployment's
    /// currency (`fixed`), as a decimal string.
    #[schema(example = "10.00")]
    pub value: String,
    pub valid_from: DateTime<Utc>,
    /// The end of the window (not in it); null: no end.
    pub valid_until: Option<DateTime<Utc>>,
    /// The least subtotal of an order the coupon applies to.
    pub min_order_amount: MoneyDto,
    /// Uses in total; null: no limit.
    pub usage_limit: Option<i32>,
    /// Uses by one customer; null: no limit.
    pub per_customer_limit: Option<i32>,
    /// Uses taken now (an order cancelled unpaid gives its use back).
    pub used_count: i32,
    /// `usage_limit - used_count`; null without a limit.
    pub remaining_uses: Option<i32>,
    /// The campaign it belongs to: it applies only while that runs.
    pub campaign_id: Option<i64>,
    /// The code of the store whose own coupon it is; null: any store.
    pub store: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CouponDto {
    fn new(coupon: Coupon, currency: &str) -> Self {
        let remaining_uses = coupon.remaining_uses();
        let terms = coupon.terms;
        Self {
            id: coupon.id,
            code: terms.code.as_str().to_owned(),
            description: terms.description,
            kind: terms.discount.kind().as_str(),
            value: format!("{:.2}", terms.discount.value()),
            valid_from: terms.window.from(),
            valid_until: terms.window.until(),
            min_order_amount: MoneyDto::new(terms.min_order_amount, currency),
            usage_limit: terms.usage_limit.map(UseLimit::get),
            per_customer_limit: terms.per_customer_limit.map(UseLimit::get),
            used_count: coupon.used_count,
            remaining_uses,
            campaign_id: terms.campaign_id,
            store: coupon.store_code,
            active: terms.active,
            created_at: coupon.created_at,
            updated_at: coupon.updated_at,
        }
    }

    fn priced(priced: Priced<Coupon>) -> Self {
        Self::new(priced.item, &priced.currency)
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCouponRequest {
    /// 3 to 50 letters, digits, `-` or `_`; unique ignoring case, kept as written.
    #[schema(example = "SPRING10", min_length = 3, max_length = 50)]
    pub code: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// `percentage` or `fixed`.
    #[schema(example = "percentage")]
    pub kind: String,
    /// A percentage (more than 0, at most 100) or an amount (more than 0), as a decimal
    /// string with at most two places.
    #[schema(value_type = String, example = "10")]
    pub value: Decimal,
    /// Now unless given.
    pub valid_from: Option<DateTime<Utc>>,
    /// After `valid_from`; no end unless given.
    pub valid_until: Option<DateTime<Utc>>,
    /// A decimal string; 0 unless given.
    #[schema(value_type = Option<String>, example = "100.00")]
    pub min_order_amount: Option<Decimal>,
    /// At least 1; no limit unless given.
    #[schema(minimum = 1)]
    pub usage_limit: Option<i64>,
    /// At least 1; no limit unless given.
    #[schema(minimum = 1)]
    pub per_customer_limit: Option<i64>,
    pub campaign_id: Option<i64>,
    /// A store's code: the coupon applies only to that store's order.
    pub store: Option<String>,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a coupon: a field left out stays as it is; `null` clears `valid_until`,
/// `usage_limit`, `per_customer_limit`, `campaign_id` or `store`. A redeemed coupon is
/// switched off with `active: false` rather than deleted.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCouponRequest {
    #[schema(min_length = 3, max_length = 50)]
    pub code: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub kind: Option<String>,
    #[schema(value_type = Option<String>)]
    pub value: Option<Decimal>,
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub valid_until: Option<Option<DateTime<Utc>>>,
    #[schema(value_type = Option<String>)]
    pub min_order_amount: Option<Decimal>,
    /// Not below `used_count`.
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub usage_limit: Option<Option<i64>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub per_customer_limit: Option<Option<i64>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub campaign_id: Option<Option<i64>>,
    #[serde(default, with = "::serde_with::rust::double_option")]
    pub store: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CouponQuery {
    /// Only the coupons of this campaign.
    pub campaign_id: Option<i64>,
    /// Only active (`true`) or inactive (`false`) coupons.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateCouponRequest {
    /// The code as the customer typed it (case does not matter).
    #[schema(example = "spring10")]
    pub code: String,
}

/// What a coupon would take off the caller's cart now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CouponValidation)]
pub struct CouponValidationDto {
    /// The coupon's code as staff wrote it.
    pub code: String,
    /// The code of the store whose order it would go to.
    pub store: String,
    /// That order's subtotal: the store's lines that can be bought, at its prices now.
    pub subtotal: MoneyDto,
    pub discount: MoneyDto,
    /// `subtotal - discount`.
    pub total: MoneyDto,
}

impl From<Priced<CartCoupon>> for CouponValidationDto {
    fn from(priced: Priced<CartCoupon>) -> Self {
        let Priced { item, currency } = priced;
        let applied = item.applied;
        Self {
            code: applied.code.as_str().to_owned(),
            store: item.store_code,
            subtotal: MoneyDto::new(applied.subtotal, &currency),
            discount: MoneyDto::new(applied.discount, &currency),
            total: MoneyDto::new(applied.total(), &currency),
        }
    }
}

/// Check a coupon code against my cart, without using it.
///
/// The cart is taken as checkout would make it: one order per store, of the lines that can be
/// bought now, at the stores' prices. A store's own coupon goes to that store's order; any
/// other to the order with the largest subtotal.
#[utoipa::path(
    tag = "marketing",
    request_body = ValidateCouponRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The coupon applies; what it would take off.",
            body = CouponValidationDto),
        (status = 422, description = "It does not apply: `coupon_unknown`, `coupon_inactive`, \
            `coupon_not_started`, `coupon_expired`, `coupon_campaign_inactive`, \
            `coupon_below_minimum` (with `minimum`), `coupon_exhausted`, \
            `coupon_customer_limit_reached`, `coupon_wrong_store` or `cart_empty`; or \
            `validation_failed`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/coupons/validate")]
pub async fn validate_coupon(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<ValidateCouponRequest>,
) -> Result<web::Json<CouponValidationDto>, ApiError> {
    let checked = state
        .marketing
        .validate_coupon(&caller.principal, &body.code)
        .await?;
    Ok(web::Json(checked.into()))
}

/// List coupons, newest first.
#[utoipa::path(
    tag = "marketing",
    params(PageQuery, CouponQuery),
    security(("bearer" = ["marketing:manage"])),
    responses((status = 200, description = "A page of coupons.", body = Page<CouponDto>)),
)]
#[get("/coupons")]
pub async fn list_coupons(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<CouponQuery>,
) -> Result<web::Json<Page<CouponDto>>, ApiError> {
    let Priced { item, currency } = state
        .marketing
        .coupons(query.campaign_id, query.active, &page.request()?)
        .await?;
    Ok(web::Json(Page::of_mapped(
        item,
        |coupon| coupon.id,
        |coupon| CouponDto::new(coupon, &currency),
    )))
}

/// Create a coupon.
#[utoipa::path(
    tag = "marketing",
    request_body = CreateCouponRequest,
    security(("bearer" = ["marketing:manage"])),
    responses(
        (status = 201, description = "The coupon.", body = CouponDto,
            headers(("Location" = String, description = "The coupon's URL."))),
        (status = 409, description = "`coupon_code_taken`: a coupon has this code, ignoring case.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/coupons")]
pub async fn create_coupon(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    Json(body): Json<CreateCouponRequest>,
) -> Result<HttpResponse, ApiError> {
    let coupon = state
        .marketing
        .create_coupon(CouponInput {
            code: body.code,
            description: body.description,
            kind: body.kind,
            value: body.value,
            valid_from: body.valid_from,
            valid_until: body.valid_until,
            min_order_amount: body.min_order_amount,
            usage_limit: body.usage_limit,
            per_customer_limit: body.per_customer_limit,
            campaign_id: body.campaign_id,
            store: body.store,
            active: body.active,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/marketing/coupons/{}", coupon.item.id),
        ))
        .json(CouponDto::priced(coupon)))
}

/// Get a coupon, with its uses.
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The coupon's id.")),
    security(("bearer" = ["marketing:manage"])),
    responses((status = 200, description = "The coupon.", body = CouponDto)),
)]
#[get("/coupons/{id}")]
pub async fn get_coupon(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CouponDto>, ApiError> {
    Ok(web::Json(CouponDto::priced(
        state.marketing.coupon(*id).await?,
    )))
}

/// Change a coupon, or switch it off (`active: false`).
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The coupon's id.")),
    request_body = UpdateCouponRequest,
    security(("bearer" = ["marketing:manage"])),
    responses(
        (status = 200, description = "The coupon, changed.", body = CouponDto),
        (status = 409, description = "`coupon_code_taken`: a coupon has this code, ignoring case.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[patch("/coupons/{id}")]
pub async fn update_coupon(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateCouponRequest>,
) -> Result<web::Json<CouponDto>, ApiError> {
    let coupon = state
        .marketing
        .update_coupon(
            *id,
            CouponPatch {
                code: body.code,
                description: body.description,
                kind: body.kind,
                value: body.value,
                valid_from: body.valid_from,
                valid_until: body.valid_until,
                min_order_amount: body.min_order_amount,
                usage_limit: body.usage_limit,
                per_customer_limit: body.per_customer_limit,
                campaign_id: body.campaign_id,
                store: body.store,
                active: body.active,
            },
        )
        .await?;
    Ok(web::Json(CouponDto::priced(coupon)))
}

/// Delete a coupon that was never redeemed.
///
/// A redeemed coupon stays with its orders: switch it off with `active: false` instead.
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The coupon's id.")),
    security(("bearer" = ["marketing:manage"])),
    responses(
        (status = 204, description = "The coupon is gone."),
        (status = 409, description = "`coupon_in_use`: it has been redeemed; deactivate it.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/coupons/{id}")]
pub async fn delete_coupon(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.marketing.delete_coupon(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}
