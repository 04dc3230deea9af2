//! Closed-loop load: a fixed number of workers, each sending its next request as soon as the
//! last one is answered, for a fixed time. Latencies go into HDR histograms (microseconds).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hdrhistogram::Histogram;

use super::queries::QueryClass;

/// A request of a scenario: what to send, and the query class it belongs to (for search).
#[derive(Debug, Clone)]
pub struct Request<T> {
    pub what: T,
    pub class: Option<QueryClass>,
}

/// What a run measured.
pub struct Outcome {
    pub latencies: Histogram<u64>,
    pub by_class: BTreeMap<QueryClass, Histogram<u64>>,
    pub errors: u64,
    pub elapsed: Duration,
    /// The first error seen, to show.
    pub first_error: Option<String>,
}

impl Outcome {
    fn new() -> Self {
        Self {
            latencies: histogram(),
            by_class: BTreeMap::new(),
            errors: 0,
            elapsed: Duration::ZERO,
            first_error: None,
        }
    }

    fn record(&mut self, class: Option<QueryClass>, micros: u64) {
        self.latencies.saturating_record(micros);
        if let Some(class) = class {
            self.by_class
                .entry(class)
                .or_insert_with(histogram)
                .saturating_record(micros);
        }
    }

    fn merge(&mut self, other: Outcome) -> anyhow::Result<()> {
        self.latencies.add(&other.latencies)?;
        for (class, h) in other.by_class {
            self.by_class
                .entry(class)
                .or_insert_with(histogram)
                .add(&h)?;
        }
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        Ok(())
    }

    pub fn requests(&self) -> u64 {
        self.latencies.len()
    }

    pub fn rps(&self) -> f64 {
        self.requests() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

pub fn histogram() -> Histogram<u64> {
    // 1 µs to 60 s, three significant figures.
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

/// How a worker sends one request; an error for an answer that is not a success.
pub trait Sender<T>: 'static {
    fn send(&self, what: &T) -> impl Future<Output = anyhow::Result<()>>;
}

/// Sends `requests` (round-robin, each worker starting at its own place) from one worker per
/// sender, for `duration`. Runs on the current thread's `LocalSet`.
pub async fn run<T: 'static, S: Sender<T>>(
    senders: Vec<S>,
    requests: Rc<Vec<Request<T>>>,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    if requests.is_empty() {
        bail!("no requests to send");
    }
    let concurrency = senders.len();
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = Vec::new();
    for (worker, sender) in senders.into_iter().enumerate() {
        let requests = Rc::clone(&requests);
        workers.push(tokio::task::spawn_local(async move {
            let mut outcome = Outcome::new();
            let mut next = worker * requests.len() / concurrency.max(1);
            while Instant::now() < deadline {
                let request = &requests[next % requests.len()];
                next += 1;
                let began = Instant::now();
                match sender.send(&request.what).await {
                    Ok(()) => {
                        let micros = u64::try_from(began.elapsed().as_micros()).unwrap_or(u64::MAX);
                        outcome.record(request.class, micros);
                    }
                    Err(error) => {
                        outcome.errors += 1;
                        if outcome.first_error.is_none() {
                            outcome.first_error = Some(format!("{error:#}"));
                        }
                        // Something is broken, not slow: stop rather than spin on it.
                        if outcome.errors >= 100 && outcome.latencies.is_empty() {
                            break;
                        }
                    }
                }
            }
            outcome
        }));
    }
    let mut total = Outcome::new();
    for worker in workers {
        total.merge(worker.await.context("a load worker failed")?)?;
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

/// GETs a URL with reqwest, reading the whole body; anything but a 200 is an error.
#[derive(Clone)]
pub struct Http {
    pub client: reqwest::Client,
}

impl Http {
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(concurrency.max(1))
                .timeout(Duration::from_secs(30))
                .build()?,
        })
    }

    /// The body of a 200 answer to a GET of `url`.
    pub async fn get(&self, url: &str) -> anyhow::Result<String> {
        let response = self.client.get(url).send().await?;
        let status = response.status();
        let body = response.text().await?;
        if status != reqwest::StatusCode::OK {
            bail!("{status} from {url}: {body}");
        }
        Ok(body)
    }
}

impl Sender<String> for Http {
    async fn send(&self, url: &String) -> anyhow::Result<()> {
        let response = self.client.get(url).send().await?;
        let status = response.status();
        // The whole body, as a client would read it; not decoded.
        let body = response.bytes().await?;
        if status != reqwest::StatusCode::OK {
            bail!("{status} from {url}: {}", String::from_utf8_lossy(&body));
        }
        Ok(())
    }
}

/// Runs a statement with its parameters on a connection of its own, reading every row.
pub struct Sql {
    pub client: tokio_postgres::Client,
    pub statement: tokio_postgres::Statement,
}

/// The parameters of one run of a statement.
pub type SqlParams = Vec<Box<dyn tokio_postgres::types::ToSql + Sync>>;

impl Sender<SqlParams> for Sql {
    async fn send(&self, params: &SqlParams) -> anyhow::Result<()> {
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
            params.iter().map(|p| &**p as _).collect();
        self.client.query(&self.statement, &params).await?;
        Ok(())
    }
}
