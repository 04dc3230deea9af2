//! The studio's reports, each one aggregate query.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::money::Money;
use domain::stores::store::StoreId;
use domain::studio::reports::Grouping;
use domain::studio::shoots::Stage;
use domain::studio::{EmployeeId, Position};

use crate::InfraError;

/// The instants a report covers, and whose shoots and orders: one store's or every store's.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub store_id: Option<StoreId>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Money taken on package orders in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueRow {
    /// The period's first local day.
    pub period: NaiveDate,
    /// Package orders with a payment in the period.
    pub orders: i64,
    pub received: Money,
    /// What was given back of those payments.
    pub refunded: Money,
}

/// One person's work in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub employee_id: EmployeeId,
    pub name: String,
    pub position: Position,
    pub store_id: StoreId,
    /// Shoots they were booked for (not cancelled, not a no-show).
    pub shoots: i64,
    /// Those shoots' length, in minutes.
    pub minutes: i64,
    /// Shoots they retouch.
    pub retouched: i64,
}

#[async_trait]
pub trait StudioReportRepository: Send + Sync {
    /// How many shoots starting in the scope are at each stage (stages with none left out).
    async fn shoots_per_stage(&self, scope: Scope) -> Result<Vec<(Stage, i64)>, InfraError>;

    /// Payments on orders that bought a package, completed in the scope, by `grouping` of the
    /// local dates in `zone` (an IANA name).
    async fn package_revenue(
        &self,
        scope: Scope,
        grouping: Grouping,
        zone: &str,
    ) -> Result<Vec<RevenueRow>, InfraError>;

    /// Every employee (of the store, if one), with their shoots starting in the scope.
    async fn staff_work(&self, scope: Scope) -> Result<Vec<StaffRow>, InfraError>;
}
