//! Finance: the signed-in person's wallet (`/api/v1/wallet`) and, for staff with
//! `ledger:read`, the whole ledger (`/api/v1/finance/transactions`).
//!
//! Top-ups and withdrawals are `POST`s whose response depends only on the caller, the body and
//! the wallet, so an `Idempotency-Key` middleware can wrap their resources as they are.

mod error;
pub mod ledger;
pub mod wallet;

/// Under `/api/v1/wallet`.
pub(crate) fn configure_wallet(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(wallet::get_wallet)
        .service(wallet::create_wallet_top_up)
        .service(wallet::create_wallet_withdrawal)
        .service(wallet::list_wallet_transactions);
}

/// Under `/api/v1/finance`.
pub(crate) fn configure_ledger(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(ledger::list_financial_transactions)
        // The provider's webhook settles order payments (ordering) but is the finance area's door.
        .service(crate::ordering::payments::create_provider_event);
}
