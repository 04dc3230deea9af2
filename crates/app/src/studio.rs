//! The studio (影楼). Here: customers (front desk and managers, `customers:manage`), employees and rooms
//! (managers, `staff:manage`; the front desk reads them to book and manages rooms with
//! `studio:schedule`).
//!
//! Stores are named by their code and accounts by their username, as callers type them; both
//! are looked up here, so an unknown one is a refused field like any other.
//!
//! Shoots and the packages they are booked for are [`shoots::Shoots`].

mod customers;
pub mod demo;
mod error;
pub mod reports;
mod rooms;
pub mod schedule;
pub mod shoots;
mod staff;

use std::sync::Arc;

use domain::Invalid;
use domain::identity::user::UserId;
use domain::stores::store::StoreId;
use ports::InfraError;
use ports::identity::UserRepository;
use ports::stores::StoreRepository;
use ports::studio::customers::CustomerRepository;
use ports::studio::rooms::RoomRepository;
use ports::studio::staff::EmployeeRepository;

use crate::stores::store_named;

pub use customers::{CustomerInput, CustomerPatch, HISTORY_LIMIT};
pub use error::StudioError;
pub use rooms::{RoomInput, RoomPatch};
pub use staff::{EmployeeInput, EmployeePatch};

/// A person's given and family names as a change makes them of the `current` ones (of none,
/// for someone new), each checked: customers and employees are named alike.
fn names(
    fields: &mut domain::Fields,
    (first, last): (Option<&str>, Option<&str>),
    current: Option<(&str, &str)>,
) -> (Option<String>, Option<String>) {
    use domain::studio::customers::{parse_first_name, parse_last_name};
    let first = first.or(current.map(|c| c.0)).unwrap_or("");
    let last = last.or(current.map(|c| c.1)).unwrap_or("");
    (
        fields.check("first_name", parse_first_name(first)),
        fields.check("last_name", parse_last_name(last)),
    )
}

/// What the studio's use cases need; more parts (shoots, schedules) join as they are built.
#[derive(Clone)]
pub struct StudioPorts {
    pub customers: Arc<dyn CustomerRepository>,
    pub employees: Arc<dyn EmployeeRepository>,
    pub rooms: Arc<dyn RoomRepository>,
    /// For stores named by their code.
    pub stores: Arc<dyn StoreRepository>,
    /// For accounts named by their username.
    pub users: Arc<dyn UserRepository>,
}

#[derive(Clone)]
pub struct Studio {
    ports: StudioPorts,
}

impl Studio {
    pub fn new(ports: StudioPorts) -> Self {
        Self { ports }
    }

    /// The id of the store `code` names, or why not.
    async fn store_id(&self, code: &str) -> Result<Result<StoreId, Invalid>, InfraError> {
        Ok(store_named(self.ports.stores.as_ref(), code.trim())
            .await?
            .map(|store| store.id)
            .ok_or_else(|| Invalid::new("names no store")))
    }

    /// The account a change links: `None` leaves the link as it is (`current`), `Some(None)`
    /// unlinks, `Some(Some(username))` links that account, or says why not.
    async fn account(
        &self,
        change: Option<Option<String>>,
        current: Option<UserId>,
    ) -> Result<Result<Option<UserId>, Invalid>, InfraError> {
        Ok(match change {
            None => Ok(current),
            Some(None) => Ok(None),
            Some(Some(username)) => self
                .ports
                .users
                .find_by_username(username.trim())
                .await?
                .map(|user| Some(user.id))
                .ok_or_else(|| Invalid::new("names no account")),
        })
    }
}
