//! Categories: creating, renaming, describing, ordering, deleting when empty.

use domain::catalog::category::{self, Category, CategoryId, Slug};
use domain::{Fields, Invalid};
use ports::catalog::{CategoryChange, NewCategory};

use super::{Catalog, CatalogError};

/// A new category as received. Without a slug, one is made from the name.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub display_order: Option<i32>,
}

/// A change to a category as received; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub display_order: Option<i32>,
}

impl Catalog {
    /// Every category, in display order.
    pub async fn categories(&self) -> Result<Vec<Category>, CatalogError> {
        let load = async { Ok(self.ports.categories.list().await?) };
        Ok(self.cached("catalog:categories", load).await?.item)
    }

    pub async fn category(&self, id: CategoryId) -> Result<Category, CatalogError> {
        let load = async { Ok(self.ports.categories.find(id).await?) };
        self.cached(&format!("catalog:category:{id}"), load)
            .await?
            .item
            .ok_or(CatalogError::CategoryNotFound)
    }

    pub async fn create_category(&self, input: CategoryInput) -> Result<Category, CatalogError> {
        let mut fields = Fields::default();
        let name = fields.check("name", category::parse_name(&input.name));
        let slug = match (&input.slug, &name) {
            (Some(raw), _) => fields.check("slug", Slug::parse(raw)),
            (None, Some(name)) => fields.check(
                "slug",
                Slug::from_name(name).ok_or_else(|| {
                    Invalid::new("cannot be made from this name: give one, such as wedding-photos")
                }),
            ),
            (None, None) => None,
        };
        let description = fields.check(
            "description",
            category::parse_description(input.description.as_deref().unwrap_or("")),
        );
        fields.finish().map_err(CatalogError::Invalid)?;
        let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
            unreachable!("every field parsed when there are no errors");
        };
        let category = self
            .ports
            .categories
            .create(&NewCategory {
                name,
                slug,
                description,
                display_order: input.display_order.unwrap_or(0),
            })
            .await?;
        self.changed().await;
        tracing::info!(category_id = category.id, "category created");
        Ok(category)
    }

    pub async fn update_category(
        &self,
        id: CategoryId,
        patch: CategoryPatch,
    ) -> Result<Category, CatalogError> {
        let mut fields = Fields::default();
        let change = CategoryChange {
            name: patch
                .name
                .as_deref()
                .and_then(|raw| fields.check("name", category::parse_name(raw))),
            slug: patch
                .slug
                .as_deref()
                .and_then(|raw| fields.check("slug", Slug::parse(raw))),
            description: patch
                .description
                .as_deref()
                .and_then(|raw| fields.check("description", category::parse_description(raw))),
            display_order: patch.display_order,
        };
        fields.finish().map_err(CatalogError::Invalid)?;
        let category = self.ports.categories.update(id, &change).await?;
        self.changed().await;
        Ok(category)
    }

    /// Deletes an empty category.
    pub async fn delete_category(&self, id: CategoryId) -> Result<(), CatalogError> {
        self.ports.categories.delete(id).await?;
        self.changed().await;
        tracing::info!(category_id = id, "category deleted");
        Ok(())
    }

    /// Puts the categories `ids` first, in that order; the rest follow as they were.
    pub async fn reorder_categories(
        &self,
        ids: &[CategoryId],
    ) -> Result<Vec<Category>, CatalogError> {
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(CatalogError::invalid(
                "ids",
                Invalid::new(format!("lists {twice} twice")),
            ));
        }
        let reordered = match self.ports.categories.reorder(ids).await {
            Err(ports::catalog::CategoryStoreError::NotFound) => {
                return Err(CatalogError::invalid(
                    "ids",
                    Invalid::new("names a category that does not exist"),
                ));
            }
            other => other?,
        };
        self.changed().await;
        Ok(reordered)
    }
}
