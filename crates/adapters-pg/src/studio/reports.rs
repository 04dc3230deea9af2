//! The studio's reports, one aggregate query each.

use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Numeric, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use domain::money::Money;
use domain::studio::display_name;
use domain::studio::reports::Grouping;
use domain::studio::shoots::Stage;
use ports::InfraError;
use ports::studio::reports::{RevenueRow, Scope, StaffRow, StudioReportRepository};
use rust_decimal::Decimal;

use crate::error::{from_diesel, stored};
use crate::pool::{self, PgPool};

pub struct PgStudioReportRepository {
    pool: PgPool,
}

impl PgStudioReportRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(QueryableByName)]
struct StageCount {
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = BigInt)]
    shoots: i64,
}

#[derive(QueryableByName)]
struct Revenue {
    #[diesel(sql_type = Date)]
    period: NaiveDate,
    #[diesel(sql_type = BigInt)]
    orders: i64,
    #[diesel(sql_type = Numeric)]
    received: Decimal,
    #[diesel(sql_type = Numeric)]
    refunded: Decimal,
}

#[derive(QueryableByName)]
struct Work {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    first_name: String,
    #[diesel(sql_type = Text)]
    last_name: String,
    #[diesel(sql_type = Text)]
    position: String,
    #[diesel(sql_type = BigInt)]
    store_id: i64,
    #[diesel(sql_type = BigInt)]
    shoots: i64,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
    #[diesel(sql_type = BigInt)]
    retouched: i64,
}

const STAGES_SQL: &str = "
SELECT stage, count(*) AS shoots
FROM shoots
WHERE starts_at >= $1 AND starts_at < $2 AND ($3::bigint IS NULL OR store_id = $3)
GROUP BY stage";

/// `$4` is the `date_trunc` unit, `$5` the zone whose local dates group the payments.
const REVENUE_SQL: &str = "
SELECT date_trunc($4, p.completed_at AT TIME ZONE $5)::date AS period,
       count(DISTINCT p.order_id) AS orders,
       sum(p.amount) AS received,
       sum(p.refunded_amount) AS refunded
FROM payments p
JOIN orders o ON o.id = p.order_id
WHERE p.status IN ('succeeded', 'refunded')
  AND p.completed_at >= $1 AND p.completed_at < $2
  AND ($3::bigint IS NULL OR o.store_id = $3)
  AND EXISTS (SELECT 1 FROM order_items i JOIN products pr ON pr.id = i.product_id
              WHERE i.order_id = o.id AND pr.kind = 'package')
GROUP BY 1
ORDER BY 1";

const STAFF_SQL: &str = "
SELECT e.id, e.first_name, e.last_name, e.position, e.store_id,
       count(s.id) AS shoots,
       (coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at)), 0) / 60)::bigint AS minutes,
       (SELECT count(*) FROM shoots r
        WHERE r.retoucher_id = e.id AND r.active AND r.starts_at >= $1 AND r.starts_at < $2)
           AS retouched
FROM employees e
LEFT JOIN shoot_staff ss ON ss.employee_id = e.id
LEFT JOIN shoots s ON s.id = ss.shoot_id AND s.active AND s.starts_at >= $1 AND s.starts_at < $2
WHERE ($3::bigint IS NULL OR e.store_id = $3)
GROUP BY e.id
ORDER BY e.store_id, e.id";

#[async_trait]
impl StudioReportRepository for PgStudioReportRepository {
    async fn shoots_per_stage(&self, scope: Scope) -> Result<Vec<(Stage, i64)>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<StageCount> = diesel::sql_query(STAGES_SQL)
            .bind::<Timestamptz, _>(scope.from)
            .bind::<Timestamptz, _>(scope.to)
            .bind::<Nullable<BigInt>, _>(scope.store_id)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter()
            .map(|row| Ok((super::stage(&row.stage)?, row.shoots)))
            .collect()
    }

    async fn package_revenue(
        &self,
        scope: Scope,
        grouping: Grouping,
        zone: &str,
    ) -> Result<Vec<RevenueRow>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<Revenue> = diesel::sql_query(REVENUE_SQL)
            .bind::<Timestamptz, _>(scope.from)
            .bind::<Timestamptz, _>(scope.to)
            .bind::<Nullable<BigInt>, _>(scope.store_id)
            .bind::<Text, _>(grouping.as_str())
            .bind::<Text, _>(zone)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter()
            .map(|row| {
                Ok(RevenueRow {
                    period: row.period,
                    orders: row.orders,
                    received: stored("received", Money::parse(row.received))?,
                    refunded: stored("refunded", Money::parse(row.refunded))?,
                })
            })
            .collect()
    }

    async fn staff_work(&self, scope: Scope) -> Result<Vec<StaffRow>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<Work> = diesel::sql_query(STAFF_SQL)
            .bind::<Timestamptz, _>(scope.from)
            .bind::<Timestamptz, _>(scope.to)
            .bind::<Nullable<BigInt>, _>(scope.store_id)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter()
            .map(|row| {
                Ok(StaffRow {
                    employee_id: row.id,
                    name: display_name(&row.first_name, &row.last_name),
                    position: super::position(&row.position)?,
                    store_id: row.store_id,
                    shoots: row.shoots,
                    minutes: row.minutes,
                    retouched: row.retouched,
                })
            })
            .collect()
    }
}
