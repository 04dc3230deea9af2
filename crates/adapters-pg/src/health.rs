use async_trait::async_trait;
use diesel_async::RunQueryDsl;
use ports::health::DependencyProbe;

use crate::pool::{self, PgPool};

/// Ready when a pooled connection answers `SELECT 1`.
pub struct PgProbe {
    pool: PgPool,
}

impl PgProbe {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl DependencyProbe for PgProbe {
    fn name(&self) -> &'static str {
        "postgres"
    }

    async fn check(&self) -> anyhow::Result<()> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }
}
