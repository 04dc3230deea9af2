//! A seller listing a product in their store: the product is found in the catalogue by its
//! SKU, or added to it when nobody sells it yet, then the store starts to stock it at its own
//! price. This is how the bookstore contract's `add_book` works: one book is one product, and
//! each store that sells it has its own line, stock and price.
//!
//! Whoever lists a SKU first describes the product (and gives its images); later stores list
//! the product as it is. Everything is checked before anything is written, so refused input
//! changes nothing; the listing itself (line, stock and its movement) is one transaction.

use domain::Fields;
use domain::catalog::product::Product;
use domain::identity::user::Principal;
use domain::money::Money;
use domain::stores::inventory::{self, InventoryItem, Quantity};
use ports::stores::{StockChange, StockChangeKind};
use rust_decimal::Decimal;

use super::{Stores, StoresError};
use crate::catalog::{CatalogError, ImageUpload, Priced, ProductInput};

/// A product to list, as received.
#[derive(Debug, Clone)]
pub struct ListingInput {
    /// The product, used when the catalogue has no product with its SKU yet.
    pub product: ProductInput,
    /// Added to a product this listing creates.
    pub images: Vec<ImageUpload>,
    /// The store's price.
    pub price: Decimal,
    /// How many are on hand: zero or more.
    pub quantity: i64,
}

/// A product listed in a store.
#[derive(Debug, Clone)]
pub struct Listed {
    pub product: Product,
    pub item: InventoryItem,
    /// Whether the listing added the product to the catalogue.
    pub created: bool,
}

impl Stores {
    /// Lists a product in an open store its caller manages, adding it to the catalogue first
    /// when its SKU is new. Refused when the store lists the product already.
    pub async fn list_product(
        &self,
        caller: &Principal,
        code: &str,
        input: ListingInput,
    ) -> Result<Priced<Listed>, StoresError> {
        let store = self.managed(caller, code).await?;
        let mut fields = Fields::default();
        let price = fields.check("price", Money::parse(input.price));
        let quantity = fields.check("quantity", parse_listed_quantity(input.quantity));
        fields.finish().map_err(StoresError::Invalid)?;
        let (Some(price), Some(quantity)) = (price, quantity) else {
            unreachable!("every field parsed when there are no errors");
        };
        if !store.is_open() {
            return Err(StoresError::StoreClosed);
        }
        for image in &input.images {
            self.catalog
                .check_image(image)
                .map_err(StoresError::Catalog)?;
        }

        let sku = input.product.sku.clone();
        let (product, created) = match self.existing(&sku).await? {
            Some(product) => (product, false),
            None => match self.catalog.create_product(input.product).await {
                Ok(Priced { item, .. }) => (item, true),
                // Listed by another store a moment ago.
                Err(CatalogError::SkuTaken) => (
                    self.existing(&sku)
                        .await?
                        .ok_or(StoresError::ProductNotFound)?,
                    false,
                ),
                Err(error) => return Err(StoresError::Catalog(error)),
            },
        };
        let change = StockChange {
            store_id: store.id,
            product_id: product.id,
            actor: caller.user_id,
            kind: StockChangeKind::List {
                price,
                quantity,
                note: "listed".to_owned(),
            },
        };
        let (item, _) = self.ports.inventory.change(&change).await?;
        if created {
            for image in input.images {
                self.catalog
                    .upload_image(product.id, image)
                    .await
                    .map_err(StoresError::Catalog)?;
            }
        }
        tracing::info!(
            store_id = store.id,
            product_id = product.id,
            created,
            "product listed"
        );
        self.priced(Listed {
            product,
            item,
            created,
        })
        .await
    }

    async fn existing(&self, sku: &str) -> Result<Option<Product>, StoresError> {
        self.catalog
            .product_by_sku(sku)
            .await
            .map_err(StoresError::Catalog)
    }
}

/// How many a new listing has on hand: zero (`None`) up to [`inventory::MAX_QUANTITY`].
fn parse_listed_quantity(raw: i64) -> Result<Option<Quantity>, domain::Invalid> {
    match raw {
        0 => Ok(None),
        _ => Quantity::parse(raw)
            .map(Some)
            .map_err(|_| domain::Invalid::new(format!("must be 0 to {}", inventory::MAX_QUANTITY))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_may_start_with_nothing_on_hand() {
        assert_eq!(parse_listed_quantity(0).unwrap(), None);
        assert_eq!(
            parse_listed_quantity(3).unwrap().map(Quantity::get),
            Some(3)
        );
        assert!(parse_listed_quantity(-1).is_err());
        assert!(parse_listed_quantity(i64::from(inventory::MAX_QUANTITY) + 1).is_err());
    }
}
