//! The catalogue: categories and products. Reads are public; writes need `catalog:write`.

pub mod categories;
mod error;
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
        .service(search::list_search_results);
}
