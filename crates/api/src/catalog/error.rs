//! From the catalogue's use-case errors to problems.

use app::catalog::CatalogError;

use crate::problem::{ApiError, ProblemCode};

impl From<CatalogError> for ApiError {
    fn from(error: CatalogError) -> Self {
        match error {
            CatalogError::Invalid(fields) => ApiError::invalid_fields(fields),
            CatalogError::CursorOfAnotherOrder => ApiError::bad_request(
                "`cursor` belongs to a list in another order: keep `sort` as it was.",
            ),
            CatalogError::CategoryNotFound => ApiError::not_found("There is no such category."),
            CatalogError::CategoryNameTaken => ApiError::new(
                ProblemCode::CategoryNameTaken,
                "A category has this name (names are unique ignoring case).",
            ),
            CatalogError::CategorySlugTaken => {
                ApiError::new(ProblemCode::CategorySlugTaken, "A category has this slug.")
            }
            CatalogError::CategoryInUse => ApiError::new(
                ProblemCode::CategoryInUse,
                "Products are in this category; move them out first.",
            ),
            CatalogError::ProductNotFound => ApiError::not_found("There is no such product."),
            CatalogError::StoreNotFound => ApiError::not_found("There is no such store."),
            CatalogError::SkuTaken => {
                ApiError::new(ProblemCode::SkuTaken, "A product has this SKU.")
            }
            CatalogError::ProductInUse => ApiError::new(
                ProblemCode::ProductInUse,
                "Orders name this product: archive it (`status: archived`) instead.",
            ),
            CatalogError::ImageNotFound => {
                ApiError::not_found("The product has no image with this id.")
            }
            CatalogError::UnsupportedImageType => ApiError::new(
                ProblemCode::UnsupportedImageType,
                "The file is not a JPEG, PNG, WebP or GIF image (its content decides, not its \
                 name or declared type).",
            ),
            CatalogError::ImageTooLarge { max } => crate::media::image_too_large(max),
            CatalogError::Infra(error) => error.into(),
        }
    }
}
