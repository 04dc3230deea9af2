//! From the studio use-case errors to problems.

use app::studio::StudioError;

use crate::problem::{ApiError, ProblemCode};

impl From<StudioError> for ApiError {
    fn from(error: StudioError) -> Self {
        match error {
            StudioError::Invalid(fields) => ApiError::invalid_fields(fields),
            StudioError::CustomerNotFound => ApiError::not_found("There is no such customer."),
            StudioError::CustomerEmailTaken => ApiError::new(
                ProblemCode::CustomerEmailTaken,
                "Another customer has this email address (compared ignoring case).",
            ),
            StudioError::CustomerPhoneTaken => ApiError::new(
                ProblemCode::CustomerPhoneTaken,
                "Another customer has this phone number.",
            ),
            StudioError::CustomerHasShoots => ApiError::new(
                ProblemCode::CustomerHasShoots,
                "The customer has shoots, which keep them; they cannot be deleted.",
            ),
            StudioError::EmployeeNotFound => ApiError::not_found("There is no such employee."),
            StudioError::RoomNotFound => ApiError::not_found("There is no such room."),
            StudioError::RoomNameTaken => ApiError::new(
                ProblemCode::RoomNameTaken,
                "The store has a room of this name.",
            ),
            StudioError::AccountLinked(to) => ApiError::new(
                ProblemCode::AccountLinked,
                format!("The account is linked to another {to}; unlink it there first."),
            ),
            StudioError::Infra(error) => error.into(),
        }
    }
}
