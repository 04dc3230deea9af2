//! A person's own wallet: balance, top-ups, withdrawals, statement.

use domain::Fields;
use domain::finance::ledger::{EntryKey, EntryKind, LedgerEntry, NewLedgerEntry};
use domain::finance::wallet;
use domain::identity::user::Principal;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use ports::finance::{LedgerError, Posted};
use rust_decimal::Decimal;

use super::{Finance, FinanceError};
use crate::catalog::Priced;

/// A top-up or withdrawal, as received.
#[derive(Debug, Clone)]
pub struct WalletInput {
    pub amount: Decimal,
    pub note: Option<String>,
}

impl Finance {
    /// The caller's balance (zero before their first credit).
    pub async fn wallet(&self, caller: &Principal) -> Result<Priced<Money>, FinanceError> {
        let balance = self.ports.wallets.balance(caller.user_id).await?;
        self.priced(balance).await
    }

    /// Credits the caller's wallet at once: one `top_up` row.
    pub async fn top_up(
        &self,
        caller: &Principal,
        input: WalletInput,
    ) -> Result<Priced<Posted>, FinanceError> {
        self.move_money(caller, EntryKind::TopUp, input).await
    }

    /// Debits the caller's wallet: one `withdrawal` row, or nothing when the balance is too
    /// low.
    pub async fn withdraw(
        &self,
        caller: &Principal,
        input: WalletInput,
    ) -> Result<Priced<Posted>, FinanceError> {
        self.move_money(caller, EntryKind::Withdrawal, input).await
    }

    async fn move_money(
        &self,
        caller: &Principal,
        kind: EntryKind,
        input: WalletInput,
    ) -> Result<Priced<Posted>, FinanceError> {
        let mut fields = Fields::default();
        let amount = fields.check("amount", wallet::parse_operation_amount(input.amount));
        let note = fields.check(
            "note",
            wallet::parse_note(input.note.as_deref().unwrap_or("")),
        );
        fields.finish().map_err(FinanceError::Invalid)?;
        let (Some(amount), Some(note)) = (amount, note) else {
            unreachable!("every field parsed when there are no errors");
        };
        let currency = self.currency().await?;
        let entry = NewLedgerEntry::wallet(kind, caller.user_id, amount, &currency)
            .note(note)
            .actor(caller.user_id);
        let posted = match self.ports.wallets.post(&entry).await {
            Ok(posted) => posted,
            Err(LedgerError::InsufficientFunds { user }) => {
                let balance = self.ports.wallets.balance(user).await?;
                return Err(FinanceError::InsufficientFunds {
                    balance,
                    requested: amount.money(),
                });
            }
            Err(LedgerError::BalanceLimit { .. }) => return Err(FinanceError::BalanceLimit),
            Err(LedgerError::Infra(e)) => return Err(e.into()),
        };
        tracing::info!(
            user_id = caller.user_id,
            kind = kind.as_str(),
            amount = %amount.money(),
            entry_id = posted.entry.id,
            "wallet changed"
        );
        Ok(Priced {
            item: posted,
            currency,
        })
    }

    /// A page of the caller's ledger rows, newest first.
    pub async fn statement(
        &self,
        caller: &Principal,
        page: &PageRequest<EntryKey>,
    ) -> Result<Page<LedgerEntry>, FinanceError> {
        Ok(self.ports.wallets.statement(caller.user_id, page).await?)
    }
}
