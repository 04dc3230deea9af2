//! The Stripe adapter against a local server playing Stripe (`testkit::FakeStripe`).

use std::str::FromStr;
use std::time::Duration;

use adapters_stripe::{StripeProvider, StripeSettings};
use chrono::{TimeDelta, Utc};
use domain::money::Money;
use ports::finance::provider::{
    CheckoutRequest, PaymentProvider, ProviderError, ProviderEventKind, RefundRequest,
    RefundStatus, WebhookRejection,
};
use rust_decimal::Decimal;
use testkit::FakeStripe;
use testkit::fake_stripe::{sign_with, signature};

fn money(text: &str) -> Money {
    Money::parse(Decimal::from_str(text).unwrap()).unwrap()
}

fn provider(fake: &FakeStripe) -> StripeProvider {
    StripeProvider::new(StripeSettings::new(
        &fake.api_base,
        &fake.secret_key,
        &fake.webhook_secret,
    ))
    .unwrap()
}

fn checkout(payment_id: i64, amount: &str) -> CheckoutRequest {
    CheckoutRequest {
        payment_id,
        order_number: format!("A-{payment_id}"),
        amount: money(amount),
        currency: "CNY".to_owned(),
        success_url: "https://shop.example/orders/7?paid=1".to_owned(),
        cancel_url: "https://shop.example/orders/7".to_owned(),
    }
}

#[tokio::test]
async fn a_checkout_session_is_created_with_the_amount_in_minor_units() {
    let fake = FakeStripe::start();
    let session = provider(&fake)
        .create_checkout(checkout(41, "1234.50"))
        .await
        .unwrap();

    assert!(session.id.starts_with("cs_"), "{session:?}");
    assert!(session.url.contains(&session.id));
    assert!(session.expires_at > Utc::now());
    let made = fake.session(&session.id).unwrap();
    assert_eq!(made.amount_total, 123_450);
    assert_eq!(made.currency, "cny");
    assert_eq!(made.client_reference_id.as_deref(), Some("41"));
    assert_eq!(made.metadata["payment_id"], "41");

    let [request] = fake.requests().try_into().unwrap();
    assert_eq!(request.path, "/v1/checkout/sessions");
    assert_eq!(
        request.authorization.as_deref(),
        Some(&*format!("Bearer {}", fake.secret_key))
    );
    assert_eq!(
        request.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.idempotency_key.as_deref(),
        Some("atelier-checkout-41")
    );
    assert_eq!(request.param("mode"), Some("payment"));
    assert_eq!(request.param("line_items[0][quantity]"), Some("1"));
    assert_eq!(
        request.param("line_items[0][price_data][product_data][name]"),
        Some("Order A-41")
    );
    assert_eq!(
        request.param("success_url"),
        Some("https://shop.example/orders/7?paid=1")
    );
    assert_eq!(
        request.param("cancel_url"),
        Some("https://shop.example/orders/7")
    );
}

#[tokio::test]
async fn asking_twice_for_one_payment_makes_one_session() {
    let fake = FakeStripe::start();
    let provider = provider(&fake);
    let first = provider.create_checkout(checkout(5, "10")).await.unwrap();
    let again = provider.create_checkout(checkout(5, "10")).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(fake.sessions().len(), 1);
    let other = provider.create_checkout(checkout(6, "10")).await.unwrap();
    assert_ne!(other.id, first.id);
}

#[tokio::test]
async fn currencies_without_two_decimals_are_refused_before_calling() {
    let fake = FakeStripe::start();
    let request = CheckoutRequest {
        currency: "JPY".to_owned(),
        ..checkout(1, "100")
    };
    let error = provider(&fake).create_checkout(request).await.unwrap_err();
    assert!(
        matches!(&error, ProviderError::UnsupportedCurrency(code) if code == "JPY"),
        "{error:?}"
    );
    assert!(fake.requests().is_empty());
}

#[tokio::test]
async fn a_completed_payment_is_refunded_in_parts_up_to_what_was_paid() {
    let fake = FakeStripe::start();
    let provider = provider(&fake);
    let session = provider
        .create_checkout(checkout(9, "30.00"))
        .await
        .unwrap();
    let event = fake.completed_event(&session.id);
    let read = provider
        .read_webhook(Some(&event.signature), event.body.as_bytes(), Utc::now())
        .unwrap();
    let ProviderEventKind::CheckoutCompleted {
        payment_reference, ..
    } = read.kind
    else {
        panic!("{read:?}")
    };

    let refund = |refund_id, amount: &str| RefundRequest {
        refund_id,
        payment_reference: payment_reference.clone(),
        amount: money(amount),
        currency: "CNY".to_owned(),
    };
    let first = provider.refund(refund(1, "10.01")).await.unwrap();
    assert!(first.id.starts_with("re_"));
    assert_eq!(first.status, RefundStatus::Succeeded);
    // The same refund again (a retry after a timeout) is made once.
    assert_eq!(provider.refund(refund(1, "10.01")).await.unwrap(), first);
    let request = fake.requests().pop().unwrap();
    assert_eq!(request.path, "/v1/refunds");
    assert_eq!(request.idempotency_key.as_deref(), Some("atelier-refund-1"));
    assert_eq!(request.param("payment_intent"), Some(&*payment_reference));
    assert_eq!(request.param("amount"), Some("1001"));

    let error = provider.refund(refund(2, "20.00")).await.unwrap_err();
    assert!(
        matches!(&error, ProviderError::Rejected { message } if message.contains("greater than")),
        "{error:?}"
    );
    provider.refund(refund(3, "19.99")).await.unwrap();
    assert_eq!(
        fake.refunds().iter().map(|r| r.amount).collect::<Vec<_>>(),
        [1001, 1999]
    );
}

#[tokio::test]
async fn answers_of_the_provider_map_to_errors_the_caller_can_act_on() {
    let fake = FakeStripe::start();
    let provider = provider(&fake);
    type Expected = fn(&ProviderError) -> bool;
    let cases: [(u16, Expected); 6] = [
        (
            402,
            |e| matches!(e, ProviderError::Declined { message } if message == "Your card was declined."),
        ),
        (400, |e| matches!(e, ProviderError::Rejected { .. })),
        (429, |e| matches!(e, ProviderError::Unavailable(_))),
        (500, |e| matches!(e, ProviderError::Unavailable(_))),
        (503, |e| matches!(e, ProviderError::Unavailable(_))),
        (401, |e| matches!(e, ProviderError::Unknown(_))),
    ];
    for (status, expected) in cases {
        fake.fail_next(status);
        let error = provider
            .create_checkout(checkout(i64::from(status), "1"))
            .await
            .unwrap_err();
        assert!(expected(&error), "{status}: {error:?}");
    }
    // A failure is not remembered under the key: the retry succeeds.
    fake.fail_next(500);
    assert!(provider.create_checkout(checkout(77, "1")).await.is_err());
    provider.create_checkout(checkout(77, "1")).await.unwrap();

    let wrong_key = StripeProvider::new(StripeSettings::new(
        &fake.api_base,
        "sk_test_wrong",
        &fake.webhook_secret,
    ))
    .unwrap();
    let error = wrong_key
        .create_checkout(checkout(1, "1"))
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Unknown(_)), "{error:?}");
}

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_or_at_all_is_unavailable() {
    let fake = FakeStripe::start();
    let mut settings = StripeSettings::new(&fake.api_base, &fake.secret_key, &fake.webhook_secret);
    settings.timeout = Duration::from_millis(300);
    let provider = StripeProvider::new(settings).unwrap();
    fake.delay_next(Duration::from_secs(3));
    let started = std::time::Instant::now();
    let error = provider
        .create_checkout(checkout(1, "1"))
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Unavailable(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nobody = StripeProvider::new(StripeSettings::new(
        &format!("http://127.0.0.1:{closed}"),
        &fake.secret_key,
        &fake.webhook_secret,
    ))
    .unwrap();
    let error = nobody.create_checkout(checkout(1, "1")).await.unwrap_err();
    assert!(matches!(error, ProviderError::Unavailable(_)), "{error:?}");
}

#[tokio::test]
async fn webhook_events_are_read_only_with_a_valid_recent_signature() {
    let fake = FakeStripe::start();
    let provider = provider(&fake);
    let session = provider
        .create_checkout(checkout(3, "88.80"))
        .await
        .unwrap();
    let event = fake.completed_event(&session.id);
    let body = event.body.as_bytes();
    let now = Utc::now();

    let read = provider
        .read_webhook(Some(&event.signature), body, now)
        .unwrap();
    assert_eq!(read.id, event.id);
    let expected_reference = fake.session(&session.id).unwrap().payment_intent.unwrap();
    assert_eq!(
        read.kind,
        ProviderEventKind::CheckoutCompleted {
            session_id: session.id,
            amount: money("88.80"),
            currency: "CNY".to_owned(),
            payment_reference: expected_reference,
        }
    );

    let rejected =
        |header: Option<&str>, body: &[u8]| provider.read_webhook(header, body, now).unwrap_err();
    assert_eq!(rejected(None, body), WebhookRejection::Unsigned);
    assert_eq!(rejected(Some(""), body), WebhookRejection::Unsigned);
    assert_eq!(
        rejected(Some(&sign_with("whsec_other", &event.body, now)), body),
        WebhookRejection::BadSignature
    );
    let tampered = event.body.replace("8880", "1");
    assert_ne!(tampered, event.body);
    assert_eq!(
        rejected(Some(&event.signature), tampered.as_bytes()),
        WebhookRejection::BadSignature
    );
    assert_eq!(
        rejected(Some("t=abc,v1=00"), body),
        WebhookRejection::BadSignature
    );
    assert_eq!(
        rejected(Some(&format!("t={}", now.timestamp())), body),
        WebhookRejection::BadSignature
    );
    // A signature from six minutes ago, or six minutes ahead, is a replay.
    for off in [-360, 360] {
        let header = fake.sign_at(&event.body, now + TimeDelta::seconds(off));
        assert_eq!(rejected(Some(&header), body), WebhookRejection::Stale);
    }
    let header = fake.sign_at(&event.body, now - TimeDelta::seconds(290));
    provider.read_webhook(Some(&header), body, now).unwrap();

    // While the secret rolls, several v1 signatures come; one that matches is enough.
    let t = now.timestamp();
    let rolling = format!(
        "t={t},v1={},v0=ignored,v1={}",
        signature("whsec_old", t, &event.body),
        signature(&fake.webhook_secret, t, &event.body)
    );
    provider.read_webhook(Some(&rolling), body, now).unwrap();
    let only_old = format!("t={t},v1={}", signature("whsec_old", t, &event.body));
    assert_eq!(
        rejected(Some(&only_old), body),
        WebhookRejection::BadSignature
    );
}

#[tokio::test]
async fn webhook_events_are_classified() {
    let fake = FakeStripe::start();
    let provider = provider(&fake);
    let session = provider.create_checkout(checkout(4, "5")).await.unwrap();
    let read = |event: testkit::fake_stripe::SignedEvent| {
        provider
            .read_webhook(Some(&event.signature), event.body.as_bytes(), Utc::now())
            .map(|e| e.kind)
    };

    assert_eq!(
        read(fake.expired_event(&session.id)),
        Ok(ProviderEventKind::CheckoutExpired {
            session_id: session.id.clone()
        })
    );
    assert_eq!(
        read(fake.event("charge.refunded", serde_json::json!({"id": "ch_1"}))),
        Ok(ProviderEventKind::Other {
            event_type: "charge.refunded".to_owned()
        })
    );
    // Completed, but paid by a method that settles later: not paid yet.
    let unpaid = serde_json::json!({
        "id": session.id, "amount_total": 500, "currency": "cny",
        "payment_intent": null, "payment_status": "unpaid",
    });
    assert_eq!(
        read(fake.event("checkout.session.completed", unpaid)),
        Ok(ProviderEventKind::Other {
            event_type: "checkout.session.completed".to_owned()
        })
    );
    let paid_later = serde_json::json!({
        "id": session.id, "amount_total": 500, "currency": "cny",
        "payment_intent": {"id": "pi_late", "object": "payment_intent"}, "payment_status": "paid",
    });
    assert_eq!(
        read(fake.event("checkout.session.async_payment_succeeded", paid_later)),
        Ok(ProviderEventKind::CheckoutCompleted {
            session_id: session.id.clone(),
            amount: money("5"),
            currency: "CNY".to_owned(),
            payment_reference: "pi_late".to_owned(),
        })
    );
    let no_amount = serde_json::json!({"id": session.id, "payment_status": "paid"});
    assert!(matches!(
        read(fake.event("checkout.session.completed", no_amount)),
        Err(WebhookRejection::Malformed(_))
    ));
    let not_json = "{not json";
    assert!(matches!(
        provider.read_webhook(Some(&fake.sign(not_json)), not_json.as_bytes(), Utc::now()),
        Err(WebhookRejection::Malformed(_))
    ));
}
