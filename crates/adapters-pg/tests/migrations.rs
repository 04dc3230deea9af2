//! Every `down.sql` undoes its `up.sql`: checked by comparing `pg_dump --schema-only` output.

use std::process::Command;

use adapters_pg::migrations::{self, Migrator};
use testkit::TestDatabase;

fn schema(db: &TestDatabase) -> String {
    let output = Command::new(testkit::env::pg_program("pg_dump"))
        .args(["--schema-only", "--no-owner", "--no-privileges"])
        .args(["--exclude-table", "__diesel_schema_migrations"])
        .arg(db.url())
        .output()
        .expect("running pg_dump (set ATELIER_PG_BIN_DIR if it is not on PATH)");
    assert!(
        output.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Recent pg_dump brackets its output with `\restrict <random key>`; the key differs each run.
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("\\restrict") && !line.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs blocking migration steps off the async runtime.
async fn with_migrator<T: Send + 'static>(
    db: &TestDatabase,
    f: impl FnOnce(&mut Migrator) -> T + Send + 'static,
) -> T {
    let url = db.url().to_owned();
    tokio::task::spawn_blocking(move || f(&mut Migrator::connect(&url).unwrap()))
        .await
        .unwrap()
}

#[tokio::test]
async fn each_down_undoes_its_up_and_up_again_gives_the_same_schema() {
    let db = TestDatabase::empty().await;
    let versions = migrations::versions().unwrap();
    assert!(!versions.is_empty());
    // Let diesel create its bookkeeping table, so that it is not part of the difference.
    with_migrator(&db, |m| m.applied().unwrap()).await;

    for name in &versions {
        let before = schema(&db);
        let applied = with_migrator(&db, |m| m.run_next().unwrap()).await;
        assert_eq!(&applied, name);
        let after_up = schema(&db);
        assert_ne!(before, after_up, "{name}: up.sql changed nothing");

        with_migrator(&db, |m| m.revert_last().unwrap()).await;
        assert_eq!(schema(&db), before, "{name}: down.sql does not undo up.sql");

        with_migrator(&db, |m| m.run_next().unwrap()).await;
        assert_eq!(
            schema(&db),
            after_up,
            "{name}: up.sql after down.sql differs"
        );
    }

    // The whole history, reverted from the top and applied again.
    let full = schema(&db);
    let reverted = with_migrator(&db, |m| {
        let mut reverted = Vec::new();
        while !m.applied().unwrap().is_empty() {
            reverted.push(m.revert_last().unwrap());
        }
        reverted
    })
    .await;
    assert_eq!(reverted.len(), versions.len());
    let applied = with_migrator(&db, |m| m.run_pending().unwrap()).await;
    assert_eq!(applied.len(), versions.len());
    assert_eq!(schema(&db), full);
}

#[tokio::test]
async fn a_template_clone_has_every_migration() {
    let db = TestDatabase::new().await;
    let applied = with_migrator(&db, |m| m.applied().unwrap()).await;
    assert_eq!(applied.len(), migrations::versions().unwrap().len());
    let pending = with_migrator(&db, |m| m.run_pending().unwrap()).await;
    assert!(pending.is_empty());
}

#[tokio::test]
async fn replicas_migrating_at_once_take_turns() {
    let db = TestDatabase::empty().await;
    let url = db.url().to_owned();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { migrations::run_pending(&url).await })
        })
        .collect();
    let mut applied_counts = Vec::new();
    for run in runs {
        applied_counts.push(run.await.unwrap().unwrap().len());
    }
    applied_counts.sort_unstable();
    let total = migrations::versions().unwrap().len();
    assert_eq!(
        applied_counts,
        [0, 0, 0, total],
        "exactly one replica applies the migrations"
    );
}

#[test]
fn every_constraint_and_index_is_named_in_the_migrations() {
    // PostgreSQL names unnamed constraints itself (`..._fkey`, `..._check`); we name them, so
    // a migration that leaves one unnamed is caught here. Inline `PRIMARY KEY`, `UNIQUE`,
    // `REFERENCES` and `CHECK` are the unnamed forms.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path().join("up.sql");
        let sql = std::fs::read_to_string(&path).unwrap();
        for (number, line) in sql.lines().enumerate() {
            let code = line.split("--").next().unwrap().to_uppercase();
            let inline = [
                " PRIMARY KEY",
                " UNIQUE",
                " REFERENCES ",
                " CHECK ",
                " CHECK(",
            ]
            .iter()
            .any(|kw| code.contains(kw));
            let named = code.trim_start().starts_with("CONSTRAINT ")
                || code.contains(" CONSTRAINT ")
                || code.contains("CREATE UNIQUE INDEX");
            assert!(
                !inline || named,
                "{}:{}: name the constraint (CONSTRAINT <table>_<column>_<kind> ...): {line}",
                path.display(),
                number + 1
            );
            if code.contains("CREATE INDEX") || code.contains("CREATE UNIQUE INDEX") {
                let after = code.split("INDEX").nth(1).unwrap_or_default().trim_start();
                let first_word = after.split_whitespace().next().unwrap_or_default();
                assert!(
                    first_word != "ON" && !after.starts_with("CONCURRENTLY ON"),
                    "{}:{}: name the index: {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}
