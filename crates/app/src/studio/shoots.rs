//! Shoots: booking them for a customer (maybe for a package order), seeing them, moving them
//! through their stages, rescheduling, and the customer's selection; and the packages they are
//! booked for.
//!
//! Who sees what: people with `studio:schedule` (the front desk, managers) see and change every
//! shoot; people with `studio:shoots` see the shoots they are booked for or retouch, and move
//! them through the stages of the work (`domain::studio::shoots::check_move`). Any other shoot
//! does not exist for them.

mod bookable;
mod booking;
mod error;
mod packages;
mod work;

use std::sync::Arc;

use domain::identity::permission::Permission;
use domain::identity::user::Principal;
use domain::ordering::order::OrderStatus;
use domain::stores::store::Store;
use domain::studio::ShootId;
use domain::studio::shoots::Shoot;
use ports::InfraError;
use ports::clock::Clock;
use ports::stores::StoreRepository;
use ports::studio::customers::CustomerRepository;
use ports::studio::packages::PackageRepository;
use ports::studio::schedule::ScheduleRepository;
use ports::studio::shoots::ShootRepository;

use crate::backoffice::settings::SettingsService;
use crate::stores::store_named;

pub use booking::{Board, BoardQuery, BookingInput, ShootChangeInput, ShootQuery, StaffDay};
pub use error::ShootsError;
pub use packages::PackageInput;
pub use work::ShootDetail;

#[derive(Clone)]
pub struct ShootsPorts {
    pub shoots: Arc<dyn ShootRepository>,
    pub customers: Arc<dyn CustomerRepository>,
    pub packages: Arc<dyn PackageRepository>,
    /// Working hours, time off and room closures, which a booking must respect.
    pub schedule: Arc<dyn ScheduleRepository>,
    pub stores: Arc<dyn StoreRepository>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Shoots {
    ports: ShootsPorts,
    settings: SettingsService,
}

impl Shoots {
    pub fn new(ports: ShootsPorts, settings: SettingsService) -> Self {
        Self { ports, settings }
    }

    /// The deployment's currency, which package prices are in.
    pub async fn currency(&self) -> Result<String, InfraError> {
        self.settings.value("currency").await
    }

    /// The store `code` names, if any (see `stores::store_named`).
    async fn store_named(&self, code: &str) -> Result<Option<Store>, InfraError> {
        store_named(self.ports.stores.as_ref(), code).await
    }

    /// The shoot, if the caller may see it.
    async fn visible(&self, caller: &Principal, id: ShootId) -> Result<Shoot, ShootsError> {
        let shoot = self
            .ports
            .shoots
            .find(id)
            .await?
            .ok_or(ShootsError::NotFound)?;
        if schedules(caller) || works_on(caller, &shoot) {
            Ok(shoot)
        } else {
            Err(ShootsError::NotFound)
        }
    }

    /// Whether the shoot's order, if it has one, is paid in full.
    async fn balance_paid(&self, shoot: &Shoot) -> Result<bool, ShootsError> {
        let Some(number) = &shoot.order_number else {
            return Ok(true);
        };
        let order = self.ports.shoots.package_order(number).await?;
        Ok(order.is_some_and(|o| {
            matches!(
                o.status,
                OrderStatus::Paid
                    | OrderStatus::Shipped
                    | OrderStatus::Delivered
                    | OrderStatus::Completed
            )
        }))
    }
}

/// Holds `studio:schedule`: sees and changes every shoot.
fn schedules(caller: &Principal) -> bool {
    caller.access.allows(Permission::StudioSchedule)
}

/// Holds `studio:shoots` and is booked for the shoot or retouches it.
fn works_on(caller: &Principal, shoot: &Shoot) -> bool {
    caller.access.allows(Permission::StudioShoots) && shoot.involves(caller.user_id)
}
