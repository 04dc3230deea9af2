use std::collections::BTreeSet;

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use domain::identity::permission::Permission;
use domain::identity::role::{Role, RoleName};
use ports::InfraError;
use ports::identity::{RoleRepository, RoleStoreError};

use super::stored;
use crate::error::{from_diesel, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::roles;

pub struct PgRoleRepository {
    pool: PgPool,
}

impl PgRoleRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// The permissions named in a role's JSON array. Names this version does not know (left by a
/// newer one, or removed) are skipped: they grant nothing here.
pub(super) fn permissions_from_json(value: &serde_json::Value) -> BTreeSet<Permission> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().and_then(Permission::parse))
        .collect()
}

/// A JSON array of the names, sorted, as people reading the table expect.
fn permissions_to_json(permissions: &BTreeSet<Permission>) -> serde_json::Value {
    let mut names: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    names.sort_unstable();
    names.into()
}

type RoleRow = (String, String, serde_json::Value, bool);

const ROLE_COLUMNS: (
    roles::name,
    roles::description,
    roles::permissions,
    roles::is_built_in,
) = (
    roles::name,
    roles::description,
    roles::permissions,
    roles::is_built_in,
);

fn to_role((name, description, permissions, is_built_in): RoleRow) -> Result<Role, InfraError> {
    Ok(Role {
        name: stored("role name", RoleName::parse(&name))?,
        description,
        permissions: permissions_from_json(&permissions),
        is_built_in,
    })
}

#[async_trait]
impl RoleRepository for PgRoleRepository {
    async fn list(&self) -> Result<Vec<Role>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<RoleRow> = roles::table
            .select(ROLE_COLUMNS)
            .order(roles::name)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter().map(to_role).collect()
    }

    async fn find(&self, name: &RoleName) -> Result<Option<Role>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: Option<RoleRow> = roles::table
            .filter(roles::name.eq(name.as_str()))
            .select(ROLE_COLUMNS)
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        row.map(to_role).transpose()
    }

    async fn create(&self, role: &Role) -> Result<Role, RoleStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let row: RoleRow = diesel::insert_into(roles::table)
            .values((
                roles::name.eq(role.name.as_str()),
                roles::description.eq(&role.description),
                roles::permissions.eq(permissions_to_json(&role.permissions)),
                roles::is_built_in.eq(role.is_built_in),
            ))
            .returning(ROLE_COLUMNS)
            .get_result(&mut conn)
            .await
            .map_err(|error| match violated_constraint(&error) {
                Some("roles_name_key") => RoleStoreError::NameTaken(role.name.clone()),
                _ => RoleStoreError::Infra(from_diesel(error)),
            })?;
        Ok(to_role(row)?)
    }

    async fn update(
        &self,
        name: &RoleName,
        description: Option<&str>,
        permissions: Option<&BTreeSet<Permission>>,
    ) -> Result<Role, RoleStoreError> {
        #[derive(AsChangeset)]
        #[diesel(table_name = roles)]
        struct Changes<'a> {
            description: Option<&'a str>,
            permissions: Option<serde_json::Value>,
        }
        let changes = Changes {
            description,
            permissions: permissions.map(permissions_to_json),
        };
        let mut conn = pool::get(&self.pool).await?;
        let target = roles::table.filter(roles::name.eq(name.as_str()));
        let row: Option<RoleRow> = if description.is_none() && permissions.is_none() {
            target
                .select(ROLE_COLUMNS)
                .first(&mut conn)
                .await
                .optional()
        } else {
            diesel::update(target)
                .set(&changes)
                .returning(ROLE_COLUMNS)
                .get_result(&mut conn)
                .await
                .optional()
        }
        .map_err(from_diesel)?;
        let row = row.ok_or_else(|| RoleStoreError::NotFound(name.clone()))?;
        Ok(to_role(row)?)
    }

    async fn delete(&self, name: &RoleName) -> Result<(), RoleStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(roles::table.filter(roles::name.eq(name.as_str())))
            .execute(&mut conn)
            .await
            .map_err(|error| match violated_constraint(&error) {
                Some("users_role_id_fkey") => RoleStoreError::InUse(name.clone()),
                _ => RoleStoreError::Infra(from_diesel(error)),
            })?;
        if deleted == 0 {
            return Err(RoleStoreError::NotFound(name.clone()));
        }
        Ok(())
    }

    async fn ensure(&self, roles: &[Role]) -> Result<(), InfraError> {
        let rows: Vec<_> = roles
            .iter()
            .map(|role| {
                (
                    roles::name.eq(role.name.as_str()),
                    roles::description.eq(&role.description),
                    roles::permissions.eq(permissions_to_json(&role.permissions)),
                    roles::is_built_in.eq(role.is_built_in),
                )
            })
            .collect();
        let mut conn = pool::get(&self.pool).await?;
        diesel::insert_into(roles::table)
            .values(&rows)
            .on_conflict(roles::name)
            .do_nothing()
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(())
    }
}
