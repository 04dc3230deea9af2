use chrono::TimeDelta;
use domain::identity::permission::Permission;
use domain::identity::role::RoleRuleViolation;
use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::identity::{
    AddressStoreError, CreateUserError, DeleteAccountError, ManageAccountError, RoleStoreError,
    UpdateProfileError,
};

/// Every way an identity use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("the permission {} is required", .0.as_str())]
    Forbidden(Permission),
    #[error("too many attempts")]
    RateLimited { retry_after: TimeDelta },
    #[error("the username is taken")]
    UsernameTaken,
    #[error("the email belongs to another account")]
    EmailTaken,
    #[error("the reset token is unknown, used or expired")]
    InvalidResetToken,
    #[error("there is no account {0}")]
    UserNotFound(String),
    #[error("there is no role {0}")]
    RoleNotFound(String),
    #[error("a role called {0} exists")]
    RoleNameTaken(String),
    #[error("accounts still have the role {0}")]
    RoleInUse(String),
    #[error(transparent)]
    RoleRule(#[from] RoleRuleViolation),
    #[error("there must always be an admin")]
    LastAdmin,
    /// The account's wallet holds money; it must be withdrawn before the account is deleted.
    #[error("the wallet holds {0}")]
    WalletNotEmpty(domain::money::Money),
    #[error("no such session")]
    SessionNotFound,
    #[error("no such address")]
    AddressNotFound,
    #[error("an address book holds at most {0} addresses")]
    AddressBookFull(usize),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl IdentityError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<CreateUserError> for IdentityError {
    fn from(error: CreateUserError) -> Self {
        match error {
            CreateUserError::UsernameTaken => Self::UsernameTaken,
            CreateUserError::EmailTaken => Self::EmailTaken,
            CreateUserError::UnknownRole(role) => Self::RoleNotFound(role.to_string()),
            CreateUserError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<UpdateProfileError> for IdentityError {
    fn from(error: UpdateProfileError) -> Self {
        match error {
            UpdateProfileError::EmailTaken => Self::EmailTaken,
            UpdateProfileError::NotFound => Self::Unauthenticated,
            UpdateProfileError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<ManageAccountError> for IdentityError {
    fn from(error: ManageAccountError) -> Self {
        match error {
            ManageAccountError::UserNotFound(name) => Self::UserNotFound(name),
            ManageAccountError::RoleNotFound(role) => Self::RoleNotFound(role.to_string()),
            ManageAccountError::LastAdmin => Self::LastAdmin,
            ManageAccountError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<DeleteAccountError> for IdentityError {
    fn from(error: DeleteAccountError) -> Self {
        match error {
            DeleteAccountError::LastAdmin => Self::LastAdmin,
            DeleteAccountError::WalletNotEmpty { balance } => Self::WalletNotEmpty(balance),
            DeleteAccountError::NotFound => Self::Unauthenticated,
            DeleteAccountError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<RoleStoreError> for IdentityError {
    fn from(error: RoleStoreError) -> Self {
        match error {
            RoleStoreError::NotFound(role) => Self::RoleNotFound(role.to_string()),
            RoleStoreError::NameTaken(role) => Self::RoleNameTaken(role.to_string()),
            RoleStoreError::InUse(role) => Self::RoleInUse(role.to_string()),
            RoleStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<AddressStoreError> for IdentityError {
    fn from(error: AddressStoreError) -> Self {
        match error {
            AddressStoreError::NotFound => Self::AddressNotFound,
            AddressStoreError::Full(capacity) => Self::AddressBookFull(capacity),
            AddressStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
