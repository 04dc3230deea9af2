//! A store's stock: receiving, adjusting, pricing, and the movements they leave.

use domain::Fields;
use domain::catalog::product::ProductId;
use domain::identity::user::Principal;
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use domain::stores::inventory::{self, InventoryItem, Quantity, StockMovement};
use ports::stores::{StockChange, StockChangeKind};
use rust_decimal::Decimal;

use super::{Stores, StoresError};
use crate::catalog::Priced;

/// A change to a store's stock of one product, as received.
#[derive(Debug, Clone)]
pub enum StockInput {
    Receive { quantity: i64, note: Option<String> },
    Adjust { delta: i64, reason: String },
    SetPrice { price: Decimal },
}

impl Stores {
    /// A page of the store's lines, with their stock figures.
    pub async fn inventory(
        &self,
        caller: &Principal,
        code: &str,
        page: &PageRequest<ProductId>,
    ) -> Result<Priced<Page<InventoryItem>>, StoresError> {
        let store = self.managed(caller, code).await?;
        let page = self.ports.inventory.list(store.id, page).await?;
        self.priced(page).await
    }

    pub async fn inventory_item(
        &self,
        caller: &Principal,
        code: &str,
        product: ProductId,
    ) -> Result<Priced<InventoryItem>, StoresError> {
        let store = self.managed(caller, code).await?;
        let item = self
            .ports
            .inventory
            .find(store.id, product)
            .await?
            .ok_or(StoresError::NotListed)?;
        self.priced(item).await
    }

    /// Applies one change to an open store's stock of `product`, written down as a movement.
    pub async fn change_stock(
        &self,
        caller: &Principal,
        code: &str,
        product: ProductId,
        input: StockInput,
    ) -> Result<Priced<(InventoryItem, StockMovement)>, StoresError> {
        let store = self.managed(caller, code).await?;
        let mut fields = Fields::default();
        let kind = match input {
            StockInput::Receive { quantity, note } => {
                let quantity = fields.check("quantity", Quantity::parse(quantity));
                let note =
                    fields.check("note", inventory::parse_note(note.as_deref().unwrap_or("")));
                quantity
                    .zip(note)
                    .map(|(quantity, note)| StockChangeKind::Receive { quantity, note })
            }
            StockInput::Adjust { delta, reason } => {
                let delta = fields.check("delta", inventory::parse_delta(delta));
                let reason = fields.check("reason", inventory::parse_reason(&reason));
                delta
                    .zip(reason)
                    .map(|(delta, reason)| StockChangeKind::Adjust { delta, reason })
            }
            StockInput::SetPrice { price } => fields
                .check("price", Money::parse(price))
                .map(|price| StockChangeKind::SetPrice { price }),
        };
        fields.finish().map_err(StoresError::Invalid)?;
        let Some(kind) = kind else {
            unreachable!("every field parsed when there are no errors");
        };
        if !store.is_open() {
            return Err(StoresError::StoreClosed);
        }
        let change = StockChange {
            store_id: store.id,
            product_id: product,
            actor: caller.user_id,
            kind,
        };
        let (item, movement) = self.ports.inventory.change(&change).await?;
        tracing::info!(
            store_id = store.id,
            product_id = product,
            reason = movement.reason.as_str(),
            on_hand_delta = movement.on_hand_delta,
            "stock changed"
        );
        self.priced((item, movement)).await
    }

    /// A page of the store's movements, newest first; of one product if given.
    pub async fn movements(
        &self,
        caller: &Principal,
        code: &str,
        product: Option<ProductId>,
        page: &PageRequest<i64>,
    ) -> Result<Priced<Page<StockMovement>>, StoresError> {
        let store = self.managed(caller, code).await?;
        let page = self
            .ports
            .inventory
            .movements(store.id, product, page)
            .await?;
        self.priced(page).await
    }
}
