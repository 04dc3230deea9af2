//! Identity and access: accounts, credentials, roles and permissions, sessions, password
//! resets, address books.

pub mod address;
pub mod credentials;
pub mod password_reset;
pub mod permission;
pub mod role;
pub mod session;
pub mod user;
