use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use adapters_pg::migrations::Migrator;
use anyhow::Context;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use tokio::sync::OnceCell;
use url::Url;

use crate::env;

/// Serialises template builds between test processes.
const TEMPLATE_LOCK: i64 = 0x6174_656c_6965_7202;

/// A database of one test's own, dropped (connections and all) when this value is.
#[derive(Debug)]
pub struct TestDatabase {
    name: String,
    url: Url,
}

impl TestDatabase {
    /// A database with every migration applied, cloned from the template.
    pub async fn new() -> Self {
        let template = template().await;
        Self::create(&format!("TEMPLATE {template}")).await
    }

    /// A database without any migration applied.
    pub async fn empty() -> Self {
        Self::create("").await
    }

    async fn create(clause: &str) -> Self {
        let name = format!("atelier_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = admin().await;
        admin
            .batch_execute(&format!("CREATE DATABASE {name} {clause}"))
            .await
            .unwrap_or_else(|e| panic!("creating {name}: {e}"));
        let url = url_of(&name);
        Self { name, url }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn url(&self) -> &str {
        self.url.as_str()
    }

    pub async fn connect(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(self.url())
            .await
            .unwrap_or_else(|e| panic!("connecting to {}: {e}", self.name))
    }

    /// Runs SQL statements, for arranging a test.
    pub async fn execute(&self, sql: &str) {
        self.connect()
            .await
            .batch_execute(sql)
            .await
            .unwrap_or_else(|e| panic!("running {sql:?}: {e}"));
    }

    /// Runs SQL statements that the database must refuse, and returns its error message.
    pub async fn refused(&self, sql: &str) -> String {
        match self.connect().await.batch_execute(sql).await {
            Ok(()) => panic!("{sql:?} was accepted"),
            Err(error) => error.to_string(),
        }
    }

    /// How many rows `table` has.
    pub async fn count(&self, table: &str) -> i64 {
        let count = self
            .query_text(&format!("SELECT count(*) FROM {table}"))
            .await;
        count
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("counting {table}"))
    }

    /// The first column of the first row of a query, as text.
    pub async fn query_text(&self, sql: &str) -> Option<String> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
            value: Option<String>,
        }
        let wrapped = format!("SELECT ({sql})::text AS value");
        let rows: Vec<Row> = diesel::sql_query(&wrapped)
            .load(&mut self.connect().await)
            .await
            .unwrap_or_else(|e| panic!("running {wrapped:?}: {e}"));
        rows.into_iter().next().and_then(|row| row.value)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop cannot await, and may run inside a runtime: do it on a thread of its own.
        let outcome = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("starting a runtime")?
                .block_on(async { admin().await.batch_execute(&sql).await })
                .context("dropping the test database")
        })
        .join();
        if let Ok(Err(error)) = outcome {
            // Not fatal for the test; `cargo xtask test` sweeps leftovers on its next run.
            report(&error);
        }
    }
}

#[allow(
    clippy::print_stderr,
    reason = "a test harness reporting to the test's output"
)]
fn report(error: &anyhow::Error) {
    eprintln!("testkit: {error:#}");
}

fn url_of(database: &str) -> Url {
    let mut url = env::database_url();
    url.set_path(&format!("/{database}"));
    url
}

async fn admin() -> AsyncPgConnection {
    let url = env::database_url();
    AsyncPgConnection::establish(url.as_str())
        .await
        .unwrap_or_else(|e| panic!("connecting to the test PostgreSQL at {url}: {e}"))
}

/// The name of a database holding every migration, built once per migration set.
async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            build_template()
                .await
                .unwrap_or_else(|e| panic!("building the template database: {e:#}"))
        })
        .await
}

async fn build_template() -> anyhow::Result<String> {
    let name = format!("atelier_template_{:016x}", migrations_fingerprint()?);
    let mut admin = admin().await;
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<BigInt, _>(TEMPLATE_LOCK)
        .execute(&mut admin)
        .await?;
    let built = async {
        if database_exists(&mut admin, &name).await? {
            return Ok(());
        }
        // Built under another name and renamed when complete, so that a run which dies halfway
        // never leaves a template that looks finished.
        let building = format!("{name}_building");
        for statement in [
            format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            format!("CREATE DATABASE {building}"),
        ] {
            admin.batch_execute(&statement).await?;
        }
        let url = url_of(&building).to_string();
        tokio::task::spawn_blocking(move || Migrator::connect(&url)?.run_pending()).await??;
        admin
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await?;
        anyhow::Ok(())
    }
    .await;
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(TEMPLATE_LOCK)
        .execute(&mut admin)
        .await?;
    built.map(|()| name)
}

async fn database_exists(admin: &mut AsyncPgConnection, name: &str) -> anyhow::Result<bool> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    let found: Count =
        diesel::sql_query("SELECT count(*) AS count FROM pg_database WHERE datname = $1")
            .bind::<Text, _>(name)
            .get_result(admin)
            .await?;
    Ok(found.count > 0)
}

/// Changes whenever a migration is added, removed or edited, so a stale template is never used.
fn migrations_fingerprint() -> anyhow::Result<u64> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let migration = entry?.path();
        if migration.is_dir() {
            let name = migration
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            for file in ["up.sql", "down.sql"] {
                let text = std::fs::read(migration.join(file)).unwrap_or_default();
                files.push((format!("{name}/{file}"), text));
            }
        }
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    Ok(hasher.finish())
}
