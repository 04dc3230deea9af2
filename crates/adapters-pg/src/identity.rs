//! Identity's storage in PostgreSQL: accounts, roles, password reset tokens, addresses.

mod addresses;
mod resets;
mod roles;
mod users;

pub use addresses::PgAddressRepository;
pub use resets::PgPasswordResetRepository;
pub use roles::PgRoleRepository;
pub use users::PgUserRepository;

use domain::Invalid;
use ports::InfraError;

/// A stored value that no longer passes its domain parser: a bug or a hand-edited row.
fn stored<T>(column: &str, parsed: Result<T, Invalid>) -> Result<T, InfraError> {
    parsed.map_err(|e| InfraError::Unknown(anyhow::anyhow!("stored {column} is invalid: {e}")))
}
