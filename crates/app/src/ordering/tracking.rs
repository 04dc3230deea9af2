//! Where a shipped order's parcel is: asked of the carriers' tracking service, at most once per
//! `tracking_interval` per order (`tracking_last_sync`), and kept with the order.

use chrono::TimeDelta;
use domain::identity::user::Principal;
use domain::ordering::order::Order;

use super::{Ordering, OrderingError};

impl Ordering {
    /// Refreshes the order's tracking details, unless they were refreshed within the interval
    /// (then the order is returned as it is).
    pub async fn refresh_tracking(
        &self,
        caller: &Principal,
        number: &str,
    ) -> Result<Order, OrderingError> {
        let order = self.visible(caller, number).await?;
        let Some(shipment) = order.shipment.as_ref() else {
            return Err(OrderingError::NotShipped);
        };
        let tracking = self
            .ports
            .tracking
            .as_ref()
            .ok_or(OrderingError::TrackingNotConfigured)?;
        let now = self.ports.clock.now();
        let interval = TimeDelta::from_std(self.ports.tracking_interval).unwrap_or(TimeDelta::MAX);
        let not_before = now.checked_sub_signed(interval).unwrap_or(now);
        if !self
            .ports
            .orders
            .claim_tracking_sync(order.id, now, not_before)
            .await?
        {
            return Ok(order);
        }
        let details = tracking
            .track(&shipment.carrier, &shipment.tracking_number)
            .await
            .map_err(OrderingError::Tracking)?;
        self.ports.orders.save_tracking(order.id, &details).await?;
        self.ports
            .orders
            .find(order.id)
            .await?
            .ok_or(OrderingError::OrderNotFound)
    }
}
