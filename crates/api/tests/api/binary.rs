//! The `atelier` binary as operators run it: migrations and the first admin on start, JSON logs
//! carrying request ids, and graceful shutdown on SIGTERM and SIGINT.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use testkit::{TestDatabase, TestRedis};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// Upper bound for anything the server is waited on for; reaching it fails the test.
const PATIENCE: Duration = Duration::from_secs(60);

const ADMIN_PASSWORD: &str = "binary-admin-password";

struct Server {
    child: Child,
    port: u16,
    logs: mpsc::UnboundedReceiver<Value>,
}

impl Server {
    /// Starts `atelier serve` with JSON logs, on a free port, in an empty directory (no `.env`),
    /// with the admin password [`ADMIN_PASSWORD`].
    async fn start(db: &TestDatabase, redis: &TestRedis) -> Self {
        Self::start_with(db, redis, Some(ADMIN_PASSWORD), Stdio::null()).await
    }

    async fn start_with(
        db: &TestDatabase,
        redis: &TestRedis,
        admin_password: Option<&str>,
        stderr: Stdio,
    ) -> Self {
        let workdir = std::env::temp_dir();
        let mut command = Command::new(env!("CARGO_BIN_EXE_atelier"));
        command
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DATABASE_URL", db.url())
            .env("REDIS_URL", redis.url())
            .env("ATELIER_REDIS_KEY_PREFIX", redis.prefix())
            .env("ATELIER_ADDR", "127.0.0.1:0")
            .env("ATELIER_WORKERS", "1")
            .env("ATELIER_SHUTDOWN_TIMEOUT_SECS", "20")
            .env("ATELIER_LOG_FORMAT", "json")
            .env("RUST_LOG", "info,api::request_id=debug")
            .env("ATELIER_BCRYPT_COST", "4")
            .current_dir(workdir)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true);
        if let Some(password) = admin_password {
            command.env("ATELIER_ADMIN_PASSWORD", password);
        }
        let mut child = command.spawn().expect("starting atelier");
        let stdout = child.stdout.take().unwrap();
        let (tx, mut logs) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let parsed = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
                if tx.send(parsed).is_err() {
                    break;
                }
            }
        });
        let listening = next_log(&mut logs, |l| {
            l["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Atelier is listening on"))
        })
        .await;
        let message = listening["message"].as_str().unwrap();
        let port = message.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(
            listening["swagger_ui"],
            format!("http://127.0.0.1:{port}/docs/"),
            "{listening}"
        );
        Self { child, port, logs }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Logs in as `admin`; the session token, or the failed response's status.
    async fn login_admin(&self, password: &str) -> Result<String, u16> {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/identity/sessions"))
            .json(&serde_json::json!({ "login": "admin", "password": password }))
            .send()
            .await
            .unwrap();
        if response.status() != 201 {
            return Err(response.status().as_u16());
        }
        let body: Value = response.json().await.unwrap();
        Ok(body["token"].as_str().unwrap().to_owned())
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id().unwrap() as i32);
        nix::sys::signal::kill(pid, signal).unwrap();
    }

    async fn wait_for_log(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        next_log(&mut self.logs, wanted).await
    }

    async fn exit_status(&mut self) -> std::process::ExitStatus {
        tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .expect("the server exits")
            .unwrap()
    }
}

async fn next_log(
    logs: &mut mpsc::UnboundedReceiver<Value>,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let line = logs.recv().await.expect("the server's output ended");
            if wanted(&line) {
                return line;
            }
        }
    })
    .await
    .expect("the expected log line")
}

#[tokio::test]
async fn serve_migrates_an_empty_database_before_serving() {
    let db = TestDatabase::empty().await;
    let redis = TestRedis::new();
    let mut server = Server::start(&db, &redis).await;
    let token = server.login_admin(ADMIN_PASSWORD).await.unwrap();
    let response = reqwest::Client::new()
        .get(server.url("/api/v1/backoffice/settings"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let applied = db
        .query_text("SELECT count(*) FROM __diesel_schema_migrations")
        .await;
    assert_eq!(
        applied.unwrap(),
        adapters_pg::migrations::versions()
            .unwrap()
            .len()
            .to_string()
    );
    server.signal(nix::sys::signal::Signal::SIGTERM);
    assert!(server.exit_status().await.success());
}

#[tokio::test]
async fn migrate_applies_every_migration_and_exits() {
    let db = TestDatabase::empty().await;
    let status = Command::new(env!("CARGO_BIN_EXE_atelier"))
        .arg("migrate")
        .env_clear()
        .env("DATABASE_URL", db.url())
        .env("REDIS_URL", "redis://127.0.0.1:1")
        .current_dir(std::env::temp_dir())
        .stdout(Stdio::null())
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let exists = db.query_text("to_regclass('system_settings')").await;
    assert_eq!(exists.as_deref(), Some("system_settings"));
}

#[tokio::test]
async fn json_logs_carry_the_request_id() {
    let db = TestDatabase::new().await;
    let redis = TestRedis::new();
    let mut server = Server::start(&db, &redis).await;
    let client = reqwest::Client::new();
    client
        .get(server.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    let line = server
        .wait_for_log(|l| {
            l["span"]["request_id"] == "trace-me-42" && l["message"] == "request finished"
        })
        .await;
    assert_eq!(line["status"], 200, "{line}");
    assert_eq!(line["span"]["path"], "/healthz", "{line}");
    assert_eq!(line["level"], "INFO", "{line}");

    // A 500 keeps its cause out of the response but in the log, under the same request id.
    let token = server.login_admin(ADMIN_PASSWORD).await.unwrap();
    db.execute("DROP TABLE system_settings").await;
    let response = client
        .get(server.url("/api/v1/backoffice/settings"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let error = server
        .wait_for_log(|l| {
            l["span"]["request_id"] == id.as_str() && l["message"] == "request failed"
        })
        .await;
    assert_eq!(error["level"], "ERROR", "{error}");
    assert!(
        error["error"].as_str().unwrap().contains("system_settings"),
        "{error}"
    );
    server.signal(nix::sys::signal::Signal::SIGTERM);
    assert!(server.exit_status().await.success());
}

/// Starts a request, signals the server while the request's body is still arriving, then
/// completes the body: the request must be answered and its change kept, new connections
/// refused, and the process must exit cleanly.
async fn in_flight_request_survives(signal: nix::sys::signal::Signal) {
    let db = TestDatabase::new().await;
    let redis = TestRedis::new();
    let mut server = Server::start(&db, &redis).await;
    let token = server.login_admin(ADMIN_PASSWORD).await.unwrap();

    let body = br#"{"value": "EUR"}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", server.port))
        .await
        .unwrap();
    let head = format!(
        "PUT /api/v1/backoffice/settings/currency HTTP/1.1\r\nHost: localhost\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..5]).await.unwrap();
    stream.flush().await.unwrap();
    server
        .wait_for_log(|l| {
            l["message"] == "request started"
                && l["span"]["path"] == "/api/v1/backoffice/settings/currency"
        })
        .await;

    server.signal(signal);
    server
        .wait_for_log(|l| {
            l["message"]
                .as_str()
                .is_some_and(|m| m.contains("finishing in-flight requests"))
        })
        .await;
    // The listener closes: new connections are refused while the old one is served.
    let refused = tokio::time::timeout(PATIENCE, async {
        while TcpStream::connect(("127.0.0.1", server.port)).await.is_ok() {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(refused.is_ok(), "the server kept accepting connections");

    stream.write_all(&body[5..]).await.unwrap();
    let mut response = String::new();
    tokio::time::timeout(PATIENCE, stream.read_to_string(&mut response))
        .await
        .expect("an answer")
        .unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""value":"EUR""#), "{response}");

    assert!(server.exit_status().await.success());
    let stored = db
        .query_text("SELECT setting_value FROM system_settings WHERE setting_name = 'currency'")
        .await;
    assert_eq!(stored.as_deref(), Some("EUR"));
}

#[tokio::test]
async fn sigterm_finishes_in_flight_requests() {
    in_flight_request_survives(nix::sys::signal::Signal::SIGTERM).await;
}

#[tokio::test]
async fn sigint_finishes_in_flight_requests() {
    in_flight_request_survives(nix::sys::signal::Signal::SIGINT).await;
}

/// The password a first start without `ATELIER_ADMIN_PASSWORD` prints on standard error (it
/// does so before it listens, so it is there by the time [`Server::start_with`] returns).
async fn printed_password(server: &mut Server) -> String {
    let stderr = server.child.stderr.as_mut().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let mut announced = false;
    tokio::time::timeout(PATIENCE, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.contains("created the admin account") {
                announced = true;
            } else if announced && !line.trim().is_empty() {
                return line.trim().to_owned();
            }
        }
        panic!("standard error ended without a password");
    })
    .await
    .expect("the generated password")
}

/// Everything the server wrote on standard error, once it has exited.
async fn all_of_stderr(server: &mut Server) -> String {
    let mut text = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .await
        .unwrap();
    text
}

#[tokio::test]
async fn a_first_start_creates_the_admin_and_shows_a_generated_password_once() {
    let db = TestDatabase::empty().await;
    let redis = TestRedis::new();
    let mut first = Server::start_with(&db, &redis, None, Stdio::piped()).await;
    let password = printed_password(&mut first).await;
    assert!(password.len() >= 16, "{password:?}");
    let token = first.login_admin(&password).await.unwrap();
    let me: Value = reqwest::Client::new()
        .get(first.url("/api/v1/identity/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin", "{me}");
    assert_eq!(me["role"], "admin", "{me}");
    first.signal(nix::sys::signal::Signal::SIGTERM);
    assert!(first.exit_status().await.success());

    // The account exists now: a second start creates none and prints no password, and the
    // password stays the one shown.
    let mut second = Server::start_with(&db, &redis, None, Stdio::piped()).await;
    assert!(second.login_admin(&password).await.is_ok());
    second.signal(nix::sys::signal::Signal::SIGTERM);
    assert!(second.exit_status().await.success());
    let stderr = all_of_stderr(&mut second).await;
    assert!(!stderr.contains(&password), "{stderr}");
    assert!(!stderr.contains("created the admin account"), "{stderr}");
    assert_eq!(db.count("users").await, 1);
}
