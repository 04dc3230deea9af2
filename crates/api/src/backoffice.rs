//! Back office: system settings, the messages sent to people.

pub mod messages;
pub mod settings;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(settings::list_settings)
        .service(settings::get_setting)
        .service(settings::update_setting)
        .service(settings::reset_setting)
        .service(messages::list_messages);
}
