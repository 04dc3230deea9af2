use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::studio::customers::CustomerStoreError;
use ports::studio::rooms::RoomStoreError;
use ports::studio::staff::EmployeeStoreError;

/// Every way a studio use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum StudioError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("no such customer")]
    CustomerNotFound,
    #[error("another customer has this email address")]
    CustomerEmailTaken,
    #[error("another customer has this phone number")]
    CustomerPhoneTaken,
    /// Shoots refer to the customer: it stays.
    #[error("the customer has shoots")]
    CustomerHasShoots,
    #[error("no such employee")]
    EmployeeNotFound,
    #[error("no such room")]
    RoomNotFound,
    #[error("the store has a room of this name")]
    RoomNameTaken,
    /// The account is linked to another customer, or to another employee.
    #[error("the account is linked to another {0}")]
    AccountLinked(&'static str),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl StudioError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<CustomerStoreError> for StudioError {
    fn from(error: CustomerStoreError) -> Self {
        match error {
            CustomerStoreError::NotFound => Self::CustomerNotFound,
            CustomerStoreError::EmailTaken => Self::CustomerEmailTaken,
            CustomerStoreError::PhoneTaken => Self::CustomerPhoneTaken,
            CustomerStoreError::AccountTaken => Self::AccountLinked("customer"),
            CustomerStoreError::UnknownAccount => {
                Self::invalid("account", Invalid::new("names no account"))
            }
            CustomerStoreError::HasShoots => Self::CustomerHasShoots,
            CustomerStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<EmployeeStoreError> for StudioError {
    fn from(error: EmployeeStoreError) -> Self {
        match error {
            EmployeeStoreError::NotFound => Self::EmployeeNotFound,
            EmployeeStoreError::AccountTaken => Self::AccountLinked("employee"),
            EmployeeStoreError::UnknownAccount => {
                Self::invalid("account", Invalid::new("names no account"))
            }
            EmployeeStoreError::UnknownStore => {
                Self::invalid("store", Invalid::new("names no store"))
            }
            EmployeeStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<RoomStoreError> for StudioError {
    fn from(error: RoomStoreError) -> Self {
        match error {
            RoomStoreError::NotFound => Self::RoomNotFound,
            RoomStoreError::NameTaken => Self::RoomNameTaken,
            RoomStoreError::UnknownStore => Self::invalid("store", Invalid::new("names no store")),
            RoomStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
