//! One order through the HTTP API, as a buyer's client does it: checkout, then pay the order
//! from the wallet. Each step's latency is kept beside the whole order's.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hdrhistogram::Histogram;

use super::super::load::{Sender, histogram};

/// What one order asks: the buyer's session and the checkout body.
#[derive(Debug, Clone)]
pub struct Order {
    pub token: String,
    pub body: String,
}

/// Latencies of each step (microseconds), shared by every worker of a run.
pub struct Steps {
    pub checkout: Histogram<u64>,
    pub payment: Histogram<u64>,
}

impl Steps {
    pub fn new() -> Rc<RefCell<Self>> {
        Rc::new(RefCell::new(Self {
            checkout: histogram(),
            payment: histogram(),
        }))
    }
}

#[derive(Clone)]
pub struct Buyer {
    pub client: reqwest::Client,
    pub base: String,
    /// Pays each order after placing it.
    pub pay: bool,
    /// Sends a new `Idempotency-Key` with each POST, as a careful client does.
    pub idempotency_keys: bool,
    pub steps: Rc<RefCell<Steps>>,
}

impl Buyer {
    pub fn new(
        clients: usize,
        base: &str,
        pay: bool,
        idempotency_keys: bool,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(clients.max(1))
                .timeout(Duration::from_secs(30))
                .build()?,
            base: base.to_owned(),
            pay,
            idempotency_keys,
            steps: Steps::new(),
        })
    }

    async fn post(&self, token: &str, path: &str, body: String) -> anyhow::Result<String> {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if self.idempotency_keys {
            let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
            request = request.header(
                "Idempotency-Key",
                format!("bench-{}-{key}", std::process::id()),
            );
        }
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        if status != reqwest::StatusCode::CREATED {
            bail!("{status} from POST {path}: {text}");
        }
        Ok(text)
    }
}

/// The number of the next `Idempotency-Key`: unique in the process, and with its id in the key,
/// across runs (Redis keeps answers for a day).
static NEXT_KEY: AtomicU64 = AtomicU64::new(0);

fn micros(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}

impl Sender<Order> for Buyer {
    async fn send(&self, order: &Order) -> anyhow::Result<()> {
        let began = Instant::now();
        let placed = self
            .post(&order.token, "/api/v1/orders", order.body.clone())
            .await?;
        self.steps
            .borrow_mut()
            .checkout
            .saturating_record(micros(began));
        if !self.pay {
            return Ok(());
        }
        let placed: serde_json::Value = serde_json::from_str(&placed)?;
        let number = placed["orders"][0]["number"]
            .as_str()
            .context("a checkout answer without an order number")?;
        let paying = Instant::now();
        self.post(
            &order.token,
            &format!("/api/v1/orders/{number}/payments"),
            r#"{"method": "wallet"}"#.to_owned(),
        )
        .await?;
        self.steps
            .borrow_mut()
            .payment
            .saturating_record(micros(paying));
        Ok(())
    }
}
