use domain::studio::schedule::WorkingTimeConflict;
use domain::{FieldErrors, Invalid};
use ports::InfraError;
use ports::studio::schedule::ScheduleStoreError;

/// Every way a scheduling use case can fail.
#[derive(Debug, thiserror::Error)]
pub enum SchedulingError {
    /// Input that breaks a rule, by field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// No such employee, or one the caller may not see.
    #[error("no such employee")]
    EmployeeNotFound,
    #[error("no such store")]
    StoreNotFound,
    #[error("no such time off")]
    TimeOffNotFound,
    /// The person cannot be booked then.
    #[error(transparent)]
    NotWorking(#[from] WorkingTimeConflict),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

impl SchedulingError {
    pub fn invalid(field: &str, reason: Invalid) -> Self {
        Self::Invalid(vec![(field.to_owned(), reason)])
    }
}

impl From<ScheduleStoreError> for SchedulingError {
    fn from(error: ScheduleStoreError) -> Self {
        match error {
            ScheduleStoreError::UnknownEmployee => Self::EmployeeNotFound,
            ScheduleStoreError::UnknownRoom => {
                Self::invalid("room_id", Invalid::new("names no room"))
            }
            ScheduleStoreError::TimeOffNotFound => Self::TimeOffNotFound,
            ScheduleStoreError::Infra(e) => Self::Infra(e),
        }
    }
}
