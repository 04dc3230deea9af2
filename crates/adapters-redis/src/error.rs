use deadpool_redis::PoolError;
use deadpool_redis::redis::RedisError;
use ports::InfraError;

const SERVICE: &str = "Redis";

pub(crate) fn from_pool(error: PoolError) -> InfraError {
    match error {
        PoolError::Backend(redis) => from_redis(redis),
        PoolError::Timeout(_) | PoolError::Closed => InfraError::Unavailable {
            service: SERVICE,
            source: error.into(),
        },
        other => InfraError::Unknown(other.into()),
    }
}

pub(crate) fn from_redis(error: RedisError) -> InfraError {
    if error.is_io_error()
        || error.is_connection_refusal()
        || error.is_connection_dropped()
        || error.is_timeout()
    {
        InfraError::Unavailable {
            service: SERVICE,
            source: error.into(),
        }
    } else {
        InfraError::Unknown(error.into())
    }
}
