//! Paying for orders: from the buyer's wallet (settled at once), or through the outside payment
//! provider (a hosted checkout page, settled by the provider's signed webhook); and the refunds
//! the provider makes when a paid order is cancelled.

use domain::finance::payment::{Payment, PaymentMethod};
use domain::identity::permission::Permission;
use domain::identity::user::Principal;
use domain::money::Money;
use domain::ordering::order::Order;
use ports::finance::payments::{EventError, EventOutcome, PayError, PayRequest, RefundDue};
use ports::finance::provider::{CheckoutRequest, ProviderError, RefundRequest, RefundStatus};

use super::{Ordering, OrderingError};

/// How many pending refunds one retry takes.
const REFUND_BATCH: i64 = 50;

/// A payment made or started, with its order as it is now.
#[derive(Debug, Clone)]
pub struct PaymentStarted {
    pub payment: Payment,
    pub order: Order,
}

impl From<PayError> for OrderingError {
    fn from(error: PayError) -> Self {
        match error {
            PayError::OrderNotFound => Self::OrderNotFound,
            PayError::NotPayable(status) => Self::NotPayable(status),
            PayError::Amount(reason) => Self::invalid("amount", reason),
            PayError::InsufficientFunds => Self::InsufficientFunds,
            PayError::Infra(e) => Self::Infra(e),
        }
    }
}

impl Ordering {
    /// Pays the order (all that is owed, or `amount` of it: a deposit, then the rest) from the
    /// buyer's wallet, or starts a payment on the provider's checkout page.
    pub async fn pay(
        &self,
        caller: &Principal,
        number: &str,
        method: &str,
        amount: Option<rust_decimal::Decimal>,
    ) -> Result<PaymentStarted, OrderingError> {
        let method = PaymentMethod::parse(method)
            .map_err(|reason| OrderingError::invalid("method", reason))?;
        let amount = amount
            .map(Money::parse)
            .transpose()
            .map_err(|reason| OrderingError::invalid("amount", reason))?;
        let order = self.visible(caller, number).await?;
        if order.buyer.id != caller.user_id && !caller.access.allows(Permission::OrdersManage) {
            return Err(OrderingError::Forbidden("only the buyer pays an order"));
        }
        let request = PayRequest {
            order: order.id,
            payer: caller.user_id,
            amount,
            now: self.ports.clock.now(),
        };
        let payment = match method {
            PaymentMethod::Wallet => self.ports.payments.pay_from_wallet(&request).await?,
            PaymentMethod::Provider => self.checkout_page(&order, &request).await?,
        };
        let order = self
            .ports
            .orders
            .find(order.id)
            .await?
            .ok_or(OrderingError::OrderNotFound)?;
        Ok(PaymentStarted { payment, order })
    }

    async fn checkout_page(
        &self,
        order: &Order,
        request: &PayRequest,
    ) -> Result<Payment, OrderingError> {
        let provider = self
            .ports
            .provider
            .as_ref()
            .ok_or(OrderingError::ProviderNotConfigured)?;
        let payment = self.ports.payments.open_provider_payment(request).await?;
        let back = format!("{}/orders/{}", self.ports.public_url, order.number);
        let opened = provider
            .create_checkout(CheckoutRequest {
                payment_id: payment.id,
                order_number: order.number.clone(),
                amount: payment.amount,
                currency: payment.currency.clone(),
                success_url: format!("{back}?payment=succeeded"),
                cancel_url: format!("{back}?payment=cancelled"),
            })
            .await;
        match opened {
            Ok(session) => Ok(self
                .ports
                .payments
                .attach_checkout(payment.id, &session)
                .await?),
            Err(error) => {
                self.ports
                    .payments
                    .fail_payment(payment.id, request.now)
                    .await?;
                Err(OrderingError::Provider(error))
            }
        }
    }

    /// Takes a webhook request of the provider: its signature verified, each event at most
    /// once, a payment settled only while its order can take it.
    pub async fn take_provider_event(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<EventOutcome, OrderingError> {
        let provider = self
            .ports
            .provider
            .as_ref()
            .ok_or(OrderingError::ProviderNotConfigured)?;
        let now = self.ports.clock.now();
        let event = provider
            .read_webhook(signature, body, now)
            .map_err(OrderingError::WebhookRejected)?;
        let outcome = self
            .ports
            .payments
            .take_provider_event(&event, now)
            .await
            .map_err(|e| match e {
                EventError::Replayed => OrderingError::EventReplayed,
                EventError::UnknownSession => OrderingError::UnknownCheckoutSession,
                EventError::Infra(e) => OrderingError::Infra(e),
            })?;
        match &outcome {
            EventOutcome::Ignored { reason } => {
                tracing::warn!(event = %event.id, reason, "provider event changed nothing");
            }
            EventOutcome::Returned { order, reason } => {
                tracing::warn!(event = %event.id, reason, "a provider payment is given back");
                if let Some(order) = self.ports.orders.find(*order).await? {
                    self.make_provider_refunds(&order).await?;
                }
            }
            EventOutcome::Applied { .. } => {}
        }
        Ok(outcome)
    }

    /// Makes the refunds through the provider that cancelling `order` recorded. A refund the
    /// provider refuses stays in the ledger as failed, for staff to settle by hand; one it could
    /// not be asked for (down) stays pending, and the sweeper asks again.
    pub(super) async fn make_provider_refunds(&self, order: &Order) -> Result<(), OrderingError> {
        let due = self.ports.payments.refunds_due(order.id).await?;
        self.make_refunds(due).await
    }

    /// Asks the provider again for refunds left pending (it was down when they were due); how
    /// many were settled. Safe in several replicas at once: the provider takes each refund once
    /// (its idempotency key is the ledger row's id) and only a pending row is settled.
    pub async fn retry_refunds(&self) -> Result<usize, OrderingError> {
        if self.ports.provider.is_none() {
            return Ok(0);
        }
        let due = self.ports.payments.refunds_pending(REFUND_BATCH).await?;
        let count = due.len();
        self.make_refunds(due).await?;
        Ok(count)
    }

    async fn make_refunds(&self, due: Vec<RefundDue>) -> Result<(), OrderingError> {
        if due.is_empty() {
            return Ok(());
        }
        let Some(provider) = self.ports.provider.as_ref() else {
            tracing::error!("refunds through the provider are due, but none is configured");
            return Ok(());
        };
        for refund in due {
            let asked = provider
                .refund(RefundRequest {
                    refund_id: refund.entry_id,
                    payment_reference: refund.payment_reference.clone(),
                    amount: refund.amount,
                    currency: refund.currency.clone(),
                })
                .await;
            match asked {
                Ok(made) => {
                    let succeeded =
                        !matches!(made.status, RefundStatus::Failed | RefundStatus::Canceled);
                    self.ports
                        .payments
                        .settle_refund(refund.entry_id, Some(&made.id), succeeded)
                        .await?;
                }
                Err(ProviderError::Unavailable(error)) => tracing::warn!(
                    entry = refund.entry_id, error = %error, "refund left pending: the provider is unavailable"
                ),
                Err(error) => {
                    tracing::error!(entry = refund.entry_id, error = %error, "the provider refused a refund");
                    self.ports
                        .payments
                        .settle_refund(refund.entry_id, None, false)
                        .await?;
                }
            }
        }
        Ok(())
    }
}
