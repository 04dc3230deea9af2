//! The studio: customers, staff, rooms, schedules, packages and shoots.

mod packages;
mod shoots;

pub use packages::PgPackageRepository;
pub use shoots::PgShootRepository;
