//! The statements the server sends PostgreSQL for one order, read from PostgreSQL's own log
//! with `log_statement = 'all'` switched on around one request of each kind, and compared
//! with the pgbench script so the script cannot silently drift from the server.
//!
//! Statements are compared by their *shape*: the verb, the table and a row lock (`SELECT
//! products`, `UPDATE store_inventory`, `SELECT orders FOR UPDATE`), which is what the script
//! must match one for one; its parameters come from pgbench variables instead.

use std::fs;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};

use super::super::harness::Psql;

/// A statement the server ran: its text as logged, the backend (process id) that ran it, and
/// the number of its prepared statement (`execute s42: ...`: tokio-postgres numbers them across
/// the process, so the same text under another number on the same backend means the statement
/// was prepared again, at the cost of a round trip and a plan).
#[derive(Debug, Clone)]
pub struct Logged {
    pub sql: String,
    pub backend: Option<u32>,
    pub prepared: Option<u64>,
}

impl Logged {
    pub fn shape(&self) -> String {
        shape(&self.sql)
    }
}

/// Runs `during` with every statement logged and returns the statements logged meanwhile
/// (those of `psql` switching the logging on and off left out).
pub async fn statements_of<F: Future<Output = anyhow::Result<()>>>(
    psql: &Psql,
    log: &Path,
    during: F,
) -> anyhow::Result<Vec<Logged>> {
    let start = fs::metadata(log)
        .with_context(|| format!("PostgreSQL's log {}", log.display()))?
        .len();
    psql.run("ALTER SYSTEM SET log_statement = 'all'")?;
    psql.run("SELECT pg_reload_conf()")?;
    // The postmaster passes the reload on to the backends; each takes it before its next query.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outcome = during.await;
    psql.run("ALTER SYSTEM RESET log_statement")?;
    psql.run("SELECT pg_reload_conf()")?;
    outcome?;
    let mut file = fs::File::open(log)?;
    file.seek(SeekFrom::Start(start))?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(parse_log(&text)
        .into_iter()
        .filter(|s| !s.sql.starts_with("ALTER SYSTEM") && !s.sql.contains("pg_reload_conf()"))
        .collect())
}

/// The statements in a stretch of PostgreSQL's log (default `log_line_prefix`): `LOG:
/// statement: ...` for the simple protocol, `LOG:  execute <name>: ...` for prepared ones,
/// continued on lines starting with a tab.
fn parse_log(text: &str) -> Vec<Logged> {
    let mut statements: Vec<Logged> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix('\t') {
            if open && let Some(last) = statements.last_mut() {
                last.sql.push('\n');
                last.sql.push_str(rest);
            }
            continue;
        }
        open = false;
        let Some((prefix, message)) = line.split_once(" LOG:  ") else {
            continue;
        };
        // The default `log_line_prefix`, `%m [%p] `: the time, then the backend's process id.
        let backend = prefix
            .rsplit_once('[')
            .and_then(|(_, pid)| pid.trim_end().strip_suffix(']')?.parse().ok());
        let (sql, prepared) = if let Some(sql) = message.strip_prefix("statement: ") {
            (sql, None)
        } else if let Some(rest) = message.strip_prefix("execute ") {
            match rest.split_once(": ") {
                Some((name, sql)) => (sql, name.strip_prefix('s').and_then(|n| n.parse().ok())),
                None => continue,
            }
        } else {
            continue;
        };
        statements.push(Logged {
            sql: sql.to_owned(),
            backend,
            prepared,
        });
        open = true;
    }
    statements
}

/// The SQL statements of a pgbench script, without its comments and meta-commands, and
/// without the `\if :pay` ... `\endif` part unless `pay`; a statement ends with `;` or with
/// `\gset`.
pub fn script_statements(script: &str, pay: bool) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut skipping = false;
    for line in script.lines() {
        let line = line.trim();
        if line.starts_with("\\if :pay") {
            skipping = !pay;
        } else if line.starts_with("\\endif") {
            skipping = false;
        }
        if skipping || line.is_empty() || line.starts_with("--") || line.starts_with('\\') {
            continue;
        }
        let (text, ends) = match line.find("\\gset") {
            Some(at) => (line[..at].trim_end(), true),
            None => (line, line.ends_with(';')),
        };
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(text.trim_end_matches(';'));
        if ends {
            statements.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        statements.push(current);
    }
    statements
}

/// `VERB table [FOR UPDATE|FOR SHARE]`: what a statement does to which table.
pub fn shape(sql: &str) -> String {
    let words: Vec<String> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('"').to_ascii_uppercase())
        .collect();
    let verb = words.first().cloned().unwrap_or_default();
    let after = |keyword: &str| {
        words
            .iter()
            .position(|w| w == keyword)
            .and_then(|at| words.get(at + 1))
            .map(|table| {
                let table = table.rsplit('.').next().unwrap_or(table);
                table.trim_matches('"').to_ascii_lowercase()
            })
            .unwrap_or_default()
    };
    let table = match verb.as_str() {
        "SELECT" | "DELETE" => after("FROM"),
        "INSERT" => after("INTO"),
        "UPDATE" => after("UPDATE"),
        _ => String::new(),
    };
    let lock = words
        .windows(2)
        .find(|w| w[0] == "FOR" && matches!(w[1].as_str(), "UPDATE" | "SHARE"))
        .map(|w| format!(" FOR {}", w[1]))
        .unwrap_or_default();
    let table = if table.is_empty() {
        String::new()
    } else {
        format!(" {table}")
    };
    format!("{verb}{table}{lock}")
}

/// The statements of `again` that were prepared again: run before (in `before`, or earlier in
/// `again`) by the same backend with the same text under another prepared statement. Those the
/// server prepares afresh every time (outside diesel's statement cache); a statement that
/// backend had not run before is not counted, since a connection prepares everything once.
pub fn prepared_afresh<'a>(before: &[Logged], again: &'a [Logged]) -> Vec<&'a Logged> {
    again
        .iter()
        .enumerate()
        .filter(|(at, statement)| {
            statement.prepared.is_some()
                && before.iter().chain(&again[..*at]).any(|earlier| {
                    earlier.backend == statement.backend
                        && earlier.sql == statement.sql
                        && earlier.prepared.is_some()
                        && earlier.prepared != statement.prepared
                })
        })
        .map(|(_, statement)| statement)
        .collect()
}

/// Fails, listing both, unless the logged statements and the script's have the same shapes
/// in the same order.
pub fn check_script(logged: &[Logged], script: &[String], what: &str) -> anyhow::Result<()> {
    let from_server: Vec<String> = logged.iter().map(Logged::shape).collect();
    let from_script: Vec<String> = script.iter().map(|s| shape(s)).collect();
    if from_server == from_script {
        return Ok(());
    }
    let width = from_server.len().max(from_script.len());
    let mut table = String::new();
    for i in 0..width {
        let server = from_server.get(i).map_or("", String::as_str);
        let scripted = from_script.get(i).map_or("", String::as_str);
        let mark = if server == scripted { " " } else { "≠" };
        table.push_str(&format!("  {mark} {server:<40} {scripted}\n"));
    }
    bail!(
        "the pgbench script is stale: the server ran {} statements for {what}, the script has {}.\n  \
         server (PostgreSQL's log)                  script\n{table}\
         Update xtask/src/bench/checkout/checkout.pgbench from the statements in \
         target/bench/checkout-statements.log.",
        from_server.len(),
        from_script.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_read_from_the_log_with_their_continuation_lines() {
        let log = "2026-01-01 00:00:00.000 UTC [12] LOG:  statement: BEGIN\n\
                   2026-01-01 00:00:00.001 UTC [12] LOG:  execute s3: SELECT \"a\".\"id\" FROM \"a\"\n\
                   \tWHERE x = $1\n\
                   2026-01-01 00:00:00.001 UTC [12] DETAIL:  parameters: $1 = '5'\n\
                   2026-01-01 00:00:00.002 UTC [12] LOG:  execute <unnamed>: UPDATE \"b\" SET y = 1\n\
                   2026-01-01 00:00:00.003 UTC [13] LOG:  checkpoint starting: time\n";
        let logged = parse_log(log);
        assert_eq!(
            logged.iter().map(|s| s.prepared).collect::<Vec<_>>(),
            [None, Some(3), None]
        );
        assert_eq!(
            logged.iter().map(|s| s.backend).collect::<Vec<_>>(),
            [Some(12), Some(12), Some(12)]
        );
        let sql: Vec<String> = logged.into_iter().map(|s| s.sql).collect();
        assert_eq!(
            sql,
            [
                "BEGIN",
                "SELECT \"a\".\"id\" FROM \"a\"\nWHERE x = $1",
                "UPDATE \"b\" SET y = 1"
            ]
        );
    }

    fn run(backend: u32, prepared: u64, sql: &str) -> Logged {
        Logged {
            sql: sql.to_owned(),
            backend: Some(backend),
            prepared: Some(prepared),
        }
    }

    #[test]
    fn a_statement_is_prepared_afresh_when_its_backend_ran_it_under_another_name() {
        let before = [
            run(7, 1, "SELECT a"),
            run(7, 2, "UPDATE b"),
            run(8, 3, "SELECT c"),
        ];
        let again = [
            run(7, 1, "SELECT a"), // kept: same name
            run(7, 4, "UPDATE b"), // prepared again
            run(9, 5, "SELECT c"), // another backend's first time: not counted
            run(9, 6, "UPDATE d"), // first time on 9
            run(9, 7, "UPDATE d"), // and again
        ];
        let afresh: Vec<Option<u64>> = prepared_afresh(&before, &again)
            .iter()
            .map(|s| s.prepared)
            .collect();
        assert_eq!(afresh, [Some(4), Some(7)]);
    }

    #[test]
    fn a_statement_has_the_shape_of_its_verb_table_and_lock() {
        assert_eq!(
            shape(
                "SELECT \"stores\".\"code\" FROM \"stores\" WHERE (\"stores\".\"id\" = $1) FOR SHARE"
            ),
            "SELECT stores FOR SHARE"
        );
        assert_eq!(
            shape("INSERT INTO \"orders\" (\"user_id\") VALUES ($1) RETURNING \"orders\".\"id\""),
            "INSERT orders"
        );
        assert_eq!(
            shape("UPDATE public.store_inventory SET x = 1"),
            "UPDATE store_inventory"
        );
        assert_eq!(shape("BEGIN"), "BEGIN");
    }

    #[test]
    fn script_statements_skip_meta_commands_and_end_at_gset() {
        let script = "\\set buyer random(1, 10)\n-- a comment\nBEGIN;\n\
                      UPDATE t SET x = x + 1\n  WHERE id = :buyer RETURNING x \\gset s_\nCOMMIT;\n";
        assert_eq!(
            script_statements(script, true),
            [
                "BEGIN",
                "UPDATE t SET x = x + 1 WHERE id = :buyer RETURNING x",
                "COMMIT"
            ]
        );
        let paying = "BEGIN;\n\\if :pay\nUPDATE w SET x = 1;\n\\endif\nCOMMIT;\n";
        assert_eq!(script_statements(paying, false), ["BEGIN", "COMMIT"]);
        assert_eq!(
            script_statements(paying, true),
            ["BEGIN", "UPDATE w SET x = 1", "COMMIT"]
        );
    }
}
