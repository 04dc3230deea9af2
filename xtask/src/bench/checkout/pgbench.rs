//! pgbench running the checkout script (`checkout.pgbench`) on the benchmark's database: the
//! rate the database reaches with the server's statements and no server.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use hdrhistogram::Histogram;

use super::setup::Shop;
use crate::util;

/// The script: the statements of one checkout and one wallet payment, in the server's order.
pub const SCRIPT: &str = include_str!("checkout.pgbench");

/// What a pgbench run measured.
pub struct PgbenchOutcome {
    pub transactions: u64,
    pub failed: u64,
    /// pgbench's own rate, without the time to connect.
    pub tps: f64,
    /// Latency of each script run, microseconds, from pgbench's transaction log.
    pub latencies: Histogram<u64>,
}

pub struct Pgbench {
    pub program: PathBuf,
    pub database_url: String,
    /// Where the script and the transaction logs are written.
    pub dir: PathBuf,
}

impl Pgbench {
    pub fn new(pg_bin: &Path, database_url: &str) -> anyhow::Result<Self> {
        let program = pg_bin.join("pgbench");
        if !program.is_file() {
            bail!("no pgbench beside psql in {}", pg_bin.display());
        }
        let dir = util::target_dir().join("bench/pgbench");
        fs::create_dir_all(&dir)?;
        let pgbench = Self {
            program,
            database_url: database_url.to_owned(),
            dir,
        };
        fs::write(pgbench.script_path(), SCRIPT)?;
        Ok(pgbench)
    }

    pub fn script_path(&self) -> PathBuf {
        self.dir.join("checkout.pgbench")
    }

    /// Runs the script from `clients` connections (one thread, like the HTTP load) for
    /// `duration`, prepared statements as the server's, and reads every transaction's latency.
    pub fn run(
        &self,
        shop: &Shop,
        clients: usize,
        duration: Duration,
        pay: bool,
    ) -> anyhow::Result<PgbenchOutcome> {
        for old in fs::read_dir(&self.dir)? {
            let old = old?.path();
            if old
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("txlog"))
            {
                fs::remove_file(old)?;
            }
        }
        let mut command = Command::new(&self.program);
        command
            .args(["--no-vacuum", "--protocol=prepared", "--jobs=1", "--log"])
            .arg(format!("--log-prefix={}", self.dir.join("txlog").display()))
            .arg(format!("--client={clients}"))
            .arg(format!("--time={}", duration.as_secs().max(1)))
            .arg(format!("--file={}", self.script_path().display()))
            .arg(format!("--define=pay={}", u8::from(pay)))
            .arg(format!("--define=currency={}", shop.currency))
            .arg(format!("--define=buyer_min={}", shop.buyer_ids.start()))
            .arg(format!("--define=buyer_max={}", shop.buyer_ids.end()))
            .arg(format!("--define=store_min={}", shop.store_ids.start()))
            .arg(format!("--define=store_max={}", shop.store_ids.end()))
            .arg(format!("--define=product_min={}", shop.product_ids.start()))
            .arg(format!("--define=product_max={}", shop.product_ids.end()))
            .arg(&self.database_url);
        let output = command.output().context("running pgbench")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("pgbench failed ({}):\n{stdout}{stderr}", output.status);
        }
        let number = |label: &str| -> Option<f64> {
            stdout.lines().find_map(|line| {
                let rest = line.trim().strip_prefix(label)?;
                rest.split_whitespace().next()?.parse().ok()
            })
        };
        let tps = number("tps = ").context("pgbench printed no tps")?;
        let transactions = number("number of transactions actually processed: ")
            .context("pgbench printed no transaction count")?;
        let failed = number("number of failed transactions: ").unwrap_or(0.0);
        let mut latencies = super::super::load::histogram();
        for log in fs::read_dir(&self.dir)? {
            let log = log?.path();
            if !log
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("txlog"))
            {
                continue;
            }
            // client transaction latency_us script_no epoch_s epoch_us
            for line in fs::read_to_string(&log)?.lines() {
                if let Some(micros) = line
                    .split_whitespace()
                    .nth(2)
                    .and_then(|f| f.parse::<u64>().ok())
                {
                    latencies.saturating_record(micros);
                }
            }
        }
        Ok(PgbenchOutcome {
            transactions: transactions as u64,
            failed: failed as u64,
            tps,
            latencies,
        })
    }
}
