//! Finance: wallets and the ledger.
//!
//! Any signed-in person has a wallet (a balance of zero until the first credit): they read it,
//! top it up, withdraw from it and read its statement. Staff with `ledger:read` list every
//! ledger row. Money moves only through the ledger: each top-up and withdrawal is one ledger
//! row written in the transaction that changes the balance (`ports::finance`).

mod error;
mod ledger;
mod wallet;

use std::sync::Arc;

use ports::finance::WalletRepository;

use crate::backoffice::settings::SettingsService;
use crate::catalog::Priced;

pub use error::FinanceError;
pub use ledger::LedgerQuery;
pub use wallet::WalletInput;

#[derive(Clone)]
pub struct FinancePorts {
    pub wallets: Arc<dyn WalletRepository>,
}

#[derive(Clone)]
pub struct Finance {
    ports: FinancePorts,
    settings: SettingsService,
}

impl Finance {
    pub fn new(ports: FinancePorts, settings: SettingsService) -> Self {
        Self { ports, settings }
    }

    async fn currency(&self) -> Result<String, FinanceError> {
        Ok(self.settings.value("currency").await?)
    }

    async fn priced<T>(&self, item: T) -> Result<Priced<T>, FinanceError> {
        Ok(Priced {
            item,
            currency: self.currency().await?,
        })
    }
}
