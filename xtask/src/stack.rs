//! A private PostgreSQL and Redis for development and tests, run from the system's binaries
//! with their data under `target/dev-stack/<profile>/`, on free loopback ports.
//!
//! The servers run in process groups of their own, so a Ctrl-C in the terminal reaches xtask
//! (which stops them in order) and not them. [`Stack`] stops whatever it started when dropped.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::util::{self, run_quiet};

/// Which data a stack uses: the running system's, or the tests' (kept apart, so tests never
/// touch the data of `cargo xtask run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Run,
    Test,
    /// `cargo xtask bench`: a generated catalogue, kept between runs.
    Bench,
}

impl Profile {
    fn dir_name(self) -> &'static str {
        match self {
            Self::Run => "run",
            Self::Test => "test",
            Self::Bench => "bench",
        }
    }
}

/// The services of a stack, and how to reach them.
pub struct Stack {
    pub database_admin_url: String,
    pub redis_url: String,
    pub pg_bin: PathBuf,
    postgres: Option<Postgres>,
    redis: Option<Child>,
}

struct Postgres {
    data: PathBuf,
    pg_bin: PathBuf,
    as_postgres_user: bool,
}

impl Stack {
    /// Starts PostgreSQL and Redis, installing them first when they are missing.
    pub fn start(profile: Profile) -> anyhow::Result<Self> {
        let (pg_bin, redis_server) = binaries()?;
        let root = stack_dir(profile)?;
        let postgres = start_postgres(&pg_bin, &root.join("postgres"), profile)?;
        let port = postgres_port(&postgres.data)?;
        let mut stack = Self {
            database_admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            redis_url: String::new(),
            pg_bin,
            postgres: Some(postgres),
            redis: None,
        };
        let (child, redis_port) = start_redis(&redis_server, &root.join("redis"), profile)?;
        stack.redis = Some(child);
        stack.redis_url = format!("redis://127.0.0.1:{redis_port}");
        Ok(stack)
    }

    /// The URL of database `name` on this stack's PostgreSQL.
    pub fn database_url(&self, name: &str) -> String {
        self.database_admin_url
            .rsplit_once('/')
            .map(|(base, _)| format!("{base}/{name}"))
            .unwrap_or_default()
    }

    /// PostgreSQL's log file (`pg_ctl -l`).
    pub fn postgres_log(&self) -> PathBuf {
        self.postgres
            .as_ref()
            .map(|pg| pg.data.join("server.log"))
            .unwrap_or_default()
    }

    /// Runs SQL as the superuser and returns what it printed (unaligned, tuples only).
    pub fn psql(&self, sql: &str) -> anyhow::Result<String> {
        util::output_text(
            Command::new(self.pg_bin.join("psql"))
                .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(&self.database_admin_url)
                .args(["-c", sql]),
        )
    }

    /// Creates database `name` unless it exists.
    pub fn ensure_database(&self, name: &str) -> anyhow::Result<()> {
        let exists = self.psql(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{name}'"
        ))?;
        if exists.is_empty() {
            self.psql(&format!("CREATE DATABASE {name}"))?;
        }
        Ok(())
    }

    pub fn stop(&mut self) {
        if let Some(mut redis) = self.redis.take() {
            let pid = Pid::from_raw(i32::try_from(redis.id()).unwrap_or(i32::MAX));
            let _ = kill(pid, Signal::SIGTERM);
            let _ = redis.wait();
        }
        if let Some(pg) = self.postgres.take() {
            let mut stop = pg_ctl(&pg.pg_bin, pg.as_postgres_user);
            stop.arg("-D")
                .arg(&pg.data)
                .args(["-m", "fast", "-w", "stop"]);
            if let Err(error) = run_quiet(&mut stop) {
                eprintln!("xtask: stopping PostgreSQL: {error:#}");
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop();
    }
}

fn stack_dir(profile: Profile) -> anyhow::Result<PathBuf> {
    let dir = util::workspace_root()
        .join("target/dev-stack")
        .join(profile.dir_name());
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// PostgreSQL's server programs and `redis-server`, installing the Debian packages when either
/// is missing.
fn binaries() -> anyhow::Result<(PathBuf, PathBuf)> {
    if let (Some(pg), Some(redis)) = (find_pg_bin(), find_redis_server()) {
        return Ok((pg, redis));
    }
    install_packages()?;
    match (find_pg_bin(), find_redis_server()) {
        (Some(pg), Some(redis)) => Ok((pg, redis)),
        _ => bail!("PostgreSQL or Redis is still missing after installing them; {MANUAL_INSTALL}"),
    }
}

const MANUAL_INSTALL: &str = "install a PostgreSQL server (14 or newer) and Redis \
    (Debian/Ubuntu: `sudo apt-get install postgresql redis-server`; macOS: \
    `brew install postgresql redis`), or point DATABASE_URL and REDIS_URL at running ones";

/// The directory holding `initdb`, `pg_ctl`, `postgres`, `psql` and `pg_dump`.
fn find_pg_bin() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "postgres", "psql", "pg_dump"]
            .iter()
            .all(|p| dir.join(p).is_file())
    };
    if let Some(dir) = std::env::var_os("ATELIER_PG_BIN_DIR").map(PathBuf::from) {
        return complete(&dir).then_some(dir);
    }
    // Debian keeps each major version apart; take the newest.
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Some(dir);
    }
    util::which("initdb")
        .and_then(|initdb| initdb.parent().map(Path::to_path_buf))
        .filter(|dir| complete(dir))
}

fn find_redis_server() -> Option<PathBuf> {
    util::which("redis-server")
}

fn install_packages() -> anyhow::Result<()> {
    if util::which("apt-get").is_none() {
        bail!("PostgreSQL or Redis is missing and this is not a Debian system: {MANUAL_INSTALL}");
    }
    let root = nix::unistd::geteuid().is_root();
    let sudo = !root
        && util::which("sudo")
            .is_some_and(|_| run_quiet(Command::new("sudo").args(["-n", "true"])).is_ok());
    if !root && !sudo {
        bail!("PostgreSQL or Redis is missing, and installing needs root: {MANUAL_INSTALL}");
    }
    eprintln!("xtask: installing the Debian packages postgresql and redis-server ...");
    let apt = |args: &[&str]| {
        let mut cmd = if root {
            Command::new("apt-get")
        } else {
            let mut cmd = Command::new("sudo");
            cmd.arg("apt-get");
            cmd
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_quiet(&mut cmd)
    };
    apt(&["update", "-q"]).context("apt-get update")?;
    apt(&[
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "postgresql",
        "postgresql-contrib",
        "redis-server",
    ])
    .with_context(|| format!("apt-get install failed; {MANUAL_INSTALL}"))?;
    Ok(())
}

/// `pg_ctl`, run as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn pg_ctl(pg_bin: &Path, as_postgres_user: bool) -> Command {
    let program = pg_bin.join("pg_ctl");
    let mut cmd = if as_postgres_user {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"]).arg(program);
        cmd
    } else {
        Command::new(program)
    };
    // A process group of its own: the terminal's Ctrl-C is for xtask, which stops the server.
    cmd.process_group(0);
    cmd
}

fn start_postgres(pg_bin: &Path, wanted: &Path, profile: Profile) -> anyhow::Result<Postgres> {
    let as_postgres_user = nix::unistd::geteuid().is_root();
    let data = if as_postgres_user {
        data_dir_for_postgres_user(wanted)?
    } else {
        fs::create_dir_all(wanted)?;
        wanted.to_path_buf()
    };
    let pg = Postgres {
        data,
        pg_bin: pg_bin.to_path_buf(),
        as_postgres_user,
    };

    if !pg.data.join("PG_VERSION").exists() {
        let mut initdb = if as_postgres_user {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"])
                .arg(pg_bin.join("initdb"));
            cmd
        } else {
            Command::new(pg_bin.join("initdb"))
        };
        // C.UTF-8 classifies Chinese characters as letters, which pg_trgm needs.
        initdb.arg("-D").arg(&pg.data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ]);
        run_quiet(&mut initdb).context("initdb")?;
    }

    let mut status = pg_ctl(pg_bin, as_postgres_user);
    status.arg("-D").arg(&pg.data).arg("status");
    if run_quiet(&mut status).is_ok() {
        // Left running by an earlier xtask that did not get to stop it: adopt it.
        return Ok(pg);
    }

    let port = free_port(read_port(&pg.data.join("xtask.port")))?;
    fs::write(pg.data.join("xtask.port"), port.to_string())?;
    let mut options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=200",
        pg.data.display()
    );
    if profile != Profile::Run {
        // Test and benchmark data can be made again: trade durability for speed.
        options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    let mut start = pg_ctl(pg_bin, as_postgres_user);
    start
        .arg("-D")
        .arg(&pg.data)
        .arg("-l")
        .arg(pg.data.join("server.log"))
        .args(["-w", "-t", "60", "-o", &options, "start"]);
    run_quiet(&mut start).with_context(|| {
        format!(
            "starting PostgreSQL; see {}",
            pg.data.join("server.log").display()
        )
    })?;
    Ok(pg)
}

/// A data directory the `postgres` user owns and can reach: `wanted` when every directory above
/// it lets that user through, else one under `/var/tmp`.
fn data_dir_for_postgres_user(wanted: &Path) -> anyhow::Result<PathBuf> {
    let reachable = |dir: &Path| {
        fs::create_dir_all(dir).is_ok()
            && run_quiet(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir),
            )
            .is_ok()
            && run_quiet(
                Command::new("runuser")
                    .args(["-u", "postgres", "--", "test", "-w"])
                    .arg(dir),
            )
            .is_ok()
    };
    if reachable(wanted) {
        return Ok(wanted.to_path_buf());
    }
    let fallback = PathBuf::from("/var/tmp/atelier-dev-stack").join(
        wanted
            .strip_prefix("/")
            .unwrap_or(wanted)
            .to_string_lossy()
            .replace('/', "_"),
    );
    if reachable(&fallback) {
        eprintln!(
            "xtask: the postgres user cannot reach {}; keeping PostgreSQL's data in {}",
            wanted.display(),
            fallback.display()
        );
        return Ok(fallback);
    }
    bail!(
        "no directory the postgres user can write to: tried {} and {}",
        wanted.display(),
        fallback.display()
    )
}

/// The port of a running server, from `postmaster.pid` (its fourth line).
fn postgres_port(data: &Path) -> anyhow::Result<u16> {
    let pid_file = fs::read_to_string(data.join("postmaster.pid"))
        .with_context(|| format!("PostgreSQL is not running in {}", data.display()))?;
    pid_file
        .lines()
        .nth(3)
        .and_then(|line| line.trim().parse().ok())
        .context("no port in postmaster.pid")
}

fn start_redis(redis_server: &Path, dir: &Path, profile: Profile) -> anyhow::Result<(Child, u16)> {
    fs::create_dir_all(dir)?;
    stop_stale_redis(&dir.join("xtask.pid"));
    let port = free_port(read_port(&dir.join("xtask.port")))?;
    fs::write(dir.join("xtask.port"), port.to_string())?;
    let mut cmd = Command::new(redis_server);
    cmd.args([
        "--port",
        &port.to_string(),
        "--bind",
        "127.0.0.1",
        "--daemonize",
        "no",
    ])
    .arg("--dir")
    .arg(dir)
    .arg("--logfile")
    .arg(dir.join("redis.log"));
    match profile {
        Profile::Run => cmd.args(["--save", "60 1", "--appendonly", "no"]),
        Profile::Test | Profile::Bench => cmd.args(["--save", "", "--appendonly", "no"]),
    };
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .process_group(0)
        .spawn()
        .context("starting redis-server")?;
    fs::write(dir.join("xtask.pid"), child.id().to_string())?;
    wait_for_redis(port).with_context(|| format!("see {}", dir.join("redis.log").display()))?;
    Ok((child, port))
}

/// A redis-server left by an xtask that was killed holds on to its data; stop it.
fn stop_stale_redis(pid_file: &Path) {
    let Some(pid) = fs::read_to_string(pid_file)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
    else {
        return;
    };
    let is_redis = fs::read_to_string(format!("/proc/{pid}/cmdline"))
        .is_ok_and(|c| c.contains("redis-server"));
    if is_redis {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn wait_for_redis(port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if ping_redis(port).unwrap_or(false) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("Redis did not answer PING on port {port} within 20 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn ping_redis(port: u16) -> std::io::Result<bool> {
    let mut stream = TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(1),
    )?;
    stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    stream.write_all(b"PING\r\n")?;
    let mut reply = [0u8; 7];
    stream.read_exact(&mut reply)?;
    Ok(&reply == b"+PONG\r\n")
}

fn read_port(file: &Path) -> Option<u16> {
    fs::read_to_string(file).ok()?.trim().parse().ok()
}

/// `preferred` when it is free (so URLs stay the same from one run to the next), else any.
fn free_port(preferred: Option<u16>) -> anyhow::Result<u16> {
    if let Some(port) = preferred
        && TcpListener::bind(("127.0.0.1", port)).is_ok()
    {
        return Ok(port);
    }
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
