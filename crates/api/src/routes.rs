//! Every route of the native API, in one place. Registering through `utoipa-actix-web`
//! documents each route as it is mounted (see [`crate::openapi`]).

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{backoffice, catalog, health, identity, marketing, ordering, stores};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_liveness)
        .service(health::get_readiness)
        .service(scope("/api/v1/identity").configure(identity::configure))
        .service(scope("/api/v1/catalog").configure(catalog::configure))
        .service(scope("/api/v1/stores").configure(stores::configure))
        .service(scope("/api/v1/cart").configure(ordering::configure))
        .service(scope("/api/v1/marketing").configure(marketing::configure))
        .service(scope("/api/v1/backoffice").configure(backoffice::configure));
}
