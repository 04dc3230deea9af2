//! Roles, their permissions, and who has which.

use std::collections::BTreeSet;

use domain::Invalid;
use domain::identity::permission::Permission;
use domain::identity::role::{self, Role, RoleName};
use domain::identity::user::{AccountStatus, User};

use super::{Identity, IdentityError};

/// A new role as received.
#[derive(Debug, Clone)]
pub struct RoleInput {
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

/// A change to a role as received; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleChange {
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
}

const MAX_DESCRIPTION_CHARS: usize = 500;

fn parse_permissions(names: &[String]) -> Result<BTreeSet<Permission>, IdentityError> {
    let mut errors = Vec::new();
    let mut permissions = BTreeSet::new();
    for (index, name) in names.iter().enumerate() {
        match Permission::parse(name) {
            Some(permission) => {
                permissions.insert(permission);
            }
            None => errors.push((
                format!("permissions[{index}]"),
                Invalid::new(format!("there is no permission {name:?}")),
            )),
        }
    }
    if errors.is_empty() {
        Ok(permissions)
    } else {
        Err(IdentityError::Invalid(errors))
    }
}

fn parse_description(description: &str) -> Result<String, IdentityError> {
    let trimmed = description.trim();
    if trimmed.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(IdentityError::invalid(
            "description",
            Invalid::new(format!(
                "must be at most {MAX_DESCRIPTION_CHARS} characters"
            )),
        ));
    }
    Ok(trimmed.to_owned())
}

fn parse_name(name: &str) -> Result<RoleName, IdentityError> {
    RoleName::parse(name).map_err(|e| IdentityError::invalid("name", e))
}

impl Identity {
    pub async fn roles(&self) -> Result<Vec<Role>, IdentityError> {
        Ok(self.ports.roles.list().await?)
    }

    pub async fn role(&self, name: &str) -> Result<Role, IdentityError> {
        let not_found = || IdentityError::RoleNotFound(name.to_owned());
        let name = RoleName::parse(name).map_err(|_| not_found())?;
        self.ports.roles.find(&name).await?.ok_or_else(not_found)
    }

    pub async fn create_role(&self, input: RoleInput) -> Result<Role, IdentityError> {
        let name = parse_name(&input.name)?;
        let description = parse_description(&input.description)?;
        let permissions = parse_permissions(&input.permissions)?;
        let role = self
            .ports
            .roles
            .create(&Role {
                name,
                description,
                permissions,
                is_built_in: false,
            })
            .await?;
        tracing::info!(role = %role.name, "role created");
        Ok(role)
    }

    pub async fn update_role(&self, name: &str, change: RoleChange) -> Result<Role, IdentityError> {
        let role = self.role(name).await?;
        let description = change
            .description
            .as_deref()
            .map(parse_description)
            .transpose()?;
        let permissions = change
            .permissions
            .as_deref()
            .map(parse_permissions)
            .transpose()?;
        if permissions.is_some() {
            role::check_permission_change(&role)?;
        }
        let updated = self
            .ports
            .roles
            .update(&role.name, description.as_deref(), permissions.as_ref())
            .await?;
        tracing::info!(role = %updated.name, "role changed");
        Ok(updated)
    }

    pub async fn delete_role(&self, name: &str) -> Result<(), IdentityError> {
        let role = self.role(name).await?;
        role::check_deletion(&role)?;
        self.ports.roles.delete(&role.name).await?;
        tracing::info!(role = %role.name, "role deleted");
        Ok(())
    }

    /// Enables or disables an account. Disabling ends its sessions: they would be refused
    /// anyway (a disabled account authenticates no request), this also removes them.
    pub async fn set_account_status(
        &self,
        username: &str,
        status: AccountStatus,
    ) -> Result<User, IdentityError> {
        let user = self.ports.users.set_status(username, status).await?;
        if status == AccountStatus::Disabled {
            self.ports.sessions.revoke_all(user.id, None).await?;
        }
        tracing::info!(
            user_id = user.id,
            status = status.as_str(),
            "account status set"
        );
        Ok(user)
    }

    /// Gives an account a role; it applies to the account's open sessions at once.
    pub async fn assign_role(&self, username: &str, role: &str) -> Result<User, IdentityError> {
        let role = parse_name(role).map_err(|_| IdentityError::RoleNotFound(role.to_owned()))?;
        let user = self.ports.users.assign_role(username, &role).await?;
        tracing::info!(user_id = user.id, role = %role, "role assigned");
        Ok(user)
    }
}
