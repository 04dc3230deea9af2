use std::time::Duration;

use deadpool::Runtime;
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};

use crate::error;

pub type PgPool = Pool<AsyncPgConnection>;
pub(crate) type PgConn = Object<AsyncPgConnection>;

#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_size: usize,
    /// Longest wait for a connection: for a free slot, to connect, or to check an idle one.
    pub timeout: Duration,
}

/// Builds a pool without connecting: the first query connects, so the server starts (and
/// reports itself not ready) while PostgreSQL is still down.
pub fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<PgPool> {
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Ok(Pool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.timeout))
        .create_timeout(Some(settings.timeout))
        .recycle_timeout(Some(settings.timeout))
        .runtime(Runtime::Tokio1)
        .build()?)
}

pub(crate) async fn get(pool: &PgPool) -> Result<PgConn, ports::InfraError> {
    pool.get().await.map_err(error::from_pool)
}
