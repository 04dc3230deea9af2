//! Stripe's webhook requests: the `Stripe-Signature` header and the event in the body.
//!
//! The header is `t=<unix seconds>,v1=<hex>[,v1=<hex> ...]` (other schemes, such as `v0`, are
//! ignored); each `v1` is HMAC-SHA256 under the endpoint's secret of `"<t>.<body>"`, and
//! several are sent while a secret is being rolled. A request is accepted when one of them
//! matches (compared in constant time) and `t` is within the tolerance of now, so a captured
//! request cannot be replayed later; a replay within the tolerance is the same event id,
//! which the caller recognises.

use chrono::{DateTime, TimeDelta, Utc};
use domain::money::Money;
use hmac::{Hmac, KeyInit, Mac};
use ports::finance::provider::{ProviderEvent, ProviderEventKind, WebhookRejection};
use serde::Deserialize;
use sha2::Sha256;

/// The header Stripe signs its webhook requests with.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// Checks the signature of `body` at `now`.
pub fn verify(
    secret: &[u8],
    header: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
    tolerance: TimeDelta,
) -> Result<(), WebhookRejection> {
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(WebhookRejection::Unsigned)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        match item.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(WebhookRejection::BadSignature)?;
    let mut signed = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    signed.update(timestamp.to_string().as_bytes());
    signed.update(b".");
    signed.update(body);
    // `verify_slice` compares in constant time.
    if !signatures
        .iter()
        .any(|signature| signed.clone().verify_slice(signature).is_ok())
    {
        return Err(WebhookRejection::BadSignature);
    }
    let age = now.timestamp().saturating_sub(timestamp);
    if age.saturating_abs() > tolerance.num_seconds() {
        return Err(WebhookRejection::Stale);
    }
    Ok(())
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

#[derive(Deserialize)]
struct Session {
    id: String,
    amount_total: Option<i64>,
    currency: Option<String>,
    payment_intent: Option<Reference>,
    payment_status: Option<String>,
}

/// An id, or the object it names when the event expands it.
#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    Id(String),
    Expanded { id: String },
}

fn malformed(reason: impl Into<String>) -> WebhookRejection {
    WebhookRejection::Malformed(reason.into())
}

/// Reads a verified body as an event.
pub fn parse(body: &[u8]) -> Result<ProviderEvent, WebhookRejection> {
    let event: Event =
        serde_json::from_slice(body).map_err(|e| malformed(format!("not an event: {e}")))?;
    let session = || {
        serde_json::from_value::<Session>(event.data.object.clone())
            .map_err(|e| malformed(format!("not a checkout session: {e}")))
    };
    let kind = match event.event_type.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            let session = session()?;
            // Completed with a delayed payment method: paid later (async_payment_succeeded)
            // or not at all (async_payment_failed).
            if session.payment_status.as_deref() == Some("paid") {
                completed(session)?
            } else {
                ProviderEventKind::Other {
                    event_type: event.event_type,
                }
            }
        }
        "checkout.session.expired" | "checkout.session.async_payment_failed" => {
            ProviderEventKind::CheckoutExpired {
                session_id: session()?.id,
            }
        }
        _ => ProviderEventKind::Other {
            event_type: event.event_type,
        },
    };
    Ok(ProviderEvent { id: event.id, kind })
}

fn completed(session: Session) -> Result<ProviderEventKind, WebhookRejection> {
    let cents = session
        .amount_total
        .ok_or_else(|| malformed("a paid session without amount_total"))?;
    let currency = session
        .currency
        .ok_or_else(|| malformed("a paid session without currency"))?;
    let currency = crate::currency_code(&currency)
        .map_err(|_| malformed(format!("a session paid in {currency}")))?;
    let amount = Money::from_cents(cents)
        .map_err(|reason| malformed(format!("amount_total {cents}: {reason}")))?;
    let payment_reference = match session.payment_intent {
        Some(Reference::Id(id) | Reference::Expanded { id }) => id,
        None => return Err(malformed("a paid session without payment_intent")),
    };
    Ok(ProviderEventKind::CheckoutCompleted {
        session_id: session.id,
        amount,
        currency,
        payment_reference,
    })
}
