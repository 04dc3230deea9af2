use std::io::Write;

use anyhow::Context;
use api::config::Config;
use api::startup::{Application, DOCS_PATH, OPENAPI_PATH, Signals};
use api::{openapi, telemetry};
use clap::{Parser, Subcommand};

/// Atelier: the back end of a photo studio with an online shop and a marketplace.
#[derive(Parser)]
#[command(name = "atelier", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            let json = openapi::to_pretty_json(&openapi::document())?;
            std::io::stdout().lock().write_all(json.as_bytes())?;
            Ok(())
        }
        Command::Migrate => actix_web::rt::System::new().block_on(async {
            let config = load_config()?;
            let applied = adapters_pg::migrations::run_pending(&config.database_url).await?;
            tracing::info!(?applied, "migrations applied");
            Ok(())
        }),
        Command::Serve => actix_web::rt::System::new().block_on(async {
            let config = load_config()?;
            let app = Application::build(&config, Signals::Handle).await?;
            let base = format!("http://{}:{}", config.addr.ip(), app.port());
            tracing::info!(
                swagger_ui = format!("{base}{DOCS_PATH}"),
                openapi = format!("{base}{OPENAPI_PATH}"),
                "Atelier is listening on {base}"
            );
            app.run_until_stopped().await?;
            tracing::info!("stopped");
            Ok(())
        }),
    }
}

fn load_config() -> anyhow::Result<Config> {
    let config = Config::from_env().context("reading the configuration from the environment")?;
    telemetry::init(config.log_format);
    tracing::debug!(?config, "configuration");
    Ok(config)
}
