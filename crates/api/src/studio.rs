//! The studio (影楼): customers (`customers:manage`), employees (`staff:manage`; read with
//! `studio:schedule` too, to book people), rooms (`staff:manage` or `studio:schedule`),
//! packages, and shoots (`studio:schedule`, and `studio:shoots` for one's own).

pub mod customers;
pub(crate) mod error;
pub mod packages;
pub mod reports;
pub mod rooms;
pub mod schedule;
pub mod shoots;
pub mod staff;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    schedule::configure(cfg);
    cfg.service(packages::list_packages)
        .service(packages::get_package)
        .service(packages::set_package)
        .service(shoots::list_shoots)
        .service(shoots::create_shoot)
        .service(shoots::get_shoot)
        .service(shoots::update_shoot)
        .service(shoots::set_shoot_stage)
        .service(shoots::set_shoot_selection)
        .service(shoots::get_board)
        .service(reports::get_shoot_report)
        .service(reports::get_package_revenue_report)
        .service(reports::get_staff_report)
        .service(customers::list_customers)
        .service(customers::create_customer)
        .service(customers::get_customer)
        .service(customers::update_customer)
        .service(customers::delete_customer)
        .service(customers::get_customer_history)
        .service(staff::list_employees)
        .service(staff::create_employee)
        .service(staff::get_employee)
        .service(staff::update_employee)
        .service(rooms::list_rooms)
        .service(rooms::create_room)
        .service(rooms::get_room)
        .service(rooms::update_room);
}
