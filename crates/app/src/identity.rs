//! Identity and access: accounts, sessions, roles, password resets, address books.
//!
//! [`Identity`] is the context's one service; its methods are spread over the modules below by
//! subject. Ordering rule for calls that change both stores: a change that must take sessions
//! away (password change, reset) revokes them in Redis *before* writing PostgreSQL, so a Redis
//! outage fails the call before anything is written, and never leaves old sessions alive with a
//! new password.

mod accounts;
mod addresses;
mod auth;
mod demo;
mod error;
mod password_reset;
mod roles;
mod secrets;

use std::sync::Arc;

use domain::identity::session::SessionPolicy;
use domain::rate_limit::FixedWindow;
use ports::clock::Clock;
use ports::identity::{
    AddressRepository, PasswordResetRepository, RoleRepository, SessionStore, UserRepository,
};
use ports::mail::Mailer;
use ports::rate_limit::RateCounter;

pub use accounts::{LoginOutcome, ProfileInput, Registration, SessionInfo};
pub use auth::Authenticated;
pub use demo::DEMO_PASSWORD;
pub use error::IdentityError;
pub use roles::{RoleChange, RoleInput};

/// The rules a deployment may tune.
#[derive(Debug, Clone)]
pub struct IdentityPolicy {
    /// bcrypt's work factor (4 to 31; 12 in production, 4 in tests).
    pub bcrypt_cost: u32,
    pub sessions: SessionPolicy,
    /// Failed logins (and wrong current passwords) per account name.
    pub login_failures_per_account: FixedWindow,
    /// Failed logins per client address.
    pub login_failures_per_address: FixedWindow,
    /// Password reset requests per client address (over it: 429).
    pub reset_requests_per_address: FixedWindow,
    /// Password reset requests per email (over it: no more messages, same answer).
    pub reset_requests_per_email: FixedWindow,
    /// Most addresses in one person's book.
    pub address_book_capacity: usize,
}

/// What the identity context is built from.
#[derive(Clone)]
pub struct IdentityPorts {
    pub users: Arc<dyn UserRepository>,
    pub roles: Arc<dyn RoleRepository>,
    pub resets: Arc<dyn PasswordResetRepository>,
    pub addresses: Arc<dyn AddressRepository>,
    pub sessions: Arc<dyn SessionStore>,
    pub counters: Arc<dyn RateCounter>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Identity {
    ports: IdentityPorts,
    policy: IdentityPolicy,
    /// A hash to check passwords against when the account does not exist, so that a wrong
    /// username takes as long as a wrong password.
    decoy_hash: Arc<tokio::sync::OnceCell<String>>,
}

impl Identity {
    pub fn new(ports: IdentityPorts, policy: IdentityPolicy) -> Self {
        Self {
            ports,
            policy,
            decoy_hash: Arc::default(),
        }
    }

    /// This service, answering an unknown account's login with `other`'s decoy hash (made once
    /// for all the services of a process, so no first miss takes longer than the rest).
    #[must_use]
    pub fn sharing_decoy_of(mut self, other: &Self) -> Self {
        self.decoy_hash = Arc::clone(&other.decoy_hash);
        self
    }

    pub fn policy(&self) -> &IdentityPolicy {
        &self.policy
    }
}
