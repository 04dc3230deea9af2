use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::identity::user::UserId;
use domain::marketing::campaign::Campaign;
use domain::marketing::coupon::{
    Coupon, CouponCode, CouponId, CouponTerms, Discount, DiscountKind, UseLimit, ValidityWindow,
};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::marketing::{
    CouponFilter, CouponRepository, CouponStoreError, CouponWithCampaign, Redemption,
    RedemptionError,
};
use rust_decimal::Decimal;

use super::campaigns::CampaignRow;
use super::redemptions::{RedeemError, redeem_in, release_in};
use crate::error::{from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::{coupon_redemptions, coupons, marketing_campaigns, stores};

pub struct PgCouponRepository {
    pool: PgPool,
}

impl PgCouponRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = coupons, check_for_backend(diesel::pg::Pg))]
struct CouponRow {
    id: i64,
    code: String,
    description: String,
    kind: String,
    value: Decimal,
    valid_from: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
    min_order_amount: Decimal,
    usage_limit: Option<i32>,
    per_customer_limit: Option<i32>,
    used_count: i32,
    campaign_id: Option<i64>,
    store_id: Option<i64>,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn limit(column: &str, raw: Option<i32>) -> Result<Option<UseLimit>, InfraError> {
    raw.map(|n| stored(column, UseLimit::parse(n.into())))
        .transpose()
}

fn to_coupon((row, store_code): (CouponRow, Option<String>)) -> Result<Coupon, InfraError> {
    let kind = stored("kind", DiscountKind::parse(&row.kind))?;
    Ok(Coupon {
        id: row.id,
        terms: CouponTerms {
            code: stored("code", CouponCode::parse(&row.code))?,
            description: row.description,
            discount: stored("value", Discount::parse(kind, row.value))?,
            window: stored(
                "valid_until",
                ValidityWindow::parse(row.valid_from, row.valid_until),
            )?,
            min_order_amount: stored("min_order_amount", Money::parse(row.min_order_amount))?,
            usage_limit: limit("usage_limit", row.usage_limit)?,
            per_customer_limit: limit("per_customer_limit", row.per_customer_limit)?,
            campaign_id: row.campaign_id,
            store_id: row.store_id,
            active: row.active,
        },
        store_code,
        used_count: row.used_count,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// Every column staff decide, written whole: `None` writes NULL.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = coupons, treat_none_as_null = true)]
struct CouponValues<'a> {
    code: &'a str,
    description: &'a str,
    kind: &'static str,
    value: Decimal,
    valid_from: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
    min_order_amount: Decimal,
    usage_limit: Option<i32>,
    per_customer_limit: Option<i32>,
    campaign_id: Option<i64>,
    store_id: Option<i64>,
    active: bool,
}

impl<'a> From<&'a CouponTerms> for CouponValues<'a> {
    fn from(terms: &'a CouponTerms) -> Self {
        Self {
            code: terms.code.as_str(),
            description: &terms.description,
            kind: terms.discount.kind().as_str(),
            value: terms.discount.value(),
            valid_from: terms.window.from(),
            valid_until: terms.window.until(),
            min_order_amount: terms.min_order_amount.amount(),
            usage_limit: terms.usage_limit.map(UseLimit::get),
            per_customer_limit: terms.per_customer_limit.map(UseLimit::get),
            campaign_id: terms.campaign_id,
            store_id: terms.store_id,
            active: terms.active,
        }
    }
}

fn write_error(error: DieselError) -> CouponStoreError {
    if let DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info) = &error
        && info.constraint_name() == Some("coupons_used_count_check")
    {
        return CouponStoreError::LimitBelowUses;
    }
    match violated_constraint(&error) {
        Some("coupons_code_key") => CouponStoreError::CodeTaken,
        Some("coupons_campaign_id_fkey") => CouponStoreError::UnknownCampaign,
        Some("coupons_store_id_fkey") => CouponStoreError::UnknownStore,
        _ => from_diesel(error).into(),
    }
}

async fn by_id(conn: &mut AsyncPgConnection, id: CouponId) -> Result<Option<Coupon>, InfraError> {
    let row: Option<(CouponRow, Option<String>)> = coupons::table
        .left_join(stores::table)
        .filter(coupons::id.eq(id))
        .select((CouponRow::as_select(), stores::code.nullable()))
        .first(conn)
        .await
        .optional()
        .map_err(from_diesel)?;
    row.map(to_coupon).transpose()
}

impl From<RedeemError> for RedemptionError {
    fn from(error: RedeemError) -> Self {
        match error {
            RedeemError::Exhausted => Self::Exhausted,
            RedeemError::Inactive => Self::Inactive,
            RedeemError::CustomerLimitReached => Self::CustomerLimitReached,
            RedeemError::OrderHasCoupon => Self::OrderHasCoupon,
            RedeemError::Db(error) => Self::Infra(from_diesel(error)),
        }
    }
}

#[async_trait]
impl CouponRepository for PgCouponRepository {
    async fn create(&self, terms: &CouponTerms) -> Result<Coupon, CouponStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let id: i64 = diesel::insert_into(coupons::table)
            .values(CouponValues::from(terms))
            .returning(coupons::id)
            .get_result(&mut conn)
            .await
            .map_err(write_error)?;
        Ok(by_id(&mut conn, id)
            .await?
            .ok_or(CouponStoreError::NotFound)?)
    }

    async fn find(&self, id: CouponId) -> Result<Option<Coupon>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        by_id(&mut conn, id).await
    }

    async fn find_by_code(
        &self,
        code: &CouponCode,
    ) -> Result<Option<CouponWithCampaign>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(CouponRow, Option<String>, Option<CampaignRow>)> = coupons::table
            .left_join(stores::table)
            .left_join(marketing_campaigns::table)
            .filter(coupons::code.eq(code.as_str()))
            .select((
                CouponRow::as_select(),
                stores::code.nullable(),
                marketing_campaigns::all_columns.nullable(),
            ))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(|(coupon, store_code, campaign)| {
            Ok(CouponWithCampaign {
                coupon: to_coupon((coupon, store_code))?,
                campaign: campaign.map(Campaign::try_from).transpose()?,
            })
        })
        .transpose()
    }

    async fn list(
        &self,
        filter: &CouponFilter,
        page: &PageRequest<CouponId>,
    ) -> Result<Page<Coupon>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = coupons::table
            .left_join(stores::table)
            .select((CouponRow::as_select(), stores::code.nullable()))
            .order(coupons::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(campaign) = filter.campaign_id {
            query = query.filter(coupons::campaign_id.eq(campaign));
        }
        if let Some(active) = filter.active {
            query = query.filter(coupons::active.eq(active));
        }
        if let Some(after) = page.after {
            query = query.filter(coupons::id.lt(after));
        }
        let rows: Vec<(CouponRow, Option<String>)> =
            query.load(&mut conn).await.map_err(from_diesel)?;
        let coupons = rows
            .into_iter()
            .map(to_coupon)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(coupons, page))
    }

    async fn update(&self, id: CouponId, terms: &CouponTerms) -> Result<Coupon, CouponStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let updated = diesel::update(coupons::table.find(id))
            .set(CouponValues::from(terms))
            .execute(&mut conn)
            .await
            .map_err(write_error)?;
        if updated == 0 {
            return Err(CouponStoreError::NotFound);
        }
        by_id(&mut conn, id)
            .await?
            .ok_or(CouponStoreError::NotFound)
    }

    async fn delete(&self, id: CouponId) -> Result<(), CouponStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(coupons::table.find(id))
            .execute(&mut conn)
            .await
            .map_err(|error| match violated_constraint(&error) {
                Some("coupon_redemptions_coupon_id_fkey") => CouponStoreError::InUse,
                _ => from_diesel(error).into(),
            })?;
        if deleted == 0 {
            return Err(CouponStoreError::NotFound);
        }
        Ok(())
    }

    async fn customer_uses(&self, coupon: CouponId, user: UserId) -> Result<i64, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        coupon_redemptions::table
            .filter(coupon_redemptions::coupon_id.eq(coupon))
            .filter(coupon_redemptions::user_id.eq(user))
            .count()
            .get_result(&mut conn)
            .await
            .map_err(from_diesel)
    }

    async fn redeem(&self, redemption: &Redemption) -> Result<(), RedemptionError> {
        let mut conn = pool::get(&self.pool).await?;
        let Redemption {
            coupon_id,
            user_id,
            order_id,
            discount,
        } = *redemption;
        conn.transaction::<_, RedeemError, _>(async |conn| {
            redeem_in(conn, coupon_id, user_id, order_id, discount).await
        })
        .await
        .map_err(RedemptionError::from)
    }

    async fn release(&self, order_id: i64) -> Result<bool, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction(async |conn| release_in(conn, order_id).await)
            .await
            .map_err(from_diesel)
    }
}
