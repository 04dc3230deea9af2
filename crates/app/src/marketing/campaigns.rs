//! Campaigns: creating, listing, changing, deleting.

use chrono::NaiveDate;
use domain::Fields;
use domain::marketing::campaign::{self, Campaign, CampaignId, CampaignPeriod, CampaignTerms};
use domain::pagination::{Page, PageRequest};
use ports::marketing::CampaignFilter;

use super::{Marketing, MarketingError};

/// A new campaign as received.
#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub name: String,
    pub description: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `true` unless given.
    pub active: Option<bool>,
}

/// A change to a campaign as received; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CampaignPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub active: Option<bool>,
}

/// The terms `patch` makes of `terms`, every field checked.
fn patched(terms: &CampaignTerms, patch: CampaignPatch) -> Result<CampaignTerms, MarketingError> {
    let mut fields = Fields::default();
    let name = match patch.name {
        Some(raw) => fields.check("name", campaign::parse_name(&raw)),
        None => Some(terms.name.clone()),
    };
    let description = match patch.description {
        Some(raw) => fields.check("description", campaign::parse_description(&raw)),
        None => Some(terms.description.clone()),
    };
    let period = fields.check(
        "ends_on",
        CampaignPeriod::parse(
            patch.starts_on.unwrap_or(terms.period.starts_on()),
            patch.ends_on.unwrap_or(terms.period.ends_on()),
        ),
    );
    fields.finish().map_err(MarketingError::Invalid)?;
    let (Some(name), Some(description), Some(period)) = (name, description, period) else {
        unreachable!("every field parsed when there are no errors");
    };
    Ok(CampaignTerms {
        name,
        description,
        period,
        active: patch.active.unwrap_or(terms.active),
    })
}

impl Marketing {
    pub async fn create_campaign(&self, input: CampaignInput) -> Result<Campaign, MarketingError> {
        let mut fields = Fields::default();
        let name = fields.check("name", campaign::parse_name(&input.name));
        let description = fields.check(
            "description",
            campaign::parse_description(input.description.as_deref().unwrap_or("")),
        );
        let period = fields.check(
            "ends_on",
            CampaignPeriod::parse(input.starts_on, input.ends_on),
        );
        fields.finish().map_err(MarketingError::Invalid)?;
        let (Some(name), Some(description), Some(period)) = (name, description, period) else {
            unreachable!("every field parsed when there are no errors");
        };
        let campaign = self
            .ports
            .campaigns
            .create(&CampaignTerms {
                name,
                description,
                period,
                active: input.active.unwrap_or(true),
            })
            .await?;
        tracing::info!(campaign_id = campaign.id, "campaign created");
        Ok(campaign)
    }

    pub async fn campaign(&self, id: CampaignId) -> Result<Campaign, MarketingError> {
        self.ports
            .campaigns
            .find(id)
            .await?
            .ok_or(MarketingError::CampaignNotFound)
    }

    /// A page of campaigns, newest first.
    pub async fn campaigns(
        &self,
        active: Option<bool>,
        page: &PageRequest<CampaignId>,
    ) -> Result<Page<Campaign>, MarketingError> {
        Ok(self
            .ports
            .campaigns
            .list(&CampaignFilter { active }, page)
            .await?)
    }

    pub async fn update_campaign(
        &self,
        id: CampaignId,
        patch: CampaignPatch,
    ) -> Result<Campaign, MarketingError> {
        let current = self.campaign(id).await?;
        let terms = patched(&current.terms, patch)?;
        Ok(self.ports.campaigns.update(id, &terms).await?)
    }

    /// Deletes a campaign no coupon belongs to.
    pub async fn delete_campaign(&self, id: CampaignId) -> Result<(), MarketingError> {
        self.ports.campaigns.delete(id).await?;
        tracing::info!(campaign_id = id, "campaign deleted");
        Ok(())
    }
}
