//! Identity and access: accounts, sessions, the caller's profile and address book, password
//! resets, roles and permissions.

pub mod addresses;
mod error;
pub mod me;
pub mod password_resets;
pub mod roles;
pub mod sessions;
pub mod users;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(users::create_user)
        .service(users::list_users)
        .service(users::get_user)
        .service(users::update_user_role)
        .service(users::update_user_status)
        .service(sessions::create_session)
        .service(sessions::list_sessions)
        .service(sessions::delete_sessions)
        // Before `/sessions/{id}`, which would take `current` for an id.
        .service(sessions::delete_current_session)
        .service(sessions::delete_session)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::update_password)
        .service(me::delete_me)
        .service(addresses::list_addresses)
        .service(addresses::create_address)
        .service(addresses::get_address)
        .service(addresses::update_address)
        .service(addresses::delete_address)
        .service(addresses::set_default_address)
        .service(password_resets::create_password_reset)
        .service(password_resets::confirm_password_reset)
        .service(roles::list_permissions)
        .service(roles::list_roles)
        .service(roles::create_role)
        .service(roles::get_role)
        .service(roles::update_role)
        .service(roles::delete_role);
}
