//! Storage for identity and access: accounts, roles, password reset tokens and addresses in
//! PostgreSQL; sessions in Redis.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::address::{Address, AddressFields};
use domain::identity::credentials::{DisplayName, Email, Username};
use domain::identity::password_reset::ResetToken;
use domain::identity::permission::Permission;
use domain::identity::role::{Role, RoleName};
use domain::identity::session::Session;
use domain::identity::user::{AccountStatus, Principal, ProfileChange, User, UserId};
use domain::pagination::{Page, PageRequest};

use crate::InfraError;

/// An account to create; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub password_hash: String,
    pub email: Option<Email>,
    pub display_name: Option<DisplayName>,
    pub role: RoleName,
}

/// What logging in needs of an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user_id: UserId,
    pub username: String,
    pub password_hash: String,
    pub status: AccountStatus,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<RoleName>,
    pub status: Option<AccountStatus>,
    /// Part of the username or email, ignoring case.
    pub search: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("the username is taken")]
    UsernameTaken,
    #[error("the email belongs to another account")]
    EmailTaken,
    #[error("there is no role {0}")]
    UnknownRole(RoleName),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateProfileError {
    #[error("the email belongs to another account")]
    EmailTaken,
    #[error("the account does not exist")]
    NotFound,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Why staff's change to an account (its role, its status) was refused.
#[derive(Debug, thiserror::Error)]
pub enum ManageAccountError {
    #[error("there is no account {0}")]
    UserNotFound(String),
    #[error("there is no role {0}")]
    RoleNotFound(RoleName),
    #[error("the last active admin must stay an active admin")]
    LastAdmin,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteAccountError {
    #[error("the last admin cannot be deleted")]
    LastAdmin,
    /// The account's wallet holds money: it must be withdrawn first.
    #[error("the wallet holds {balance}")]
    WalletNotEmpty { balance: domain::money::Money },
    #[error("the account does not exist")]
    NotFound,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Accounts. Deleted accounts keep their row, anonymised, and are invisible to every method
/// here but [`UserRepository::find`].
#[async_trait]
pub trait UserRepository: Send + Sync {
    async fn create(&self, user: NewUser) -> Result<User, CreateUserError>;

    /// Whether any account exists (deleted ones too).
    async fn any_account(&self) -> Result<bool, InfraError>;

    /// Creates `user` only if there is no account at all, atomically with respect to other
    /// callers (replicas starting together); `Ok(true)` when it did.
    async fn create_first(&self, user: NewUser) -> Result<bool, CreateUserError>;

    /// The live account whose username or email is `login` (ignoring case).
    async fn credentials(&self, login: &str) -> Result<Option<Credentials>, InfraError>;

    async fn credentials_of(&self, id: UserId) -> Result<Option<Credentials>, InfraError>;

    async fn find(&self, id: UserId) -> Result<Option<User>, InfraError>;

    async fn find_by_username(&self, username: &str) -> Result<Option<User>, InfraError>;

    async fn find_by_email(&self, email: &Email) -> Result<Option<User>, InfraError>;

    /// The live, active account `id` with what its role allows.
    async fn principal(&self, id: UserId) -> Result<Option<Principal>, InfraError>;

    /// Accounts in creation order.
    async fn list(
        &self,
        page: &PageRequest<UserId>,
        filter: &UserFilter,
    ) -> Result<Page<User>, InfraError>;

    async fn update_profile(
        &self,
        id: UserId,
        change: &ProfileChange,
    ) -> Result<User, UpdateProfileError>;

    async fn set_password(&self, id: UserId, password_hash: &str) -> Result<(), InfraError>;

    /// Gives account `username` the role; refuses to leave no active admin.
    async fn assign_role(
        &self,
        username: &str,
        role: &RoleName,
    ) -> Result<User, ManageAccountError>;

    /// Enables or disables account `username`; refuses to leave no active admin.
    async fn set_status(
        &self,
        username: &str,
        status: AccountStatus,
    ) -> Result<User, ManageAccountError>;

    /// Anonymises the account and deletes what is only its own (addresses, reset tokens);
    /// history that refers to it stays. Refuses to delete the last active admin, and an account
    /// whose wallet holds money.
    async fn delete_account(&self, id: UserId) -> Result<(), DeleteAccountError>;
}

#[derive(Debug, thiserror::Error)]
pub enum RoleStoreError {
    #[error("there is no role {0}")]
    NotFound(RoleName),
    #[error("a role called {0} exists")]
    NameTaken(RoleName),
    #[error("accounts still have the role {0}")]
    InUse(RoleName),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait RoleRepository: Send + Sync {
    /// Every role, by name.
    async fn list(&self) -> Result<Vec<Role>, InfraError>;

    async fn find(&self, name: &RoleName) -> Result<Option<Role>, InfraError>;

    async fn create(&self, role: &Role) -> Result<Role, RoleStoreError>;

    async fn update(
        &self,
        name: &RoleName,
        description: Option<&str>,
        permissions: Option<&BTreeSet<Permission>>,
    ) -> Result<Role, RoleStoreError>;

    /// Refuses (`InUse`) while an account has the role.
    async fn delete(&self, name: &RoleName) -> Result<(), RoleStoreError>;

    /// Creates those of `roles` that do not exist; leaves existing ones as they are.
    async fn ensure(&self, roles: &[Role]) -> Result<(), InfraError>;
}

#[async_trait]
pub trait PasswordResetRepository: Send + Sync {
    /// Stores a token for the account, replacing its unused one if any.
    async fn replace(
        &self,
        user_id: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), InfraError>;

    async fn find(&self, token_hash: &str) -> Result<Option<ResetToken>, InfraError>;

    /// In one transaction: marks the token used if it is usable at `now`, and sets the
    /// account's password. The account's id, or `None` when the token was not usable.
    async fn redeem(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<UserId>, InfraError>;
}

#[derive(Debug, thiserror::Error)]
pub enum AddressStoreError {
    #[error("no such address")]
    NotFound,
    #[error("an address book holds at most {0} addresses")]
    Full(usize),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// A person's addresses; every method is scoped to the owner, so one person never reaches
/// another's.
#[async_trait]
pub trait AddressRepository: Send + Sync {
    /// The owner's addresses, the default first, then by creation.
    async fn list(&self, owner: UserId) -> Result<Vec<Address>, InfraError>;

    async fn find(&self, owner: UserId, id: i64) -> Result<Option<Address>, AddressStoreError>;

    /// Adds an address; the first one becomes the default. Refuses past `capacity`.
    async fn create(
        &self,
        owner: UserId,
        fields: &AddressFields,
        capacity: usize,
    ) -> Result<Address, AddressStoreError>;

    async fn update(
        &self,
        owner: UserId,
        id: i64,
        fields: &AddressFields,
    ) -> Result<Address, AddressStoreError>;

    async fn delete(&self, owner: UserId, id: i64) -> Result<(), AddressStoreError>;

    /// Makes `id` the default and every other address not, in one transaction.
    async fn set_default(&self, owner: UserId, id: i64) -> Result<Address, AddressStoreError>;
}

/// Sessions, by the hash of their token, with an index per account.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Creates or replaces the session, to be forgotten at its `expires_at`.
    async fn save(&self, token_hash: &str, session: &Session) -> Result<(), InfraError>;

    async fn find(&self, token_hash: &str) -> Result<Option<Session>, InfraError>;

    /// The account's sessions, with their token hashes.
    async fn list(&self, user_id: UserId) -> Result<Vec<(String, Session)>, InfraError>;

    async fn revoke(&self, token_hash: &str, user_id: UserId) -> Result<(), InfraError>;

    /// Revokes every session of the account but `except`; returns how many.
    async fn revoke_all(&self, user_id: UserId, except: Option<&str>) -> Result<u64, InfraError>;
}
