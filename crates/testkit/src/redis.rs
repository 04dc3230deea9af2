use deadpool_redis::redis::{self, Commands};

use crate::env;

/// A Redis key prefix of one test's own; its keys are deleted when this value is dropped.
#[derive(Debug)]
pub struct TestRedis {
    url: String,
    prefix: String,
}

impl TestRedis {
    pub fn new() -> Self {
        Self {
            url: env::redis_url(),
            prefix: format!("test:{}:", uuid::Uuid::new_v4().simple()),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A plain connection, for arranging and inspecting a test.
    pub fn connect(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .and_then(|client| client.get_connection())
            .unwrap_or_else(|e| panic!("connecting to the test Redis at {}: {e}", self.url))
    }

    /// The string value at `key` (a full key, as [`TestRedis::keys`] lists them).
    pub fn get(&self, key: &str) -> Option<String> {
        self.connect()
            .get(key)
            .unwrap_or_else(|e| panic!("reading {key}: {e}"))
    }

    /// Every key under this test's prefix.
    pub fn keys(&self) -> Vec<String> {
        let mut conn = self.connect();
        let mut keys: Vec<String> = conn
            .scan_match::<_, String>(format!("{}*", self.prefix))
            .map(|iter| iter.filter_map(Result::ok).collect())
            .unwrap_or_default();
        keys.sort();
        keys
    }
}

impl Default for TestRedis {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let keys = self.keys();
        if !keys.is_empty() {
            let _: redis::RedisResult<()> = self.connect().del(keys);
        }
    }
}
