use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use domain::marketing::campaign::{Campaign, CampaignId, CampaignPeriod, CampaignTerms};
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::marketing::{CampaignFilter, CampaignRepository, CampaignStoreError};

use crate::error::{from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::marketing_campaigns;

pub struct PgCampaignRepository {
    pool: PgPool,
}

impl PgCampaignRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = marketing_campaigns, check_for_backend(diesel::pg::Pg))]
pub(super) struct CampaignRow {
    id: i64,
    name: String,
    description: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = InfraError;

    fn try_from(row: CampaignRow) -> Result<Self, InfraError> {
        Ok(Campaign {
            id: row.id,
            terms: CampaignTerms {
                name: row.name,
                description: row.description,
                period: stored("period", CampaignPeriod::parse(row.starts_on, row.ends_on))?,
                active: row.active,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = marketing_campaigns)]
struct CampaignValues<'a> {
    name: &'a str,
    description: &'a str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    active: bool,
}

impl<'a> From<&'a CampaignTerms> for CampaignValues<'a> {
    fn from(terms: &'a CampaignTerms) -> Self {
        Self {
            name: &terms.name,
            description: &terms.description,
            starts_on: terms.period.starts_on(),
            ends_on: terms.period.ends_on(),
            active: terms.active,
        }
    }
}

#[async_trait]
impl CampaignRepository for PgCampaignRepository {
    async fn create(&self, terms: &CampaignTerms) -> Result<Campaign, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: CampaignRow = diesel::insert_into(marketing_campaigns::table)
            .values(CampaignValues::from(terms))
            .returning(CampaignRow::as_returning())
            .get_result(&mut conn)
            .await
            .map_err(from_diesel)?;
        row.try_into()
    }

    async fn find(&self, id: CampaignId) -> Result<Option<Campaign>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<CampaignRow> = marketing_campaigns::table
            .find(id)
            .select(CampaignRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(Campaign::try_from).transpose()
    }

    async fn list(
        &self,
        filter: &CampaignFilter,
        page: &PageRequest<CampaignId>,
    ) -> Result<Page<Campaign>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = marketing_campaigns::table
            .select(CampaignRow::as_select())
            .order(marketing_campaigns::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(active) = filter.active {
            query = query.filter(marketing_campaigns::active.eq(active));
        }
        if let Some(after) = page.after {
            query = query.filter(marketing_campaigns::id.lt(after));
        }
        let rows: Vec<CampaignRow> = query.load(&mut conn).await.map_err(from_diesel)?;
        let campaigns = rows
            .into_iter()
            .map(Campaign::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(campaigns, page))
    }

    async fn update(
        &self,
        id: CampaignId,
        terms: &CampaignTerms,
    ) -> Result<Campaign, CampaignStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<CampaignRow> = diesel::update(marketing_campaigns::table.find(id))
            .set(CampaignValues::from(terms))
            .returning(CampaignRow::as_returning())
            .get_result(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        Ok(row.ok_or(CampaignStoreError::NotFound)?.try_into()?)
    }

    async fn delete(&self, id: CampaignId) -> Result<(), CampaignStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(marketing_campaigns::table.find(id))
            .execute(&mut conn)
            .await
            .map_err(|error| match violated_constraint(&error) {
                Some("coupons_campaign_id_fkey") => CampaignStoreError::InUse,
                _ => from_diesel(error).into(),
            })?;
        if deleted == 0 {
            return Err(CampaignStoreError::NotFound);
        }
        Ok(())
    }
}
