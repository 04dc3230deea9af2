//! Finance: wallets and the ledger. Money moves only through the ledger: every change of a
//! wallet's balance is a ledger row, so a balance always equals the sum of its wallet's rows
//! and never goes below zero.

pub mod ledger;
pub mod payment;
pub mod wallet;
