//! A small demo catalogue, for trying the system out (`ATELIER_DEMO_DATA`).

use domain::catalog::product::ProductId;
use serde_json::{Map, Value, json};

use super::{Catalog, CatalogError, CategoryInput, ProductInput};

impl Catalog {
    /// Creates two categories and a few products when the catalogue is empty; returns the
    /// products created (none when there was a catalogue already).
    pub async fn seed_demo_catalogue(&self) -> Result<Vec<ProductId>, CatalogError> {
        if !self.ports.categories.list().await?.is_empty() {
            return Ok(Vec::new());
        }
        let books = self
            .create_category(CategoryInput {
                name: "图书 Books".to_owned(),
                slug: Some("books".to_owned()),
                description: Some("Books on travel and photography.".to_owned()),
                display_order: Some(0),
            })
            .await?;
        let albums = self
            .create_category(CategoryInput {
                name: "相册 Albums".to_owned(),
                slug: Some("albums".to_owned()),
                description: Some("Albums and prints of a shoot.".to_owned()),
                display_order: Some(1),
            })
            .await?;
        let object =
            |value: Value| -> Map<String, Value> { value.as_object().cloned().unwrap_or_default() };
        let products = [
            ProductInput {
                sku: "9787530209622".to_owned(),
                kind: Some("book".to_owned()),
                name: "撒哈拉的故事".to_owned(),
                description: Some("三毛在撒哈拉沙漠生活的散文集。".to_owned()),
                list_price: "29.90".parse().unwrap_or_default(),
                category_id: Some(books.id),
                attributes: Some(object(json!({
                    "author": "三毛", "publisher": "北京十月文艺出版社", "pub_year": "2011",
                    "pages": 268, "isbn": "9787530209622"
                }))),
                tags: Some(vec!["散文".to_owned(), "旅行".to_owned()]),
                ..ProductInput::default()
            },
            ProductInput {
                sku: "9780500410769".to_owned(),
                kind: Some("book".to_owned()),
                name: "The Photographer's Eye".to_owned(),
                description: Some(
                    "Composition and design for better digital photographs.".to_owned(),
                ),
                list_price: "188.00".parse().unwrap_or_default(),
                category_id: Some(books.id),
                attributes: Some(object(json!({"author": "Michael Freeman", "pages": 192}))),
                tags: Some(vec!["photography".to_owned()]),
                ..ProductInput::default()
            },
            ProductInput {
                sku: crate::studio::demo::DEMO_PACKAGE.to_owned(),
                kind: Some("package".to_owned()),
                name: "婚纱摄影 · 金 Wedding, gold".to_owned(),
                description: Some(
                    "Four hours, three looks, thirty retouched photos, two prints and an album."
                        .to_owned(),
                ),
                list_price: "6999.00".parse().unwrap_or_default(),
                category_id: Some(albums.id),
                tags: Some(vec!["wedding".to_owned(), "套系".to_owned()]),
                ..ProductInput::default()
            },
            ProductInput {
                sku: "ALBUM-A4-LINEN".to_owned(),
                name: "亚麻相册 A4 Linen album".to_owned(),
                description: Some("Thirty pages, hand bound.".to_owned()),
                list_price: "399.00".parse().unwrap_or_default(),
                category_id: Some(albums.id),
                tags: Some(vec!["wedding".to_owned()]),
                ..ProductInput::default()
            },
        ];
        let mut created = Vec::new();
        for product in products {
            created.push(self.create_product(product).await?.item.id);
        }
        Ok(created)
    }
}
