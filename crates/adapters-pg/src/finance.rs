//! Finance: wallets and the ledger.
//!
//! [`ledger::post_in`] is the one way money moves: other contexts call it inside their own
//! transactions (a payment, a refund, a payout), the wallet endpoints through
//! [`PgWalletRepository`].

pub mod ledger;
mod payments;
mod wallets;

pub use payments::PgPaymentRepository;
pub use wallets::PgWalletRepository;
