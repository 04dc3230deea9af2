//! Stores and their stock. Reading a store is public; its owner and staff with
//! `stores:manage` change it and see its stock figures and history.

mod error;
pub mod inventory;
pub mod listings;
pub mod store;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(store::list_stores)
        .service(store::create_store)
        .service(store::get_store)
        .service(store::update_store)
        .service(store::close_store)
        .service(store::reopen_store)
        .service(inventory::list_inventory)
        .service(inventory::get_inventory_item)
        .service(inventory::create_stock_receipt)
        .service(inventory::create_stock_adjustment)
        .service(inventory::set_store_price)
        .service(inventory::list_stock_movements)
        .service(listings::create_listing)
        // A store's orders belong to ordering but live under the store's path.
        .service(crate::ordering::orders::list_store_orders);
}
