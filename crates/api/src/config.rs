//! Configuration, from environment variables (and a `.env` file, for development).
//! `.env.example` at the workspace root documents each one.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::identity::IdentityPolicy;
use chrono::TimeDelta;
use domain::identity::session::SessionPolicy;
use domain::rate_limit::FixedWindow;
use figment::Figment;
use figment::providers::Env;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    #[default]
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Where product images (and other media) are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaBackend {
    /// A directory on the local filesystem, served by this server under `/media/`.
    #[default]
    Fs,
    /// A bucket of an S3-compatible object store, served by the store (or a CDN).
    S3,
}

#[derive(Clone, Deserialize)]
pub struct Config {
    /// `ATELIER_ADDR`: where to listen.
    #[serde(default = "defaults::addr")]
    pub addr: SocketAddr,
    /// `DATABASE_URL`: a PostgreSQL connection URL.
    pub database_url: String,
    /// `REDIS_URL`: a Redis connection URL.
    pub redis_url: String,
    /// `ATELIER_REDIS_KEY_PREFIX`: put before every Redis key, so deployments can share a Redis.
    #[serde(default = "defaults::redis_key_prefix")]
    pub redis_key_prefix: String,
    /// `ATELIER_DB_POOL_SIZE`: most PostgreSQL connections the HTTP workers open, shared out
    /// between them (each worker has a pool of its own: see `state`); start-up and the
    /// background tasks open two more.
    #[serde(default = "defaults::pool_size")]
    pub db_pool_size: usize,
    /// `ATELIER_REDIS_POOL_SIZE`: most Redis connections the HTTP workers open, shared out as
    /// `db_pool_size` is.
    #[serde(default = "defaults::pool_size")]
    pub redis_pool_size: usize,
    /// `ATELIER_DEPENDENCY_TIMEOUT_MS`: longest wait for a PostgreSQL or Redis connection, and
    /// for a readiness probe, before answering 503.
    #[serde(default = "defaults::dependency_timeout_ms")]
    pub dependency_timeout_ms: u64,
    /// `ATELIER_MIGRATE_ON_START`: apply pending migrations before serving.
    #[serde(default = "defaults::yes")]
    pub migrate_on_start: bool,
    /// `ATELIER_WORKERS`: HTTP worker threads; one per core when unset.
    #[serde(default)]
    pub workers: Option<usize>,
    /// `ATELIER_JSON_LIMIT_BYTES`: largest JSON body accepted (413 above).
    #[serde(default = "defaults::json_limit_bytes")]
    pub json_limit_bytes: usize,
    /// `ATELIER_BOOKSTORE_BODY_LIMIT_BYTES`: largest body a bookstore-contract call takes
    /// (`add_book` carries pictures); 413 above.
    #[serde(default = "defaults::bookstore_body_limit_bytes")]
    pub bookstore_body_limit_bytes: usize,
    /// `ATELIER_MEDIA_BACKEND`: where product images are kept: `fs` (the directory
    /// `ATELIER_MEDIA_DIR`, served by this server under `/media/`) or `s3` (a bucket).
    #[serde(default)]
    pub media_backend: MediaBackend,
    /// `ATELIER_MEDIA_DIR`: the `fs` backend's directory; created when missing.
    #[serde(default = "defaults::media_dir")]
    pub media_dir: PathBuf,
    /// `ATELIER_MEDIA_PUBLIC_URL`: the base URL files are served under; when unset, `/media`
    /// (`fs`) or `<endpoint>/<bucket>` (`s3`).
    #[serde(default)]
    pub media_public_url: Option<String>,
    /// `ATELIER_MEDIA_MAX_BYTES`: the largest image accepted (413 above).
    #[serde(default = "defaults::media_max_bytes")]
    pub media_max_bytes: u64,
    /// `ATELIER_MEDIA_S3_BUCKET`: the `s3` backend's bucket (required for it).
    #[serde(default)]
    pub media_s3_bucket: Option<String>,
    /// `ATELIER_MEDIA_S3_ENDPOINT`: the store's URL (MinIO, R2, OSS ...); AWS S3 when unset.
    #[serde(default)]
    pub media_s3_endpoint: Option<String>,
    /// `ATELIER_MEDIA_S3_REGION`: the bucket's region.
    #[serde(default = "defaults::media_s3_region")]
    pub media_s3_region: String,
    /// `ATELIER_MEDIA_S3_ACCESS_KEY_ID` and `ATELIER_MEDIA_S3_SECRET_ACCESS_KEY`: the
    /// credentials; when unset, the environment's (instance metadata ...).
    #[serde(default)]
    pub media_s3_access_key_id: Option<String>,
    #[serde(default)]
    pub media_s3_secret_access_key: Option<String>,
    /// `ATELIER_SHUTDOWN_TIMEOUT_SECS`: on SIGTERM/SIGINT, how long in-flight requests may take
    /// to finish.
    #[serde(default = "defaults::shutdown_timeout_secs")]
    pub shutdown_timeout_secs: u64,
    /// `ATELIER_LOG_FORMAT`: `pretty` or `json`. `RUST_LOG` filters, as usual.
    #[serde(default)]
    pub log_format: LogFormat,
    /// `ATELIER_ADMIN_USERNAME`: the admin account created on first start, when there is no
    /// account at all.
    #[serde(default = "defaults::admin_username")]
    pub admin_username: String,
    /// `ATELIER_ADMIN_PASSWORD`: its password; when unset, one is generated and printed once.
    #[serde(default)]
    pub admin_password: Option<String>,
    /// `ATELIER_BCRYPT_COST`: bcrypt's work factor for passwords (4 to 31).
    #[serde(default = "defaults::bcrypt_cost")]
    pub bcrypt_cost: u32,
    /// `ATELIER_SESSION_IDLE_SECS`: a session unused this long ends (each use moves it).
    #[serde(default = "defaults::session_idle_secs")]
    pub session_idle_secs: u64,
    /// `ATELIER_LOGIN_FAILURES_PER_ACCOUNT`: failed logins per account name and window
    /// before further attempts get 429.
    #[serde(default = "defaults::login_failures_per_account")]
    pub login_failures_per_account: u32,
    /// `ATELIER_LOGIN_FAILURES_PER_ADDRESS`: failed logins per client address and window.
    #[serde(default = "defaults::login_failures_per_address")]
    pub login_failures_per_address: u32,
    /// `ATELIER_LOGIN_FAILURE_WINDOW_SECS`: the window of both login limits.
    #[serde(default = "defaults::login_failure_window_secs")]
    pub login_failure_window_secs: u64,
    /// `ATELIER_RESET_REQUESTS_PER_HOUR`: password reset requests per email (beyond: no more
    /// messages) and, times five, per client address (beyond: 429).
    #[serde(default = "defaults::reset_requests_per_hour")]
    pub reset_requests_per_hour: u32,
    /// `ATELIER_CACHE_TTL_SECS`: how long a cached catalogue read lives at most (writes
    /// invalidate it at once; this bounds staleness only if Redis missed an invalidation);
    /// 0 turns the read cache off.
    #[serde(default = "defaults::cache_ttl_secs")]
    pub cache_ttl_secs: u64,
    /// `ATELIER_EXPIRY_SWEEP_MS`: how often the server looks for unpaid orders whose
    /// reservation has ended, to expire them and let their stock go; 0 turns the sweeper off
    /// (an order past its reservation is still never payable, and expires when next read).
    #[serde(default = "defaults::expiry_sweep_ms")]
    pub expiry_sweep_ms: u64,
    /// `ATELIER_DEMO_DATA`: on start, create the demo data that is missing (for trying the
    /// system out; `cargo xtask run` turns it on).
    #[serde(default)]
    pub demo_data: bool,
    /// `ATELIER_SEARCH_CANDIDATE_LIMIT`: how many matches a catalogue search ranks and counts
    /// at most; beyond, its total is a lower bound. Bounds the cost of very broad queries.
    #[serde(default = "defaults::search_candidate_limit")]
    pub search_candidate_limit: u32,
    /// `ATELIER_TRUST_FORWARDED_FOR`: take the client address from `Forwarded` /
    /// `X-Forwarded-For` (only behind a proxy that sets them), else from the connection.
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// `ATELIER_IDEMPOTENCY_TTL_SECS`: how long the answer to a request with an
    /// `Idempotency-Key` is kept for its retries.
    #[serde(default = "defaults::idempotency_ttl_secs")]
    pub idempotency_ttl_secs: u64,
    /// `ATELIER_PUBLIC_URL`: the shop's public base URL, where the payment provider sends
    /// buyers back; `http://<addr>` when unset.
    #[serde(default)]
    pub public_url: Option<String>,
    /// `ATELIER_STRIPE_API_BASE`: the payment provider's API (Stripe's, or a compatible one).
    #[serde(default = "defaults::stripe_api_base")]
    pub stripe_api_base: String,
    /// `ATELIER_STRIPE_SECRET_KEY`: its secret key; payments through a provider are off
    /// without one.
    #[serde(default)]
    pub stripe_secret_key: Option<String>,
    /// `ATELIER_STRIPE_WEBHOOK_SECRET`: the secret its webhook requests are signed with
    /// (required with a secret key).
    #[serde(default)]
    pub stripe_webhook_secret: Option<String>,
    /// `ATELIER_TRACKING_URL`: a parcel's URL at the tracking service, with `{carrier}` and
    /// `{number}` in it; tracking is off when unset.
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// `ATELIER_TRACKING_MIN_INTERVAL_SECS`: the least time between two questions to the
    /// tracking service about one order; a refresh sooner returns what is kept.
    #[serde(default = "defaults::tracking_min_interval_secs")]
    pub tracking_min_interval_secs: u64,
    /// `ATELIER_TRACKING_API_KEY`: sent to the tracking service as a bearer token.
    #[serde(default)]
    pub tracking_api_key: Option<String>,
}

mod defaults {
    use std::net::SocketAddr;
    use std::path::PathBuf;

    pub(super) fn addr() -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], 8080))
    }
    pub(super) fn redis_key_prefix() -> String {
        "atelier:".to_owned()
    }
    pub(super) fn pool_size() -> usize {
        16
    }
    pub(super) fn dependency_timeout_ms() -> u64 {
        2_000
    }
    pub(super) fn yes() -> bool {
        true
    }
    pub(super) fn json_limit_bytes() -> usize {
        1024 * 1024
    }
    pub(super) fn bookstore_body_limit_bytes() -> usize {
        crate::bookstore::reply::BodyLimit::default().0
    }
    pub(super) fn media_dir() -> PathBuf {
        PathBuf::from("data/media")
    }
    pub(super) fn media_max_bytes() -> u64 {
        domain::catalog::image::DEFAULT_MAX_BYTES
    }
    pub(super) fn media_s3_region() -> String {
        "us-east-1".to_owned()
    }
    pub(super) fn shutdown_timeout_secs() -> u64 {
        30
    }
    pub(super) fn admin_username() -> String {
        "admin".to_owned()
    }
    pub(super) fn bcrypt_cost() -> u32 {
        12
    }
    pub(super) fn cache_ttl_secs() -> u64 {
        300
    }
    pub(super) fn expiry_sweep_ms() -> u64 {
        10_000
    }
    pub(super) fn tracking_min_interval_secs() -> u64 {
        300
    }
    pub(super) fn session_idle_secs() -> u64 {
        7 * 24 * 3600
    }
    pub(super) fn login_failures_per_account() -> u32 {
        5
    }
    pub(super) fn login_failures_per_address() -> u32 {
        50
    }
    pub(super) fn login_failure_window_secs() -> u64 {
        15 * 60
    }
    pub(super) fn reset_requests_per_hour() -> u32 {
        3
    }
    pub(super) fn idempotency_ttl_secs() -> u64 {
        24 * 3600
    }
    pub(super) fn stripe_api_base() -> String {
        "https://api.stripe.com".to_owned()
    }
    pub(super) fn search_candidate_limit() -> u32 {
        adapters_pg::catalog::DEFAULT_SEARCH_CANDIDATES
    }
}

impl Config {
    /// The defaults, around the two URLs that have none.
    pub fn new(database_url: String, redis_url: String) -> Self {
        Self {
            addr: defaults::addr(),
            database_url,
            redis_url,
            redis_key_prefix: defaults::redis_key_prefix(),
            db_pool_size: defaults::pool_size(),
            redis_pool_size: defaults::pool_size(),
            dependency_timeout_ms: defaults::dependency_timeout_ms(),
            migrate_on_start: defaults::yes(),
            workers: None,
            json_limit_bytes: defaults::json_limit_bytes(),
            bookstore_body_limit_bytes: defaults::bookstore_body_limit_bytes(),
            media_backend: MediaBackend::default(),
            media_dir: defaults::media_dir(),
            media_public_url: None,
            media_max_bytes: defaults::media_max_bytes(),
            media_s3_bucket: None,
            media_s3_endpoint: None,
            media_s3_region: defaults::media_s3_region(),
            media_s3_access_key_id: None,
            media_s3_secret_access_key: None,
            shutdown_timeout_secs: defaults::shutdown_timeout_secs(),
            log_format: LogFormat::default(),
            admin_username: defaults::admin_username(),
            admin_password: None,
            bcrypt_cost: defaults::bcrypt_cost(),
            session_idle_secs: defaults::session_idle_secs(),
            login_failures_per_account: defaults::login_failures_per_account(),
            login_failures_per_address: defaults::login_failures_per_address(),
            login_failure_window_secs: defaults::login_failure_window_secs(),
            reset_requests_per_hour: defaults::reset_requests_per_hour(),
            cache_ttl_secs: defaults::cache_ttl_secs(),
            expiry_sweep_ms: defaults::expiry_sweep_ms(),
            demo_data: false,
            search_candidate_limit: defaults::search_candidate_limit(),
            trust_forwarded_for: false,
            idempotency_ttl_secs: defaults::idempotency_ttl_secs(),
            public_url: None,
            stripe_api_base: defaults::stripe_api_base(),
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            tracking_url: None,
            tracking_min_interval_secs: defaults::tracking_min_interval_secs(),
            tracking_api_key: None,
        }
    }

    /// Reads the process environment (after loading `.env` if there is one).
    pub fn from_env() -> anyhow::Result<Self> {
        // A missing .env is the normal case outside development.
        let _ = dotenvy::dotenv();
        Ok(Figment::new()
            .merge(Env::prefixed("ATELIER_"))
            .merge(Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
            .extract()?)
    }

    /// The shop's public base URL, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }

    pub fn dependency_timeout(&self) -> Duration {
        Duration::from_millis(self.dependency_timeout_ms)
    }

    /// HTTP worker threads: `workers`, or one per core.
    pub fn worker_threads(&self) -> usize {
        self.workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
            .max(1)
    }

    /// The identity rules this configuration sets.
    pub fn identity_policy(&self) -> IdentityPolicy {
        let seconds = |s: u64| TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX));
        let login_window = seconds(self.login_failure_window_secs);
        IdentityPolicy {
            bcrypt_cost: self.bcrypt_cost,
            sessions: SessionPolicy {
                idle_timeout: seconds(self.session_idle_secs),
                touch_interval: TimeDelta::minutes(1).min(seconds(self.session_idle_secs) / 10),
            },
            login_failures_per_account: FixedWindow {
                limit: self.login_failures_per_account,
                window: login_window,
            },
            login_failures_per_address: FixedWindow {
                limit: self.login_failures_per_address,
                window: login_window,
            },
            reset_requests_per_address: FixedWindow {
                limit: self.reset_requests_per_hour.saturating_mul(5),
                window: TimeDelta::hours(1),
            },
            reset_requests_per_email: FixedWindow {
                limit: self.reset_requests_per_hour,
                window: TimeDelta::hours(1),
            },
            address_book_capacity: 20,
        }
    }
}

/// Leaves the URLs out: they may hold passwords.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("redis_key_prefix", &self.redis_key_prefix)
            .field("db_pool_size", &self.db_pool_size)
            .field("redis_pool_size", &self.redis_pool_size)
            .field("dependency_timeout_ms", &self.dependency_timeout_ms)
            .field("migrate_on_start", &self.migrate_on_start)
            .field("workers", &self.workers)
            .field("json_limit_bytes", &self.json_limit_bytes)
            .field(
                "bookstore_body_limit_bytes",
                &self.bookstore_body_limit_bytes,
            )
            .field("media_backend", &self.media_backend)
            .field("media_dir", &self.media_dir)
            .field("media_public_url", &self.media_public_url)
            .field("media_max_bytes", &self.media_max_bytes)
            .field("media_s3_bucket", &self.media_s3_bucket)
            .field("media_s3_endpoint", &self.media_s3_endpoint)
            .field("media_s3_region", &self.media_s3_region)
            .field("media_s3_access_key_id", &self.media_s3_access_key_id)
            .field("shutdown_timeout_secs", &self.shutdown_timeout_secs)
            .field("log_format", &self.log_format)
            .field("admin_username", &self.admin_username)
            .field("bcrypt_cost", &self.bcrypt_cost)
            .field("session_idle_secs", &self.session_idle_secs)
            .field(
                "login_failures_per_account",
                &self.login_failures_per_account,
            )
            .field(
                "login_failures_per_address",
                &self.login_failures_per_address,
            )
            .field("login_failure_window_secs", &self.login_failure_window_secs)
            .field("reset_requests_per_hour", &self.reset_requests_per_hour)
            .field("demo_data", &self.demo_data)
            .field("search_candidate_limit", &self.search_candidate_limit)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("idempotency_ttl_secs", &self.idempotency_ttl_secs)
            .field("public_url", &self.public_url)
            .field("stripe_api_base", &self.stripe_api_base)
            .field("tracking_url", &self.tracking_url)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn variables(text: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for word in
            text.split(|c: char| !(c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
        {
            if (word.starts_with("ATELIER_") && word.len() > "ATELIER_".len())
                || word == "DATABASE_URL"
                || word == "REDIS_URL"
            {
                found.insert(word.to_owned());
            }
        }
        found
    }

    #[test]
    fn env_example_documents_every_variable() {
        let documented = variables(include_str!("../../../.env.example"));
        let read = variables(include_str!("config.rs"));
        assert_eq!(documented, read, ".env.example and Config disagree");
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail API returns its own error"
    )]
    fn env_example_is_a_valid_configuration() {
        let example = include_str!("../../../.env.example");
        figment::Jail::expect_with(|jail| {
            for line in example.lines() {
                if let Some((name, value)) = line.split_once('=')
                    && !name.starts_with('#')
                {
                    jail.set_env(name, value);
                }
            }
            let config: super::Config = figment::Figment::new()
                .merge(figment::providers::Env::prefixed("ATELIER_"))
                .merge(figment::providers::Env::raw().only(&["DATABASE_URL", "REDIS_URL"]))
                .extract()?;
            assert_eq!(config.addr.port(), 8080);
            assert_eq!(config.log_format, super::LogFormat::Pretty);
            assert_eq!(config.redis_key_prefix, "atelier:");
            Ok(())
        });
    }
}
