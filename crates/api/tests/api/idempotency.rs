//! The `Idempotency-Key` middleware in a small app of its own (a counting handler wrapped by
//! it, the real Redis behind it), and its agreement with the OpenAPI document.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use adapters_redis::idempotency::RedisIdempotencyStore;
use adapters_redis::{Keyspace, PoolSettings};
use api::idempotency::{Idempotency, Idempotent};
use reqwest::header::HeaderValue;
use serde_json::{Value, json};
use testkit::proxy::{socket_of, with_port};
use testkit::{TcpProxy, TestRedis, problem, spawn_app};
use tokio::sync::Semaphore;

const TTL: Duration = Duration::from_secs(3600);

/// What the handlers share with the test.
#[derive(Default)]
struct Counters {
    /// Runs of `POST /charges`.
    charges: AtomicUsize,
    /// Runs of `POST /flaky`; the first answers 500.
    flaky: AtomicUsize,
    /// When set, `POST /charges` waits for a permit before answering.
    gate: Option<Semaphore>,
}

async fn charge(body: web::Bytes, counters: web::Data<Counters>) -> HttpResponse {
    let n = counters.charges.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(gate) = &counters.gate {
        gate.acquire().await.expect("the gate is open").forget();
    }
    HttpResponse::Created()
        .insert_header(("Location", format!("/charges/{n}")))
        .json(json!({"charge": n, "request": String::from_utf8_lossy(&body)}))
}

async fn flaky(counters: web::Data<Counters>) -> HttpResponse {
    match counters.flaky.fetch_add(1, Ordering::SeqCst) {
        0 => HttpResponse::InternalServerError().body("down"),
        n => HttpResponse::Ok().json(json!({"run": n + 1})),
    }
}

struct Harness {
    base: String,
    client: reqwest::Client,
    counters: web::Data<Counters>,
    redis: TestRedis,
    server: ServerHandle,
}

impl Drop for Harness {
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

impl Harness {
    async fn start(gate: bool) -> Self {
        let redis = TestRedis::new();
        Self::start_over(redis.url().to_owned(), redis, gate)
    }

    /// The app with its Redis at `redis_url` (a proxy, say), keys under `redis`'s prefix.
    fn start_over(redis_url: String, redis: TestRedis, gate: bool) -> Self {
        let pool = adapters_redis::connect(
            &redis_url,
            &PoolSettings {
                max_size: 16,
                timeout: Duration::from_millis(500),
            },
        )
        .unwrap();
        let store = RedisIdempotencyStore::new(pool, Keyspace::new(redis.prefix()));
        let idempotency = web::Data::new(
            Idempotency::new(Arc::new(store), TTL).with_lease(Duration::from_secs(30)),
        );
        let counters = web::Data::new(Counters {
            gate: gate.then(|| Semaphore::new(0)),
            ..Counters::default()
        });
        let shared = counters.clone();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(idempotency.clone())
                .app_data(shared.clone())
                .wrap(from_fn(api::request_id::middleware))
                .service(
                    web::resource("/charges")
                        .wrap(Idempotent::new())
                        .route(web::post().to(charge)),
                )
                .service(
                    web::resource("/flaky")
                        .wrap(Idempotent::new())
                        .route(web::post().to(flaky)),
                )
        })
        .workers(2)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            counters,
            redis,
            server: handle,
        }
    }

    async fn post(&self, path: &str, key: Option<&str>, body: &str) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer someone")
            .body(body.to_owned());
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.unwrap()
    }

    /// A request without credentials.
    async fn post_anonymously(&self, path: &str, key: &str) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("Idempotency-Key", key)
            .body("{}")
            .send()
            .await
            .unwrap()
    }

    fn charges(&self) -> usize {
        self.counters.charges.load(Ordering::SeqCst)
    }
}

async fn answer(response: reqwest::Response) -> (u16, Option<String>, Option<String>, Value) {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (location, replayed) = (header("location"), header("idempotent-replayed"));
    (status, location, replayed, response.json().await.unwrap())
}

#[tokio::test]
async fn a_replay_gets_the_first_answer_without_running_again() {
    let app = Harness::start(false).await;
    let (status, location, replayed, body) = answer(
        app.post("/charges", Some("key-1"), r#"{"amount":"10.00"}"#)
            .await,
    )
    .await;
    assert_eq!(
        (status, location.as_deref(), replayed),
        (201, Some("/charges/1"), None)
    );
    assert_eq!(body["charge"], 1);

    for _ in 0..3 {
        let response = app
            .post("/charges", Some("key-1"), r#"{"amount":"10.00"}"#)
            .await;
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "the stored content type"
        );
        let (status, location, replayed, again) = answer(response).await;
        assert_eq!(status, 201);
        assert_eq!(location.as_deref(), Some("/charges/1"));
        assert_eq!(replayed.as_deref(), Some("true"));
        assert_eq!(again, body);
    }
    assert_eq!(app.charges(), 1);

    // Another key, or none, is another request.
    app.post("/charges", Some("key-2"), r#"{"amount":"10.00"}"#)
        .await;
    app.post("/charges", None, r#"{"amount":"10.00"}"#).await;
    app.post("/charges", None, r#"{"amount":"10.00"}"#).await;
    assert_eq!(app.charges(), 4);

    // The record lives for the TTL.
    let keys = app.redis.keys();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let ttl: i64 = redis_pttl(&app.redis, &keys[0]);
    assert!(
        ttl > (TTL.as_millis() as i64) - 60_000 && ttl <= TTL.as_millis() as i64,
        "{ttl}"
    );
}

fn redis_pttl(redis: &TestRedis, key: &str) -> i64 {
    redis::cmd("PTTL")
        .arg(key)
        .query(&mut redis.connect())
        .unwrap()
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = Harness::start(false).await;
    app.post("/charges", Some("key"), r#"{"amount":"10.00"}"#)
        .await;
    let body = problem::expect(
        app.post("/charges", Some("key"), r#"{"amount":"99.00"}"#)
            .await,
        422,
        "idempotency_key_reused",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("new key"),
        "{body}"
    );
    assert_eq!(app.charges(), 1);
}

#[tokio::test]
async fn the_key_is_scoped_to_the_credentials() {
    let app = Harness::start(false).await;
    let send = |token: &'static str| {
        app.client
            .post(format!("{}/charges", app.base))
            .header("Authorization", format!("Bearer {token}"))
            .header("Idempotency-Key", "shared")
            .body("{}")
            .send()
    };
    assert_eq!(send("alice").await.unwrap().status(), 201);
    let bob = send("bob").await.unwrap();
    assert_eq!(bob.status(), 201);
    assert!(bob.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.charges(), 2);
}

#[tokio::test]
async fn of_ten_concurrent_requests_with_one_key_one_runs_and_the_others_are_told_to_wait() {
    let app = Arc::new(Harness::start(true).await);
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let app = app.clone();
        requests.spawn(async move { app.post("/charges", Some("once"), "{}").await });
    }
    // Nine answer while the first is held at the gate.
    let mut refused = 0;
    while refused < 9 {
        let response = requests.join_next().await.unwrap().unwrap();
        assert_eq!(response.headers()["retry-after"], "1");
        problem::expect(response, 409, "idempotency_key_in_use").await;
        refused += 1;
    }
    assert_eq!(app.charges(), 1);
    app.counters.gate.as_ref().unwrap().add_permits(1);
    let first = requests.join_next().await.unwrap().unwrap();
    assert_eq!(first.status(), 201);
    assert!(requests.join_next().await.is_none());

    let replay = app.post("/charges", Some("once"), "{}").await;
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(app.charges(), 1);
}

#[tokio::test]
async fn concurrent_requests_with_different_keys_each_run() {
    let app = Arc::new(Harness::start(false).await);
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..10 {
        let app = app.clone();
        requests.spawn(async move { app.post("/charges", Some(&format!("k{i}")), "{}").await });
    }
    while let Some(response) = requests.join_next().await {
        assert_eq!(response.unwrap().status(), 201);
    }
    assert_eq!(app.charges(), 10);
}

#[tokio::test]
async fn a_malformed_key_is_a_bad_request_and_runs_nothing() {
    let app = Harness::start(false).await;
    let long = "k".repeat(256);
    let malformed: [&[u8]; 5] = [
        b"",
        b"has space",
        long.as_bytes(),
        "ключ".as_bytes(),
        b"tab\tin",
    ];
    for key in malformed {
        let response = app
            .client
            .post(format!("{}/charges", app.base))
            .header("Idempotency-Key", HeaderValue::from_bytes(key).unwrap())
            .body("{}")
            .send()
            .await
            .unwrap();
        problem::expect(response, 400, "invalid_idempotency_key").await;
    }
    assert_eq!(app.charges(), 0);
    let longest = "k".repeat(255);
    let visible = "!~aZ09-_.:/+=";
    for key in [longest.as_str(), visible] {
        assert_eq!(app.post("/charges", Some(key), "{}").await.status(), 201);
    }
}

#[tokio::test]
async fn a_server_error_releases_the_key_so_a_retry_runs_again() {
    let app = Harness::start(false).await;
    assert_eq!(app.post("/flaky", Some("retry"), "{}").await.status(), 500);
    let (status, _, replayed, body) = answer(app.post("/flaky", Some("retry"), "{}").await).await;
    assert_eq!((status, replayed), (200, None));
    assert_eq!(body["run"], 2);
    let (status, _, replayed, body) = answer(app.post("/flaky", Some("retry"), "{}").await).await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    assert_eq!(body["run"], 2);
    assert_eq!(app.counters.flaky.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn with_redis_down_a_request_with_a_key_is_503_and_runs_nothing() {
    let redis = TestRedis::new();
    let proxy = TcpProxy::start(socket_of(redis.url())).await;
    let url = with_port(redis.url(), proxy.port());
    let app = Harness::start_over(url, redis, false);
    assert_eq!(app.post("/charges", Some("a"), "{}").await.status(), 201);

    proxy.cut().await;
    for key in ["a", "b"] {
        let response = app.post("/charges", Some(key), "{}").await;
        assert!(response.headers().contains_key("retry-after"));
        problem::expect(response, 503, "service_unavailable").await;
    }
    assert_eq!(app.charges(), 1);
    // Without a key nothing is promised, and nothing needs Redis.
    assert_eq!(app.post("/charges", None, "{}").await.status(), 201);
    assert_eq!(app.charges(), 2);

    proxy.restore().await;
    let replay = app.post("/charges", Some("a"), "{}").await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(app.post("/charges", Some("b"), "{}").await.status(), 201);
    assert_eq!(app.charges(), 3);
}

/// Every operation that documents `Idempotency-Key` checks it (a malformed key is refused
/// before anything else, authentication included), and every operation that checks it
/// documents it.
#[tokio::test]
async fn operations_check_the_key_exactly_where_the_document_says() {
    let app = spawn_app().await;
    let doc = serde_json::to_value(api::openapi::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let documented = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
            let url = format!("{}{}", app.address, fill_path(path));
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), &url)
                .header("Idempotency-Key", "not a valid key")
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or_default();
            let checked = status == 400 && body["code"] == "invalid_idempotency_key";
            assert_eq!(
                checked, documented,
                "{method} {path}: documented {documented}, answered {status} {body}"
            );
            if documented {
                let responses = &operation["responses"];
                for status in ["400", "409", "422"] {
                    assert!(
                        responses.get(status).is_some(),
                        "{method} {path}: no {status}"
                    );
                }
            }
        }
    }
}

fn fill_path(path: &str) -> String {
    let mut filled = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                filled.push('1');
            }
            _ if !in_param => filled.push(c),
            _ => {}
        }
    }
    filled
}

#[tokio::test]
async fn a_request_whose_client_left_still_finishes_and_its_answer_is_kept() {
    let app = Harness::start(true).await;
    let gone = app
        .client
        .post(format!("{}/charges", app.base))
        .header("Idempotency-Key", "left")
        .body("{}")
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gone.unwrap_err().is_timeout());
    app.counters.gate.as_ref().unwrap().add_permits(1);

    // Until the handler has finished, a retry is told to wait; then it gets the answer.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let replay = loop {
        let response = app.post_anonymously("/charges", "left").await;
        if response.status() != 409 || std::time::Instant::now() > deadline {
            break response;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(app.charges(), 1);
}
