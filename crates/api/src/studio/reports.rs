//! Reports for studio managers.

use actix_web::{get, web};
use app::studio::reports::{Covered, ReportQuery};
use chrono::NaiveDate;
use domain::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Authorized, require};
use crate::money::MoneyDto;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// One store (its code), in its time zone; every store, in the `studio.time_zone`
    /// setting's, if left out.
    pub store: Option<String>,
    /// The first local day; with neither `from` nor `to`, the current month.
    pub from: Option<NaiveDate>,
    /// The last local day, included (default: `from`); at most 366 days after `from`.
    pub to: Option<NaiveDate>,
}

impl From<ReportParams> for ReportQuery {
    fn from(params: ReportParams) -> Self {
        Self {
            store: params.store,
            from: params.from,
            to: params.to,
        }
    }
}

/// What a report covers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ReportCoverage)]
pub struct CoveredDto {
    /// The store's code, or `null` for every store.
    pub store: Option<String>,
    /// The IANA time zone the days are in.
    pub time_zone: String,
    pub from: NaiveDate,
    /// The last day, included.
    pub to: NaiveDate,
}

impl From<Covered> for CoveredDto {
    fn from(covered: Covered) -> Self {
        Self {
            store: covered.store,
            time_zone: covered.zone.name().to_owned(),
            from: covered.period.from(),
            to: covered.period.to(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StageCount)]
pub struct StageCountDto {
    pub stage: &'static str,
    pub shoots: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShootReport)]
pub struct ShootReportDto {
    pub covered: CoveredDto,
    /// Every stage, in the workflow's order, with the shoots starting in the period that are
    /// at it now.
    pub stages: Vec<StageCountDto>,
    pub total: i64,
}

const NOT_FOUND: &str = "No store has this code.";

/// Shoots per stage: the shoots starting in the period, by the stage they are at.
#[utoipa::path(
    tag = "studio",
    params(ReportParams),
    security(("bearer" = ["studio:reports"])),
    responses(
        (status = 200, description = "The report.", body = ShootReportDto),
        (status = 404, description = NOT_FOUND, body = Problem,
            content_type = "application/problem+json"),
    ),
)]
#[get("/reports/shoots")]
pub async fn get_shoot_report(
    _: Authorized<require::StudioReports>,
    state: web::Data<AppState>,
    params: web::Query<ReportParams>,
) -> Result<web::Json<ShootReportDto>, ApiError> {
    let report = state
        .reports
        .shoots_per_stage(params.into_inner().into())
        .await?;
    Ok(web::Json(ShootReportDto {
        covered: report.covered.into(),
        total: report.stages.iter().map(|(_, n)| n).sum(),
        stages: report
            .stages
            .into_iter()
            .map(|(stage, shoots)| StageCountDto {
                stage: stage.as_str(),
                shoots,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevenueParams {
    /// `day`, `week` (from Monday) or `month` (default).
    pub group: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RevenuePeriod)]
pub struct RevenueRowDto {
    /// The period's first day.
    pub period: NaiveDate,
    /// Package orders paid (in part or in full) in the period.
    pub orders: i64,
    pub received: MoneyDto,
    /// Given back of those payments since.
    pub refunded: MoneyDto,
    /// Received less refunded.
    pub net: MoneyDto,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PackageRevenueReport)]
pub struct RevenueReportDto {
    pub covered: CoveredDto,
    #[schema(example = "month")]
    pub group: &'static str,
    /// Periods with money taken, oldest first.
    pub periods: Vec<RevenueRowDto>,
    pub total_net: MoneyDto,
}

fn net(received: Money, refunded: Money) -> Money {
    Money::parse((received.amount() - refunded.amount()).max(Decimal::ZERO)).unwrap_or(Money::ZERO)
}

/// Revenue from packages: the payments (deposits and balances) on orders that bought a
/// package, by the local day, week or month they were completed in.
#[utoipa::path(
    tag = "studio",
    params(ReportParams, RevenueParams),
    security(("bearer" = ["studio:reports"])),
    responses(
        (status = 200, description = "The report.", body = RevenueReportDto),
        (status = 404, description = NOT_FOUND, body = Problem,
            content_type = "application/problem+json"),
    ),
)]
#[get("/reports/package-revenue")]
pub async fn get_package_revenue_report(
    _: Authorized<require::StudioReports>,
    state: web::Data<AppState>,
    params: web::Query<ReportParams>,
    revenue: web::Query<RevenueParams>,
) -> Result<web::Json<RevenueReportDto>, ApiError> {
    let report = state
        .reports
        .package_revenue(params.into_inner().into(), revenue.group.as_deref())
        .await?;
    let currency = report.currency;
    let money = |m| MoneyDto::new(m, &currency);
    let total = report
        .rows
        .iter()
        .map(|row| net(row.received, row.refunded).amount())
        .sum::<Decimal>();
    Ok(web::Json(RevenueReportDto {
        covered: report.covered.into(),
        group: report.grouping.as_str(),
        periods: report
            .rows
            .iter()
            .map(|row| RevenueRowDto {
                period: row.period,
                orders: row.orders,
                received: money(row.received),
                refunded: money(row.refunded),
                net: money(net(row.received, row.refunded)),
            })
            .collect(),
        total_net: money(Money::parse(total).unwrap_or(Money::ZERO)),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffWork)]
pub struct StaffRowDto {
    pub employee_id: i64,
    pub name: String,
    pub position: &'static str,
    /// Shoots they were booked for that start in the period (not cancelled, not a no-show).
    pub shoots: i64,
    /// Those shoots' hours, as a decimal string.
    #[schema(example = "12.50")]
    pub hours: String,
    /// Shoots starting in the period that they retouch.
    pub retouched: i64,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffReport)]
pub struct StaffReportDto {
    pub covered: CoveredDto,
    /// Every employee (of the store, if one), by store and id.
    pub staff: Vec<StaffRowDto>,
}

/// Each person's shoots and hours in the period.
#[utoipa::path(
    tag = "studio",
    params(ReportParams),
    security(("bearer" = ["studio:reports"])),
    responses(
        (status = 200, description = "The report.", body = StaffReportDto),
        (status = 404, description = NOT_FOUND, body = Problem,
            content_type = "application/problem+json"),
    ),
)]
#[get("/reports/staff")]
pub async fn get_staff_report(
    _: Authorized<require::StudioReports>,
    state: web::Data<AppState>,
    params: web::Query<ReportParams>,
) -> Result<web::Json<StaffReportDto>, ApiError> {
    let report = state.reports.staff(params.into_inner().into()).await?;
    Ok(web::Json(StaffReportDto {
        covered: report.covered.into(),
        staff: report
            .staff
            .into_iter()
            .map(|row| StaffRowDto {
                employee_id: row.employee_id,
                name: row.name,
                position: row.position.as_str(),
                shoots: row.shoots,
                hours: format!("{:.2}", Decimal::from(row.minutes) / Decimal::from(60)),
                retouched: row.retouched,
            })
            .collect(),
    }))
}
