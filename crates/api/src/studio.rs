//! The studio: customers (`customers:manage`), employees (`staff:manage`; read with
//! `studio:schedule` too, to book people) and rooms (`staff:manage` or `studio:schedule`).

pub mod customers;
pub(crate) mod error;
pub mod rooms;
pub mod staff;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(customers::list_customers)
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
