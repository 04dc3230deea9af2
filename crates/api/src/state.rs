//! The use cases the handlers reach, built once from the adapters and shared by every worker.

use std::sync::Arc;

use app::backoffice::settings::SettingsService;
use app::health::Readiness;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub settings: SettingsService,
    pub readiness: Readiness,
}

impl AppState {
    /// Wires the PostgreSQL and Redis adapters. Connects lazily: nothing here fails because a
    /// dependency is down.
    pub fn build(config: &Config) -> anyhow::Result<Self> {
        let timeout = config.dependency_timeout();
        let pg = adapters_pg::connect(
            &config.database_url,
            &adapters_pg::PoolSettings {
                max_size: config.db_pool_size,
                timeout,
            },
        )?;
        let redis = adapters_redis::connect(
            &config.redis_url,
            &adapters_redis::PoolSettings {
                max_size: config.redis_pool_size,
                timeout,
            },
        )?;
        Ok(Self {
            settings: SettingsService::new(Arc::new(
                adapters_pg::backoffice::PgSettingsRepository::new(pg.clone()),
            )),
            readiness: Readiness::new(
                vec![
                    Arc::new(adapters_pg::health::PgProbe::new(pg)),
                    Arc::new(adapters_redis::health::RedisProbe::new(redis)),
                ],
                timeout,
            ),
        })
    }
}
