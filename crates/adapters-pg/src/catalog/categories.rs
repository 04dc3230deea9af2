use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::catalog::category::{Category, CategoryId, Slug};
use ports::InfraError;
use ports::catalog::{CategoryChange, CategoryRepository, CategoryStoreError, NewCategory};

use crate::error::{TxError, from_diesel, stored, violated_constraint};
use crate::pool::{self, PgPool};
use crate::schema::categories;

pub struct PgCategoryRepository {
    pool: PgPool,
}

impl PgCategoryRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

type CategoryRow = (
    i64,
    String,
    String,
    String,
    i32,
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
);

/// The columns of a category, with how many products it holds.
macro_rules! category_columns {
    () => {
        (
            categories::id,
            categories::name,
            categories::slug,
            categories::description,
            categories::display_order,
            sql::<BigInt>(
                "(SELECT count(*) FROM products WHERE products.category_id = categories.id)",
            ),
            categories::created_at,
            categories::updated_at,
        )
    };
}

fn to_category(
    (id, name, slug, description, display_order, product_count, created_at, updated_at): CategoryRow,
) -> Result<Category, InfraError> {
    Ok(Category {
        id,
        name,
        slug: stored("slug", Slug::parse(&slug))?,
        description,
        display_order,
        product_count,
        created_at,
        updated_at,
    })
}

fn store_error(error: diesel::result::Error) -> CategoryStoreError {
    match violated_constraint(&error) {
        Some("categories_name_key") => CategoryStoreError::NameTaken,
        Some("categories_slug_key") => CategoryStoreError::SlugTaken,
        Some("products_category_id_fkey") => CategoryStoreError::InUse,
        _ => CategoryStoreError::Infra(from_diesel(error)),
    }
}

async fn by_id(conn: &mut AsyncPgConnection, id: CategoryId) -> QueryResult<Option<CategoryRow>> {
    categories::table
        .filter(categories::id.eq(id))
        .select(category_columns!())
        .first(conn)
        .await
        .optional()
}

#[async_trait]
impl CategoryRepository for PgCategoryRepository {
    async fn list(&self) -> Result<Vec<Category>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows: Vec<CategoryRow> = categories::table
            .select(category_columns!())
            .order((categories::display_order, categories::id))
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        rows.into_iter().map(to_category).collect()
    }

    async fn find(&self, id: CategoryId) -> Result<Option<Category>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = by_id(&mut conn, id).await.map_err(from_diesel)?;
        row.map(to_category).transpose()
    }

    async fn create(&self, category: &NewCategory) -> Result<Category, CategoryStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let id: i64 = diesel::insert_into(categories::table)
            .values((
                categories::name.eq(&category.name),
                categories::slug.eq(category.slug.as_str()),
                categories::description.eq(&category.description),
                categories::display_order.eq(category.display_order),
            ))
            .returning(categories::id)
            .get_result(&mut conn)
            .await
            .map_err(store_error)?;
        let row = by_id(&mut conn, id).await.map_err(from_diesel)?;
        Ok(to_category(row.ok_or(CategoryStoreError::NotFound)?)?)
    }

    async fn update(
        &self,
        id: CategoryId,
        change: &CategoryChange,
    ) -> Result<Category, CategoryStoreError> {
        #[derive(AsChangeset)]
        #[diesel(table_name = categories)]
        struct Changes<'a> {
            name: Option<&'a str>,
            slug: Option<&'a str>,
            description: Option<&'a str>,
            display_order: Option<i32>,
        }
        let changes = Changes {
            name: change.name.as_deref(),
            slug: change.slug.as_ref().map(Slug::as_str),
            description: change.description.as_deref(),
            display_order: change.display_order,
        };
        let mut conn = pool::get(&self.pool).await?;
        let nothing = changes.name.is_none()
            && changes.slug.is_none()
            && changes.description.is_none()
            && changes.display_order.is_none();
        if !nothing {
            diesel::update(categories::table.filter(categories::id.eq(id)))
                .set(&changes)
                .execute(&mut conn)
                .await
                .map_err(store_error)?;
        }
        let row = by_id(&mut conn, id).await.map_err(from_diesel)?;
        Ok(to_category(row.ok_or(CategoryStoreError::NotFound)?)?)
    }

    async fn delete(&self, id: CategoryId) -> Result<(), CategoryStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        let deleted = diesel::delete(categories::table.filter(categories::id.eq(id)))
            .execute(&mut conn)
            .await
            .map_err(store_error)?;
        if deleted == 0 {
            return Err(CategoryStoreError::NotFound);
        }
        Ok(())
    }

    async fn reorder(&self, ids: &[CategoryId]) -> Result<Vec<Category>, CategoryStoreError> {
        let mut conn = pool::get(&self.pool).await?;
        conn.transaction::<_, TxError<CategoryStoreError>, _>(async |conn| {
            for (position, id) in ids.iter().enumerate() {
                let order = i32::try_from(position).unwrap_or(i32::MAX);
                let updated = diesel::update(categories::table.filter(categories::id.eq(id)))
                    .set(categories::display_order.eq(order))
                    .execute(conn)
                    .await?;
                if updated == 0 {
                    return Err(TxError::Rejected(CategoryStoreError::NotFound));
                }
            }
            // The others follow, in the order they had.
            diesel::sql_query(
                "UPDATE categories SET display_order = $2 + rest.position \
                 FROM (SELECT id, (row_number() OVER (ORDER BY display_order, id) - 1)::int \
                       AS position FROM categories WHERE id <> ALL($1)) AS rest \
                 WHERE categories.id = rest.id",
            )
            .bind::<Array<BigInt>, _>(ids)
            .bind::<Integer, _>(i32::try_from(ids.len()).unwrap_or(i32::MAX))
            .execute(conn)
            .await?;
            Ok(())
        })
        .await
        .map_err(TxError::into_port)?;
        Ok(self.list().await?)
    }
}
