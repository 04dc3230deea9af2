//! Products: adding, changing, archiving, deleting, browsing.

use domain::Fields;
use domain::catalog::category::CategoryId;
use domain::catalog::product::{
    self, DESCRIPTION_MAX, DETAILED_DESCRIPTION_MAX, Product, ProductFilter, ProductId, ProductKey,
    ProductKind, ProductStatus, Sku,
};
use domain::pagination::{Page, PageRequest};
use ports::catalog::{NewProduct, ProductChange};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use std::collections::HashMap;

use domain::stores::inventory::Offer;
use domain::stores::store::StoreId;

use super::{Catalog, CatalogError, Listing, Priced};
use crate::cache::digest;
use crate::stores::store_named;

/// A new product as received.
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub sku: String,
    /// `goods` unless given.
    pub kind: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub detailed_description: Option<String>,
    pub list_price: Decimal,
    pub category_id: Option<CategoryId>,
    /// `active` unless given.
    pub status: Option<String>,
    pub attributes: Option<Map<String, Value>>,
    pub tags: Option<Vec<String>>,
}

/// A change to a product as received: `None` leaves a field as it is; `category_id:
/// Some(None)` takes the product out of its category. Attributes and tags are replaced whole.
#[derive(Debug, Clone, Default)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub detailed_description: Option<String>,
    pub list_price: Option<Decimal>,
    pub category_id: Option<Option<CategoryId>>,
    pub status: Option<String>,
    pub attributes: Option<Map<String, Value>>,
    pub tags: Option<Vec<String>>,
}

impl Catalog {
    pub async fn create_product(
        &self,
        input: ProductInput,
    ) -> Result<Priced<Product>, CatalogError> {
        let mut fields = Fields::default();
        let sku = fields.check("sku", Sku::parse(&input.sku));
        let kind = match input.kind.as_deref() {
            None => Some(ProductKind::Goods),
            Some(raw) => fields.check("kind", ProductKind::parse(raw)),
        };
        let name = fields.check("name", product::parse_name(&input.name));
        let description = fields.check(
            "description",
            product::parse_text(input.description.as_deref().unwrap_or(""), DESCRIPTION_MAX),
        );
        let detailed_description = fields.check(
            "detailed_description",
            product::parse_text(
                input.detailed_description.as_deref().unwrap_or(""),
                DETAILED_DESCRIPTION_MAX,
            ),
        );
        let list_price = fields.check("list_price", product::parse_price(input.list_price));
        let status = match input.status.as_deref() {
            None => Some(ProductStatus::Active),
            Some(raw) => fields.check("status", ProductStatus::parse(raw)),
        };
        let tags = fields.check("tags", product::parse_tags(&input.tags.unwrap_or_default()));
        let attributes = kind.and_then(|kind| {
            product::parse_attributes(kind, input.attributes.unwrap_or_default())
                .map_err(|errors| fields.extend(errors))
                .ok()
        });
        fields.finish().map_err(CatalogError::Invalid)?;
        let (
            Some(sku),
            Some(kind),
            Some(name),
            Some(description),
            Some(detailed_description),
            Some(list_price),
            Some(status),
            Some(tags),
            Some(attributes),
        ) = (
            sku,
            kind,
            name,
            description,
            detailed_description,
            list_price,
            status,
            tags,
            attributes,
        )
        else {
            unreachable!("every field parsed when there are no errors");
        };
        let product = self
            .ports
            .products
            .create(&NewProduct {
                sku,
                kind,
                name,
                description,
                detailed_description,
                list_price,
                category_id: input.category_id,
                status,
                attributes,
                tags,
            })
            .await?;
        self.changed().await;
        tracing::info!(
            product_id = product.id,
            sku = product.sku.as_str(),
            "product created"
        );
        self.priced(product).await
    }

    pub async fn product(&self, id: ProductId) -> Result<Priced<Product>, CatalogError> {
        let load = async { Ok(self.ports.products.find(id).await?) };
        let Priced { item, currency } = self.cached(&format!("catalog:product:{id}"), load).await?;
        Ok(Priced {
            item: item.ok_or(CatalogError::ProductNotFound)?,
            currency,
        })
    }

    /// The product whose SKU is `sku`, as typed: text that cannot be a SKU names none.
    pub async fn product_by_sku(&self, sku: &str) -> Result<Option<Product>, CatalogError> {
        match Sku::parse(sku) {
            Ok(sku) => Ok(self.ports.products.find_by_sku(&sku).await?),
            Err(_) => Ok(None),
        }
    }

    pub async fn update_product(
        &self,
        id: ProductId,
        patch: ProductPatch,
    ) -> Result<Priced<Product>, CatalogError> {
        // The kind decides which attributes are allowed.
        let kind = match &patch.attributes {
            None => None,
            Some(_) => Some(
                self.ports
                    .products
                    .find(id)
                    .await?
                    .ok_or(CatalogError::ProductNotFound)?
                    .kind,
            ),
        };
        let mut fields = Fields::default();
        let change = ProductChange {
            name: patch
                .name
                .as_deref()
                .and_then(|raw| fields.check("name", product::parse_name(raw))),
            description: patch.description.as_deref().and_then(|raw| {
                fields.check("description", product::parse_text(raw, DESCRIPTION_MAX))
            }),
            detailed_description: patch.detailed_description.as_deref().and_then(|raw| {
                fields.check(
                    "detailed_description",
                    product::parse_text(raw, DETAILED_DESCRIPTION_MAX),
                )
            }),
            list_price: patch
                .list_price
                .and_then(|amount| fields.check("list_price", product::parse_price(amount))),
            category_id: patch.category_id,
            status: patch
                .status
                .as_deref()
                .and_then(|raw| fields.check("status", ProductStatus::parse(raw))),
            attributes: patch.attributes.zip(kind).and_then(|(attributes, kind)| {
                product::parse_attributes(kind, attributes)
                    .map_err(|errors| fields.extend(errors))
                    .ok()
            }),
            tags: patch
                .tags
                .and_then(|tags| fields.check("tags", product::parse_tags(&tags))),
        };
        fields.finish().map_err(CatalogError::Invalid)?;
        let product = self.ports.products.update(id, &change).await?;
        self.changed().await;
        tracing::info!(product_id = id, "product changed");
        self.priced(product).await
    }

    /// Deletes a product no order refers to (archive it otherwise), with its images: their
    /// keys are read first, the rows go with the product, then the files are deleted.
    pub async fn delete_product(&self, id: ProductId) -> Result<(), CatalogError> {
        let image_keys = self.ports.images.keys_of(id).await?;
        self.ports.products.delete(id).await?;
        self.changed().await;
        tracing::info!(
            product_id = id,
            images = image_keys.len(),
            "product deleted"
        );
        self.delete_files(&image_keys).await;
        Ok(())
    }

    /// A page of products, in the filter's order. `page.after` must be a key of that order.
    /// Scoped to a store, the list holds what the store stocks, each with its offer; a closed
    /// store offers nothing.
    pub async fn browse_products(
        &self,
        filter: &ProductFilter,
        scope: Option<&str>,
        page: &PageRequest<ProductKey>,
    ) -> Result<Priced<Page<Listing>>, CatalogError> {
        if page
            .after
            .as_ref()
            .is_some_and(|key| key.sort() != filter.sort)
        {
            return Err(CatalogError::CursorOfAnotherOrder);
        }
        let page = match self.scope(scope).await? {
            StoreScope::Everywhere => {
                // What is in stock changes with every order: only lists of products alone
                // are cached.
                let key = format!("catalog:browse:{}", digest(&format!("{filter:?}|{page:?}")));
                let load = async { Ok(self.ports.products.browse(filter, page).await?) };
                let Priced { item, currency } = self.cached(&key, load).await?;
                return Ok(Priced {
                    item: item.map(|product| Listing {
                        product,
                        offer: None,
                    }),
                    currency,
                });
            }
            StoreScope::Closed => Page {
                items: Vec::new(),
                has_more: false,
            },
            StoreScope::Store(store) => {
                let filter = ProductFilter {
                    store: Some(store),
                    ..filter.clone()
                };
                let products = self.ports.products.browse(&filter, page).await?;
                self.with_offers(store, products).await?
            }
        };
        self.priced(page).await
    }

    /// Where a list is scoped: `code` names a store.
    pub(super) async fn scope(&self, code: Option<&str>) -> Result<StoreScope, CatalogError> {
        let Some(code) = code else {
            return Ok(StoreScope::Everywhere);
        };
        let store = store_named(self.ports.stores.as_ref(), code)
            .await?
            .ok_or(CatalogError::StoreNotFound)?;
        Ok(if store.is_open() {
            StoreScope::Store(store.id)
        } else {
            StoreScope::Closed
        })
    }

    /// Each product with the store's offer of it.
    pub(super) async fn with_offers<T>(
        &self,
        store: StoreId,
        page: Page<T>,
    ) -> Result<Page<T::Output>, CatalogError>
    where
        T: WithOffer,
    {
        let ids: Vec<ProductId> = page.items.iter().map(|item| item.product_id()).collect();
        let mut offers: HashMap<ProductId, Offer> = self
            .ports
            .inventory
            .offers(store, &ids)
            .await?
            .into_iter()
            .map(|offer| (offer.product_id, offer))
            .collect();
        Ok(page.map(|item| {
            let offer = offers.remove(&item.product_id());
            item.with_offer(offer)
        }))
    }
}

/// Where a list of products is scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StoreScope {
    Everywhere,
    /// A closed store: it offers nothing.
    Closed,
    Store(StoreId),
}

/// Something about a product, that a store's offer can be added to.
pub(super) trait WithOffer {
    type Output;
    fn product_id(&self) -> ProductId;
    fn with_offer(self, offer: Option<Offer>) -> Self::Output;
}

impl WithOffer for Product {
    type Output = Listing;

    fn product_id(&self) -> ProductId {
        self.id
    }

    fn with_offer(self, offer: Option<Offer>) -> Listing {
        Listing {
            product: self,
            offer,
        }
    }
}
