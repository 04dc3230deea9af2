//! The [`PaymentProvider`] port over Stripe's HTTP API, or any provider that speaks it.
//!
//! - Checkout: `POST /v1/checkout/sessions` (form-encoded, as Stripe takes it) opens a hosted
//!   page for one payment of one line, the order; the session keeps our payment id in
//!   `client_reference_id` and `metadata[payment_id]`.
//! - Refund: `POST /v1/refunds` of an amount of a payment intent.
//! - Both send an `Idempotency-Key` made from our payment's or refund's id, so a call repeated
//!   after a timeout makes one session or one refund at the provider.
//! - Webhooks: [`webhook`] verifies the `Stripe-Signature` header and reads the event.
//!
//! Amounts are converted exactly to minor units ([`minor_units`]); currencies without two
//! decimal places are refused before anything is sent.

mod minor_units;
pub mod webhook;

use std::time::Duration;

use anyhow::anyhow;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use ports::finance::provider::{
    CheckoutRequest, CheckoutSession, PaymentProvider, ProviderError, ProviderEvent, Refund,
    RefundRequest, RefundStatus, WebhookRejection,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

pub use minor_units::{currency_code, minor_units};

/// Where the provider is and the secrets to talk to it.
#[derive(Clone)]
pub struct StripeSettings {
    /// `https://api.stripe.com`, or a compatible provider's (a local fake in tests).
    pub api_base: String,
    /// The secret API key (`sk_…`), sent as a bearer token.
    pub secret_key: String,
    /// The webhook endpoint's signing secret (`whsec_…`).
    pub webhook_secret: String,
    /// Longest time one call may take, connecting included.
    pub timeout: Duration,
    /// How far a webhook's signed timestamp may be from now.
    pub signature_tolerance: TimeDelta,
}

impl StripeSettings {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_SIGNATURE_TOLERANCE: TimeDelta = TimeDelta::seconds(300);

    /// The settings with the default timeout and tolerance.
    pub fn new(api_base: &str, secret_key: &str, webhook_secret: &str) -> Self {
        Self {
            api_base: api_base.trim_end_matches('/').to_owned(),
            secret_key: secret_key.to_owned(),
            webhook_secret: webhook_secret.to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
            signature_tolerance: Self::DEFAULT_SIGNATURE_TOLERANCE,
        }
    }
}

/// Leaves the secrets out.
impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .field("signature_tolerance", &self.signature_tolerance)
            .finish_non_exhaustive()
    }
}

pub struct StripeProvider {
    http: reqwest::Client,
    settings: StripeSettings,
}

impl StripeProvider {
    /// Configures the client; connects on the first call.
    pub fn new(settings: StripeSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(3)))
            .user_agent(concat!("atelier/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { http, settings })
    }

    /// POSTs a form to the API and reads the answer, mapping failures to [`ProviderError`].
    async fn post_form<T: DeserializeOwned>(
        &self,
        path: &str,
        idempotency_key: &str,
        form: &[(&str, String)],
    ) -> Result<T, ProviderError> {
        let response = self
            .http
            .post(format!("{}{path}", self.settings.api_base))
            .bearer_auth(&self.settings.secret_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await
            .map_err(|error| transport(error, path))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| transport(error, path))?;
        if status.is_success() {
            return serde_json::from_slice(&body).map_err(|error| {
                ProviderError::Unknown(
                    anyhow!(error).context(format!("reading the provider's answer to {path}")),
                )
            });
        }
        let message = error_message(&body).unwrap_or_else(|| status.to_string());
        Err(match status.as_u16() {
            402 => ProviderError::Declined { message },
            401 | 403 => ProviderError::Unknown(anyhow!(
                "the payment provider refused our secret key on {path} ({status}): {message}"
            )),
            // A concurrent request with the same idempotency key, or a rate limit: later.
            409 | 429 => ProviderError::Unavailable(anyhow!("{path} answered {status}: {message}")),
            400..=499 => ProviderError::Rejected { message },
            _ => ProviderError::Unavailable(anyhow!("{path} answered {status}: {message}")),
        })
    }
}

fn transport(error: reqwest::Error, path: &str) -> ProviderError {
    if error.is_builder() {
        ProviderError::Unknown(anyhow!(error).context(format!("building the request to {path}")))
    } else {
        // Refused or dropped connections, timeouts: the call may succeed later.
        ProviderError::Unavailable(anyhow!(error).context(format!("calling {path}")))
    }
}

/// The `error.message` of a Stripe error body.
fn error_message(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct ErrorBody {
        error: ErrorDetail,
    }
    #[derive(Deserialize)]
    struct ErrorDetail {
        message: Option<String>,
        code: Option<String>,
    }
    let detail = serde_json::from_slice::<ErrorBody>(body).ok()?.error;
    detail.message.or(detail.code)
}

#[derive(Deserialize)]
struct SessionAnswer {
    id: String,
    url: Option<String>,
    expires_at: i64,
}

#[derive(Deserialize)]
struct RefundAnswer {
    id: String,
    status: Option<String>,
}

#[async_trait]
impl PaymentProvider for StripeProvider {
    async fn create_checkout(
        &self,
        request: CheckoutRequest,
    ) -> Result<CheckoutSession, ProviderError> {
        let (amount, currency) = minor_units(request.amount, &request.currency)?;
        let payment_id = request.payment_id.to_string();
        let form = [
            ("mode", "payment".to_owned()),
            ("line_items[0][price_data][currency]", currency),
            ("line_items[0][price_data][unit_amount]", amount.to_string()),
            (
                "line_items[0][price_data][product_data][name]",
                format!("Order {}", request.order_number),
            ),
            ("line_items[0][quantity]", "1".to_owned()),
            ("success_url", request.success_url),
            ("cancel_url", request.cancel_url),
            ("client_reference_id", payment_id.clone()),
            ("metadata[payment_id]", payment_id),
            ("metadata[order_number]", request.order_number),
        ];
        let key = format!("atelier-checkout-{}", request.payment_id);
        let answer: SessionAnswer = self.post_form("/v1/checkout/sessions", &key, &form).await?;
        let url = answer
            .url
            .ok_or_else(|| anyhow!("the checkout session has no url"))?;
        let expires_at = DateTime::from_timestamp(answer.expires_at, 0)
            .ok_or_else(|| anyhow!("the checkout session's expires_at is out of range"))?;
        Ok(CheckoutSession {
            id: answer.id,
            url,
            expires_at,
        })
    }

    async fn refund(&self, request: RefundRequest) -> Result<Refund, ProviderError> {
        let (amount, _) = minor_units(request.amount, &request.currency)?;
        let form = [
            ("payment_intent", request.payment_reference),
            ("amount", amount.to_string()),
            ("metadata[refund_id]", request.refund_id.to_string()),
        ];
        let key = format!("atelier-refund-{}", request.refund_id);
        let answer: RefundAnswer = self.post_form("/v1/refunds", &key, &form).await?;
        let status = match answer.status.as_deref() {
            Some("succeeded") => RefundStatus::Succeeded,
            Some("failed") => RefundStatus::Failed,
            Some("canceled") => RefundStatus::Canceled,
            // `pending`, `requires_action`, or one Stripe adds later: not done yet.
            _ => RefundStatus::Pending,
        };
        Ok(Refund {
            id: answer.id,
            status,
        })
    }

    fn read_webhook(
        &self,
        signature_header: Option<&str>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookRejection> {
        webhook::verify(
            self.settings.webhook_secret.as_bytes(),
            signature_header,
            body,
            now,
            self.settings.signature_tolerance,
        )?;
        webhook::parse(body)
    }
}
