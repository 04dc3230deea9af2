use std::time::Duration;

use deadpool::Runtime;
use deadpool::managed::QueueMode;
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};

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
///
/// A connection going back into use is not checked with a query (one round trip on every use,
/// eleven an order): it is dropped when its transaction state is broken or its socket has closed
/// (PostgreSQL restarted, a network cut noticed), and a query on a connection that died unnoticed
/// fails as unavailable (503) and takes the connection out of the pool.
///
/// The connection used last is handed out first, so under a light load the same few stay busy
/// (and their backends' caches warm) while the rest sit idle.
pub fn connect(url: &str, settings: &PoolSettings) -> anyhow::Result<PgPool> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config);
    Ok(Pool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.timeout))
        .create_timeout(Some(settings.timeout))
        .recycle_timeout(Some(settings.timeout))
        .runtime(Runtime::Tokio1)
        .queue_mode(QueueMode::Lifo)
        .build()?)
}

pub(crate) async fn get(pool: &PgPool) -> Result<PgConn, ports::InfraError> {
    pool.get().await.map_err(error::from_pool)
}
