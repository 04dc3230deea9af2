//! Storage for the payments of orders. Each method that moves money is one transaction: the
//! payment row, the ledger rows, the order's paid amount and, when it is paid in full, its
//! status and stock.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::finance::payment::{Payment, PaymentId};
use domain::identity::user::UserId;
use domain::money::Money;
use domain::ordering::order::{OrderId, OrderStatus};

use super::provider::{CheckoutSession, ProviderEvent};
use crate::InfraError;

/// A payment asked for.
#[derive(Debug, Clone)]
pub struct PayRequest {
    pub order: OrderId,
    pub payer: UserId,
    /// `None`: everything still owed.
    pub amount: Option<Money>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error("no such order")]
    OrderNotFound,
    /// Not waiting for payment (or its reservation ran out with nothing paid).
    #[error("an order that is {0} cannot be paid")]
    NotPayable(OrderStatus),
    /// More than is owed, or nothing.
    #[error("{0}")]
    Amount(domain::Invalid),
    /// The payer's wallet holds less than the payment.
    #[error("the wallet holds too little")]
    InsufficientFunds,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// What a verified provider event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// The payment was settled (or marked failed) and its order changed accordingly.
    Applied { order: OrderId },
    /// The buyer paid, but the order can no longer take it (paid another way, expired,
    /// cancelled): the money is recorded as received and a refund through the provider as due.
    Returned { order: OrderId, reason: String },
    /// Taken and recorded, but nothing changed: the payment was settled already, or the event is
    /// of no interest (or does not match its payment).
    Ignored { reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// An event with this id was taken before.
    #[error("the event was taken already")]
    Replayed,
    /// No payment of ours has the event's checkout session.
    #[error("no payment has this checkout session")]
    UnknownSession,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// A refund to make through the provider, recorded as a pending ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundDue {
    /// The pending ledger row; its id names the refund towards the provider.
    pub entry_id: i64,
    pub payment_id: PaymentId,
    /// The provider's reference of the payment (`pi_…`).
    pub payment_reference: String,
    pub amount: Money,
    pub currency: String,
}

#[async_trait]
pub trait PaymentRepository: Send + Sync {
    /// Pays from the payer's wallet: debits it, pays the store's owner out, records the payment,
    /// and marks the order paid when nothing is owed any more (selling its stock).
    async fn pay_from_wallet(&self, request: &PayRequest) -> Result<Payment, PayError>;

    /// Records a provider payment that waits for the buyer to pay on the provider's page,
    /// after checking the order is payable and the amount owed.
    async fn open_provider_payment(&self, request: &PayRequest) -> Result<Payment, PayError>;

    /// Keeps the provider's checkout session of a pending payment.
    async fn attach_checkout(
        &self,
        payment: PaymentId,
        session: &CheckoutSession,
    ) -> Result<Payment, InfraError>;

    /// Marks a pending payment failed (its checkout could not be opened, or ended unpaid).
    async fn fail_payment(&self, payment: PaymentId, now: DateTime<Utc>) -> Result<(), InfraError>;

    /// Takes a verified provider event, at most once per event id.
    async fn take_provider_event(
        &self,
        event: &ProviderEvent,
        now: DateTime<Utc>,
    ) -> Result<EventOutcome, EventError>;

    /// The order's payments, oldest first.
    async fn payments(&self, order: OrderId) -> Result<Vec<Payment>, InfraError>;

    /// Refunds through the provider recorded for the order and not yet made.
    async fn refunds_due(&self, order: OrderId) -> Result<Vec<RefundDue>, InfraError>;

    /// Refunds through the provider still pending, of any order, oldest first.
    async fn refunds_pending(&self, limit: i64) -> Result<Vec<RefundDue>, InfraError>;

    /// Records what the provider said of a refund: made (with its id) or failed.
    async fn settle_refund(
        &self,
        entry_id: i64,
        refund_id: Option<&str>,
        succeeded: bool,
    ) -> Result<(), InfraError>;
}
