//! A shoot's detail, its moves through the stages, and the customer's selection (选片).

use domain::identity::user::Principal;
use domain::ordering::order::{OrderStatus, status_at};
use domain::studio::ShootId;
use domain::studio::shoots::{self, MoveContext, Mover, Selection, Shoot, ShootEvent, Stage};
use ports::studio::shoots::ExtraPhotos;

use super::{Shoots, ShootsError, schedules, works_on};

/// A shoot with its history.
#[derive(Debug, Clone)]
pub struct ShootDetail {
    pub shoot: Shoot,
    pub events: Vec<ShootEvent>,
}

impl Shoots {
    pub async fn shoot(&self, caller: &Principal, id: ShootId) -> Result<ShootDetail, ShootsError> {
        let shoot = self.visible(caller, id).await?;
        let events = self.ports.shoots.events(id).await?;
        Ok(ShootDetail { shoot, events })
    }

    /// Moves the shoot to the stage `to`, recording who did and `note`.
    pub async fn move_to(
        &self,
        caller: &Principal,
        id: ShootId,
        to: Stage,
        note: Option<String>,
    ) -> Result<ShootDetail, ShootsError> {
        let shoot = self.visible(caller, id).await?;
        let note = shoots::parse_notes(note.as_deref().unwrap_or(""))
            .map_err(|e| ShootsError::invalid("note", e))?;
        let mover = Mover {
            schedules: schedules(caller),
            works_on_it: works_on(caller, &shoot),
        };
        let context = MoveContext {
            now: self.ports.clock.now(),
            starts_at: shoot.slot.starts_at(),
            selected: shoot.photos_selected.is_some(),
            balance_paid: to != Stage::Completed || self.balance_paid(&shoot).await?,
        };
        shoots::check_move(shoot.stage, to, mover, context).map_err(|refusal| {
            ShootsError::Refused {
                refusal,
                stage: shoot.stage,
            }
        })?;
        self.ports
            .shoots
            .move_stage(id, shoot.stage, to, &note, caller.user_id)
            .await?;
        tracing::info!(shoot_id = id, from = %shoot.stage, to = %to, "shoot moved");
        self.shoot(caller, id).await
    }

    /// Records how many photos the customer chose, while the shoot is at `selecting`. Photos
    /// beyond the package's allowance become a line of the package order, at the package's
    /// price per extra photo as it was when the shoot was booked.
    pub async fn select(
        &self,
        caller: &Principal,
        id: ShootId,
        photos: i64,
    ) -> Result<ShootDetail, ShootsError> {
        let shoot = self.visible(caller, id).await?;
        if !schedules(caller) && !works_on(caller, &shoot) {
            return Err(ShootsError::Forbidden(
                "only the front desk or the people on the shoot record its selection",
            ));
        }
        if shoot.stage != Stage::Selecting {
            return Err(ShootsError::WrongStage { stage: shoot.stage });
        }
        let selection = Selection::parse(photos, shoot.allowance)
            .map_err(|e| ShootsError::invalid("photos", e))?;
        let extras = match (&shoot.order_number, &shoot.package_sku, shoot.allowance) {
            (Some(number), Some(sku), Some(allowance))
                if selection.extra > 0 || shoot.extra_photos > 0 =>
            {
                let order = self.ports.shoots.package_order(number).await?;
                let package = self.ports.packages.find(sku).await?;
                match (order, package) {
                    (Some(order), Some(package)) => {
                        let now = self.ports.clock.now();
                        let status = status_at(order.status, order.paid, order.reserved_until, now);
                        if status != OrderStatus::PendingPayment {
                            return Err(ShootsError::OrderSettled(status));
                        }
                        Some(ExtraPhotos {
                            order_id: order.order_id,
                            product_id: package.product_id,
                            sku: package.sku,
                            name: format!("{}: extra photos", package.name),
                            unit_price: allowance.extra_photo_price,
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        self.ports
            .shoots
            .record_selection(
                id,
                Stage::Selecting,
                selection,
                extras.as_ref(),
                caller.user_id,
            )
            .await?;
        tracing::info!(
            shoot_id = id,
            photos,
            extra = selection.extra,
            "selection recorded"
        );
        self.shoot(caller, id).await
    }
}
