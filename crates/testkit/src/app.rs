use std::sync::{Arc, Once};

use actix_web::dev::ServerHandle;
use api::config::{Config, LogFormat};
use api::startup::{Application, Signals};
use api::state::Dependencies;
use reqwest::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use crate::{TestClock, TestDatabase, TestRedis};

/// The admin account every test app starts with.
pub const ADMIN_USERNAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// The API running on a free port over a database and a Redis prefix of its own.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    /// What the server was started with.
    pub config: Config,
    /// The server's clock; move it forward to expire what expires.
    pub clock: Arc<TestClock>,
    server: ServerHandle,
    admin_token: OnceCell<String>,
    // Dropped after the server is stopped, so its connections are gone first.
    pub redis: TestRedis,
    pub db: TestDatabase,
    /// The media directory (`config.media_dir`), removed when the test ends.
    _media: tempfile::TempDir,
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
    config.admin_username = ADMIN_USERNAME.to_owned();
    config.admin_password = Some(ADMIN_PASSWORD.to_owned());
    // bcrypt's cheapest setting: the tests are about the rules, not the work factor.
    config.bcrypt_cost = 4;
    let media = tempfile::tempdir().expect("a media directory");
    config.media_dir = media.path().to_owned();
    customize(&mut config);

    let clock = Arc::new(TestClock::default());
    let dependencies = Dependencies {
        clock: clock.clone(),
    };
    let app = Application::build_with(&config, Signals::Ignore, &dependencies)
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
        clock,
        server,
        admin_token: OnceCell::new(),
        redis,
        db,
        _media: media,
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

    /// A request carrying `token` as its bearer token.
    pub fn request_as(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.send(self.request_as(token, Method::GET, path)).await
    }

    pub async fn delete_as(&self, token: &str, path: &str) -> Response {
        self.send(self.request_as(token, Method::DELETE, path))
            .await
    }

    pub async fn post_json_as(&self, token: &str, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request_as(token, Method::POST, path).json(body))
            .await
    }

    pub async fn put_json_as(&self, token: &str, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request_as(token, Method::PUT, path).json(body))
            .await
    }

    pub async fn patch_json_as(&self, token: &str, path: &str, body: &impl Serialize) -> Response {
        self.send(self.request_as(token, Method::PATCH, path).json(body))
            .await
    }

    // Identity.

    /// `POST /api/v1/identity/users`.
    pub async fn register(&self, username: &str, password: &str, email: Option<&str>) -> Response {
        self.post_json(
            "/api/v1/identity/users",
            &json!({ "username": username, "password": password, "email": email }),
        )
        .await
    }

    /// `POST /api/v1/identity/sessions`.
    pub async fn login(&self, login: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/identity/sessions",
            &json!({ "login": login, "password": password, "terminal": "tests" }),
        )
        .await
    }

    /// Logs in, expecting success; the session token.
    pub async fn token_for(&self, login: &str, password: &str) -> String {
        let response = self.login(login, password).await;
        let status = response.status();
        let body: Value = response.json().await.expect("login body");
        assert_eq!(status, 201, "logging in as {login}: {body}");
        body["token"].as_str().expect("token").to_owned()
    }

    /// A session of the admin account, the same for the whole test.
    pub async fn admin_token(&self) -> String {
        self.admin_token
            .get_or_init(|| self.token_for(ADMIN_USERNAME, ADMIN_PASSWORD))
            .await
            .clone()
    }

    /// Registers `username` (password `<username>-password`, email `<username>@example.com`)
    /// and logs in.
    pub async fn new_user(&self, username: &str) -> TestUser {
        let password = format!("{username}-password");
        let email = format!("{username}@example.com");
        let response = self.register(username, &password, Some(&email)).await;
        assert_eq!(response.status(), 201, "registering {username}");
        let token = self.token_for(username, &password).await;
        TestUser {
            username: username.to_owned(),
            password,
            email,
            token,
        }
    }

    /// A new account with the role `role`, given by the admin, logged in.
    pub async fn new_user_with_role(&self, username: &str, role: &str) -> TestUser {
        let user = self.new_user(username).await;
        let admin = self.admin_token().await;
        let response = self
            .put_json_as(
                &admin,
                &format!("/api/v1/identity/users/{username}/role"),
                &json!({ "role": role }),
            )
            .await;
        assert_eq!(response.status(), 200, "giving {username} the role {role}");
        user
    }

    // Back office, as the admin.

    pub async fn get_setting(&self, name: &str) -> Response {
        let admin = self.admin_token().await;
        self.get_as(&admin, &format!("/api/v1/backoffice/settings/{name}"))
            .await
    }

    pub async fn update_setting(&self, name: &str, value: &str) -> Response {
        let admin = self.admin_token().await;
        self.put_json_as(
            &admin,
            &format!("/api/v1/backoffice/settings/{name}"),
            &json!({ "value": value }),
        )
        .await
    }

    /// The messages the mailer sent to `recipient`, newest first.
    pub async fn messages_to(&self, recipient: &str) -> Vec<Value> {
        let admin = self.admin_token().await;
        let response = self
            .send(
                self.request_as(&admin, Method::GET, "/api/v1/backoffice/messages")
                    .query(&[("recipient", recipient)]),
            )
            .await;
        assert_eq!(response.status(), 200, "listing messages");
        let body: Value = response.json().await.expect("messages body");
        body["items"].as_array().cloned().unwrap_or_default()
    }
}

/// An account a test made, with its password and a session token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub username: String,
    pub password: String,
    pub email: String,
    pub token: String,
}
