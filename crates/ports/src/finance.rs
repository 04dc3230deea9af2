//! Money moving in and out of the business: the outside payment provider (and, beside it, the
//! wallets and the ledger).

pub mod provider;
