//! Marketing: campaigns and coupons, managed by staff with `marketing:manage`; any signed-in
//! person may check a coupon code against their cart.

pub mod campaigns;
pub mod coupons;
pub(crate) mod error;

pub(crate) fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(campaigns::list_campaigns)
        .service(campaigns::create_campaign)
        .service(campaigns::get_campaign)
        .service(campaigns::update_campaign)
        .service(campaigns::delete_campaign)
        .service(coupons::validate_coupon)
        .service(coupons::list_coupons)
        .service(coupons::create_coupon)
        .service(coupons::get_coupon)
        .service(coupons::update_coupon)
        .service(coupons::delete_coupon);
}
