//! Builds the HTTP server: middleware, extractor policies, routes, docs, fallback.

use std::net::TcpListener;

use anyhow::Context;

use tokio::signal::unix::{Signal, SignalKind, signal};

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpServer, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{Config, MediaBackend};
use crate::fallback::{self, RouteTable};
use crate::state::{AppState, Connections, Dependencies};
use crate::{auth, bookstore, extract, media, openapi, request_id, routes};

pub const DOCS_PATH: &str = "/docs/";
pub const OPENAPI_PATH: &str = "/api-docs/openapi.json";

/// A server bound to its address, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    /// The expiry sweeper, stopped with the server.
    sweeper: Option<tokio::task::JoinHandle<()>>,
}

/// How the server runs in this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signals {
    /// Stop gracefully on SIGTERM and SIGINT (the binary).
    Handle,
    /// Leave signals alone (servers spawned inside a test process).
    Ignore,
}

impl Application {
    /// Migrates (when configured to), wires the adapters, makes sure the built-in roles and
    /// an admin exist, and binds the listener.
    pub async fn build(config: &Config, signals: Signals) -> anyhow::Result<Self> {
        Self::build_with(config, signals, &Dependencies::default()).await
    }

    pub async fn build_with(
        config: &Config,
        signals: Signals,
        dependencies: &Dependencies,
    ) -> anyhow::Result<Self> {
        if config.migrate_on_start {
            let applied = adapters_pg::migrations::run_pending(&config.database_url).await?;
            if !applied.is_empty() {
                tracing::info!(?applied, "applied migrations");
            }
        }
        let state = AppState::build(config, dependencies, Connections::BACKGROUND)?;
        prepare_identity(&state, config).await?;
        let listener = TcpListener::bind(config.addr)?;
        let port = listener.local_addr()?.port();
        let sweeper = crate::sweeper::spawn(&state, config);
        let server = http_server(&state, config, dependencies, listener, signals)?;
        Ok(Self {
            port,
            server,
            sweeper,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from elsewhere (a test dropping its app).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped: by a signal, or by dropping the task that runs this.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        if let Some(sweeper) = self.sweeper {
            sweeper.abort();
        }
        served
    }
}

/// The built-in roles, on an empty database the first admin, and the demo data when asked.
async fn prepare_identity(state: &AppState, config: &Config) -> anyhow::Result<()> {
    state
        .identity
        .ensure_built_in_roles()
        .await
        .context("creating the built-in roles")?;
    let generated = state
        .identity
        .bootstrap_admin(&config.admin_username, config.admin_password.as_deref())
        .await
        .context("creating the first admin")?;
    if let Some(password) = generated {
        show_generated_password(&config.admin_username, &password);
    }
    state.identity.prepare_decoy().await?;
    if config.demo_data {
        let created = state
            .identity
            .seed_demo_accounts()
            .await
            .context("creating the demo accounts")?;
        if !created.is_empty() {
            tracing::info!(?created, "created demo accounts (password in the README)");
        }
        let products = state
            .catalog
            .seed_demo_catalogue()
            .await
            .context("creating the demo catalogue")?;
        if !products.is_empty() {
            tracing::info!(products = products.len(), "created the demo catalogue");
        }
        if state
            .stores
            .seed_demo_store("seller", &products)
            .await
            .context("opening the demo store")?
        {
            tracing::info!(store = app::stores::DEMO_STORE, "opened the demo store");
        }
        if app::studio::demo::seed_demo_studio(&state.studio, &state.scheduling, &state.shoots)
            .await
            .context("creating the demo studio")?
        {
            tracing::info!("created the demo studio");
        }
    }
    Ok(())
}

/// On standard error, beside the logs rather than in them: log collectors keep what they get.
#[allow(clippy::print_stderr, reason = "a password shown once to the operator")]
fn show_generated_password(username: &str, password: &str) {
    eprintln!(
        "\n  First start: created the admin account {username:?} with the password\n\n      {password}\n\n  It is shown this once. Log in and change it (PUT /api/v1/identity/me/password).\n"
    );
}

/// The server; each worker builds a state of its own (see `state`) like `started`, which was
/// built from the same configuration, so building it again cannot fail.
fn http_server(
    started: &AppState,
    config: &Config,
    dependencies: &Dependencies,
    listener: TcpListener,
    signals: Signals,
) -> anyhow::Result<Server> {
    let doc = openapi::document();
    let routes_table = web::Data::new(RouteTable::from_document(&doc));
    let worker_config = config.clone();
    let dependencies = dependencies.clone();
    let connections = Connections::per_worker(config);
    let identity = started.identity.clone();
    let json_limit = config.json_limit_bytes;
    let bookstore_body_limit = config.bookstore_body_limit_bytes;
    let max_image_bytes = config.media_max_bytes;
    // The filesystem store's files are served here; an object store serves its own.
    let media_dir = (config.media_backend == MediaBackend::Fs).then(|| config.media_dir.clone());

    let server = HttpServer::new(move || {
        let mut state = AppState::build(&worker_config, &dependencies, connections)
            .expect("the start-up state was built from the same configuration");
        state.identity = state.identity.sharing_decoy_of(&identity);
        let idempotency = web::Data::new(state.idempotency.clone());
        App::new()
            .app_data(web::Data::new(state))
            .app_data(routes_table.clone())
            .app_data(idempotency)
            .app_data(web::JsonConfig::default().limit(json_limit))
            .app_data(media::multipart_config(max_image_bytes))
            .app_data(web::PathConfig::default().error_handler(extract::path_error))
            .app_data(web::QueryConfig::default().error_handler(extract::query_error))
            .wrap(from_fn(auth::middleware))
            .wrap(ErrorHandlers::new().default_handler(fallback::problem_for_bare_error))
            .wrap(from_fn(request_id::middleware))
            .into_utoipa_app()
            .configure(routes::configure)
            .into_app()
            .service(bookstore::scope(bookstore_body_limit))
            .service(web::redirect("/docs", DOCS_PATH).permanent())
            .configure(|cfg| {
                if let Some(dir) = &media_dir {
                    cfg.service(media::files(dir.clone()));
                }
            })
            .service(SwaggerUi::new("/docs/{_:.*}").url(OPENAPI_PATH, doc.clone()))
            .default_service(web::to(fallback::no_route))
    })
    .listen(listener)?
    .shutdown_timeout(config.shutdown_timeout_secs)
    .workers(config.worker_threads());
    // actix stops at once on SIGINT; ours finish in-flight requests on either signal.
    let server = server.disable_signals().run();
    if signals == Signals::Handle {
        // Registered before returning, so no signal can arrive before there is a handler.
        let term = signal(SignalKind::terminate())?;
        let int = signal(SignalKind::interrupt())?;
        tokio::spawn(stop_on_signal(server.handle(), term, int));
    }
    Ok(server)
}

/// The first SIGTERM or SIGINT stops accepting connections and lets in-flight requests finish
/// (up to the shutdown timeout); a second one stops at once.
async fn stop_on_signal(server: ServerHandle, mut term: Signal, mut int: Signal) {
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    tracing::info!("signal received: finishing in-flight requests (signal again to stop at once)");
    tokio::select! {
        () = server.stop(true) => {}
        _ = async { tokio::select! { _ = term.recv() => {}, _ = int.recv() => {} } } => {
            tracing::warn!("second signal: stopping now");
            server.stop(false).await;
        }
    }
}
