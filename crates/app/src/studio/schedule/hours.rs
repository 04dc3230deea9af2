//! A person's working week: read by managers or the person, replaced by managers; and the
//! check a booking of the person must pass.

use domain::identity::user::UserId;
use domain::studio::EmployeeId;
use domain::studio::schedule::{DayHours, WorkingWeek};

use super::{Scheduling, SchedulingError};

/// Who reads a working week: may they read anyone's (`studio:schedule`), or only their own?
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub user_id: UserId,
    pub reads_everyone: bool,
}

impl Scheduling {
    /// The employee's week, for a reader who manages schedules or is that employee; anyone
    /// else learns nothing (`EmployeeNotFound`).
    pub async fn working_week(
        &self,
        employee: EmployeeId,
        reader: Reader,
    ) -> Result<WorkingWeek, SchedulingError> {
        let staff = self
            .ports
            .schedule
            .staff(employee)
            .await?
            .filter(|s| reader.reads_everyone || s.user_id == Some(reader.user_id))
            .ok_or(SchedulingError::EmployeeNotFound)?;
        Ok(self.ports.schedule.working_week(staff.id).await?)
    }

    /// Replaces the employee's whole week with `days` (checked first; nothing changes when
    /// any day is refused).
    pub async fn set_working_week(
        &self,
        employee: EmployeeId,
        days: &[DayHours],
    ) -> Result<WorkingWeek, SchedulingError> {
        let week = WorkingWeek::from_days(days).map_err(SchedulingError::Invalid)?;
        self.ports
            .schedule
            .replace_working_week(employee, &week)
            .await?;
        tracing::info!(employee_id = employee, "working hours set");
        Ok(week)
    }
}
