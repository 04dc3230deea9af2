//! Ordering: the cart of the signed-in person, checkout and orders.

pub mod cart;
mod error;
pub mod orders;
pub mod payments;

pub(crate) fn configure_cart(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(cart::get_cart)
        .service(cart::delete_cart)
        .service(cart::create_cart_item)
        .service(cart::update_cart_item)
        .service(cart::delete_cart_item);
}

pub(crate) fn configure_orders(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(orders::create_orders)
        .service(orders::list_orders)
        .service(orders::get_order)
        .service(orders::cancel_order)
        .service(orders::ship_order)
        .service(orders::deliver_order)
        .service(orders::complete_order)
        .service(payments::create_payment);
}
