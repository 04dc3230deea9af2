//! From the studio's use-case errors to problems.

use app::studio::StudioError;
use app::studio::shoots::ShootsError;
use domain::studio::schedule::WorkingTimeConflict;
use domain::studio::shoots::MoveRefusal;
use ports::studio::shoots::Resource;
use serde_json::json;

use crate::problem::{ApiError, ProblemCode, sentence};

impl From<ShootsError> for ApiError {
    fn from(error: ShootsError) -> Self {
        match error {
            ShootsError::Invalid(fields) => ApiError::invalid_fields(fields),
            ShootsError::NotFound => ApiError::not_found("There is no such shoot."),
            ShootsError::StoreNotFound => ApiError::not_found("No store has this code."),
            ShootsError::PackageNotFound => ApiError::not_found("No product has this SKU."),
            ShootsError::Forbidden(why) => {
                ApiError::new(ProblemCode::Forbidden, format!("Not allowed: {why}."))
            }
            ShootsError::Clash { resource, shoot_id } => {
                let (what, resource) = match resource {
                    Resource::Employee(id) => (
                        format!("Employee {id} is"),
                        json!({"kind": "employee", "id": id}),
                    ),
                    Resource::Room(id) => {
                        (format!("Room {id} is"), json!({"kind": "room", "id": id}))
                    }
                };
                let detail = match shoot_id {
                    Some(shoot) => format!("{what} booked for shoot {shoot} at that time."),
                    None => format!("{what} booked for another shoot at that time."),
                };
                ApiError::new(ProblemCode::BookingConflict, detail)
                    .with_extension("resource", resource)
                    .with_extension("clashing_shoot", json!(shoot_id))
            }
            ShootsError::NotWorking {
                employee_id,
                conflict,
            } => {
                let problem = match conflict {
                    WorkingTimeConflict::OutsideWorkingHours => ApiError::new(
                        ProblemCode::OutsideWorkingHours,
                        format!(
                            "Employee {employee_id} does not work then: the shoot must lie inside \
                             one of their working periods."
                        ),
                    ),
                    WorkingTimeConflict::DuringTimeOff(off) => ApiError::new(
                        ProblemCode::DuringTimeOff,
                        format!("Employee {employee_id} has time off then."),
                    )
                    .with_extension("time_off_id", json!(off.id)),
                };
                problem.with_extension("employee_id", json!(employee_id))
            }
            ShootsError::RoomClosed {
                room_id,
                time_off_id,
            } => ApiError::new(
                ProblemCode::RoomClosed,
                format!("Room {room_id} is closed then."),
            )
            .with_extension("room_id", json!(room_id))
            .with_extension("time_off_id", json!(time_off_id)),
            ShootsError::Refused { refusal, stage } => {
                let code = match refusal {
                    MoveRefusal::Illegal { .. } => ProblemCode::IllegalStageMove,
                    MoveRefusal::NotYours { .. } => ProblemCode::Forbidden,
                    MoveRefusal::NotStarted => ProblemCode::ShootNotStarted,
                    MoveRefusal::SelectionMissing => ProblemCode::SelectionMissing,
                    MoveRefusal::BalanceDue => ProblemCode::BalanceDue,
                };
                let detail = match refusal {
                    MoveRefusal::NotStarted => "The shoot has not started yet.".to_owned(),
                    MoveRefusal::SelectionMissing => {
                        "Record the customer's selection first.".to_owned()
                    }
                    MoveRefusal::BalanceDue => {
                        "The order's balance is not paid: take the balance first.".to_owned()
                    }
                    other => sentence(&other),
                };
                ApiError::new(code, detail).with_extension("stage", json!(stage.as_str()))
            }
            ShootsError::WrongStage { stage } => ApiError::new(
                ProblemCode::IllegalStageMove,
                format!("Not possible while the shoot is {stage}."),
            )
            .with_extension("stage", json!(stage.as_str())),
            ShootsError::OrderSettled(status) => ApiError::new(
                ProblemCode::OrderSettled,
                format!(
                    "The package order is {}: extra photos can be added only while it waits for \
                     payment.",
                    status.as_str()
                ),
            ),
            ShootsError::Infra(error) => error.into(),
        }
    }
}

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
