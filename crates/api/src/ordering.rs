//! Ordering: the cart of the signed-in person.

pub mod cart;
mod error;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(cart::get_cart)
        .service(cart::delete_cart)
        .service(cart::create_cart_item)
        .service(cart::update_cart_item)
        .service(cart::delete_cart_item);
}
