//! What every benchmark runs under: the bench stack (`target/dev-stack/bench`), the server built
//! in release mode and started with the benchmark's settings, both stopped on return or on
//! Ctrl-C; and psql on the benchmark's database.

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::stack::{Profile, Stack};
use crate::util::{self, cargo};

/// What is running, stopped in order on return or on Ctrl-C.
#[derive(Default)]
pub struct Running {
    server: Option<Child>,
    stack: Option<Stack>,
}

impl Running {
    fn stop(&mut self) {
        if let Some(mut server) = self.server.take() {
            if let Ok(pid) = i32::try_from(server.id()) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
            let _ = server.wait();
        }
        drop(self.stack.take());
    }
}

/// Runs `body` with a place to register what it starts, which is stopped when `body` returns
/// or the user interrupts.
pub fn with_running(
    body: impl FnOnce(&Mutex<Running>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let running = Arc::new(Mutex::new(Running::default()));
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let on_signal = Arc::clone(&running);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            eprintln!("\nxtask: interrupted; stopping the server and the services");
            if let Ok(mut running) = on_signal.lock() {
                running.stop();
            }
            std::process::exit(130);
        }
    });
    let outcome = body(&running);
    if let Ok(mut running) = running.lock() {
        running.stop();
    }
    outcome
}

fn lock(running: &Mutex<Running>) -> anyhow::Result<std::sync::MutexGuard<'_, Running>> {
    running.lock().map_err(|_| anyhow::anyhow!("poisoned"))
}

/// The bench stack's services as a benchmark uses them.
pub struct Services {
    pub database_url: String,
    pub redis_url: String,
    pub psql: Psql,
    pub pg_bin: PathBuf,
    /// PostgreSQL's own log (statements show up here when logged).
    pub postgres_log: PathBuf,
}

/// Starts PostgreSQL and Redis of the bench stack with the database `database`, made afresh
/// when `fresh` (else kept).
pub fn start_services(
    running: &Mutex<Running>,
    database: &str,
    fresh: bool,
) -> anyhow::Result<Services> {
    println!("Starting PostgreSQL and Redis (data in target/dev-stack/bench) ...");
    let stack = Stack::start(Profile::Bench)?;
    if fresh {
        stack.psql(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))?;
    }
    stack.ensure_database(database)?;
    let database_url = stack.database_url(database);
    let services = Services {
        redis_url: stack.redis_url.clone(),
        psql: Psql {
            program: stack.pg_bin.join("psql"),
            url: database_url.clone(),
        },
        database_url,
        pg_bin: stack.pg_bin.clone(),
        postgres_log: stack.postgres_log(),
    };
    lock(running)?.stack = Some(stack);
    Ok(services)
}

impl Services {
    /// The postmaster's process id (its children are the backends).
    pub fn postmaster_pid(&self) -> anyhow::Result<u32> {
        let file = self
            .postgres_log
            .parent()
            .context("PostgreSQL's data directory")?
            .join("postmaster.pid");
        let text = fs::read_to_string(&file).with_context(|| file.display().to_string())?;
        Ok(text.lines().next().unwrap_or_default().trim().parse()?)
    }
}

/// The server the xtask started.
pub struct Server {
    pub addr: String,
    pub pid: u32,
}

/// Builds the server in release mode and starts it on a free port with `env` beside the
/// services' URLs; returns once it answers `/healthz`.
pub fn start_server(
    running: &Mutex<Running>,
    services: &Services,
    env: &[(String, String)],
) -> anyhow::Result<Server> {
    println!("Building the server (release) ...");
    if !util::run(cargo().args(["build", "--release", "--package", "api", "--bin", "atelier"]))?
        .success()
    {
        bail!("building the server failed");
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let log_dir = util::target_dir().join("bench");
    fs::create_dir_all(&log_dir)?;
    let log_path = log_dir.join("server.log");
    let log = fs::File::create(&log_path)?;
    let mut command = Command::new(util::target_dir().join("release/atelier"));
    command
        .arg("serve")
        .env("DATABASE_URL", &services.database_url)
        .env("REDIS_URL", &services.redis_url)
        .env("ATELIER_ADDR", &addr)
        .env("ATELIER_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("ATELIER_DEMO_DATA", "false")
        .env("ATELIER_LOG_FORMAT", "json");
    for (name, value) in env {
        command.env(name, value);
    }
    let server = command
        .current_dir(util::workspace_root())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("starting the server")?;
    let pid = server.id();
    lock(running)?.server = Some(server);
    wait_until_healthy(&addr, running, &log_path)?;
    println!(
        "Server (release) on http://{addr}, log in {}",
        log_path.display()
    );
    Ok(Server { addr, pid })
}

/// The admin's password on the bench server (user `admin`).
pub const ADMIN_PASSWORD: &str = "atelier-bench-admin";

fn wait_until_healthy(addr: &str, running: &Mutex<Running>, log: &Path) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if crate::run::healthy(addr) {
            return Ok(());
        }
        let exited = lock(running)?
            .server
            .as_mut()
            .map(Child::try_wait)
            .transpose()?
            .flatten();
        if let Some(status) = exited {
            bail!("the server exited with {status}; see {}", log.display());
        }
        if Instant::now() > deadline {
            bail!(
                "the server did not become healthy in 120 s; see {}",
                log.display()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// psql on the benchmark's database.
pub struct Psql {
    pub program: PathBuf,
    pub url: String,
}

impl Psql {
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&self.url);
        cmd
    }

    /// Runs SQL and returns what it printed (unaligned, tuples only).
    pub fn run(&self, sql: &str) -> anyhow::Result<String> {
        util::output_text(self.command().args(["-c", sql]))
    }
}

/// The one-minute load average, as `/proc/loadavg` gives it.
pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}
