//! Identity's storage in PostgreSQL: accounts, roles, password reset tokens, addresses.

mod addresses;
mod resets;
mod roles;
mod users;

pub use addresses::PgAddressRepository;
pub use resets::PgPasswordResetRepository;
pub use roles::PgRoleRepository;
pub use users::PgUserRepository;

use crate::error::stored;
