//! Reports for studio managers (`studio:reports`): shoots per stage, money taken on package
//! orders per day, week or month, and each person's shoots and hours. A report covers whole
//! local days of one store (in its time zone) or of every store (in the `studio.time_zone`
//! setting's); by default, the current month.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use domain::Invalid;
use domain::stores::store::TimeZone;
use domain::studio::reports::{Grouping, ReportPeriod};
use domain::studio::schedule::zone::edge;
use domain::studio::shoots::Stage;
use ports::clock::Clock;
use ports::stores::StoreRepository;
use ports::studio::reports::{RevenueRow, Scope, StaffRow, StudioReportRepository};

use super::shoots::ShootsError;
use crate::backoffice::settings::SettingsService;
use crate::stores::store_named;

#[derive(Clone)]
pub struct ReportsPorts {
    pub reports: Arc<dyn StudioReportRepository>,
    pub stores: Arc<dyn StoreRepository>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Reports {
    ports: ReportsPorts,
    settings: SettingsService,
}

/// What a report is asked for: a store's code (or every store), and local days.
#[derive(Debug, Clone, Default)]
pub struct ReportQuery {
    pub store: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// What every report says it covers.
#[derive(Debug, Clone)]
pub struct Covered {
    pub store: Option<String>,
    pub zone: TimeZone,
    pub period: ReportPeriod,
}

#[derive(Debug, Clone)]
pub struct StageReport {
    pub covered: Covered,
    /// Every stage, in the workflow's order, with how many shoots are at it.
    pub stages: Vec<(Stage, i64)>,
}

#[derive(Debug, Clone)]
pub struct RevenueReport {
    pub covered: Covered,
    pub grouping: Grouping,
    pub rows: Vec<RevenueRow>,
    pub currency: String,
}

#[derive(Debug, Clone)]
pub struct StaffReport {
    pub covered: Covered,
    pub staff: Vec<StaffRow>,
}

impl Reports {
    pub fn new(ports: ReportsPorts, settings: SettingsService) -> Self {
        Self { ports, settings }
    }

    /// The instants the query covers, and how it says so.
    async fn scope(&self, query: ReportQuery) -> Result<(Scope, Covered), ShootsError> {
        let (store_id, zone) = match &query.store {
            Some(code) => {
                let store = store_named(self.ports.stores.as_ref(), code)
                    .await?
                    .ok_or(ShootsError::StoreNotFound)?;
                (Some(store.id), store.time_zone)
            }
            None => (None, self.settings.time_zone().await?),
        };
        let today = self
            .ports
            .clock
            .now()
            .with_timezone(&zone.tz())
            .date_naive();
        let period = match (query.from, query.to) {
            (None, None) => ReportPeriod::month_of(today),
            (from, to) => {
                let from = from.unwrap_or(today);
                ReportPeriod::parse(from, to.unwrap_or(from))
                    .map_err(|e| ShootsError::invalid("to", e))?
            }
        };
        let scope = Scope {
            store_id,
            from: edge(zone.tz(), period.from(), NaiveTime::MIN),
            to: edge(zone.tz(), period.end(), NaiveTime::MIN),
        };
        Ok((
            scope,
            Covered {
                store: query.store,
                zone,
                period,
            },
        ))
    }

    pub async fn shoots_per_stage(&self, query: ReportQuery) -> Result<StageReport, ShootsError> {
        let (scope, covered) = self.scope(query).await?;
        let counts = self.ports.reports.shoots_per_stage(scope).await?;
        let stages = Stage::ALL
            .iter()
            .map(|stage| {
                let count = counts
                    .iter()
                    .find(|(s, _)| s == stage)
                    .map_or(0, |(_, n)| *n);
                (*stage, count)
            })
            .collect();
        Ok(StageReport { covered, stages })
    }

    pub async fn package_revenue(
        &self,
        query: ReportQuery,
        grouping: Option<&str>,
    ) -> Result<RevenueReport, ShootsError> {
        let grouping = match grouping {
            None => Grouping::Month,
            Some(raw) => Grouping::parse(raw).ok_or_else(|| {
                ShootsError::invalid("group", Invalid::new("must be day, week or month"))
            })?,
        };
        let (scope, covered) = self.scope(query).await?;
        let rows = self
            .ports
            .reports
            .package_revenue(scope, grouping, covered.zone.name())
            .await?;
        Ok(RevenueReport {
            covered,
            grouping,
            rows,
            currency: self.settings.value("currency").await?,
        })
    }

    pub async fn staff(&self, query: ReportQuery) -> Result<StaffReport, ShootsError> {
        let (scope, covered) = self.scope(query).await?;
        let staff = self.ports.reports.staff_work(scope).await?;
        Ok(StaffReport { covered, staff })
    }
}
