//! Finance: wallets and the ledger (storage), and the outside payment provider.

pub mod payments;
pub mod provider;

use async_trait::async_trait;
use domain::finance::ledger::{EntryKey, LedgerEntry, LedgerFilter, NewLedgerEntry};
use domain::identity::user::UserId;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};

use crate::InfraError;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// A debit larger than the wallet's balance; nothing was written.
    #[error("the wallet of {user} holds too little")]
    InsufficientFunds { user: UserId },
    /// A credit that would take the wallet past the largest balance stored; nothing was written.
    #[error("the wallet of {user} would hold too much")]
    BalanceLimit { user: UserId },
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// A ledger row just written, with the balance of its wallet after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub entry: LedgerEntry,
    /// Zero for a row without a wallet.
    pub balance: Money,
}

#[async_trait]
pub trait WalletRepository: Send + Sync {
    /// The person's balance; zero for a person without a wallet yet.
    async fn balance(&self, user: UserId) -> Result<Money, InfraError>;

    /// Writes one ledger row and changes its wallet's balance, in one transaction; a debit
    /// larger than the balance changes nothing.
    async fn post(&self, entry: &NewLedgerEntry) -> Result<Posted, LedgerError>;

    /// A page of the rows of the person's wallet, newest first.
    async fn statement(
        &self,
        user: UserId,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, InfraError>;

    /// A page of every row matching `filter`, newest first.
    async fn entries(
        &self,
        filter: &LedgerFilter,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, InfraError>;
}
