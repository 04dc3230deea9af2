//! Registering, logging in and out, profiles, passwords, deleting an account, and the first
//! admin.

use chrono::{DateTime, TimeDelta, Utc};
use domain::Fields;
use domain::identity::credentials::{DisplayName, Email, Password, Terminal, Username};
use domain::identity::role::{BuiltInRole, Role};
use domain::identity::session::Session;
use domain::identity::user::{AccountStatus, ProfileChange, User, UserId};
use domain::pagination::{Page, PageRequest};
use domain::rate_limit::{Decision, FixedWindow};
use ports::identity::{Credentials, NewUser, UserFilter};

use super::secrets::{SESSION_PREFIX, hash_password, new_token, token_hash, verify_password};
use super::{Authenticated, Identity, IdentityError};

/// A registration as received. No `Debug`: it holds a password.
#[derive(Clone)]
pub struct Registration {
    pub username: String,
    pub password: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
}

/// A profile change as received: `None` leaves a field, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub email: Option<Option<String>>,
    pub display_name: Option<Option<String>>,
}

/// No `Debug`: it holds the token.
#[derive(Clone)]
pub struct LoginOutcome {
    /// The bearer token; shown once, stored only as a hash.
    pub token: String,
    pub session: SessionInfo,
    pub user: User,
}

/// One of a person's sessions, as they may see it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// A short, stable handle: the start of the token's hash.
    pub id: String,
    pub terminal: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub current: bool,
}

impl SessionInfo {
    /// How many hex digits of the token's hash make a session's id.
    const ID_LEN: usize = 16;

    fn new(token_hash: &str, session: Session, current: bool) -> Self {
        Self {
            id: token_hash[..Self::ID_LEN].to_owned(),
            terminal: session.terminal,
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            expires_at: session.expires_at,
            current,
        }
    }
}

fn parse_optional<T>(
    fields: &mut Fields,
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, domain::Invalid>,
) -> Option<Option<T>> {
    match value {
        None => Some(None),
        Some(raw) => fields.check(name, parse(raw)).map(Some),
    }
}

impl Identity {
    /// A new account with the customer role.
    pub async fn register(&self, registration: Registration) -> Result<User, IdentityError> {
        self.register_as(registration, BuiltInRole::Customer).await
    }

    /// A new account with a built-in role: the bookstore contract's accounts both buy and open
    /// stores, so they are sellers.
    pub async fn register_as(
        &self,
        registration: Registration,
        role: BuiltInRole,
    ) -> Result<User, IdentityError> {
        let mut fields = Fields::default();
        let username = fields.check("username", Username::parse(&registration.username));
        let password = fields.check("password", Password::parse(&registration.password));
        let email = parse_optional(
            &mut fields,
            "email",
            registration.email.as_deref(),
            Email::parse,
        );
        let display_name = parse_optional(
            &mut fields,
            "display_name",
            registration.display_name.as_deref(),
            DisplayName::parse,
        );
        fields.finish().map_err(IdentityError::Invalid)?;
        let (Some(username), Some(password), Some(email), Some(display_name)) =
            (username, password, email, display_name)
        else {
            unreachable!("every field parsed when there are no errors");
        };
        let password_hash = self.hash(&password).await?;
        let user = self
            .ports
            .users
            .create(NewUser {
                username,
                password_hash,
                email,
                display_name,
                role: role.role_name(),
            })
            .await?;
        tracing::info!(user_id = user.id, username = %user.username, "account registered");
        Ok(user)
    }

    /// Opens a session for the account whose username or email is `login`, if `password` is
    /// its password (see [`Identity::verified`]).
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        terminal: &str,
        client: Option<&str>,
    ) -> Result<LoginOutcome, IdentityError> {
        let terminal =
            Terminal::parse(terminal).map_err(|e| IdentityError::invalid("terminal", e))?;
        let account = self.verified(login, password, client).await?;
        let now = self.ports.clock.now();
        let token = new_token(SESSION_PREFIX);
        let hash = token_hash(&token);
        let session = self
            .policy
            .sessions
            .open(account.user_id, terminal.as_str().to_owned(), now);
        self.ports.sessions.save(&hash, &session).await?;
        let user = self
            .ports
            .users
            .find(account.user_id)
            .await?
            .ok_or(IdentityError::InvalidCredentials)?;
        tracing::info!(user_id = user.id, terminal = terminal.as_str(), "logged in");
        Ok(LoginOutcome {
            token,
            session: SessionInfo::new(&hash, session, true),
            user,
        })
    }

    /// The account whose username or email is `login`, if `password` is its password. A wrong
    /// username and a wrong password fail alike, after the same work. Failures are counted per
    /// account name and per client address; over either limit, even a right password is refused
    /// until the window ends.
    async fn verified(
        &self,
        login: &str,
        password: &str,
        client: Option<&str>,
    ) -> Result<Credentials, IdentityError> {
        let now = self.ports.clock.now();
        let limits = self.login_limits(login, client, now);
        for (key, rule) in &limits {
            self.check_limit(key, rule, now).await?;
        }
        let credentials = self.ports.users.credentials(login).await?;
        let verified = match &credentials {
            Some(account) => self.verify(password, account.password_hash.clone()).await?,
            None => {
                let decoy = self.decoy_hash().await?;
                self.verify(password, decoy).await?;
                false
            }
        };
        let Some(account) = credentials.filter(|_| verified) else {
            for (key, rule) in &limits {
                self.ports.counters.increment(key, keep(rule)).await?;
            }
            return Err(IdentityError::InvalidCredentials);
        };
        self.ports.counters.clear(&limits[0].0).await?;
        if account.status == AccountStatus::Disabled {
            // Said only to whoever knows the password, so it tells a guesser nothing.
            return Err(IdentityError::AccountDisabled);
        }
        Ok(account)
    }

    /// Sets a new password for whoever gives the account's name and current password, without
    /// a session (the bookstore contract's `/auth/password`), and ends every session.
    pub async fn change_password_with_credentials(
        &self,
        login: &str,
        current: &str,
        new: &str,
        client: Option<&str>,
    ) -> Result<(), IdentityError> {
        let account = self.verified(login, current, client).await?;
        let new = Password::parse(new).map_err(|e| IdentityError::invalid("new_password", e))?;
        self.replace_password(account.user_id, &new, None).await
    }

    /// Deletes the account for whoever gives its name and password, without a session (the
    /// bookstore contract's `/auth/unregister`): like [`Identity::delete_account`].
    pub async fn delete_account_with_credentials(
        &self,
        login: &str,
        password: &str,
        client: Option<&str>,
    ) -> Result<(), IdentityError> {
        let account = self.verified(login, password, client).await?;
        self.delete(account.user_id).await
    }

    pub async fn logout(&self, caller: &Authenticated) -> Result<(), IdentityError> {
        self.ports
            .sessions
            .revoke(&caller.token_hash, caller.principal.user_id)
            .await?;
        Ok(())
    }

    /// Ends every session of the caller's, this one included; returns how many.
    pub async fn logout_everywhere(&self, caller: &Authenticated) -> Result<u64, IdentityError> {
        Ok(self
            .ports
            .sessions
            .revoke_all(caller.principal.user_id, None)
            .await?)
    }

    pub async fn sessions(
        &self,
        caller: &Authenticated,
    ) -> Result<Vec<SessionInfo>, IdentityError> {
        let now = self.ports.clock.now();
        let mut sessions: Vec<SessionInfo> = self
            .ports
            .sessions
            .list(caller.principal.user_id)
            .await?
            .into_iter()
            .filter(|(_, session)| session.is_live(now))
            .map(|(hash, session)| {
                let current = hash == caller.token_hash;
                SessionInfo::new(&hash, session, current)
            })
            .collect();
        sessions.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
        Ok(sessions)
    }

    /// Ends the caller's session whose id is `id`.
    pub async fn revoke_session(
        &self,
        caller: &Authenticated,
        id: &str,
    ) -> Result<(), IdentityError> {
        let user_id = caller.principal.user_id;
        let hash = self
            .ports
            .sessions
            .list(user_id)
            .await?
            .into_iter()
            .map(|(hash, _)| hash)
            .find(|hash| id.len() == SessionInfo::ID_LEN && hash.starts_with(id))
            .ok_or(IdentityError::SessionNotFound)?;
        self.ports.sessions.revoke(&hash, user_id).await?;
        Ok(())
    }

    pub async fn me(&self, caller: &Authenticated) -> Result<User, IdentityError> {
        self.ports
            .users
            .find(caller.principal.user_id)
            .await?
            .ok_or(IdentityError::Unauthenticated)
    }

    pub async fn update_profile(
        &self,
        caller: &Authenticated,
        input: ProfileInput,
    ) -> Result<User, IdentityError> {
        let mut fields = Fields::default();
        let email = match input.email {
            None => None,
            Some(value) => parse_optional(&mut fields, "email", value.as_deref(), Email::parse),
        };
        let display_name = match input.display_name {
            None => None,
            Some(value) => parse_optional(
                &mut fields,
                "display_name",
                value.as_deref(),
                DisplayName::parse,
            ),
        };
        fields.finish().map_err(IdentityError::Invalid)?;
        let change = ProfileChange {
            email,
            display_name,
        };
        if change.is_empty() {
            return self.me(caller).await;
        }
        Ok(self
            .ports
            .users
            .update_profile(caller.principal.user_id, &change)
            .await?)
    }

    /// Sets a new password after checking the current one, and ends every other session.
    pub async fn change_password(
        &self,
        caller: &Authenticated,
        current: &str,
        new: &str,
    ) -> Result<(), IdentityError> {
        let new = Password::parse(new).map_err(|e| IdentityError::invalid("new_password", e))?;
        self.confirm_password(caller, current, "old_password")
            .await?;
        let others = Some(caller.token_hash.as_str());
        self.replace_password(caller.principal.user_id, &new, others)
            .await
    }

    /// Sets the password and ends every session but `keep` (a token's hash).
    async fn replace_password(
        &self,
        user_id: UserId,
        new: &Password,
        keep: Option<&str>,
    ) -> Result<(), IdentityError> {
        let hash = self.hash(new).await?;
        let revoked = self.ports.sessions.revoke_all(user_id, keep).await?;
        self.ports.users.set_password(user_id, &hash).await?;
        // Again, for a login with the old password that slipped in between.
        self.ports.sessions.revoke_all(user_id, keep).await?;
        tracing::info!(user_id, revoked, "password changed");
        Ok(())
    }

    /// Deletes the caller's account after checking the password: anonymised, history kept,
    /// every session ended.
    pub async fn delete_account(
        &self,
        caller: &Authenticated,
        password: &str,
    ) -> Result<(), IdentityError> {
        self.confirm_password(caller, password, "password").await?;
        self.delete(caller.principal.user_id).await
    }

    async fn delete(&self, user_id: UserId) -> Result<(), IdentityError> {
        // PostgreSQL first: a session of a deleted account no longer authenticates, so if
        // Redis fails next, nothing is left usable.
        self.ports.users.delete_account(user_id).await?;
        self.ports.sessions.revoke_all(user_id, None).await?;
        tracing::info!(user_id, "account deleted");
        Ok(())
    }

    pub async fn list_users(
        &self,
        page: &PageRequest<UserId>,
        filter: &UserFilter,
    ) -> Result<Page<User>, IdentityError> {
        Ok(self.ports.users.list(page, filter).await?)
    }

    pub async fn user(&self, username: &str) -> Result<User, IdentityError> {
        self.ports
            .users
            .find_by_username(username)
            .await?
            .ok_or_else(|| IdentityError::UserNotFound(username.to_owned()))
    }

    /// Creates every built-in role that is missing. Run at start.
    pub async fn ensure_built_in_roles(&self) -> Result<(), IdentityError> {
        let roles: Vec<Role> = BuiltInRole::ALL
            .iter()
            .map(|r| Role::built_in(*r))
            .collect();
        Ok(self.ports.roles.ensure(&roles).await?)
    }

    /// On an empty database, creates the admin account. Returns the password when it had to
    /// make one up, for the caller to show once.
    pub async fn bootstrap_admin(
        &self,
        username: &str,
        password: Option<&str>,
    ) -> Result<Option<String>, IdentityError> {
        let username = Username::parse(username)
            .map_err(|e| IdentityError::invalid("ATELIER_ADMIN_USERNAME", e))?;
        let (password, generated) = match password {
            Some(given) => (
                Password::parse(given)
                    .map_err(|e| IdentityError::invalid("ATELIER_ADMIN_PASSWORD", e))?,
                false,
            ),
            None => {
                let made = new_token("")[..24].to_owned();
                (
                    Password::parse(&made).map_err(|e| IdentityError::invalid("password", e))?,
                    true,
                )
            }
        };
        // Spares every later start a bcrypt hash; `create_first` still settles a race.
        if self.ports.users.any_account().await? {
            return Ok(None);
        }
        let password_hash = self.hash(&password).await?;
        let created = self
            .ports
            .users
            .create_first(NewUser {
                username: username.clone(),
                password_hash,
                email: None,
                display_name: None,
                role: BuiltInRole::Admin.role_name(),
            })
            .await?;
        if created {
            tracing::warn!(%username, "created the first admin account");
        }
        Ok((created && generated).then(|| password.expose().to_owned()))
    }

    /// Checks the caller's password, counting failures like failed logins; a wrong one is
    /// invalid input in `field`.
    pub async fn confirm_password(
        &self,
        caller: &Authenticated,
        password: &str,
        field: &str,
    ) -> Result<(), IdentityError> {
        let now = self.ports.clock.now();
        let username = caller.principal.username.as_str();
        let (key, rule) = self.login_limits(username, None, now).swap_remove(0);
        self.check_limit(&key, &rule, now).await?;
        let account = self
            .ports
            .users
            .credentials_of(caller.principal.user_id)
            .await?
            .ok_or(IdentityError::Unauthenticated)?;
        if self.verify(password, account.password_hash).await? {
            return Ok(());
        }
        self.ports.counters.increment(&key, keep(&rule)).await?;
        Err(IdentityError::invalid(
            field,
            domain::Invalid::new("is not the account's current password"),
        ))
    }

    /// The failure counters a login attempt is checked against: per account name (first),
    /// then per client address.
    fn login_limits(
        &self,
        login: &str,
        client: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<(String, FixedWindow)> {
        let per_account = self.policy.login_failures_per_account;
        let mut limits = vec![(
            format!(
                "ratelimit:login:account:{}:{}",
                login.to_lowercase(),
                per_account.window_index(now)
            ),
            per_account,
        )];
        if let Some(client) = client {
            let per_address = self.policy.login_failures_per_address;
            limits.push((
                format!(
                    "ratelimit:login:address:{client}:{}",
                    per_address.window_index(now)
                ),
                per_address,
            ));
        }
        limits
    }

    pub(super) async fn check_limit(
        &self,
        key: &str,
        rule: &FixedWindow,
        now: DateTime<Utc>,
    ) -> Result<(), IdentityError> {
        let count = self.ports.counters.count(key).await?;
        match rule.decide(count, now) {
            Decision::Allowed => Ok(()),
            Decision::Limited { retry_after } => Err(IdentityError::RateLimited { retry_after }),
        }
    }

    pub(super) async fn hash(&self, password: &Password) -> Result<String, IdentityError> {
        Ok(
            hash_password(password.expose().to_owned(), self.policy.bcrypt_cost)
                .await
                .map_err(ports::InfraError::Unknown)?,
        )
    }

    async fn verify(&self, password: &str, hash: String) -> Result<bool, IdentityError> {
        Ok(verify_password(password.to_owned(), hash)
            .await
            .map_err(ports::InfraError::Unknown)?)
    }

    /// Computes the decoy hash now, so that the first login with an unknown name does not take
    /// longer than the others (by the time it takes to make it). Run at start.
    pub async fn prepare_decoy(&self) -> Result<(), IdentityError> {
        self.decoy_hash().await.map(drop)
    }

    async fn decoy_hash(&self) -> Result<String, IdentityError> {
        let cost = self.policy.bcrypt_cost;
        let hash = self
            .decoy_hash
            .get_or_try_init(|| hash_password("not anybody's password".to_owned(), cost))
            .await
            .map_err(ports::InfraError::Unknown)?;
        Ok(hash.clone())
    }
}

/// How long a window's counter is kept: the window, and a little for clock skew.
pub(super) fn keep(rule: &FixedWindow) -> TimeDelta {
    rule.window + TimeDelta::seconds(60)
}
