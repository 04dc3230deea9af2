use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamptz};
use diesel_async::{AsyncConnection, RunQueryDsl};
use domain::identity::password_reset::ResetToken;
use domain::identity::user::UserId;
use ports::InfraError;
use ports::identity::PasswordResetRepository;

use crate::error::{TxError, from_diesel};
use crate::pool::{self, PgPool};
use crate::schema::{password_reset_tokens as tokens, users};

pub struct PgPasswordResetRepository {
    pool: PgPool,
}

impl PgPasswordResetRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl PasswordResetRepository for PgPasswordResetRepository {
    async fn replace(
        &self,
        user_id: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        // One statement against the partial unique index, so concurrent requests for one
        // account cannot leave two live tokens (diesel's DSL cannot name an index predicate).
        diesel::sql_query(
            "INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) \
             VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) WHERE used_at IS NULL \
             DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at, \
                           created_at = now()",
        )
        .bind::<BigInt, _>(user_id)
        .bind::<Text, _>(token_hash)
        .bind::<Timestamptz, _>(expires_at)
        .execute(&mut conn)
        .await
        .map_err(from_diesel)?;
        Ok(())
    }

    async fn find(&self, token_hash: &str) -> Result<Option<ResetToken>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<(i64, DateTime<Utc>, Option<DateTime<Utc>>)> = tokens::table
            .filter(tokens::token_hash.eq(token_hash))
            .select((tokens::user_id, tokens::expires_at, tokens::used_at))
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        Ok(row.map(|(user_id, expires_at, used_at)| ResetToken {
            user_id,
            expires_at,
            used_at,
        }))
    }

    async fn redeem(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<UserId>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<InfraError>, _>(async |conn| {
            // The row lock taken here makes a second, concurrent redemption wait, then find
            // the token used.
            let user_id: Option<i64> = diesel::update(
                tokens::table
                    .filter(tokens::token_hash.eq(token_hash))
                    .filter(tokens::used_at.is_null())
                    .filter(tokens::expires_at.gt(now)),
            )
            .set(tokens::used_at.eq(now))
            .returning(tokens::user_id)
            .get_result(conn)
            .await
            .optional()?;
            let Some(user_id) = user_id else {
                return Ok(None);
            };
            diesel::update(
                users::table
                    .filter(users::id.eq(user_id))
                    .filter(users::deleted_at.is_null()),
            )
            .set(users::password_hash.eq(password_hash))
            .execute(conn)
            .await?;
            Ok(Some(user_id))
        })
        .await
        .map_err(TxError::into_port)
    }
}
