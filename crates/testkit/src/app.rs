use std::sync::Once;

use actix_web::dev::ServerHandle;
use api::config::{Config, LogFormat};
use api::startup::{Application, Signals};
use reqwest::{Method, RequestBuilder, Response};
use serde::Serialize;

use crate::{TestDatabase, TestRedis};

/// The API running on a free port over a database and a Redis prefix of its own.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    /// What the server was started with.
    pub config: Config,
    server: ServerHandle,
    // Dropped after the server is stopped, so its connections are gone first.
    pub redis: TestRedis,
    pub db: TestDatabase,
}

/// Starts the API over a fresh database and Redis prefix.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the API, letting the test adjust the configuration first (to point a URL at a
/// [`crate::TcpProxy`], lower a limit ...).
pub async fn spawn_app_with(customize: impl FnOnce(&mut Config)) -> TestApp {
    init_logs();
    let db = TestDatabase::new().await;
    let redis = TestRedis::new();
    let mut config = Config::new(db.url().to_owned(), redis.url().to_owned());
    config.addr = ([127, 0, 0, 1], 0).into();
    config.redis_key_prefix = redis.prefix().to_owned();
    config.db_pool_size = 4;
    config.redis_pool_size = 4;
    config.dependency_timeout_ms = 1_000;
    // The template is migrated already.
    config.migrate_on_start = false;
    config.workers = Some(1);
    config.shutdown_timeout_secs = 1;
    customize(&mut config);

    let app = Application::build(&config, Signals::Ignore)
        .await
        .expect("building the application");
    let port = app.port();
    let server = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("building the HTTP client"),
        config,
        server,
        redis,
        db,
    }
}

/// Logs of in-process servers are noise unless asked for: `TEST_LOG=1 cargo xtask test ...`.
fn init_logs() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            api::telemetry::init(LogFormat::Pretty);
        }
    });
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command now; the server winds down on its own threads.
        drop(self.server.stop(false));
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.send(self.request(Method::DELETE, path)).await
    }

    pub async fn post_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    pub async fn put_json(&self, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request(Method::PUT, path).json(body)).await
    }

    pub async fn send(&self, request: RequestBuilder) -> Response {
        request.send().await.expect("sending the request")
    }

    // Back office.

    pub async fn get_setting(&self, name: &str) -> Response {
        self.get(&format!("/api/v1/backoffice/settings/{name}"))
            .await
    }

    pub async fn update_setting(&self, name: &str, value: &str) -> Response {
        self.put_json(
            &format!("/api/v1/backoffice/settings/{name}"),
            &serde_json::json!({ "value": value }),
        )
        .await
    }
}
