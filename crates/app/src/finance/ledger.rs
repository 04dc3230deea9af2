//! The whole ledger, for staff with `ledger:read`.

use chrono::{DateTime, Utc};
use domain::finance::ledger::{EntryKey, EntryKind, EntryStatus, LedgerEntry, LedgerFilter};
use domain::pagination::{Page, PageRequest};
use domain::{Fields, Invalid};

use super::{Finance, FinanceError};

/// Which rows to list, as received; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    pub kind: Option<String>,
    pub status: Option<String>,
    /// The username of the wallet's owner.
    pub user: Option<String>,
    pub order_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl LedgerQuery {
    fn parse(self) -> Result<LedgerFilter, FinanceError> {
        let mut fields = Fields::default();
        let kind = self
            .kind
            .map(|kind| fields.check("kind", EntryKind::parse(&kind)));
        let status = self
            .status
            .map(|status| fields.check("status", EntryStatus::parse(&status)));
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to <= from
        {
            fields.check::<()>("to", Err(Invalid::new("must be after `from`")));
        }
        fields.finish().map_err(FinanceError::Invalid)?;
        Ok(LedgerFilter {
            kind: kind.flatten(),
            status: status.flatten(),
            username: self.user,
            order_id: self.order_id,
            from: self.from,
            to: self.to,
        })
    }
}

impl Finance {
    /// A page of every ledger row matching `query`, newest first.
    pub async fn ledger(
        &self,
        query: LedgerQuery,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, FinanceError> {
        let filter = query.parse()?;
        Ok(self.ports.wallets.entries(&filter, page).await?)
    }
}
