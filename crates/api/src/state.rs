//! The use cases the handlers reach, built from the adapters: one state for each HTTP worker,
//! and one for start-up and the background tasks.
//!
//! Why not one state shared by every worker: each actix worker is a thread with a runtime of its
//! own, and a PostgreSQL or Redis connection is driven by a task on the runtime that opened it.
//! A pool shared by the workers hands a connection opened on one thread to a request on another,
//! and every statement then crosses threads twice (measured by `cargo xtask bench checkout`:
//! the server's CPU time an order fell by a tenth, and the rate rose by as much, with a pool per
//! worker). A worker's state opens its connections on its own thread and keeps them there.

use std::sync::Arc;
use std::time::Duration;

use adapters_pg::backoffice::{PgSentMessages, PgSettingsRepository};
use adapters_pg::catalog::{PgCategoryRepository, PgImageRepository, PgProductRepository};
use adapters_pg::finance::{PgPaymentRepository, PgWalletRepository};
use adapters_pg::identity::{
    PgAddressRepository, PgPasswordResetRepository, PgRoleRepository, PgUserRepository,
};
use adapters_pg::marketing::{PgCampaignRepository, PgCouponRepository};
use adapters_pg::ordering::{PgCartRepository, PgOrderRepository};
use adapters_pg::stores::{PgInventoryRepository, PgStoreRepository};
use adapters_pg::studio::schedule::PgScheduleRepository;
use adapters_pg::studio::{PgCustomerRepository, PgEmployeeRepository, PgRoomRepository};
use adapters_pg::studio::{PgPackageRepository, PgShootRepository, PgStudioReportRepository};
use adapters_redis::Keyspace;
use adapters_redis::cache::RedisCache;
use adapters_redis::idempotency::RedisIdempotencyStore;
use adapters_redis::identity::RedisSessionStore;
use adapters_redis::rate_limit::RedisRateCounter;
use app::backoffice::messages::MessagesService;
use app::backoffice::settings::SettingsService;
use app::cache::ReadCache;
use app::catalog::{Catalog, CatalogPorts};
use app::finance::{Finance, FinancePorts};
use app::health::Readiness;
use app::identity::{Identity, IdentityPorts};
use app::marketing::{Marketing, MarketingPorts};
use app::ordering::{Ordering, OrderingPorts};
use app::stores::{Stores, StoresPorts};
use app::studio::reports::{Reports, ReportsPorts};
use app::studio::schedule::{Scheduling, SchedulingPorts};
use app::studio::shoots::{Shoots, ShootsPorts};
use app::studio::{Studio, StudioPorts};
use domain::catalog::image::ImagePolicy;
use ports::clock::{Clock, SystemClock};

use crate::config::Config;
use crate::idempotency::Idempotency;

#[derive(Clone)]
pub struct AppState {
    pub settings: SettingsService,
    pub messages: MessagesService,
    pub identity: Identity,
    pub catalog: Catalog,
    pub stores: Stores,
    pub ordering: Ordering,
    pub finance: Finance,
    pub marketing: Marketing,
    pub shoots: Shoots,
    pub reports: Reports,
    pub studio: Studio,
    pub scheduling: Scheduling,
    pub readiness: Readiness,
    /// The records of requests made with an `Idempotency-Key`.
    pub idempotency: Idempotency,
    /// Whether to believe `Forwarded` / `X-Forwarded-For` for the client's address.
    pub trust_forwarded_for: bool,
}

/// What the outside world is, where a test needs another one.
#[derive(Clone)]
pub struct Dependencies {
    pub clock: Arc<dyn Clock>,
}

impl Default for Dependencies {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
        }
    }
}

/// The most connections one state's pools open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    pub postgres: usize,
    pub redis: usize,
}

impl Connections {
    /// Start-up and the background tasks (the expiry sweeper) do one thing at a time.
    pub const BACKGROUND: Self = Self {
        postgres: 2,
        redis: 2,
    };

    /// One worker's share of the pool sizes configured for the process.
    pub fn per_worker(config: &Config) -> Self {
        let workers = config.worker_threads();
        Self {
            postgres: config.db_pool_size.div_ceil(workers).max(1),
            redis: config.redis_pool_size.div_ceil(workers).max(1),
        }
    }
}

impl AppState {
    /// Wires the PostgreSQL and Redis adapters, with pools of at most `connections`. Connects
    /// lazily: nothing here fails because a dependency is down.
    pub fn build(
        config: &Config,
        dependencies: &Dependencies,
        connections: Connections,
    ) -> anyhow::Result<Self> {
        let timeout = config.dependency_timeout();
        let pg = adapters_pg::connect(
            &config.database_url,
            &adapters_pg::PoolSettings {
                max_size: connections.postgres,
                timeout,
            },
        )?;
        let redis = adapters_redis::connect(
            &config.redis_url,
            &adapters_redis::PoolSettings {
                max_size: connections.redis,
                timeout,
            },
        )?;
        let keys = Keyspace::new(&config.redis_key_prefix);
        let cache = ReadCache::new(
            Arc::new(RedisCache::new(redis.clone(), keys.clone())),
            Duration::from_secs(config.cache_ttl_secs),
        );
        let identity = Identity::new(
            IdentityPorts {
                users: Arc::new(PgUserRepository::new(pg.clone())),
                roles: Arc::new(PgRoleRepository::new(pg.clone())),
                resets: Arc::new(PgPasswordResetRepository::new(pg.clone())),
                addresses: Arc::new(PgAddressRepository::new(pg.clone())),
                sessions: Arc::new(RedisSessionStore::new(redis.clone(), keys.clone())),
                counters: Arc::new(RedisRateCounter::new(redis.clone(), keys.clone())),
                mailer: Arc::new(adapters_pg::mail::PgMailer::new(pg.clone())),
                clock: dependencies.clock.clone(),
            },
            config.identity_policy(),
        );
        let settings = SettingsService::new(
            Arc::new(PgSettingsRepository::new(pg.clone())),
            cache.clone(),
        );
        let catalog = Catalog::new(
            CatalogPorts {
                categories: Arc::new(PgCategoryRepository::new(pg.clone())),
                products: Arc::new(
                    PgProductRepository::new(pg.clone())
                        .with_search_candidates(config.search_candidate_limit),
                ),
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                inventory: Arc::new(PgInventoryRepository::new(pg.clone())),
                images: Arc::new(PgImageRepository::new(pg.clone())),
                media: crate::media::store(config)?,
            },
            settings.clone(),
            cache,
        )
        .with_image_policy(ImagePolicy {
            max_bytes: config.media_max_bytes,
        });
        let stores = Stores::new(
            StoresPorts {
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                inventory: Arc::new(PgInventoryRepository::new(pg.clone())),
                users: Arc::new(PgUserRepository::new(pg.clone())),
            },
            settings.clone(),
            catalog.clone(),
        );
        let marketing = Marketing::new(
            MarketingPorts {
                campaigns: Arc::new(PgCampaignRepository::new(pg.clone())),
                coupons: Arc::new(PgCouponRepository::new(pg.clone())),
                cart: Arc::new(PgCartRepository::new(pg.clone())),
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                clock: dependencies.clock.clone(),
            },
            settings.clone(),
        );
        let ordering = Ordering::new(
            OrderingPorts {
                cart: Arc::new(PgCartRepository::new(pg.clone())),
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                inventory: Arc::new(PgInventoryRepository::new(pg.clone())),
                products: Arc::new(PgProductRepository::new(pg.clone())),
                orders: Arc::new(PgOrderRepository::new(pg.clone())),
                addresses: Arc::new(PgAddressRepository::new(pg.clone())),
                users: Arc::new(PgUserRepository::new(pg.clone())),
                clock: dependencies.clock.clone(),
                payments: Arc::new(PgPaymentRepository::new(pg.clone())),
                provider: crate::payment_provider::provider(config)?,
                public_url: config.public_url(),
                tracking: crate::tracking_provider::provider(config)?,
                tracking_interval: Duration::from_secs(config.tracking_min_interval_secs),
            },
            settings.clone(),
            marketing.clone(),
        );
        let scheduling = Scheduling::new(SchedulingPorts {
            schedule: Arc::new(PgScheduleRepository::new(pg.clone())),
            stores: Arc::new(PgStoreRepository::new(pg.clone())),
            clock: dependencies.clock.clone(),
        });
        let finance = Finance::new(
            FinancePorts {
                wallets: Arc::new(PgWalletRepository::new(pg.clone())),
            },
            settings.clone(),
        );
        let shoots = Shoots::new(
            ShootsPorts {
                shoots: Arc::new(PgShootRepository::new(pg.clone())),
                customers: Arc::new(PgCustomerRepository::new(pg.clone())),
                packages: Arc::new(PgPackageRepository::new(pg.clone())),
                schedule: Arc::new(PgScheduleRepository::new(pg.clone())),
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                clock: dependencies.clock.clone(),
            },
            settings.clone(),
        );
        let studio = Studio::new(StudioPorts {
            customers: Arc::new(PgCustomerRepository::new(pg.clone())),
            employees: Arc::new(PgEmployeeRepository::new(pg.clone())),
            rooms: Arc::new(PgRoomRepository::new(pg.clone())),
            stores: Arc::new(PgStoreRepository::new(pg.clone())),
            users: Arc::new(PgUserRepository::new(pg.clone())),
        });
        let reports = Reports::new(
            ReportsPorts {
                reports: Arc::new(PgStudioReportRepository::new(pg.clone())),
                stores: Arc::new(PgStoreRepository::new(pg.clone())),
                clock: dependencies.clock.clone(),
            },
            settings.clone(),
        );
        let idempotency = Idempotency::new(
            Arc::new(RedisIdempotencyStore::new(redis.clone(), keys)),
            Duration::from_secs(config.idempotency_ttl_secs),
        )
        .with_max_body_bytes(config.json_limit_bytes);
        Ok(Self {
            settings,
            finance,
            idempotency,
            catalog,
            stores,
            ordering,
            marketing,
            shoots,
            reports,
            studio,
            scheduling,
            messages: MessagesService::new(Arc::new(PgSentMessages::new(pg.clone()))),
            identity,
            readiness: Readiness::new(
                vec![
                    Arc::new(adapters_pg::health::PgProbe::new(pg)),
                    Arc::new(adapters_redis::health::RedisProbe::new(redis)),
                ],
                timeout,
            ),
            trust_forwarded_for: config.trust_forwarded_for,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Connections;
    use crate::config::Config;

    fn config(db: usize, redis: usize, workers: usize) -> Config {
        let mut config = Config::new("postgres://db".to_owned(), "redis://redis".to_owned());
        config.db_pool_size = db;
        config.redis_pool_size = redis;
        config.workers = Some(workers);
        config
    }

    #[test]
    fn the_pools_are_shared_out_between_the_workers() {
        assert_eq!(
            Connections::per_worker(&config(16, 10, 2)),
            Connections {
                postgres: 8,
                redis: 5
            }
        );
        // Rounded up, and never none.
        assert_eq!(
            Connections::per_worker(&config(10, 1, 4)),
            Connections {
                postgres: 3,
                redis: 1
            }
        );
        assert_eq!(
            Connections::per_worker(&config(16, 16, 1)),
            Connections {
                postgres: 16,
                redis: 16
            }
        );
    }
}
