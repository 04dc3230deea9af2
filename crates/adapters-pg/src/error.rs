//! From diesel and pool errors to the ports' [`InfraError`].

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::PoolError as ManagerError;
use diesel_async::pooled_connection::deadpool::PoolError;
use ports::InfraError;

const SERVICE: &str = "PostgreSQL";

pub(crate) fn from_pool(error: PoolError) -> InfraError {
    match error {
        PoolError::Timeout(_)
        | PoolError::Closed
        | PoolError::Backend(ManagerError::ConnectionError(_) | ManagerError::QueryError(_)) => {
            InfraError::Unavailable {
                service: SERVICE,
                source: error.into(),
            }
        }
        PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => {
            InfraError::Unknown(error.into())
        }
    }
}

pub(crate) fn from_diesel(error: DieselError) -> InfraError {
    match error {
        DieselError::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection,
            _,
        ) => InfraError::Unavailable {
            service: SERVICE,
            source: error.into(),
        },
        other => InfraError::Unknown(other.into()),
    }
}
