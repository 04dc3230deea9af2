//! A demo store, for trying the system out (`ATELIER_DEMO_DATA`).

use domain::catalog::product::ProductId;
use rust_decimal::Decimal;

use super::{StockInput, StoreInput, Stores, StoresError};

/// The demo store's code.
pub const DEMO_STORE: &str = "atelier-flagship";

impl Stores {
    /// Opens the demo store for `owner` (a seller) with stock of `products`, unless it exists.
    pub async fn seed_demo_store(
        &self,
        owner: &str,
        products: &[ProductId],
    ) -> Result<bool, StoresError> {
        if super::store_named(self.ports.stores.as_ref(), DEMO_STORE)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        let Some(owner) = self.ports.users.find_by_username(owner).await? else {
            return Ok(false);
        };
        let Some(principal) = self.ports.users.principal(owner.id).await? else {
            return Ok(false);
        };
        self.open_store(
            &principal,
            StoreInput {
                code: DEMO_STORE.to_owned(),
                name: "Atelier 旗舰店".to_owned(),
                description: Some("The studio's own shop.".to_owned()),
                ..StoreInput::default()
            },
        )
        .await?;
        for (n, product) in (1_i64..).zip(products) {
            let receipt = StockInput::Receive {
                quantity: 10 * n,
                note: Some("opening stock".to_owned()),
            };
            self.change_stock(&principal, DEMO_STORE, *product, receipt)
                .await?;
        }
        if let Some(first) = products.first() {
            let price = StockInput::SetPrice {
                price: Decimal::new(2500, 2),
            };
            self.change_stock(&principal, DEMO_STORE, *first, price)
                .await?;
        }
        Ok(true)
    }
}
