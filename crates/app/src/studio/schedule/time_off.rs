//! Time off: recording, listing and deleting a person's leave or a room's closure.

use chrono::{DateTime, Utc};
use domain::Fields;
use domain::identity::user::UserId;
use domain::pagination::{Page, PageRequest};
use domain::studio::schedule::time_off::parse_reason;
use domain::studio::schedule::{Interval, TimeOff, TimeOffId, TimeOffSubject, TimeOffTerms};
use domain::studio::{EmployeeId, RoomId};
use ports::studio::schedule::{ScheduleStoreError, TimeOffFilter};

use super::{Scheduling, SchedulingError};

/// A time off as received.
#[derive(Debug, Clone)]
pub struct TimeOffInput {
    pub employee_id: Option<EmployeeId>,
    pub room_id: Option<RoomId>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl Scheduling {
    pub async fn create_time_off(
        &self,
        input: TimeOffInput,
        created_by: UserId,
    ) -> Result<TimeOff, SchedulingError> {
        let mut fields = Fields::default();
        let subject = fields.check(
            "employee_id",
            TimeOffSubject::parse(input.employee_id, input.room_id),
        );
        let during = fields.check("ends_at", Interval::parse(input.starts_at, input.ends_at));
        let reason = fields.check(
            "reason",
            parse_reason(input.reason.as_deref().unwrap_or("")),
        );
        fields.finish().map_err(SchedulingError::Invalid)?;
        let (Some(subject), Some(during), Some(reason)) = (subject, during, reason) else {
            unreachable!("every field parsed when there are no errors");
        };
        let time_off = self
            .ports
            .schedule
            .create_time_off(
                &TimeOffTerms {
                    subject,
                    during,
                    reason,
                },
                created_by,
            )
            .await
            .map_err(|error| match error {
                ScheduleStoreError::UnknownEmployee => SchedulingError::invalid(
                    "employee_id",
                    domain::Invalid::new("names no employee"),
                ),
                other => other.into(),
            })?;
        tracing::info!(time_off_id = time_off.id, "time off recorded");
        Ok(time_off)
    }

    pub async fn time_off(&self, id: TimeOffId) -> Result<TimeOff, SchedulingError> {
        self.ports
            .schedule
            .find_time_off(id)
            .await?
            .ok_or(SchedulingError::TimeOffNotFound)
    }

    /// A page of time off, newest first.
    pub async fn list_time_off(
        &self,
        filter: &TimeOffFilter,
        page: &PageRequest<TimeOffId>,
    ) -> Result<Page<TimeOff>, SchedulingError> {
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from >= to
        {
            return Err(SchedulingError::invalid(
                "to",
                domain::Invalid::new("must be after from"),
            ));
        }
        Ok(self.ports.schedule.list_time_off(filter, page).await?)
    }

    pub async fn delete_time_off(&self, id: TimeOffId) -> Result<(), SchedulingError> {
        self.ports.schedule.delete_time_off(id).await?;
        tracing::info!(time_off_id = id, "time off deleted");
        Ok(())
    }
}
