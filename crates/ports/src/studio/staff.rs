//! Employees.

use async_trait::async_trait;
use domain::pagination::{Page, PageRequest};
use domain::studio::staff::{Employee, EmployeeDetails};
use domain::studio::{EmployeeId, Position};

use crate::InfraError;

/// Which employees a list holds.
#[derive(Debug, Clone, Default)]
pub struct EmployeeFilter {
    /// The code of their store; an unknown code matches nobody.
    pub store: Option<String>,
    pub position: Option<Position>,
    pub active: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum EmployeeStoreError {
    #[error("no such employee")]
    NotFound,
    /// The account is linked to another employee.
    #[error("the account is linked to another employee")]
    AccountTaken,
    #[error("no such account")]
    UnknownAccount,
    #[error("no such store")]
    UnknownStore,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait EmployeeRepository: Send + Sync {
    async fn create(&self, details: &EmployeeDetails) -> Result<Employee, EmployeeStoreError>;

    async fn find(&self, id: EmployeeId) -> Result<Option<Employee>, InfraError>;

    /// A page of employees, by id, after `page.after`.
    async fn list(
        &self,
        filter: &EmployeeFilter,
        page: &PageRequest<EmployeeId>,
    ) -> Result<Page<Employee>, InfraError>;

    /// Replaces the employee's details.
    async fn update(
        &self,
        id: EmployeeId,
        details: &EmployeeDetails,
    ) -> Result<Employee, EmployeeStoreError>;
}
