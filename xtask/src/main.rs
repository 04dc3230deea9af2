//! Atelier's developer commands (`cargo xtask <command>`, see `.cargo/config.toml`).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool talking to its user"
)]

mod bench;
mod run;
mod stack;
mod test;
mod util;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Atelier's developer commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the system: PostgreSQL and Redis (private ones unless DATABASE_URL and REDIS_URL
    /// are set), migrations, and the server on ATELIER_ADDR (default 127.0.0.1:8080).
    Run {
        /// Build the server with optimisations.
        #[arg(long)]
        release: bool,
    },
    /// Every check: fmt, clippy, dependency rules, the test suite, OpenAPI drift.
    Test(test::Args),
    /// Write the OpenAPI document to openapi/openapi.json.
    Openapi,
    /// Start the test services and print the variables that let `cargo test` use them.
    Stack,
    /// Benchmarks (not tests): figures under load, against baselines from the same run.
    Bench(bench::Args),
}

fn main() {
    let outcome = match Cli::parse().command {
        Command::Run { release } => run::run(release),
        Command::Test(args) => test::test(&args),
        Command::Openapi => test::write_openapi(),
        Command::Stack => run::stack(),
        Command::Bench(args) => bench::bench(&args),
    };
    if let Err(error) = outcome {
        eprintln!("xtask: {error:#}");
        std::process::exit(1);
    }
}
