//! An outside payment provider (Stripe or one that speaks its API): a hosted checkout page per
//! payment, refunds, and the signed webhook events that say how a checkout ended.
//!
//! Amounts cross this port as [`Money`] plus an ISO 4217 currency code; the adapter converts
//! them exactly to the provider's minor units. Reading a webhook does no I/O: it verifies the
//! signature and the timestamp and parses the event. Replays (an event id seen before) and
//! sessions the system never created are for the caller to notice, in its own records.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::money::Money;

/// A hosted checkout page for one payment of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// Our payment's id: the provider keeps it in the session's metadata, and a repeated
    /// request for the same payment gets the same session back.
    pub payment_id: i64,
    /// Shown to the buyer on the provider's page.
    pub order_number: String,
    pub amount: Money,
    /// ISO 4217 (`CNY`, `EUR` ...); only currencies with two decimal places.
    pub currency: String,
    /// Where the provider sends the buyer after paying ...
    pub success_url: String,
    /// ... and after giving up.
    pub cancel_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    /// The provider's session id (`cs_…`), which its webhook events name.
    pub id: String,
    /// The page to send the buyer to.
    pub url: String,
    /// When the provider stops accepting payment on the page.
    pub expires_at: DateTime<Utc>,
}

/// Money given back from a completed payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// Our refund's id: a repeated request for the same refund is made once by the provider.
    pub refund_id: i64,
    /// The provider's reference of the payment (a Stripe `pi_…` payment intent), as
    /// [`ProviderEventKind::CheckoutCompleted`] gave it.
    pub payment_reference: String,
    pub amount: Money,
    /// ISO 4217; the payment's.
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// The provider's refund id (`re_…`).
    pub id: String,
    pub status: RefundStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundStatus {
    /// On its way; the provider confirms later.
    Pending,
    Succeeded,
    Failed,
    Canceled,
}

/// A webhook event whose signature and timestamp were verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderEvent {
    /// The provider's event id (`evt_…`): the same event may be delivered more than once.
    pub id: String,
    pub kind: ProviderEventKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderEventKind {
    /// The buyer paid on the checkout page.
    CheckoutCompleted {
        session_id: String,
        amount: Money,
        /// ISO 4217, upper case.
        currency: String,
        /// The payment to refund from (a Stripe payment intent `pi_…`).
        payment_reference: String,
    },
    /// The checkout page closed without a payment (it expired, or a delayed payment failed).
    CheckoutExpired { session_id: String },
    /// Anything else the provider sends (including a checkout completed but not yet paid):
    /// acknowledge it, change nothing.
    Other { event_type: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused the payment method (a card declined: HTTP 402).
    #[error("declined by the payment provider: {message}")]
    Declined { message: String },
    /// The provider refused the request (another 4xx: an amount beyond what can be refunded,
    /// an unknown payment ...).
    #[error("rejected by the payment provider: {message}")]
    Rejected { message: String },
    /// Our currency has no exact conversion to the provider's minor units (not two decimals).
    #[error(
        "the payment provider cannot take amounts in {0}: only currencies with two decimal places"
    )]
    UnsupportedCurrency(String),
    /// No answer, a timeout, a 5xx or a rate limit: the same call may succeed later.
    #[error("the payment provider is unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: an answer we cannot read, our credentials refused, a bug.
    #[error(transparent)]
    Unknown(#[from] anyhow::Error),
}

/// Why a webhook request was not accepted as an event of the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookRejection {
    #[error("the request carries no signature")]
    Unsigned,
    #[error("the signature does not match the body")]
    BadSignature,
    /// Signed correctly, but too long ago (or too far ahead): a replay of an old request.
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    /// Signed correctly, but not an event we can read.
    #[error("the event cannot be read: {0}")]
    Malformed(String),
}

#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// Opens a hosted checkout page for one payment.
    async fn create_checkout(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutSession, ProviderError>;

    /// Gives `amount` of a completed payment back.
    async fn refund(&self, request: RefundRequest) -> Result<Refund, ProviderError>;

    /// Verifies a webhook request (its signature header and raw body, as received) at `now`
    /// and reads the event. No I/O.
    fn read_webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookRejection>;
}
