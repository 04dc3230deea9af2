//! Packages (套系): what a package product includes. The product itself (name, price, stock
//! per store) is the catalogue's; selling one is a checkout order paid in parts.

use actix_web::{get, put, web};
use domain::studio::packages::Package;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Authorized, require};
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::Page;
use crate::problem::{ApiError, Problem};
use crate::state::AppState;
use app::studio::shoots::PackageInput;

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Package, example = json!({
    "sku": "PKG-WEDDING-GOLD", "name": "Wedding, gold", "list_price": {"amount": "6999.00", "currency": "CNY"},
    "shoot_minutes": 240, "looks": 3, "retouched_photos": 30, "prints": 2, "albums": 1,
    "extra_photo_price": {"amount": "50.00", "currency": "CNY"},
    "deposit": {"amount": "1000.00", "currency": "CNY"}
}))]
pub struct PackageDto {
    pub sku: String,
    pub name: String,
    /// The catalogue's price; each store sells at its own.
    pub list_price: MoneyDto,
    /// How long its shoot takes.
    pub shoot_minutes: i32,
    /// Outfits and make-ups (造型).
    pub looks: i32,
    /// Retouched photos included: the customer selects up to this many at no extra cost.
    pub retouched_photos: i32,
    pub prints: i32,
    pub albums: i32,
    /// What each selected photo beyond the allowance costs.
    pub extra_photo_price: MoneyDto,
    /// Paid at booking (订金); the rest (尾款) at pickup.
    pub deposit: MoneyDto,
}

impl PackageDto {
    fn new(package: Package, currency: &str) -> Self {
        let money = |m| MoneyDto::new(m, currency);
        Self {
            sku: package.sku,
            name: package.name,
            list_price: money(package.list_price),
            shoot_minutes: package.terms.shoot_minutes,
            looks: package.terms.looks,
            retouched_photos: package.terms.retouched_photos,
            prints: package.terms.prints,
            albums: package.terms.albums,
            extra_photo_price: money(package.terms.extra_photo_price),
            deposit: money(package.terms.deposit),
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SetPackageRequest)]
pub struct SetPackageRequest {
    /// 1 to 960.
    #[schema(example = 240)]
    pub shoot_minutes: i64,
    #[schema(example = 3)]
    pub looks: i64,
    #[schema(example = 30)]
    pub retouched_photos: i64,
    #[schema(example = 2)]
    pub prints: i64,
    #[schema(example = 1)]
    pub albums: i64,
    #[schema(value_type = String, example = "50.00")]
    pub extra_photo_price: Decimal,
    /// At most the product's list price.
    #[schema(value_type = String, example = "1000.00")]
    pub deposit: Decimal,
}

/// List the packages and what each includes.
#[utoipa::path(
    tag = "studio",
    security(()),
    responses((status = 200, description = "Every package, by SKU.", body = Page<PackageDto>)),
)]
#[get("/packages")]
pub async fn list_packages(
    state: web::Data<AppState>,
) -> Result<web::Json<Page<PackageDto>>, ApiError> {
    let packages = state.shoots.packages().await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(Page::complete(
        packages
            .into_iter()
            .map(|p| PackageDto::new(p, &currency))
            .collect(),
    )))
}

/// Get what a package includes.
#[utoipa::path(
    tag = "studio",
    params(("sku" = String, Path, description = "The package product's SKU.")),
    security(()),
    responses(
        (status = 200, description = "The package.", body = PackageDto),
        (status = 404, description = "No package has this SKU.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/packages/{sku}")]
pub async fn get_package(
    state: web::Data<AppState>,
    sku: web::Path<String>,
) -> Result<web::Json<PackageDto>, ApiError> {
    let package = state.shoots.package(&sku).await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(PackageDto::new(package, &currency)))
}

/// Set what a package product includes.
///
/// The product must exist in the catalogue with kind `package`; its name and price stay the
/// catalogue's.
#[utoipa::path(
    tag = "studio",
    params(("sku" = String, Path, description = "The package product's SKU.")),
    request_body = SetPackageRequest,
    security(("bearer" = ["catalog:write"])),
    responses(
        (status = 200, description = "The package.", body = PackageDto),
        (status = 404, description = "No product has this SKU.",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: out of range, a deposit above the \
            price, or a product that is not a package.",
            body = Problem, content_type = "application/problem+json"),
    ),
)]
#[put("/packages/{sku}")]
pub async fn set_package(
    _: Authorized<require::CatalogWrite>,
    state: web::Data<AppState>,
    sku: web::Path<String>,
    Json(body): Json<SetPackageRequest>,
) -> Result<web::Json<PackageDto>, ApiError> {
    let package = state
        .shoots
        .set_package(
            &sku,
            PackageInput {
                shoot_minutes: body.shoot_minutes,
                looks: body.looks,
                retouched_photos: body.retouched_photos,
                prints: body.prints,
                albums: body.albums,
                extra_photo_price: body.extra_photo_price,
                deposit: body.deposit,
            },
        )
        .await?;
    let currency = state.shoots.currency().await?;
    Ok(web::Json(PackageDto::new(package, &currency)))
}
