//! `cargo xtask bench <target>`: figures under load through the HTTP API, against baselines
//! measured in the same run.
//!
//! Not tests: they report figures and assert nothing. Each runs on a stack of its own
//! (`target/dev-stack/bench`), with the server built in release mode and started by the xtask.
//! The load generator is this program, so it runs optimised too: `cargo xtask` (a debug build)
//! builds and runs itself in release mode for a benchmark. Its CPU time shares the cores with
//! the server's, as pgbench's does with PostgreSQL's, and a debug build spent as much an order
//! as pgbench does on 35 statements.

mod availability;
mod checkout;
mod cpu;
mod data;
mod harness;
mod load;
mod queries;
mod search;

use std::time::Duration;

use hdrhistogram::Histogram;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    target: Target,
}

#[derive(clap::Subcommand)]
enum Target {
    /// Search and a category listing through the HTTP API, on a generated catalogue.
    Search(search::SearchArgs),
    /// Checkout and wallet payment through the HTTP API, beside pgbench running the same
    /// statements on the same database.
    Checkout(checkout::CheckoutArgs),
    /// A studio's free slots over a month through the HTTP API, for a store with 50 people,
    /// against the same call for one day.
    Availability(availability::AvailabilityArgs),
}

pub fn bench(args: &Args) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        return run_optimised();
    }
    match &args.target {
        Target::Search(args) => search::search(args),
        Target::Checkout(args) => checkout::checkout(args),
        Target::Availability(args) => availability::availability(args),
    }
}

/// Runs this command again from an optimised build of the xtask.
fn run_optimised() -> anyhow::Result<()> {
    println!("Building the load generator (release) ...");
    let status = crate::util::run(
        crate::util::cargo()
            .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
            .args(std::env::args_os().skip(1)),
    )?;
    if !status.success() {
        anyhow::bail!("the benchmark failed ({status})");
    }
    Ok(())
}

fn parse_duration(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let (number, unit) = raw
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or((raw, "s"), |at| raw.split_at(at));
    let number: f64 = number
        .parse()
        .map_err(|_| format!("`{raw}` is not a duration like 20s, 500ms or 1m"))?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" | "min" => number * 60.0,
        _ => return Err(format!("`{raw}`: the unit must be ms, s or m")),
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// The latency at quantile `q` of a histogram of microseconds, in milliseconds.
fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}
