//! Customers, and what the studio did with them (their history).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use domain::studio::customers::{Customer, CustomerDetails};
use domain::studio::{CustomerId, ShootId};

use crate::InfraError;

/// Which customers a list holds.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Part of a name (family and given name in either order), a phone number or an email
    /// address, ignoring case.
    pub search: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CustomerStoreError {
    #[error("no such customer")]
    NotFound,
    #[error("another customer has this email address")]
    EmailTaken,
    #[error("another customer has this phone number")]
    PhoneTaken,
    /// The account is linked to another customer.
    #[error("the account is linked to another customer")]
    AccountTaken,
    /// The account went away since it was looked up.
    #[error("no such account")]
    UnknownAccount,
    /// Shoots refer to the customer.
    #[error("the customer has shoots")]
    HasShoots,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// A shoot of a customer, as their history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShootRecord {
    pub id: ShootId,
    /// The code of the store it is at.
    pub store: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub stage: String,
}

/// An order of a customer's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: i64,
    pub number: String,
    pub store: String,
    pub status: String,
    pub currency: String,
    pub total: Money,
    pub paid_amount: Money,
    pub created_at: DateTime<Utc>,
}

/// A payment of one of those orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: i64,
    pub order_id: i64,
    pub order_number: String,
    pub method: String,
    pub status: String,
    pub currency: String,
    pub amount: Money,
    pub refunded_amount: Money,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// What the studio did with a customer: their latest shoots, the latest orders of their
/// account, and the latest payments of those orders, each list newest first and at most
/// `limit` long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerHistory {
    pub shoots: Vec<ShootRecord>,
    pub orders: Vec<OrderRecord>,
    pub payments: Vec<PaymentRecord>,
}

#[async_trait]
pub trait CustomerRepository: Send + Sync {
    async fn create(&self, details: &CustomerDetails) -> Result<Customer, CustomerStoreError>;

    async fn find(&self, id: CustomerId) -> Result<Option<Customer>, InfraError>;

    /// A page of customers, newest first, after `page.after`.
    async fn list(
        &self,
        filter: &CustomerFilter,
        page: &PageRequest<CustomerId>,
    ) -> Result<Page<Customer>, InfraError>;

    /// Replaces the customer's details.
    async fn update(
        &self,
        id: CustomerId,
        details: &CustomerDetails,
    ) -> Result<Customer, CustomerStoreError>;

    /// Deletes a customer no shoot refers to (`HasShoots` otherwise).
    async fn delete(&self, id: CustomerId) -> Result<(), CustomerStoreError>;

    /// The customer's history, each list at most `limit` long; `None` for no such customer.
    async fn history(
        &self,
        id: CustomerId,
        limit: u32,
    ) -> Result<Option<CustomerHistory>, InfraError>;
}
