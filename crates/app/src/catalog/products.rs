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

use super::{Catalog, CatalogError, Priced};

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
        tracing::info!(
            product_id = product.id,
            sku = product.sku.as_str(),
            "product created"
        );
        self.priced(product).await
    }

    pub async fn product(&self, id: ProductId) -> Result<Priced<Product>, CatalogError> {
        let product = self
            .ports
            .products
            .find(id)
            .await?
            .ok_or(CatalogError::ProductNotFound)?;
        self.priced(product).await
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
        tracing::info!(product_id = id, "product changed");
        self.priced(product).await
    }

    /// Deletes a product no order refers to (archive it otherwise), with its images: their
    /// keys are read first, the rows go with the product, then the files are deleted.
    pub async fn delete_product(&self, id: ProductId) -> Result<(), CatalogError> {
        let image_keys = self.ports.images.keys_of(id).await?;
        self.ports.products.delete(id).await?;
        tracing::info!(
            product_id = id,
            images = image_keys.len(),
            "product deleted"
        );
        self.delete_files(&image_keys).await;
        Ok(())
    }

    /// A page of products, in the filter's order. `page.after` must be a key of that order.
    pub async fn browse_products(
        &self,
        filter: &ProductFilter,
        page: &PageRequest<ProductKey>,
    ) -> Result<Priced<Page<Product>>, CatalogError> {
        if page
            .after
            .as_ref()
            .is_some_and(|key| key.sort() != filter.sort)
        {
            return Err(CatalogError::CursorOfAnotherOrder);
        }
        let products = self.ports.products.browse(filter, page).await?;
        self.priced(products).await
    }
}
