//! Employees: hiring (creating), listing, changing, deactivating (`active: false`).

use domain::identity::credentials::Email;
use domain::pagination::{Page, PageRequest};
use domain::stores::store::StoreId;
use domain::studio::EmployeeId;
use domain::studio::customers::Phone;
use domain::studio::staff::{self, Employee, EmployeeDetails};
use domain::{Fields, Invalid};
use ports::studio::staff::EmployeeFilter;

use super::{Studio, StudioError};

/// A new employee as received.
#[derive(Debug, Clone, Default)]
pub struct EmployeeInput {
    /// The code of their store.
    pub store: String,
    pub first_name: String,
    pub last_name: Option<String>,
    pub position: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `true` unless given.
    pub active: Option<bool>,
    /// The username of the account they sign in with.
    pub account: Option<String>,
}

/// A change to an employee as received: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct EmployeePatch {
    pub store: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub position: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub account: Option<Option<String>>,
}

impl From<EmployeeInput> for EmployeePatch {
    fn from(input: EmployeeInput) -> Self {
        Self {
            store: Some(input.store),
            first_name: Some(input.first_name),
            last_name: Some(input.last_name.unwrap_or_default()),
            position: Some(input.position),
            email: Some(input.email),
            phone: Some(input.phone),
            active: Some(input.active.unwrap_or(true)),
            account: Some(input.account),
        }
    }
}

/// The details `patch` makes of `current` (of nothing, for a new employee); the store and
/// the account are already looked up.
fn patched(
    current: Option<&EmployeeDetails>,
    patch: EmployeePatch,
    store_id: Result<StoreId, Invalid>,
    account: Result<Option<i64>, Invalid>,
) -> Result<EmployeeDetails, StudioError> {
    let mut fields = Fields::default();
    let store_id = fields.check("store", store_id);
    let (first_name, last_name) = super::names(
        &mut fields,
        (patch.first_name.as_deref(), patch.last_name.as_deref()),
        current.map(|c| (c.first_name.as_str(), c.last_name.as_str())),
    );
    let position = match &patch.position {
        Some(raw) => fields.check("position", staff::parse_position(raw)),
        None => current.map(|c| c.position),
    };
    let email = match patch.email {
        Some(given) => fields.check(
            "email",
            given
                .as_deref()
                .map(|raw| Email::parse(raw.trim()))
                .transpose(),
        ),
        None => Some(current.and_then(|c| c.email.clone())),
    };
    let phone = match patch.phone {
        Some(given) => fields.check("phone", given.as_deref().map(Phone::parse).transpose()),
        None => Some(current.and_then(|c| c.phone.clone())),
    };
    let user_id = fields.check("account", account);
    fields.finish().map_err(StudioError::Invalid)?;
    let (
        Some(store_id),
        Some(first_name),
        Some(last_name),
        Some(position),
        Some(email),
        Some(phone),
        Some(user_id),
    ) = (
        store_id, first_name, last_name, position, email, phone, user_id,
    )
    else {
        unreachable!("every field parsed when there are no errors");
    };
    Ok(EmployeeDetails {
        store_id,
        first_name,
        last_name,
        position,
        email,
        phone,
        active: patch.active.or(current.map(|c| c.active)).unwrap_or(true),
        user_id,
    })
}

impl Studio {
    pub async fn create_employee(&self, input: EmployeeInput) -> Result<Employee, StudioError> {
        let patch = EmployeePatch::from(input);
        let store_id = self.store_id(patch.store.as_deref().unwrap_or("")).await?;
        let account = self.account(patch.account.clone(), None).await?;
        let details = patched(None, patch, store_id, account)?;
        let employee = self.ports.employees.create(&details).await?;
        tracing::info!(employee_id = employee.id, "employee created");
        Ok(employee)
    }

    pub async fn employee(&self, id: EmployeeId) -> Result<Employee, StudioError> {
        self.ports
            .employees
            .find(id)
            .await?
            .ok_or(StudioError::EmployeeNotFound)
    }

    /// A page of employees, by id. An unknown store or position is a refused field.
    pub async fn employees(
        &self,
        store: Option<String>,
        position: Option<String>,
        active: Option<bool>,
        page: &PageRequest<EmployeeId>,
    ) -> Result<Page<Employee>, StudioError> {
        let position = position
            .map(|raw| staff::parse_position(&raw))
            .transpose()
            .map_err(|e| StudioError::invalid("position", e))?;
        Ok(self
            .ports
            .employees
            .list(
                &EmployeeFilter {
                    store,
                    position,
                    active,
                },
                page,
            )
            .await?)
    }

    pub async fn update_employee(
        &self,
        id: EmployeeId,
        patch: EmployeePatch,
    ) -> Result<Employee, StudioError> {
        let current = self.employee(id).await?;
        let store_id = match &patch.store {
            Some(code) => self.store_id(code).await?,
            None => Ok(current.details.store_id),
        };
        let account = self
            .account(patch.account.clone(), current.details.user_id)
            .await?;
        let details = patched(Some(&current.details), patch, store_id, account)?;
        Ok(self.ports.employees.update(id, &details).await?)
    }
}
