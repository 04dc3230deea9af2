//! The schema's history (`migrations/` at the workspace root), embedded in the binary.
//!
//! Diesel's harness is synchronous; [`Migrator`] drives it through
//! `AsyncConnectionWrapper`, which blocks on the async connection. Call its methods from
//! `spawn_blocking` or a plain thread (as [`run_pending`] does), never from an async task:
//! `AsyncMigrationHarness` panics under actix's runtime.

use anyhow::{Context, anyhow};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Key of the advisory lock that makes replicas starting together migrate one at a time.
const LOCK_KEY: i64 = 0x6174_656c_6965_7201;

/// The embedded migrations' versions, oldest first, as [`Migrator`] reports them.
pub fn versions() -> anyhow::Result<Vec<String>> {
    let migrations = diesel::migration::MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .map_err(|e| anyhow!(e))?;
    let mut versions: Vec<String> = migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    versions.sort();
    Ok(versions)
}

/// Applies every pending migration and returns the versions it applied.
pub async fn run_pending(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || Migrator::connect(&url)?.run_pending())
        .await
        .context("the migration task panicked")?
}

/// A blocking connection that applies and reverts migrations.
pub struct Migrator {
    conn: AsyncConnectionWrapper<AsyncPgConnection>,
}

impl Migrator {
    pub fn connect(database_url: &str) -> anyhow::Result<Self> {
        let conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(database_url)
            .context("could not connect to PostgreSQL to migrate")?;
        Ok(Self { conn })
    }

    /// Applies every pending migration, holding an advisory lock so that concurrent callers
    /// take turns; the second finds nothing left to do.
    pub fn run_pending(&mut self) -> anyhow::Result<Vec<String>> {
        self.advisory_lock("pg_advisory_lock")?;
        let applied = self
            .conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| anyhow!(e).context("a migration failed"));
        self.advisory_lock("pg_advisory_unlock")?;
        applied
    }

    /// Applies the oldest pending migration.
    pub fn run_next(&mut self) -> anyhow::Result<String> {
        let pending = self
            .conn
            .pending_migrations(MIGRATIONS)
            .map_err(|e| anyhow!(e))?;
        let next = pending.first().context("no pending migration")?;
        self.conn
            .run_migration(next)
            .map(|version| version.to_string())
            .map_err(|e| anyhow!(e).context(format!("migration {} failed", next.name())))
    }

    /// Reverts the newest applied migration.
    pub fn revert_last(&mut self) -> anyhow::Result<String> {
        self.conn
            .revert_last_migration(MIGRATIONS)
            .map(|version| version.to_string())
            .map_err(|e| anyhow!(e).context("reverting the last migration failed"))
    }

    /// Versions applied to this database, oldest first.
    pub fn applied(&mut self) -> anyhow::Result<Vec<String>> {
        let mut versions: Vec<String> = self
            .conn
            .applied_migrations()
            .map_err(|e| anyhow!(e))?
            .iter()
            .map(ToString::to_string)
            .collect();
        versions.sort();
        Ok(versions)
    }

    fn advisory_lock(&mut self, function: &str) -> anyhow::Result<()> {
        diesel::sql_query(format!("SELECT {function}($1)"))
            .bind::<BigInt, _>(LOCK_KEY)
            .execute(&mut self.conn)
            .with_context(|| format!("{function} failed"))?;
        Ok(())
    }
}
