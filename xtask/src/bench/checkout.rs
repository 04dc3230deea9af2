//! `cargo xtask bench checkout`: orders placed and paid from the wallet through the HTTP API
//! by concurrent clients, beside pgbench running the same statements on the same database in
//! the same run; the ratio of the two rates is what the HTTP path (actix, JSON, sessions in
//! Redis, the use cases, diesel and the pool) costs over the database's own work.
//!
//! The database `atelier_bench_checkout` is made afresh each run (the server migrates it), and
//! the shop is made through the API, so every run starts from the same state.

mod capture;
mod client;
mod pgbench;
pub(super) mod setup;

use std::fmt::Write as _;
use std::fs;
use std::rc::Rc;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::bail;
use hdrhistogram::Histogram;

use super::cpu::{self, CpuSeconds};
use super::data::Rng;
use super::harness::{self, Running, load_average};
use super::load::{self, Outcome, Request};
use super::ms;
use crate::util;
use client::{Buyer, Order};
use pgbench::{Pgbench, PgbenchOutcome};
use setup::{Api, Shop, Size};

const DATABASE: &str = "atelier_bench_checkout";
/// The share of pgbench's rate the HTTP path should reach.
const TARGET_RATIO: f64 = 0.70;

#[derive(clap::Args)]
pub struct CheckoutArgs {
    /// Concurrent clients, for HTTP and for pgbench alike.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// How long each side is measured, e.g. `30s`, `1m`.
    #[arg(long, default_value = "30s", value_parser = super::parse_duration)]
    duration: Duration,
    /// Warm-up of each side before measuring (not counted).
    #[arg(long, default_value = "5s", value_parser = super::parse_duration)]
    warmup: Duration,
    /// Buyers, each with a session and money in the wallet.
    #[arg(long, default_value_t = 200)]
    buyers: u32,
    /// Stores (one seller each) that stock every product.
    #[arg(long, default_value_t = 4)]
    stores: u32,
    /// Products in every store.
    #[arg(long, default_value_t = 8)]
    products: u32,
    /// Orders only, without paying them (both sides).
    #[arg(long)]
    checkout_only: bool,
    /// Send an `Idempotency-Key` with every POST (the server keeps each answer in Redis).
    #[arg(long)]
    idempotency_keys: bool,
    /// Seed of which buyer orders what.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A setting for the server, `NAME=VALUE` (repeatable), to measure a lever such as
    /// `ATELIER_DB_POOL_SIZE=8`, `ATELIER_WORKERS=1` or `RUST_LOG=warn`.
    #[arg(long = "server-env", value_parser = parse_setting)]
    server_env: Vec<(String, String)>,
}

fn parse_setting(raw: &str) -> Result<(String, String), String> {
    raw.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("`{raw}` is not NAME=VALUE"))
}

pub fn checkout(args: &CheckoutArgs) -> anyhow::Result<()> {
    if args.clients == 0 || args.buyers == 0 || args.stores == 0 || args.products == 0 {
        bail!("--clients, --buyers, --stores and --products must be at least 1");
    }
    harness::with_running(|running| checkout_with(args, running))
}

fn checkout_with(args: &CheckoutArgs, running: &Mutex<Running>) -> anyhow::Result<()> {
    let services = harness::start_services(running, DATABASE, true)?;
    let mut env: Vec<(String, String)> = [
        // Only the set-up logs in (the measured requests use sessions in Redis).
        ("ATELIER_BCRYPT_COST", "4"),
        // Nothing expires during a run (reservations last 15 minutes); a sweep would only add
        // its statements to the ones captured for one order.
        ("ATELIER_EXPIRY_SWEEP_MS", "3600000"),
        ("ATELIER_REDIS_KEY_PREFIX", "atelier-bench-checkout:"),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .collect();
    env.extend(args.server_env.iter().cloned());
    let server = harness::start_server(running, &services, &env)?;
    let postmaster = services.postmaster_pid()?;
    let pgbench = Pgbench::new(&services.pg_bin, &services.database_url)?;
    let base = format!("http://{}", server.addr);
    let pay = !args.checkout_only;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let api = Api {
            client: reqwest::Client::builder().no_proxy().build()?,
            base: base.clone(),
        };
        println!(
            "Making the shop: {} stores × {} products, {} buyers ...",
            args.stores, args.products, args.buyers
        );
        let shop = setup::make(
            &api,
            &services.psql,
            &Size {
                stores: args.stores,
                products: args.products,
                buyers: args.buyers,
            },
        )
        .await?;
        let orders = Rc::new(orders(&shop, args.seed));

        let clients = || -> anyhow::Result<Vec<Buyer>> {
            let one = Buyer::new(args.clients, &base, pay, args.idempotency_keys)?;
            Ok(vec![one; args.clients])
        };
        println!(
            "Warming up for {:.0} s each (HTTP, then pgbench) ...",
            args.warmup.as_secs_f64()
        );
        if !args.warmup.is_zero() {
            load::run(clients()?, Rc::clone(&orders), args.warmup).await?;
        }
        // Two orders, one after the other, on one HTTP connection (so one worker, and mostly
        // one database connection): the second shows what is prepared on every call.
        let mut captured = Vec::new();
        let one = Buyer::new(1, &base, pay, args.idempotency_keys)?;
        for order in &orders[..2] {
            captured.push(
                capture::statements_of(&services.psql, &services.postgres_log, async {
                    load::Sender::send(&one, &order.what).await
                })
                .await?,
            );
        }
        let logged = captured.pop().unwrap_or_default();
        let afresh: Vec<String> = capture::prepared_afresh(&captured[0], &logged)
            .iter()
            .map(|s| s.shape())
            .collect();
        let mut listing = String::new();
        for (i, statement) in logged.iter().enumerate() {
            writeln!(listing, "-- {} [{}]\n{};\n", i + 1, statement.shape(), statement.sql)?;
        }
        let listing_path = util::target_dir().join("bench/checkout-statements.log");
        fs::write(&listing_path, listing)?;
        let what = if pay {
            "one checkout and one wallet payment"
        } else {
            "one checkout"
        };
        let script = capture::script_statements(pgbench::SCRIPT, pay);
        capture::check_script(&captured[0], &script, what)?;
        capture::check_script(&logged, &script, what)?;
        println!(
            "The server ran {} statements for {what} (listed in {}); the pgbench script has the same.",
            logged.len(),
            listing_path.display()
        );
        if !args.warmup.is_zero() {
            pgbench.run(&shop, args.clients, args.warmup, pay)?;
        }
        let load_before = load_average();
        println!(
            "Measuring HTTP for {:.0} s ...",
            args.duration.as_secs_f64()
        );
        let buyers = clients()?;
        let steps = Rc::clone(&buyers[0].steps);
        let sampler = cpu::Sampler::start(server.pid, postmaster);
        let http = load::run(buyers, Rc::clone(&orders), args.duration).await?;
        let http_cpu = sampler.stop();
        println!(
            "Measuring pgbench for {:.0} s ...",
            args.duration.as_secs_f64()
        );
        let sampler = cpu::Sampler::start(server.pid, postmaster);
        let direct = pgbench.run(&shop, args.clients, args.duration, pay)?;
        let direct_cpu = sampler.stop();
        let load_after = load_average();
        let steps = steps.borrow();
        report(
            args,
            &services.psql,
            &Figures {
                http: &http,
                checkout: &steps.checkout,
                payment: pay.then_some(&steps.payment),
                direct: &direct,
                statements: logged.len(),
                afresh: &afresh,
                http_cpu,
                direct_cpu,
            },
        );
        println!(
            "Load average (1 min) before measuring {load_before}, after {load_after}: the run \
             itself keeps it near 2; much more means other work shared the cores."
        );
        anyhow::Ok(())
    })
}

/// The orders the clients send in turn: buyer after buyer, each a random product of a random
/// store, the same for the same seed.
fn orders(shop: &Shop, seed: u64) -> Vec<Request<Order>> {
    let products: Vec<i64> = shop.product_ids.clone().collect();
    let rounds = 4;
    (0..shop.buyer_tokens.len() * rounds)
        .map(|i| {
            let mut rng = Rng::for_item(seed, 7, i as u64);
            let token = &shop.buyer_tokens[i % shop.buyer_tokens.len()];
            let store = rng.pick(&shop.store_codes);
            let product = rng.pick(&products);
            Request {
                what: Order {
                    token: token.clone(),
                    body: serde_json::json!({
                        "items": [{"store": store, "product_id": product, "quantity": 1}]
                    })
                    .to_string(),
                },
                class: None,
            }
        })
        .collect()
}

struct Figures<'a> {
    http: &'a Outcome,
    checkout: &'a Histogram<u64>,
    payment: Option<&'a Histogram<u64>>,
    direct: &'a PgbenchOutcome,
    statements: usize,
    /// Statements prepared again for every order (their shapes).
    afresh: &'a [String],
    http_cpu: CpuSeconds,
    direct_cpu: CpuSeconds,
}

fn report(args: &CheckoutArgs, psql: &harness::Psql, f: &Figures<'_>) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let pg = psql.run("SHOW server_version").unwrap_or_default();
    let what = match (f.payment.is_some(), args.idempotency_keys) {
        (true, false) => "checkout + wallet payment",
        (true, true) => "checkout + wallet payment, Idempotency-Key",
        (false, false) => "checkout",
        (false, true) => "checkout, Idempotency-Key",
    };
    println!(
        "\ncargo xtask bench checkout: {what}, {} clients, {:.0} s each side, closed loop; {} \
         buyers, {} stores × {} products, one item an order; {cores} cores shared by the server \
         (release, default workers and pool), PostgreSQL {pg} (fsync off), and the load \
         generator or pgbench (one thread each).\n",
        args.clients,
        args.duration.as_secs_f64(),
        args.buyers,
        args.stores,
        args.products,
    );
    println!(
        "{:<34} {:>8} {:>6} {:>9} {:>8} {:>8} {:>8}",
        "", "orders", "errors", "orders/s", "p50 ms", "p95 ms", "p99 ms"
    );
    let row = |name: &str, count: u64, errors: u64, rate: Option<f64>, h: &Histogram<u64>| {
        let rate = rate.map_or_else(String::new, |r| format!("{r:.0}"));
        println!(
            "{name:<34} {count:>8} {errors:>6} {rate:>9} {:>8.2} {:>8.2} {:>8.2}",
            ms(h, 0.5),
            ms(h, 0.95),
            ms(h, 0.99)
        );
    };
    let http_row = if f.payment.is_some() {
        "HTTP: checkout + wallet payment"
    } else {
        "HTTP: checkout"
    };
    row(
        http_row,
        f.http.requests(),
        f.http.errors,
        Some(f.http.rps()),
        &f.http.latencies,
    );
    row("  POST /orders", f.checkout.len(), 0, None, f.checkout);
    if let Some(payment) = f.payment {
        row(
            "  POST /orders/{n}/payments",
            payment.len(),
            0,
            None,
            payment,
        );
    }
    row(
        "pgbench: the same statements",
        f.direct.transactions,
        f.direct.failed,
        Some(f.direct.tps),
        &f.direct.latencies,
    );
    if let Some(error) = &f.http.first_error {
        println!("    first HTTP error: {error}");
    }
    let ratio = f.http.rps() / f.direct.tps.max(1e-9);
    let verdict = if ratio >= TARGET_RATIO {
        "meets"
    } else {
        "BELOW"
    };
    println!(
        "\nHTTP reaches {:.0}% of pgbench's rate ({:.0} / {:.0} orders/s): {verdict} the target \
         of {:.0}%. {} statements an order.",
        ratio * 100.0,
        f.http.rps(),
        f.direct.tps,
        TARGET_RATIO * 100.0,
        f.statements
    );
    if !f.afresh.is_empty() {
        println!(
            "The server prepares {} of them again for every order (outside diesel's statement \
             cache: a round trip and a plan each): {}.",
            f.afresh.len(),
            f.afresh.join(", ")
        );
    }
    let per_order = |seconds: f64, orders: u64| seconds * 1000.0 / (orders.max(1) as f64);
    let cpu = |name: &str, c: &CpuSeconds, orders: u64| {
        println!(
            "  {name:<10} {:>6.2} {:>10.2} {:>10.2} {:>8.2}",
            per_order(c.server, orders),
            per_order(c.postgres, orders),
            per_order(c.load, orders),
            per_order(c.server + c.postgres + c.load, orders),
        );
    };
    println!(
        "\nCPU ms an order (of {cores} cores × {:.0} s): server, PostgreSQL, load generator or pgbench, total",
        args.duration.as_secs_f64()
    );
    println!(
        "  {:<10} {:>6} {:>10} {:>10} {:>8}",
        "", "server", "PostgreSQL", "load", "total"
    );
    cpu("HTTP", &f.http_cpu, f.http.requests());
    cpu("pgbench", &f.direct_cpu, f.direct.transactions);
}
