use domain::ordering::order::OrderStatus;
use domain::studio::schedule::WorkingTimeConflict;
use domain::studio::shoots::{MoveRefusal, Stage};
use domain::studio::{EmployeeId, RoomId, ShootId};
use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::studio::packages::PackageStoreError;
use ports::studio::shoots::{Resource, ShootStoreError};

/// Every way a shoot or package use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum ShootsError {
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// No such shoot, or not one the caller may see.
    #[error("no such shoot")]
    NotFound,
    #[error("no such store")]
    StoreNotFound,
    #[error("no such package")]
    PackageNotFound,
    /// The caller may see the shoot but not do this to it.
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
    /// A person or room is booked for another shoot at that time.
    #[error("{resource:?} is booked at that time")]
    Clash {
        resource: Resource,
        shoot_id: Option<ShootId>,
    },
    /// A person booked is not at work then.
    #[error("employee {employee_id}: {conflict}")]
    NotWorking {
        employee_id: EmployeeId,
        conflict: WorkingTimeConflict,
    },
    /// The room is closed then.
    #[error("room {room_id} is closed then")]
    RoomClosed { room_id: RoomId, time_off_id: i64 },
    /// The move breaks the stage machine or one of its conditions; `stage` is where the shoot
    /// is.
    #[error("{refusal}")]
    Refused { refusal: MoveRefusal, stage: Stage },
    /// The change needs the shoot at another stage.
    #[error("the shoot is {stage}")]
    WrongStage { stage: Stage },
    /// Extra photos cannot be added to an order that no longer waits for payment.
    #[error("the order is {0:?}")]
    OrderSettled(OrderStatus),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl ShootsError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<ShootStoreError> for ShootsError {
    fn from(error: ShootStoreError) -> Self {
        match error {
            ShootStoreError::NotFound => Self::NotFound,
            ShootStoreError::UnknownCustomer => {
                Self::invalid("customer_id", Invalid::new("names no customer"))
            }
            ShootStoreError::UnknownStaff(ids) => Self::invalid(
                "staff",
                Invalid::new(format!(
                    "names people who are not active staff of the store: {ids:?}"
                )),
            ),
            ShootStoreError::UnknownRetoucher => Self::invalid(
                "retoucher_id",
                Invalid::new("names no active employee of the store"),
            ),
            ShootStoreError::UnknownRoom => {
                Self::invalid("room_id", Invalid::new("names no active room of the store"))
            }
            ShootStoreError::Clash { resource, shoot_id } => Self::Clash { resource, shoot_id },
            ShootStoreError::StageChanged(stage) => Self::WrongStage { stage },
            ShootStoreError::OrderSettled(status) => Self::OrderSettled(status),
            ShootStoreError::Infra(e) => Self::Infra(e),
        }
    }
}

impl From<PackageStoreError> for ShootsError {
    fn from(error: PackageStoreError) -> Self {
        match error {
            PackageStoreError::UnknownProduct => Self::PackageNotFound,
            PackageStoreError::NotAPackage => Self::invalid(
                "sku",
                Invalid::new("names a product that is not of kind `package`"),
            ),
            PackageStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
