//! Scheduling: people's working hours and time off, managed with `studio:schedule`, and a
//! store's free slots, seen by whoever schedules or shoots.

pub mod availability;
pub(crate) mod error;
pub mod hours;
pub mod time_off;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(hours::get_working_hours)
        .service(hours::set_working_hours)
        .service(time_off::list_time_off)
        .service(time_off::create_time_off)
        .service(time_off::get_time_off)
        .service(time_off::delete_time_off)
        .service(availability::get_availability);
}
