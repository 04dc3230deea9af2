//! The studio (影楼): customers, staff, rooms, schedules, packages and shoots.

pub(crate) mod error;
pub mod packages;
pub mod shoots;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(packages::list_packages)
        .service(packages::get_package)
        .service(packages::set_package)
        .service(shoots::list_shoots)
        .service(shoots::create_shoot)
        .service(shoots::get_shoot)
        .service(shoots::update_shoot)
        .service(shoots::set_shoot_stage)
        .service(shoots::set_shoot_selection)
        .service(shoots::get_board);
}
