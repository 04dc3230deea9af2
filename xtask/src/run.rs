//! `cargo xtask run` and `cargo xtask stack`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::stack::{Profile, Stack};
use crate::test::{TEST_DATABASE_URL, TEST_PG_BIN_DIR, TEST_REDIS_URL};
use crate::util::{self, cargo};

const DATABASE: &str = "atelier";
const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// The admin's password on a development stack's first start.
const DEV_ADMIN_PASSWORD: &str = "atelier-admin";

pub fn run(release: bool) -> anyhow::Result<()> {
    // From here on, Ctrl-C and SIGTERM are ours to pass on, so everything stops in order.
    let mut signals = Signals::new([SIGINT, SIGTERM])?;

    let database_url = std::env::var("DATABASE_URL").ok();
    let redis_url = std::env::var("REDIS_URL").ok();
    let stack = if database_url.is_some() && redis_url.is_some() {
        None
    } else {
        println!("Starting PostgreSQL and Redis (data in target/dev-stack/run) ...");
        Some(Stack::start(Profile::Run)?)
    };
    let database_url = match (database_url, &stack) {
        (Some(url), _) => url,
        (None, Some(stack)) => {
            stack.ensure_database(DATABASE)?;
            stack.database_url(DATABASE)
        }
        (None, None) => unreachable!("a stack is started when a URL is missing"),
    };
    let redis_url = match (redis_url, &stack) {
        (Some(url), _) => url,
        (None, Some(stack)) => stack.redis_url.clone(),
        (None, None) => unreachable!("a stack is started when a URL is missing"),
    };

    let mut build = cargo();
    build.args(["build", "--package", "api", "--bin", "atelier"]);
    if release {
        build.arg("--release");
    }
    if !util::run(&mut build)?.success() {
        bail!("building the server failed");
    }

    let addr = std::env::var("ATELIER_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_owned());
    let binary = util::target_dir()
        .join(if release { "release" } else { "debug" })
        .join("atelier");
    // A known admin password and the demo accounts, unless the caller says otherwise: this is
    // a development stack.
    let admin_password =
        std::env::var("ATELIER_ADMIN_PASSWORD").unwrap_or_else(|_| DEV_ADMIN_PASSWORD.to_owned());
    let demo_data = std::env::var("ATELIER_DEMO_DATA").unwrap_or_else(|_| "true".to_owned());
    // Uploaded images beside the development stack's data.
    let media_dir = std::env::var_os("ATELIER_MEDIA_DIR").unwrap_or_else(|| {
        util::target_dir()
            .join("dev-stack/run/media")
            .into_os_string()
    });
    let mut server = Command::new(binary)
        .arg("serve")
        .env("DATABASE_URL", &database_url)
        .env("REDIS_URL", &redis_url)
        .env("ATELIER_ADDR", &addr)
        .env("ATELIER_ADMIN_PASSWORD", &admin_password)
        .env("ATELIER_DEMO_DATA", &demo_data)
        .env("ATELIER_MEDIA_DIR", &media_dir)
        .current_dir(util::workspace_root())
        .process_group(0)
        .spawn()
        .context("starting the server")?;

    let pid = Pid::from_raw(i32::try_from(server.id())?);
    let handle = signals.handle();
    let forwarder = std::thread::spawn(move || {
        for signal in signals.forever() {
            let signal = if signal == SIGTERM {
                Signal::SIGTERM
            } else {
                Signal::SIGINT
            };
            let _ = kill(pid, signal);
        }
    });

    let base = display_base(&addr);
    while server.try_wait()?.is_none() {
        if healthy(&addr) {
            println!(
                "\nAtelier is running.\n  API          {base}/api/v1/\n  Swagger UI   {base}/docs/\n  \
                 OpenAPI      {base}/api-docs/openapi.json\n  PostgreSQL   {database_url}\n  \
                 Redis        {redis_url}\n  Log in       POST /api/v1/identity/sessions as `admin` \
                 (password `{admin_password}` unless the account existed before){}\n\
                 Ctrl-C stops the server{}.\n",
                if demo_data == "true" {
                    "; demo accounts are listed in the README"
                } else {
                    ""
                },
                if stack.is_some() {
                    " and the services it started"
                } else {
                    ""
                }
            );
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let status = server.wait()?;
    handle.close();
    let _ = forwarder.join();
    drop(stack);
    if !status.success() {
        bail!("the server exited with {status}");
    }
    Ok(())
}

pub fn stack() -> anyhow::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let stack = Stack::start(Profile::Test)?;
    println!("Test services are up. In another shell:\n");
    println!("export {TEST_DATABASE_URL}={}", stack.database_admin_url);
    println!("export {TEST_REDIS_URL}={}", stack.redis_url);
    println!("export {TEST_PG_BIN_DIR}={}", stack.pg_bin.display());
    println!("\nthen `cargo test ...`. Ctrl-C stops the services.");
    signals.forever().next();
    drop(stack);
    Ok(())
}

/// The address to show: a wildcard listen address is reached on loopback.
fn display_base(addr: &str) -> String {
    match addr.parse::<SocketAddr>() {
        Ok(socket) if socket.ip().is_unspecified() => format!("http://127.0.0.1:{}", socket.port()),
        _ => format!("http://{addr}"),
    }
}

/// Whether `GET /healthz` answers 200.
pub fn healthy(addr: &str) -> bool {
    let Ok(socket) = display_base(addr)
        .trim_start_matches("http://")
        .parse::<SocketAddr>()
    else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&socket, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}
