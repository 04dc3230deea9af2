//! Idempotency records: `idempotency:<scope hash>` holds, as JSON, either the claim of the
//! running request (its token and fingerprint, expiring with the lease) or the finished
//! request's response (expiring with the record's time to live). Claiming, completing and
//! releasing are Lua scripts, each atomic: one of many concurrent claims wins, and only the
//! holder of a claim replaces or removes it.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use deadpool_redis::redis;
use ports::InfraError;
use ports::idempotency::{Claim, IdempotencyStore, StoredResponse};
use serde::{Deserialize, Serialize};

use crate::error::{from_pool, from_redis};
use crate::{Keyspace, RedisPool};

pub struct RedisIdempotencyStore {
    pool: RedisPool,
    keys: Keyspace,
    claim: redis::Script,
    complete: redis::Script,
    release: redis::Script,
}

impl RedisIdempotencyStore {
    pub fn new(pool: RedisPool, keys: Keyspace) -> Self {
        Self {
            pool,
            keys,
            claim: redis::Script::new(CLAIM),
            complete: redis::Script::new(COMPLETE),
            release: redis::Script::new(RELEASE),
        }
    }

    fn key(&self, key: &str) -> String {
        self.keys.key(&["idempotency", key])
    }
}

/// Returns the record there, or sets ARGV[1] for ARGV[2] ms and returns nil.
const CLAIM: &str = r"
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
";

/// Replaces the claim with token ARGV[1] with ARGV[2] for ARGV[3] ms; sets it where the
/// claim lapsed and no other request came.
const COMPLETE: &str = r"
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
";

/// Deletes the claim with token ARGV[1].
const RELEASE: &str = r"
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

#[derive(Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    Running {
        token: String,
        fingerprint: String,
    },
    Done {
        fingerprint: String,
        status: u16,
        content_type: Option<String>,
        location: Option<String>,
        /// Base64.
        body: String,
    },
}

fn encode(record: &Record) -> Result<String, InfraError> {
    serde_json::to_string(record).map_err(|e| InfraError::Unknown(e.into()))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

#[async_trait]
impl IdempotencyStore for RedisIdempotencyStore {
    async fn claim(
        &self,
        key: &str,
        fingerprint: &str,
        lease: Duration,
    ) -> Result<Claim, InfraError> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let current: Option<String> = self
            .claim
            .key(self.key(key))
            .arg(encode(&Record::Running {
                token: token.clone(),
                fingerprint: fingerprint.to_owned(),
            })?)
            .arg(millis(lease))
            .invoke_async(&mut conn)
            .await
            .map_err(from_redis)?;
        let Some(current) = current else {
            return Ok(Claim::Claimed { token });
        };
        match serde_json::from_str(&current).map_err(|e| InfraError::Unknown(e.into()))? {
            Record::Running { fingerprint, .. } => Ok(Claim::Running { fingerprint }),
            Record::Done {
                fingerprint,
                status,
                content_type,
                location,
                body,
            } => Ok(Claim::Done {
                fingerprint,
                response: StoredResponse {
                    status,
                    content_type,
                    location,
                    body: STANDARD
                        .decode(body)
                        .map_err(|e| InfraError::Unknown(e.into()))?,
                },
            }),
        }
    }

    async fn complete(
        &self,
        key: &str,
        token: &str,
        fingerprint: &str,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<(), InfraError> {
        let done = encode(&Record::Done {
            fingerprint: fingerprint.to_owned(),
            status: response.status,
            content_type: response.content_type.clone(),
            location: response.location.clone(),
            body: STANDARD.encode(&response.body),
        })?;
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let _: i64 = self
            .complete
            .key(self.key(key))
            .arg(token)
            .arg(done)
            .arg(millis(ttl))
            .invoke_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(())
    }

    async fn release(&self, key: &str, token: &str) -> Result<(), InfraError> {
        let mut conn = self.pool.get().await.map_err(from_pool)?;
        let _: i64 = self
            .release
            .key(self.key(key))
            .arg(token)
            .invoke_async(&mut conn)
            .await
            .map_err(from_redis)?;
        Ok(())
    }
}
