//! Paying for an order (`/api/v1/orders/{number}/payments`), and the payment provider's
//! webhook (`/api/v1/finance/provider-events`).

use actix_web::{HttpRequest, HttpResponse, post, web};
use app::ordering::PaymentStarted;
use chrono::{DateTime, Utc};
use domain::finance::payment::Payment;
use ports::finance::payments::EventOutcome;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::orders::OrderDto;
use crate::auth::Caller;
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Payment)]
pub struct PaymentDto {
    pub id: i64,
    /// `wallet` or `provider`.
    pub method: &'static str,
    /// `pending` (waiting for the provider), `succeeded`, `failed` or `refunded`.
    pub status: &'static str,
    pub amount: MoneyDto,
    pub refunded: MoneyDto,
    /// For a provider payment: the page where the buyer pays.
    pub checkout_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<Payment> for PaymentDto {
    fn from(payment: Payment) -> Self {
        Self {
            id: payment.id,
            method: payment.method.as_str(),
            status: payment.status.as_str(),
            amount: MoneyDto::new(payment.amount, &payment.currency),
            refunded: MoneyDto::new(payment.refunded_amount, &payment.currency),
            checkout_url: payment.checkout_url,
            created_at: payment.created_at,
            completed_at: payment.completed_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PaymentRequest)]
pub struct PaymentRequest {
    /// `wallet`: from the buyer's wallet, at once. `provider`: on the payment provider's
    /// checkout page (`checkout_url`); the order is paid when the provider confirms.
    #[schema(example = "wallet")]
    pub method: String,
    /// How much: a part (a deposit), or, left out, everything still owed.
    #[schema(value_type = Option<String>, example = "50.00")]
    pub amount: Option<Decimal>,
}

/// A payment, and the order after it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PaymentMade)]
pub struct PaymentMadeDto {
    pub payment: PaymentDto,
    pub order: OrderDto,
}

impl From<PaymentStarted> for PaymentMadeDto {
    fn from(started: PaymentStarted) -> Self {
        Self {
            payment: started.payment.into(),
            order: started.order.into(),
        }
    }
}

/// Pay for my order, in full or in part.
///
/// From the wallet the payment is made at once: the order is `paid` when nothing is owed any
/// more (a deposit leaves it waiting, and it no longer expires). Through the provider the
/// answer carries the `checkout_url` to send the buyer to; the provider's webhook settles it.
#[utoipa::path(
    tag = "ordering",
    params(("number" = String, Path, description = "The order's number."), crate::idempotency::IdempotencyKey),
    request_body = PaymentRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The payment (settled, or pending on the provider's page) and the order.",
            body = PaymentMadeDto),
        (status = 402, description = "`payment_declined` by the provider.",
            body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the buyer.",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_payable` (paid, cancelled, expired ...) or \
            `insufficient_funds` in the wallet; nothing changed.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/{number}/payments", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn create_payment(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    number: web::Path<String>,
    Json(body): Json<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let made = state
        .ordering
        .pay(&caller.principal, &number, &body.method, body.amount)
        .await?;
    Ok(HttpResponse::Created().json(PaymentMadeDto::from(made)))
}

/// What was done with an event.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ProviderEventReceipt)]
pub struct EventReceiptDto {
    /// Whether it changed a payment.
    pub applied: bool,
    /// Why it changed nothing, when it did not.
    pub note: Option<String>,
}

/// The payment provider's webhook (Stripe-compatible): events about checkout sessions.
///
/// Needs the provider's `Stripe-Signature` over the raw body; an unsigned, wrongly signed or
/// stale request is 400, an event taken before 409, an event of an unknown session 422. Money paid
/// for an order that can no longer take it (paid another way, expired, cancelled) is refunded
/// through the provider, and the order does not change.
#[utoipa::path(
    tag = "finance",
    request_body(content = Object, description = "The provider's event, as it sends it."),
    security(()),
    params(("Stripe-Signature" = String, Header, description = "`t=<unix time>,v1=<hex HMAC-SHA256>`")),
    responses(
        (status = 200, description = "Taken.", body = EventReceiptDto),
        (status = 409, description = "`event_replayed`.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/provider-events")]
pub async fn create_provider_event(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<web::Json<EventReceiptDto>, ApiError> {
    let signature = request
        .headers()
        .get(crate::payment_provider::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok());
    let outcome = state.ordering.take_provider_event(signature, &body).await?;
    Ok(web::Json(match outcome {
        EventOutcome::Applied { .. } => EventReceiptDto {
            applied: true,
            note: None,
        },
        EventOutcome::Returned { reason, .. } | EventOutcome::Ignored { reason } => {
            EventReceiptDto {
                applied: false,
                note: Some(reason),
            }
        }
    }))
}
