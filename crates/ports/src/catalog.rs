//! Storage for the catalogue: categories and products (and their images, in [`images`]).

pub mod images;

use async_trait::async_trait;
use domain::catalog::category::{Category, CategoryId, Slug};
use domain::catalog::product::{
    Product, ProductFilter, ProductId, ProductKey, ProductKind, ProductStatus, Sku,
};
use domain::catalog::search::{SearchKey, SearchQuery, SearchResults};
use domain::money::Money;
use domain::pagination::{Page, PageRequest};
use serde_json::{Map, Value};

use crate::InfraError;

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub name: String,
    pub slug: Slug,
    pub description: String,
    pub display_order: i32,
}

/// A change to a category; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CategoryChange {
    pub name: Option<String>,
    pub slug: Option<Slug>,
    pub description: Option<String>,
    pub display_order: Option<i32>,
}

#[derive(Debug, thiserror::Error)]
pub enum CategoryStoreError {
    #[error("no such category")]
    NotFound,
    #[error("a category has this name")]
    NameTaken,
    #[error("a category has this slug")]
    SlugTaken,
    #[error("products are in the category")]
    InUse,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait CategoryRepository: Send + Sync {
    /// Every category, in display order (then by id).
    async fn list(&self) -> Result<Vec<Category>, InfraError>;

    async fn find(&self, id: CategoryId) -> Result<Option<Category>, InfraError>;

    async fn create(&self, category: &NewCategory) -> Result<Category, CategoryStoreError>;

    async fn update(
        &self,
        id: CategoryId,
        change: &CategoryChange,
    ) -> Result<Category, CategoryStoreError>;

    /// Refuses (`InUse`) while a product is in the category.
    async fn delete(&self, id: CategoryId) -> Result<(), CategoryStoreError>;

    /// In one transaction, gives the categories `ids` the display orders 0, 1, 2 … in that
    /// order, and the others the orders after, as they were ordered. `NotFound` (and no
    /// change) when an id is unknown.
    async fn reorder(&self, ids: &[CategoryId]) -> Result<Vec<Category>, CategoryStoreError>;
}

#[derive(Debug, Clone)]
pub struct NewProduct {
    pub sku: Sku,
    pub kind: ProductKind,
    pub name: String,
    pub description: String,
    pub detailed_description: String,
    pub list_price: Money,
    pub category_id: Option<CategoryId>,
    pub status: ProductStatus,
    pub attributes: Map<String, Value>,
    pub tags: Vec<String>,
}

/// A change to a product; `None` leaves a field as it is (`Some(None)` clears the category).
#[derive(Debug, Clone, Default)]
pub struct ProductChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub detailed_description: Option<String>,
    pub list_price: Option<Money>,
    pub category_id: Option<Option<CategoryId>>,
    pub status: Option<ProductStatus>,
    pub attributes: Option<Map<String, Value>>,
    pub tags: Option<Vec<String>>,
}

impl ProductChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.description.is_none()
            && self.detailed_description.is_none()
            && self.list_price.is_none()
            && self.category_id.is_none()
            && self.status.is_none()
            && self.attributes.is_none()
            && self.tags.is_none()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProductStoreError {
    #[error("no such product")]
    NotFound,
    #[error("a product has this SKU")]
    SkuTaken,
    #[error("there is no category {0}")]
    UnknownCategory(CategoryId),
    /// Orders (or other history) refer to it: archive it instead.
    #[error("the product is referred to by history")]
    InUse,
    #[error(transparent)]
    Infra(#[from] InfraError),
}

#[async_trait]
pub trait ProductRepository: Send + Sync {
    async fn create(&self, product: &NewProduct) -> Result<Product, ProductStoreError>;

    async fn find(&self, id: ProductId) -> Result<Option<Product>, InfraError>;

    async fn find_by_sku(&self, sku: &Sku) -> Result<Option<Product>, InfraError>;

    async fn update(
        &self,
        id: ProductId,
        change: &ProductChange,
    ) -> Result<Product, ProductStoreError>;

    /// Deletes the product and what is only its own; `InUse` while history refers to it.
    async fn delete(&self, id: ProductId) -> Result<(), ProductStoreError>;

    /// A page of products in the filter's order, after `page.after`.
    async fn browse(
        &self,
        filter: &ProductFilter,
        page: &PageRequest<ProductKey>,
    ) -> Result<Page<Product>, InfraError>;

    /// The active products matching `query` (of those `store` stocks, if given), best first,
    /// after `page.after`; with the total.
    async fn search(
        &self,
        query: &SearchQuery,
        store: Option<domain::stores::store::StoreId>,
        page: &PageRequest<SearchKey>,
    ) -> Result<SearchResults, InfraError>;
}
