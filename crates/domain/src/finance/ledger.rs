//! The ledger: one row per money movement (top-up, withdrawal, payment, payout, refund).
//!
//! A row's amount is signed. A row of a wallet changes that wallet's balance by its amount; a
//! row without one is money through the outside world (the payment provider, a bank): + coming
//! in, − going out. Which sign a row takes follows from its kind and where the money is, so a
//! caller never chooses a sign ([`EntryKind::sign`]):
//!
//! | kind | to or from a wallet | through the provider |
//! |---|---|---|
//! | top_up | + (credit) | — (a top-up always names a wallet) |
//! | withdrawal | − (debit) | — (a withdrawal always names a wallet) |
//! | payment | − (the buyer's wallet pays) | + (the provider collected it) |
//! | refund | + (back into the buyer's wallet) | − (back through the provider) |
//! | payout | + (into the store owner's wallet) | − (out to the owner's bank) |
//!
//! A wallet row is always `succeeded`: a wallet changes at once or not at all. `pending` and
//! `failed` are for money still on its way through the provider. The database checks the same
//! rules (`financial_transactions_*_check`).

use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::Invalid;
use crate::identity::user::UserId;
use crate::money::Money;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    TopUp,
    Withdrawal,
    Payment,
    Payout,
    Refund,
    /// A store owner gives back the payout of an order that is refunded.
    Clawback,
}

impl EntryKind {
    pub const ALL: &[EntryKind] = &[
        Self::TopUp,
        Self::Withdrawal,
        Self::Payment,
        Self::Payout,
        Self::Refund,
        Self::Clawback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TopUp => "top_up",
            Self::Withdrawal => "withdrawal",
            Self::Payment => "payment",
            Self::Payout => "payout",
            Self::Refund => "refund",
            Self::Clawback => "clawback",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| {
                Invalid::new("must be one of top_up, withdrawal, payment, payout, refund, clawback")
            })
    }

    /// Whether a movement of this kind always names a wallet.
    pub fn needs_wallet(self) -> bool {
        matches!(self, Self::TopUp | Self::Withdrawal | Self::Clawback)
    }

    /// The direction of a movement of this kind, to or from a wallet (`to_wallet`) or through
    /// the outside world.
    pub fn sign(self, to_wallet: bool) -> Direction {
        match (self, to_wallet) {
            (Self::TopUp, _) => Direction::Credit,
            (Self::Withdrawal | Self::Clawback, _) => Direction::Debit,
            (Self::Payment, true) => Direction::Debit,
            (Self::Payment, false) => Direction::Credit,
            (Self::Refund | Self::Payout, true) => Direction::Credit,
            (Self::Refund | Self::Payout, false) => Direction::Debit,
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryStatus {
    Succeeded,
    Pending,
    Failed,
}

impl EntryStatus {
    pub const ALL: &[EntryStatus] = &[Self::Succeeded, Self::Pending, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Pending => "pending",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of succeeded, pending, failed"))
    }
}

/// Which way money goes: a credit adds to the wallet (or is money coming in), a debit takes
/// from it (or is money going out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Credit,
    Debit,
}

/// An amount of money moved: more than zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Money);

impl Amount {
    pub fn new(money: Money) -> Result<Self, Invalid> {
        if money == Money::ZERO {
            Err(Invalid::new("must be more than zero"))
        } else {
            Ok(Self(money))
        }
    }

    /// A decimal as typed: more than zero, at most two places, below 10^10.
    pub fn parse(raw: Decimal) -> Result<Self, Invalid> {
        Self::new(Money::parse(raw)?)
    }

    pub fn money(self) -> Money {
        self.0
    }

    /// The amount with the sign of `direction`.
    pub fn signed(self, direction: Direction) -> Decimal {
        match direction {
            Direction::Credit => self.0.amount(),
            Direction::Debit => -self.0.amount(),
        }
    }
}

/// Why a ledger entry cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LedgerRuleViolation {
    /// A top-up or a withdrawal without a wallet.
    #[error("a {0} always names a wallet")]
    NeedsWallet(EntryKind),
}

/// A ledger row to write. Made by [`NewLedgerEntry::wallet`] or [`NewLedgerEntry::external`],
/// then described with the builder methods; its sign follows from its kind and account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLedgerEntry {
    kind: EntryKind,
    status: EntryStatus,
    wallet: Option<UserId>,
    amount: Amount,
    currency: String,
    order_id: Option<i64>,
    payment_id: Option<i64>,
    provider_reference: Option<String>,
    note: String,
    actor: Option<UserId>,
}

impl NewLedgerEntry {
    /// A movement to or from `user`'s wallet; it succeeds with the transaction that posts it.
    pub fn wallet(kind: EntryKind, user: UserId, amount: Amount, currency: &str) -> Self {
        Self {
            kind,
            status: EntryStatus::Succeeded,
            wallet: Some(user),
            amount,
            currency: currency.to_owned(),
            order_id: None,
            payment_id: None,
            provider_reference: None,
            note: String::new(),
            actor: None,
        }
    }

    /// A movement through the outside world (the payment provider, a bank). Top-ups and
    /// withdrawals always name a wallet.
    pub fn external(
        kind: EntryKind,
        status: EntryStatus,
        amount: Amount,
        currency: &str,
    ) -> Result<Self, LedgerRuleViolation> {
        if kind.needs_wallet() {
            return Err(LedgerRuleViolation::NeedsWallet(kind));
        }
        Ok(Self {
            status,
            wallet: None,
            ..Self::wallet(kind, 0, amount, currency)
        })
    }

    pub fn order(mut self, order_id: i64) -> Self {
        self.order_id = Some(order_id);
        self
    }

    pub fn payment(mut self, payment_id: i64) -> Self {
        self.payment_id = Some(payment_id);
        self
    }

    pub fn provider_reference(mut self, reference: impl Into<String>) -> Self {
        self.provider_reference = Some(reference.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// Who made it happen (left out: the system).
    pub fn actor(mut self, actor: UserId) -> Self {
        self.actor = Some(actor);
        self
    }

    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    pub fn status(&self) -> EntryStatus {
        self.status
    }

    /// The wallet it changes, if any.
    pub fn wallet_user(&self) -> Option<UserId> {
        self.wallet
    }

    pub fn amount(&self) -> Amount {
        self.amount
    }

    pub fn direction(&self) -> Direction {
        self.kind.sign(self.wallet.is_some())
    }

    /// The row's signed amount: for a wallet row, the change of its balance.
    pub fn signed_amount(&self) -> Decimal {
        self.amount.signed(self.direction())
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    pub fn order_id(&self) -> Option<i64> {
        self.order_id
    }

    pub fn payment_id(&self) -> Option<i64> {
        self.payment_id
    }

    pub fn provider_ref(&self) -> Option<&str> {
        self.provider_reference.as_deref()
    }

    pub fn note_text(&self) -> &str {
        &self.note
    }

    pub fn actor_id(&self) -> Option<UserId> {
        self.actor
    }
}

/// The net change each wallet of `entries` sees, by wallet in ascending user id (the order in
/// which wallets are locked, so that concurrent postings never deadlock).
pub fn wallet_changes(entries: &[NewLedgerEntry]) -> Vec<(UserId, Decimal)> {
    let mut changes: Vec<(UserId, Decimal)> = Vec::new();
    for entry in entries {
        if let Some(user) = entry.wallet {
            match changes.iter_mut().find(|(u, _)| *u == user) {
                Some((_, delta)) => *delta += entry.signed_amount(),
                None => changes.push((user, entry.signed_amount())),
            }
        }
    }
    changes.sort_by_key(|(user, _)| *user);
    changes
}

/// A person named in a row, with the username they have now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    pub username: String,
}

/// A row of the ledger as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub kind: EntryKind,
    pub status: EntryStatus,
    /// The wallet it changed, if any.
    pub wallet: Option<Person>,
    /// Signed: see the module's comment.
    pub amount: Decimal,
    pub currency: String,
    pub order_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub provider_reference: Option<String>,
    pub note: String,
    pub actor: Option<Person>,
    pub created_at: DateTime<Utc>,
}

/// Which rows a staff listing holds; `None` does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub kind: Option<EntryKind>,
    pub status: Option<EntryStatus>,
    /// Rows of this person's wallet, by username.
    pub username: Option<String>,
    pub order_id: Option<i64>,
    /// Rows made at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Rows made before this time.
    pub to: Option<DateTime<Utc>>,
}

/// The key of a row in ledger listings (newest first): when it was made, then its id.
pub type EntryKey = (DateTime<Utc>, i64);

impl LedgerEntry {
    pub fn key(&self) -> EntryKey {
        (self.created_at, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn amount(text: &str) -> Amount {
        Amount::parse(Decimal::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn amounts_moved_are_more_than_zero_with_two_places_at_most() {
        assert!(Amount::parse(Decimal::ZERO).is_err());
        assert!(Amount::parse(Decimal::from_str("-1").unwrap()).is_err());
        assert!(Amount::parse(Decimal::from_str("0.001").unwrap()).is_err());
        assert_eq!(amount("0.01").money().to_string(), "0.01");
    }

    #[test]
    fn the_sign_follows_from_the_kind_and_the_account() {
        let ten = amount("10");
        let signed = |entry: NewLedgerEntry| entry.signed_amount().to_string();
        let wallet = |kind| NewLedgerEntry::wallet(kind, 7, ten, "CNY");
        let external = |kind| NewLedgerEntry::external(kind, EntryStatus::Succeeded, ten, "CNY");
        assert_eq!(signed(wallet(EntryKind::TopUp)), "10");
        assert_eq!(signed(wallet(EntryKind::Withdrawal)), "-10");
        assert_eq!(signed(wallet(EntryKind::Payment)), "-10");
        assert_eq!(signed(wallet(EntryKind::Refund)), "10");
        assert_eq!(signed(wallet(EntryKind::Payout)), "10");
        assert_eq!(signed(external(EntryKind::Payment).unwrap()), "10");
        assert_eq!(signed(external(EntryKind::Refund).unwrap()), "-10");
        assert_eq!(signed(external(EntryKind::Payout).unwrap()), "-10");
        assert_eq!(
            external(EntryKind::TopUp),
            Err(LedgerRuleViolation::NeedsWallet(EntryKind::TopUp))
        );
        assert!(external(EntryKind::Withdrawal).is_err());
    }

    #[test]
    fn wallet_rows_always_succeed() {
        let entry = NewLedgerEntry::wallet(EntryKind::Payment, 7, amount("1"), "CNY");
        assert_eq!(entry.status(), EntryStatus::Succeeded);
        let pending =
            NewLedgerEntry::external(EntryKind::Payment, EntryStatus::Pending, amount("1"), "CNY")
                .unwrap();
        assert_eq!(pending.status(), EntryStatus::Pending);
        assert_eq!(pending.wallet_user(), None);
    }

    #[test]
    fn wallet_changes_are_netted_per_wallet_in_lock_order() {
        let entries = [
            NewLedgerEntry::wallet(EntryKind::Refund, 9, amount("5"), "CNY"),
            NewLedgerEntry::wallet(EntryKind::Payment, 3, amount("2"), "CNY"),
            NewLedgerEntry::external(
                EntryKind::Payment,
                EntryStatus::Succeeded,
                amount("8"),
                "CNY",
            )
            .unwrap(),
            NewLedgerEntry::wallet(EntryKind::Withdrawal, 9, amount("1.50"), "CNY"),
        ];
        let changes = wallet_changes(&entries);
        assert_eq!(
            changes,
            [
                (3, Decimal::from_str("-2").unwrap()),
                (9, Decimal::from_str("3.50").unwrap())
            ]
        );
    }

    #[test]
    fn kinds_and_statuses_parse_back() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::parse(kind.as_str()), Ok(*kind));
        }
        for status in EntryStatus::ALL {
            assert_eq!(EntryStatus::parse(status.as_str()), Ok(*status));
        }
        assert!(EntryKind::parse("gift").is_err());
        assert!(EntryStatus::parse("lost").is_err());
    }
}
