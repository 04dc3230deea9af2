//! From diesel and pool errors to the ports' [`InfraError`].

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::pooled_connection::PoolError as ManagerError;
use diesel_async::pooled_connection::deadpool::PoolError;
use domain::Invalid;
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

/// The constraint a unique or foreign-key violation names, if `error` is one.
pub(crate) fn violated_constraint(error: &DieselError) -> Option<&str> {
    match error {
        DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation,
            info,
        ) => info.constraint_name(),
        _ => None,
    }
}

/// The error of a transaction that may be rolled back by a rule (`Rejected`) or fail in the
/// database.
#[derive(Debug)]
pub(crate) enum TxError<E> {
    Db(DieselError),
    Rejected(E),
}

impl<E> From<DieselError> for TxError<E> {
    fn from(error: DieselError) -> Self {
        Self::Db(error)
    }
}

impl<E: From<InfraError>> TxError<E> {
    /// Into the port's error, mapping database failures with `from_diesel`.
    pub(crate) fn into_port(self) -> E {
        match self {
            Self::Db(error) => from_diesel(error).into(),
            Self::Rejected(error) => error,
        }
    }
}

/// A stored value that no longer passes its domain parser: a bug or a hand-edited row.
pub(crate) fn stored<T>(column: &str, parsed: Result<T, Invalid>) -> Result<T, InfraError> {
    parsed.map_err(|e| InfraError::Unknown(anyhow::anyhow!("stored {column} is invalid: {e}")))
}
