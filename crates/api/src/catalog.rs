//! The catalogue: categories, products and their images. Reads are public; writes need
//! `catalog:write`.

pub mod categories;
mod error;
pub mod images;
pub mod products;
pub mod search;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(categories::list_categories)
        .service(categories::create_category)
        // Before `/categories/{id}`.
        .service(categories::reorder_categories)
        .service(categories::get_category)
        .service(categories::update_category)
        .service(categories::delete_category)
        .service(products::list_products)
        .service(products::create_product)
        .service(products::get_product)
        .service(products::update_product)
        .service(products::delete_product)
        .service(images::list_product_images)
        .service(images::create_product_image)
        // Before `/products/{id}/images/{image_id}`.
        .service(images::reorder_product_images)
        .service(images::get_product_image)
        .service(images::update_product_image)
        .service(images::delete_product_image)
        .service(images::set_primary_product_image)
        .service(search::list_search_results);
}
