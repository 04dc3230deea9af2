//! The studio: customers (with their history), employees, rooms, packages and shoots.
//!
//! Reads name a row's linked account by username and role, looked up in one extra query per
//! list ([`accounts`]) rather than a join, since diesel's view of the schema does not let
//! customers or employees meet roles in one query.

mod customers;
mod packages;
mod reports;
mod rooms;
pub mod schedule;
mod shoots;
mod staff;

use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::user::UserId;
use domain::studio::Position;
use domain::studio::customers::LinkedAccount;
use domain::studio::shoots::Stage;
use ports::InfraError;

use crate::error::{from_diesel, stored};
use crate::schema::{roles, users};

pub use customers::PgCustomerRepository;
pub use packages::PgPackageRepository;
pub use reports::PgStudioReportRepository;
pub use rooms::PgRoomRepository;
pub use shoots::PgShootRepository;
pub use staff::PgEmployeeRepository;

/// A stored position (of an employee, or of a person in a shoot).
fn position(raw: &str) -> Result<Position, InfraError> {
    stored("position", domain::studio::staff::parse_position(raw))
}

/// A shoot's stored stage.
fn stage(raw: &str) -> Result<Stage, InfraError> {
    stored(
        "stage",
        Stage::parse(raw).ok_or_else(|| domain::Invalid::new("is not a stage")),
    )
}

/// The accounts of `ids`, with their usernames and roles.
async fn accounts(
    conn: &mut AsyncPgConnection,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<HashMap<UserId, LinkedAccount>, InfraError> {
    let mut ids: Vec<UserId> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(i64, String, String)> = users::table
        .inner_join(roles::table)
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::username, roles::name))
        .load(conn)
        .await
        .map_err(from_diesel)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, username, role)| {
            (
                user_id,
                LinkedAccount {
                    user_id,
                    username,
                    role,
                },
            )
        })
        .collect())
}
