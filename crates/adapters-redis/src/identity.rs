//! Sessions: `session:<token hash>` holds the session as JSON and expires with it;
//! `user:<id>:sessions` is the set of an account's token hashes, so all of them can be revoked.
//! Revoking all is a Lua script, atomic against sessions being added meanwhile. (Under Redis
//! Cluster the two keys would need a common hash tag.)

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_redis::redis::{self, AsyncCommands};
use domain::identity::session::Session;
use domain::identity::user::UserId;
use ports::InfraError;
use ports::identity::SessionStore;
use serde::{Deserialize, Serialize};

use crate::error::{from_pool, from_redis};
use crate::{Keyspace, RedisPool};

pub struct RedisSessionStore {
    pool: RedisPool,
    keys: Keyspace,
}

impl RedisSessionStore {
    pub fn new(pool: RedisPool, keys: Keyspace) -> Self {
        Self { pool, keys }
    }

    fn session_key(&self, token_hash: &str) -> String {
        self.keys.key(&["session", token_hash])
    }

    fn index_key(&self, user_id: UserId) -> String {
        self.keys.key(&["user", &user_id.to_string(), "sessions"])
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    user_id: UserId,
    terminal: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl From<&Session> for Stored {
    fn from(s: &Session) -> Self {
        Self {
            user_id: s.user_id,
            terminal: s.terminal.clone(),
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        }
    }
}

impl From<Stored> for Session {
    fn from(s: Stored) -> Self {
        Self {
            user_id: s.user_id,
            terminal: s.terminal,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        }
    }
}

fn decode(json: &str) -> Result<Session, InfraError> {
    serde_json::from_str::<Stored>(json)
        .map(Into::into)
        .map_err(|e| InfraError::Unknown(e.into()))
}

const REVOKE_ALL: &str = r"
local members = redis.call('SMEMBERS', KEYS[1])
local revoked = 0
for _, hash in ipairs(members) do
  if hash ~= ARGV[2] then
    revoked = revoked + redis.call('DEL', ARGV[1] .. hash)
    redis.call('SREM', KEYS[1], hash)
  end
end
return revoked
";

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn save(&self, token_hash: &str, session: &Session) -> Result<(), InfraError> {
        let json = serde_json::to_string(&Stored::from(session))
            .map_err(|e| InfraError::Unknown(e.into()))?;
        let expires = session.expires_at.timestamp();
        let index = self.index_key(session.user_id);
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        // The index outlives its longest session: NX sets an expiry where there is none, GT
        // moves it only later.
        let _: () = redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(self.session_key(token_hash))
            .arg(json)
            .arg("EXAT")
            .arg(expires)
            .ignore()
            .sadd(&index, token_hash)
            .ignore()
            .cmd("EXPIREAT")
            .arg(&index)
            .arg(expires)
            .arg("NX")
            .ignore()
            .cmd("EXPIREAT")
            .arg(&index)
            .arg(expires)
            .arg("GT")
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(())
    }

    async fn find(&self, token_hash: &str) -> Result<Option<Session>, InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let json: Option<String> = conn
            .get(self.session_key(token_hash))
            .await
            .map_err(from_redis)?;
        json.as_deref().map(decode).transpose()
    }

    async fn list(&self, user_id: UserId) -> Result<Vec<(String, Session)>, InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let hashes: Vec<String> = conn
            .smembers(self.index_key(user_id))
            .await
            .map_err(from_redis)?;
        if hashes.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = hashes.iter().map(|h| self.session_key(h)).collect();
        let sessions: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .map_err(from_redis)?;
        hashes
            .into_iter()
            .zip(sessions)
            .filter_map(|(hash, json)| json.map(|json| decode(&json).map(|s| (hash, s))))
            .collect()
    }

    async fn revoke(&self, token_hash: &str, user_id: UserId) -> Result<(), InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let _: () = redis::pipe()
            .atomic()
            .del(self.session_key(token_hash))
            .ignore()
            .srem(self.index_key(user_id), token_hash)
            .ignore()
            .query_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(())
    }

    async fn revoke_all(&self, user_id: UserId, except: Option<&str>) -> Result<u64, InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let revoked: u64 = redis::Script::new(REVOKE_ALL)
            .key(self.index_key(user_id))
            .arg(self.session_key(""))
            .arg(except.unwrap_or(""))
            .invoke_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(revoked)
    }
}
