//! `cargo xtask test` (every check, one summary line) and `cargo xtask openapi`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::stack::{Profile, Stack};
use crate::util::{self, cargo};

pub const TEST_DATABASE_URL: &str = "ATELIER_TEST_DATABASE_URL";
pub const TEST_REDIS_URL: &str = "ATELIER_TEST_REDIS_URL";
pub const TEST_PG_BIN_DIR: &str = "ATELIER_PG_BIN_DIR";

const OPENAPI_FILE: &str = "openapi/openapi.json";

/// What a crate's dependency tree (normal and build edges) must not contain. A name matches a
/// rule when it equals it or starts with it followed by `-` or `_` (`tokio` matches
/// `tokio-postgres`).
const DEPENDENCY_RULES: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "diesel", "actix", "redis", "deadpool", "tokio", "mio", "hyper", "reqwest", "postgres",
            "utoipa",
        ],
    ),
    (
        "ports",
        &["diesel", "actix", "redis", "deadpool", "postgres", "utoipa"],
    ),
    (
        "app",
        &["diesel", "actix", "redis", "deadpool", "postgres", "utoipa"],
    ),
];

#[derive(clap::Args)]
pub struct Args {
    /// Only the test suite (and the services it needs): no fmt, clippy or dependency rules.
    #[arg(long)]
    no_lint: bool,
    /// Passed to `cargo test`, e.g. `-- --exact name` or `-p api`.
    #[arg(last = true)]
    cargo_test_args: Vec<String>,
}

struct Outcome {
    name: &'static str,
    passed: bool,
    note: String,
    seconds: f64,
}

pub fn test(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut outcomes = Vec::new();
    let mut step = |name: &'static str, check: &mut dyn FnMut() -> anyhow::Result<String>| {
        eprintln!("\n==> {name}");
        let began = Instant::now();
        let result = check();
        if let Err(error) = &result {
            eprintln!("xtask: {name} failed: {error:#}");
        }
        let passed = result.is_ok();
        outcomes.push(Outcome {
            name,
            passed,
            note: result.unwrap_or_else(|error| error.to_string()),
            seconds: began.elapsed().as_secs_f64(),
        });
    };

    if !args.no_lint {
        step("fmt", &mut || {
            succeed(cargo().args(["fmt", "--all", "--", "--check"]))
        });
        step("clippy", &mut || {
            succeed(cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        });
        step("deps", &mut dependency_rules);
    }
    let mut stack = None;
    step("services", &mut || {
        let started = Stack::start(Profile::Test)?;
        sweep_test_databases(&started)?;
        let note = format!("{}, {}", started.database_admin_url, started.redis_url);
        stack = Some(started);
        Ok(note)
    });
    let mut suite_ran = false;
    if let Some(stack) = &stack {
        step("tests", &mut || {
            suite_ran = true;
            run_test_suite(stack, &args.cargo_test_args)
        });
    }
    drop(stack);
    let built = util::target_dir().join("debug/atelier");
    let binary = (suite_ran && built.is_file()).then_some(built.as_path());
    step("openapi", &mut || openapi_drift(binary));

    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| o.name)
        .collect();
    let details: Vec<String> = outcomes
        .iter()
        .map(|o| {
            let verdict = if o.passed { "ok" } else { "FAILED" };
            let note = if o.note.is_empty() || o.name == "services" {
                String::new()
            } else {
                format!(": {}", o.note)
            };
            format!("{} {verdict}{note} ({:.1}s)", o.name, o.seconds)
        })
        .collect();
    let verdict = if failed.is_empty() {
        "ok".to_owned()
    } else {
        format!("FAILED ({})", failed.join(", "))
    };
    println!(
        "\nxtask test: {verdict} — {}; {:.0}s in all",
        details.join(", "),
        started.elapsed().as_secs_f64()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        std::process::exit(1)
    }
}

fn succeed(cmd: &mut Command) -> anyhow::Result<String> {
    if util::run(cmd)?.success() {
        Ok(String::new())
    } else {
        bail!("exited with an error")
    }
}

fn dependency_rules() -> anyhow::Result<String> {
    let mut violations = Vec::new();
    for (krate, forbidden) in DEPENDENCY_RULES {
        let output = cargo()
            .args([
                "tree",
                "--quiet",
                "--package",
                krate,
                "--edges",
                "normal,build",
            ])
            .args(["--prefix", "none", "--format", "{p}"])
            .output()?;
        if !output.status.success() {
            bail!(
                "cargo tree -p {krate}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let mut found: Vec<&str> = tree
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .filter(|name| forbidden.iter().any(|rule| matches_rule(name, rule)))
            .collect();
        found.sort_unstable();
        found.dedup();
        for name in found {
            violations.push(format!(
                "{krate} depends on {name} (see `cargo tree -p {krate} -i {name}`)"
            ));
        }
    }
    if violations.is_empty() {
        Ok(format!("{} crates clean", DEPENDENCY_RULES.len()))
    } else {
        bail!("{}", violations.join("; "))
    }
}

fn matches_rule(name: &str, rule: &str) -> bool {
    name.strip_prefix(rule)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('-') || rest.starts_with('_'))
}

/// Test databases left by a run that was killed before its tests could drop them.
fn sweep_test_databases(stack: &Stack) -> anyhow::Result<()> {
    let leftovers = stack.psql(
        "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname LIKE 'atelier\\_test\\_%'",
    )?;
    for name in leftovers.split_whitespace() {
        stack.psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    }
    Ok(())
}

/// `cargo test` over the workspace, its output passed through and its counts summed.
fn run_test_suite(stack: &Stack, extra: &[String]) -> anyhow::Result<String> {
    let mut child = cargo()
        .args(["test", "--workspace", "--no-fail-fast"])
        .args(extra)
        .env(TEST_DATABASE_URL, &stack.database_admin_url)
        .env(TEST_REDIS_URL, &stack.redis_url)
        .env(TEST_PG_BIN_DIR, &stack.pg_bin)
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo test")?;
    let (mut passed, mut failed, mut ignored) = (0u64, 0u64, 0u64);
    let stdout = child.stdout.take().context("cargo test's output")?;
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        if let Some(counts) = line.trim().strip_prefix("test result: ") {
            for part in counts.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let number: u64 = number.parse().unwrap_or(0);
                match label {
                    "passed" => passed += number,
                    "failed" => failed += number,
                    "ignored" => ignored += number,
                    _ => {}
                }
            }
        }
    }
    let status = child.wait()?;
    let summary = format!("{passed} passed, {failed} failed, {ignored} ignored");
    if !status.success() || failed > 0 {
        bail!("{summary}");
    }
    if ignored > 0 {
        bail!("{summary}: no test may be ignored");
    }
    Ok(summary)
}

/// The document the code generates: from `binary` when given (the one the test suite just
/// built, saving a second build with other features), else through `cargo run`.
fn generated_openapi(binary: Option<&Path>) -> anyhow::Result<String> {
    let mut cmd = match binary {
        Some(binary) => Command::new(binary),
        None => {
            let mut cmd = cargo();
            cmd.args([
                "run",
                "--quiet",
                "--package",
                "api",
                "--bin",
                "atelier",
                "--",
            ]);
            cmd
        }
    };
    let output = cmd
        .arg("openapi")
        .stderr(Stdio::inherit())
        .output()
        .context("running `atelier openapi`")?;
    if !output.status.success() {
        bail!("`atelier openapi` failed");
    }
    Ok(String::from_utf8(output.stdout)?)
}

fn openapi_drift(binary: Option<&Path>) -> anyhow::Result<String> {
    let generated = generated_openapi(binary)?;
    let path = util::workspace_root().join(OPENAPI_FILE);
    let committed = fs::read_to_string(&path).unwrap_or_default();
    if generated != committed {
        bail!("{OPENAPI_FILE} differs from the code: run `cargo xtask openapi` and commit it");
    }
    Ok(String::new())
}

pub fn write_openapi() -> anyhow::Result<()> {
    let generated = generated_openapi(None)?;
    let path = util::workspace_root().join(OPENAPI_FILE);
    fs::write(&path, generated).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {OPENAPI_FILE}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::matches_rule;

    #[test]
    fn rules_match_whole_names_and_their_families() {
        assert!(matches_rule("tokio", "tokio"));
        assert!(matches_rule("tokio-postgres", "tokio"));
        assert!(matches_rule("diesel_migrations", "diesel"));
        assert!(!matches_rule("tokionese", "tokio"));
        assert!(!matches_rule("chrono", "tokio"));
    }
}
