//! The studio.

pub mod schedule;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    schedule::configure(cfg);
}
