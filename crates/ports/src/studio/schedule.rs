//! Storage for scheduling: working hours, time off, and what a free-slot search reads.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::user::UserId;
use domain::pagination::{Page, PageRequest};
use domain::stores::store::StoreId;
use domain::studio::schedule::{
    EmployeeCalendar, Interval, RoomCalendar, TimeOff, TimeOffId, TimeOffTerms, WorkingWeek,
};
use domain::studio::{EmployeeId, Position, RoomId};

use crate::InfraError;

/// What scheduling needs to know of an employee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: EmployeeId,
    pub store_id: StoreId,
    pub position: Position,
    pub active: bool,
    /// The account they sign in with.
    pub user_id: Option<UserId>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleStoreError {
    #[error("no such employee")]
    UnknownEmployee,
    #[error("no such room")]
    UnknownRoom,
    #[error("no such time off")]
    TimeOffNotFound,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Which time off a list holds: of a person or a room, overlapping `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct TimeOffFilter {
    pub employee_id: Option<EmployeeId>,
    pub room_id: Option<RoomId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Whom a free-slot search considers: the store's active employees, narrowed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Candidates {
    pub position: Option<Position>,
    pub employee_id: Option<EmployeeId>,
}

/// A store's people and rooms with everything that keeps them from a time.
#[derive(Debug, Clone, Default)]
pub struct StoreCalendars {
    pub employees: Vec<EmployeeCalendar>,
    pub rooms: Vec<RoomCalendar>,
}

#[async_trait]
pub trait ScheduleRepository: Send + Sync {
    async fn staff(&self, id: EmployeeId) -> Result<Option<Staff>, InfraError>;

    /// The employee's working week (empty when none is recorded).
    async fn working_week(&self, employee: EmployeeId) -> Result<WorkingWeek, InfraError>;

    /// Replaces the employee's whole week in one transaction.
    async fn replace_working_week(
        &self,
        employee: EmployeeId,
        week: &WorkingWeek,
    ) -> Result<(), ScheduleStoreError>;

    async fn create_time_off(
        &self,
        terms: &TimeOffTerms,
        created_by: UserId,
    ) -> Result<TimeOff, ScheduleStoreError>;

    async fn find_time_off(&self, id: TimeOffId) -> Result<Option<TimeOff>, InfraError>;

    /// A page of time off, newest first, after `page.after`.
    async fn list_time_off(
        &self,
        filter: &TimeOffFilter,
        page: &PageRequest<TimeOffId>,
    ) -> Result<Page<TimeOff>, InfraError>;

    async fn delete_time_off(&self, id: TimeOffId) -> Result<(), ScheduleStoreError>;

    /// The employee's time off overlapping `during`.
    async fn employee_time_off(
        &self,
        employee: EmployeeId,
        during: Interval,
    ) -> Result<Vec<TimeOff>, InfraError>;

    /// The store's active candidates and active rooms, each with its time off and active
    /// shoots overlapping `during`, in a few queries.
    async fn calendars(
        &self,
        store: StoreId,
        candidates: Candidates,
        during: Interval,
    ) -> Result<StoreCalendars, InfraError>;
}
