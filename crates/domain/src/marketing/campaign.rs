//! Campaigns: a named period (whole days in the deployment's time zone) that coupons may
//! belong to. A coupon of a campaign applies only while its campaign runs.

use chrono::{DateTime, NaiveDate, Utc};

use crate::Invalid;

pub type CampaignId = i64;

/// What staff decide about a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTerms {
    pub name: String,
    pub description: String,
    pub period: CampaignPeriod,
    /// Staff may switch a campaign off before its end.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: CampaignId,
    pub terms: CampaignTerms,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Campaign {
    /// Whether the campaign is on, on `today` (a date in the deployment's time zone).
    pub fn runs_on(&self, today: NaiveDate) -> bool {
        self.terms.active && self.terms.period.contains(today)
    }
}

/// The days a campaign runs, both included: `ends_on` is never before `starts_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignPeriod {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
}

impl CampaignPeriod {
    pub fn parse(starts_on: NaiveDate, ends_on: NaiveDate) -> Result<Self, Invalid> {
        if ends_on < starts_on {
            return Err(Invalid::new("must not be before starts_on"));
        }
        Ok(Self { starts_on, ends_on })
    }

    pub fn starts_on(self) -> NaiveDate {
        self.starts_on
    }

    pub fn ends_on(self) -> NaiveDate {
        self.ends_on
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

/// A campaign's name: 1 to 100 characters, trimmed.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, 100)
}

/// A campaign's description: at most 2000 characters, trimmed.
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn campaign(starts: &str, ends: &str, active: bool) -> Campaign {
        Campaign {
            id: 1,
            terms: CampaignTerms {
                name: "Spring".into(),
                description: String::new(),
                period: CampaignPeriod::parse(day(starts), day(ends)).unwrap(),
                active,
            },
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_period_does_not_end_before_it_starts() {
        assert!(CampaignPeriod::parse(day("2026-03-02"), day("2026-03-01")).is_err());
        let one_day = CampaignPeriod::parse(day("2026-03-01"), day("2026-03-01")).unwrap();
        assert!(one_day.contains(day("2026-03-01")));
        assert!(!one_day.contains(day("2026-03-02")));
    }

    #[test]
    fn a_campaign_runs_while_active_and_within_its_days() {
        let spring = campaign("2026-03-01", "2026-03-31", true);
        assert!(!spring.runs_on(day("2026-02-28")));
        assert!(spring.runs_on(day("2026-03-01")));
        assert!(spring.runs_on(day("2026-03-31")));
        assert!(!spring.runs_on(day("2026-04-01")));
        let stopped = campaign("2026-03-01", "2026-03-31", false);
        assert!(!stopped.runs_on(day("2026-03-15")));
    }
}
