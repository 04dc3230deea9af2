//! Whether a shoot may take a time: each person booked is at work then (inside one of their
//! working periods, clear of their time off) and the room is not closed. Whether they are free
//! of other shoots is the database's to say when the booking is written.

use domain::stores::store::{StoreId, TimeZone};
use domain::studio::schedule::{Interval, check_working_time};
use domain::studio::shoots::Slot;
use domain::studio::{EmployeeId, RoomId};
use ports::studio::schedule::TimeOffFilter;

use super::{Shoots, ShootsError};

impl Shoots {
    /// Refuses `slot` when one of `staff` is not at work or `room` is closed. People who are
    /// not active staff of `store_id` are left to the booking, which refuses them by name.
    pub(super) async fn check_bookable(
        &self,
        store_id: StoreId,
        zone: TimeZone,
        slot: Slot,
        staff: &[EmployeeId],
        room: Option<RoomId>,
    ) -> Result<(), ShootsError> {
        let during = Interval::parse(slot.starts_at(), slot.ends_at())
            .map_err(|e| ShootsError::invalid("ends_at", e))?;
        let schedule = &self.ports.schedule;
        for &employee in staff {
            let Some(person) = schedule.staff(employee).await? else {
                continue;
            };
            if person.store_id != store_id || !person.active {
                continue;
            }
            let week = schedule.working_week(employee).await?;
            let time_off = schedule.employee_time_off(employee, during).await?;
            check_working_time(&week, &time_off, zone.tz(), during).map_err(|conflict| {
                ShootsError::NotWorking {
                    employee_id: employee,
                    conflict,
                }
            })?;
        }
        if let Some(room) = room {
            let filter = TimeOffFilter {
                room_id: Some(room),
                from: Some(slot.starts_at()),
                to: Some(slot.ends_at()),
                ..TimeOffFilter::default()
            };
            let closures = schedule
                .list_time_off(&filter, &domain::pagination::PageRequest::first(1))
                .await?;
            if let Some(closure) = closures.items.first() {
                return Err(ShootsError::RoomClosed {
                    room_id: room,
                    time_off_id: closure.id,
                });
            }
        }
        Ok(())
    }
}
