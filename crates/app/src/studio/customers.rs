//! Customers: creating, finding, changing, deleting, and their history.

use chrono::NaiveDate;
use domain::pagination::{Page, PageRequest};
use domain::studio::CustomerId;
use domain::studio::customers::{self, Customer, CustomerDetails, LeadSource, parse_contact};
use domain::{Fields, Invalid};
use ports::studio::customers::{CustomerFilter, CustomerHistory};

use super::{Studio, StudioError};

/// How long each list of a customer's history is at most (the latest shoots, orders and
/// payments).
pub const HISTORY_LIMIT: u32 = 100;

/// A new customer as received.
#[derive(Debug, Clone, Default)]
pub struct CustomerInput {
    pub first_name: String,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub anniversary: Option<NaiveDate>,
    pub lead_source: Option<String>,
    pub notes: Option<String>,
    /// The username of their online account.
    pub account: Option<String>,
}

/// A change to a customer as received: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub birthday: Option<Option<NaiveDate>>,
    pub anniversary: Option<Option<NaiveDate>>,
    pub lead_source: Option<Option<String>>,
    pub notes: Option<String>,
    /// A username links that account; `Some(None)` unlinks.
    pub account: Option<Option<String>>,
}

impl From<CustomerInput> for CustomerPatch {
    fn from(input: CustomerInput) -> Self {
        Self {
            first_name: Some(input.first_name),
            last_name: Some(input.last_name.unwrap_or_default()),
            email: Some(input.email),
            phone: Some(input.phone),
            birthday: Some(input.birthday),
            anniversary: Some(input.anniversary),
            lead_source: Some(input.lead_source),
            notes: Some(input.notes.unwrap_or_default()),
            account: Some(input.account),
        }
    }
}

/// The details `patch` makes of `current` (of nothing, for a new customer), every field
/// checked; `account` is the link the patch asks for, already looked up.
fn patched(
    current: Option<&CustomerDetails>,
    patch: CustomerPatch,
    account: Result<Option<i64>, Invalid>,
) -> Result<CustomerDetails, StudioError> {
    let mut fields = Fields::default();
    let (first_name, last_name) = super::names(
        &mut fields,
        (patch.first_name.as_deref(), patch.last_name.as_deref()),
        current.map(|c| (c.first_name.as_str(), c.last_name.as_str())),
    );
    let current_email = current.and_then(|c| c.contact.email()).map(|e| e.as_str());
    let current_phone = current.and_then(|c| c.contact.phone()).map(|p| p.as_str());
    let email = match &patch.email {
        Some(given) => given.as_deref(),
        None => current_email,
    };
    let phone = match &patch.phone {
        Some(given) => given.as_deref(),
        None => current_phone,
    };
    let contact = parse_contact(email, phone, "email")
        .map_err(|errors| fields.extend(errors))
        .ok();
    let lead_source = match patch.lead_source {
        Some(given) => fields.check(
            "lead_source",
            given.as_deref().map(LeadSource::parse).transpose(),
        ),
        None => Some(current.and_then(|c| c.lead_source)),
    };
    let notes = fields.check(
        "notes",
        customers::parse_notes(
            patch
                .notes
                .as_deref()
                .or(current.map(|c| c.notes.as_str()))
                .unwrap_or(""),
        ),
    );
    let user_id = fields.check("account", account);
    fields.finish().map_err(StudioError::Invalid)?;
    let (
        Some(first_name),
        Some(last_name),
        Some(contact),
        Some(lead_source),
        Some(notes),
        Some(user_id),
    ) = (first_name, last_name, contact, lead_source, notes, user_id)
    else {
        unreachable!("every field parsed when there are no errors");
    };
    Ok(CustomerDetails {
        first_name,
        last_name,
        contact,
        birthday: patch
            .birthday
            .unwrap_or_else(|| current.and_then(|c| c.birthday)),
        anniversary: patch
            .anniversary
            .unwrap_or_else(|| current.and_then(|c| c.anniversary)),
        lead_source,
        notes,
        user_id,
    })
}

impl Studio {
    pub async fn create_customer(&self, input: CustomerInput) -> Result<Customer, StudioError> {
        let patch = CustomerPatch::from(input);
        let account = self.account(patch.account.clone(), None).await?;
        let details = patched(None, patch, account)?;
        let customer = self.ports.customers.create(&details).await?;
        tracing::info!(customer_id = customer.id, "customer created");
        Ok(customer)
    }

    pub async fn customer(&self, id: CustomerId) -> Result<Customer, StudioError> {
        self.ports
            .customers
            .find(id)
            .await?
            .ok_or(StudioError::CustomerNotFound)
    }

    /// A page of customers, newest first; `search` matches part of a name, phone or email.
    pub async fn customers(
        &self,
        search: Option<String>,
        page: &PageRequest<CustomerId>,
    ) -> Result<Page<Customer>, StudioError> {
        let search = search
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        Ok(self
            .ports
            .customers
            .list(&CustomerFilter { search }, page)
            .await?)
    }

    pub async fn update_customer(
        &self,
        id: CustomerId,
        patch: CustomerPatch,
    ) -> Result<Customer, StudioError> {
        let current = self.customer(id).await?;
        let account = self
            .account(patch.account.clone(), current.details.user_id)
            .await?;
        let details = patched(Some(&current.details), patch, account)?;
        Ok(self.ports.customers.update(id, &details).await?)
    }

    /// Deletes a customer who has no shoots.
    pub async fn delete_customer(&self, id: CustomerId) -> Result<(), StudioError> {
        self.ports.customers.delete(id).await?;
        tracing::info!(customer_id = id, "customer deleted");
        Ok(())
    }

    /// The customer's latest shoots, orders and payments, [`HISTORY_LIMIT`] of each at most.
    pub async fn customer_history(&self, id: CustomerId) -> Result<CustomerHistory, StudioError> {
        self.ports
            .customers
            .history(id, HISTORY_LIMIT)
            .await?
            .ok_or(StudioError::CustomerNotFound)
    }
}
