//! Every route of the native API, in one place. Registering through `utoipa-actix-web`
//! documents each route as it is mounted (see [`crate::openapi`]).

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{backoffice, catalog, finance, health, identity, marketing, ordering, stores, studio};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_liveness)
        .service(health::get_readiness)
        .service(scope("/api/v1/identity").configure(identity::configure))
        .service(scope("/api/v1/catalog").configure(catalog::configure))
        .service(scope("/api/v1/stores").configure(stores::configure))
        .service(scope("/api/v1/cart").configure(ordering::configure_cart))
        .service(scope("/api/v1/orders").configure(ordering::configure_orders))
        .service(scope("/api/v1/wallet").configure(finance::configure_wallet))
        .service(scope("/api/v1/finance").configure(finance::configure_ledger))
        .service(scope("/api/v1/marketing").configure(marketing::configure))
        .service(scope("/api/v1/studio").configure(studio::configure))
        .service(scope("/api/v1/backoffice").configure(backoffice::configure));
}
