//! From the scheduling use-case errors to problems.

use app::studio::schedule::SchedulingError;
use domain::studio::schedule::WorkingTimeConflict;

use crate::problem::{ApiError, ProblemCode};

impl From<SchedulingError> for ApiError {
    fn from(error: SchedulingError) -> Self {
        match error {
            SchedulingError::Invalid(fields) => ApiError::invalid_fields(fields),
            SchedulingError::EmployeeNotFound => ApiError::not_found("There is no such employee."),
            SchedulingError::StoreNotFound => ApiError::not_found("There is no such store."),
            SchedulingError::TimeOffNotFound => ApiError::not_found("There is no such time off."),
            SchedulingError::NotWorking(WorkingTimeConflict::OutsideWorkingHours) => ApiError::new(
                ProblemCode::OutsideWorkingHours,
                "The time is not inside one of the person's working periods.",
            ),
            SchedulingError::NotWorking(WorkingTimeConflict::DuringTimeOff(off)) => ApiError::new(
                ProblemCode::DuringTimeOff,
                "The time overlaps the person's time off.",
            )
            .with_extension("time_off_id", off.id.into()),
            SchedulingError::Infra(error) => error.into(),
        }
    }
}
