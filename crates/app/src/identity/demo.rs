//! Demo accounts, for trying the system out: one per built-in role but the admin, all with
//! the same published password. Never for a real deployment.

use domain::identity::role::BuiltInRole;

use super::{Identity, IdentityError, Registration};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "atelier-demo";

impl Identity {
    /// Creates the demo accounts that do not exist yet (their username is the role's name);
    /// returns the usernames it created.
    pub async fn seed_demo_accounts(&self) -> Result<Vec<String>, IdentityError> {
        let mut created = Vec::new();
        for role in BuiltInRole::ALL {
            if *role == BuiltInRole::Admin {
                continue;
            }
            let username = role.name();
            match self.user(username).await {
                Ok(_) => continue,
                Err(IdentityError::UserNotFound(_)) => {}
                Err(other) => return Err(other),
            }
            self.register(Registration {
                username: username.to_owned(),
                password: DEMO_PASSWORD.to_owned(),
                email: Some(format!("{username}@demo.atelier.test")),
                display_name: Some(format!("Demo {}", username.replace('_', " "))),
            })
            .await?;
            self.assign_role(username, username).await?;
            created.push(username.to_owned());
        }
        Ok(created)
    }
}
