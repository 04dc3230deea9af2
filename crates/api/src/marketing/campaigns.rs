//! Campaigns: a named period that coupons may belong to.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use app::marketing::{CampaignInput, CampaignPatch};
use chrono::{DateTime, NaiveDate, Utc};
use domain::marketing::campaign::Campaign;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Campaign, example = json!({
    "id": 1, "name": "Spring weddings", "description": "Ten percent off albums.",
    "starts_on": "2026-03-01", "ends_on": "2026-03-31", "active": true,
    "created_at": "2026-02-20T09:00:00Z", "updated_at": "2026-02-20T09:00:00Z"
}))]
pub struct CampaignDto {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// First day, in the deployment's time zone (the `studio.time_zone` setting).
    pub starts_on: NaiveDate,
    /// Last day, included.
    pub ends_on: NaiveDate,
    /// Its coupons apply only while it is active and within its days.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Campaign> for CampaignDto {
    fn from(campaign: Campaign) -> Self {
        Self {
            id: campaign.id,
            name: campaign.terms.name,
            description: campaign.terms.description,
            starts_on: campaign.terms.period.starts_on(),
            ends_on: campaign.terms.period.ends_on(),
            active: campaign.terms.active,
            created_at: campaign.created_at,
            updated_at: campaign.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaignRequest {
    #[schema(example = "Spring weddings", max_length = 100)]
    pub name: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    #[schema(example = "2026-03-01")]
    pub starts_on: NaiveDate,
    /// Not before `starts_on`.
    #[schema(example = "2026-03-31")]
    pub ends_on: NaiveDate,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a campaign: a field left out stays as it is.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCampaignRequest {
    #[schema(max_length = 100)]
    pub name: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// Only active (`true`) or inactive (`false`) campaigns.
    pub active: Option<bool>,
}

/// List campaigns, newest first.
#[utoipa::path(
    tag = "marketing",
    params(PageQuery, CampaignQuery),
    security(("bearer" = ["marketing:manage"])),
    responses((status = 200, description = "A page of campaigns.", body = Page<CampaignDto>)),
)]
#[get("/campaigns")]
pub async fn list_campaigns(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<CampaignQuery>,
) -> Result<web::Json<Page<CampaignDto>>, ApiError> {
    let campaigns = state
        .marketing
        .campaigns(query.active, &page.request()?)
        .await?;
    Ok(web::Json(Page::of(campaigns, |campaign| campaign.id)))
}

/// Create a campaign.
#[utoipa::path(
    tag = "marketing",
    request_body = CreateCampaignRequest,
    security(("bearer" = ["marketing:manage"])),
    responses(
        (status = 201, description = "The campaign.", body = CampaignDto,
            headers(("Location" = String, description = "The campaign's URL."))),
    ),
)]
#[post("/campaigns")]
pub async fn create_campaign(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    Json(body): Json<CreateCampaignRequest>,
) -> Result<HttpResponse, ApiError> {
    let campaign = state
        .marketing
        .create_campaign(CampaignInput {
            name: body.name,
            description: body.description,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            active: body.active,
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/marketing/campaigns/{}", campaign.id),
        ))
        .json(CampaignDto::from(campaign)))
}

/// Get a campaign.
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The campaign's id.")),
    security(("bearer" = ["marketing:manage"])),
    responses((status = 200, description = "The campaign.", body = CampaignDto)),
)]
#[get("/campaigns/{id}")]
pub async fn get_campaign(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<CampaignDto>, ApiError> {
    Ok(web::Json(state.marketing.campaign(*id).await?.into()))
}

/// Change a campaign: its name, description, days, or whether it is active.
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The campaign's id.")),
    request_body = UpdateCampaignRequest,
    security(("bearer" = ["marketing:manage"])),
    responses((status = 200, description = "The campaign, changed.", body = CampaignDto)),
)]
#[patch("/campaigns/{id}")]
pub async fn update_campaign(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    Json(body): Json<UpdateCampaignRequest>,
) -> Result<web::Json<CampaignDto>, ApiError> {
    let campaign = state
        .marketing
        .update_campaign(
            *id,
            CampaignPatch {
                name: body.name,
                description: body.description,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                active: body.active,
            },
        )
        .await?;
    Ok(web::Json(campaign.into()))
}

/// Delete a campaign no coupon belongs to.
#[utoipa::path(
    tag = "marketing",
    params(("id" = i64, Path, description = "The campaign's id.")),
    security(("bearer" = ["marketing:manage"])),
    responses(
        (status = 204, description = "The campaign is gone."),
        (status = 409, description = "`campaign_in_use`: coupons belong to it.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[delete("/campaigns/{id}")]
pub async fn delete_campaign(
    _: Authorized<require::MarketingManage>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    state.marketing.delete_campaign(*id).await?;
    Ok(HttpResponse::NoContent().finish())
}
