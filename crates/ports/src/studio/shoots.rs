//! Storage for shoots. Booking, moving, rescheduling and recording a selection are each one
//! transaction; whether people and rooms are free is the database's exclusion constraints' to
//! say, which make concurrent bookings of the same time race-free.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::catalog::product::ProductId;
use domain::identity::user::UserId;
use domain::money::Money;
use domain::ordering::order::{OrderId, OrderStatus};
use domain::pagination::{Page, PageRequest};
use domain::stores::store::StoreId;
use domain::studio::packages::PackageTerms;
use domain::studio::shoots::{Allowance, Assignment, Selection, Shoot, ShootEvent, Slot, Stage};
use domain::studio::{CustomerId, EmployeeId, RoomId, ShootId};

use crate::InfraError;

/// The package a shoot is booked for: the product, and what it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookedPackage {
    pub product_id: ProductId,
    pub allowance: Allowance,
}

#[derive(Debug, Clone)]
pub struct NewShoot {
    pub customer_id: CustomerId,
    pub store_id: StoreId,
    pub order_id: Option<OrderId>,
    pub package: Option<BookedPackage>,
    pub room_id: Option<RoomId>,
    pub staff: Vec<Assignment>,
    pub slot: Slot,
    pub notes: String,
    pub actor: UserId,
}

/// A change of a shoot's time, room or people; `None` keeps what it has.
#[derive(Debug, Clone, Default)]
pub struct ShootChange {
    pub slot: Option<Slot>,
    /// `Some(None)` frees the room.
    pub room_id: Option<Option<RoomId>>,
    pub staff: Option<Vec<Assignment>>,
    /// `Some(None)` leaves the shoot without a retoucher.
    pub retoucher_id: Option<Option<EmployeeId>>,
    pub notes: Option<String>,
}

/// What a shoot's booking clashed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Employee(EmployeeId),
    Room(RoomId),
}

/// A package order, as booking a shoot for it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageOrder {
    pub order_id: OrderId,
    pub user_id: UserId,
    pub store_id: StoreId,
    /// As stored: an unpaid order past `reserved_until` is expired even before the sweeper
    /// marks it (`domain::ordering::order::status_at`).
    pub status: OrderStatus,
    pub paid: Money,
    pub reserved_until: DateTime<Utc>,
    /// The package it bought, if it bought one.
    pub package: Option<(ProductId, String, PackageTerms)>,
}

/// The order line of the photos selected beyond a package's allowance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraPhotos {
    pub order_id: OrderId,
    pub product_id: ProductId,
    pub sku: String,
    pub name: String,
    pub unit_price: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum ShootStoreError {
    #[error("no such shoot")]
    NotFound,
    #[error("no such customer")]
    UnknownCustomer,
    /// These people are not active employees of the shoot's store.
    #[error("not active staff of the store: {0:?}")]
    UnknownStaff(Vec<EmployeeId>),
    /// The retoucher is not active staff of the shoot's store.
    #[error("the retoucher is not active staff of the store")]
    UnknownRetoucher,
    /// The room is not an active room of the shoot's store.
    #[error("not an active room of the store")]
    UnknownRoom,
    /// Someone or something booked is in another active shoot at that time (`shoot_id`, unless
    /// that shoot was cancelled in the meantime).
    #[error("{resource:?} is booked for another shoot at that time")]
    Clash {
        resource: Resource,
        shoot_id: Option<ShootId>,
    },
    /// The shoot is no longer at the stage the change was decided on (someone moved it).
    #[error("the shoot is now {0}")]
    StageChanged(Stage),
    /// The shoot's order no longer waits for payment, so nothing can be added to it.
    #[error("the order is {0:?}")]
    OrderSettled(OrderStatus),
    #[error(transparent)]
    Infra(#[from] InfraError),
}

/// Where a shoot is in a list: its start, then its id.
pub type ShootKey = (DateTime<Utc>, ShootId);

/// Which shoots a list holds: those overlapping `[from, to)`, of one store or all.
#[derive(Debug, Clone)]
pub struct ShootFilter {
    pub store_id: Option<StoreId>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub stage: Option<Stage>,
    pub employee_id: Option<EmployeeId>,
    pub customer_id: Option<CustomerId>,
    /// Only shoots this account is booked for or retouches.
    pub involving: Option<UserId>,
}

#[async_trait]
pub trait ShootRepository: Send + Sync {
    async fn package_order(&self, number: &str) -> Result<Option<PackageOrder>, InfraError>;

    /// Books the shoot with its people and room, and writes its `booked` event.
    async fn book(&self, shoot: &NewShoot) -> Result<ShootId, ShootStoreError>;

    async fn find(&self, id: ShootId) -> Result<Option<Shoot>, InfraError>;

    /// A page of the shoots of a store that overlap a period, by start.
    async fn list(
        &self,
        filter: &ShootFilter,
        page: &PageRequest<ShootKey>,
    ) -> Result<Page<Shoot>, InfraError>;

    async fn events(&self, id: ShootId) -> Result<Vec<ShootEvent>, InfraError>;

    /// Moves the shoot from `from` to `to`, if it is still at `from`, with its event.
    async fn move_stage(
        &self,
        id: ShootId,
        from: Stage,
        to: Stage,
        note: &str,
        actor: UserId,
    ) -> Result<(), ShootStoreError>;

    /// Changes the shoot's time, room or people if it is still at `stage`, with its events.
    async fn change(
        &self,
        id: ShootId,
        stage: Stage,
        change: &ShootChange,
        actor: UserId,
    ) -> Result<(), ShootStoreError>;

    /// Records the customer's selection if the shoot is still at `stage`; the photos beyond the
    /// allowance become (or replace) one line of `extras.order_id`, which must still wait for
    /// payment.
    async fn record_selection(
        &self,
        id: ShootId,
        stage: Stage,
        selection: Selection,
        extras: Option<&ExtraPhotos>,
        actor: UserId,
    ) -> Result<(), ShootStoreError>;
}
