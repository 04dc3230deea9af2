//! Identity and access over HTTP.

mod accounts;
mod addresses;
mod outage;
mod password_resets;
mod permissions;
mod rate_limits;
mod roles;
mod sessions;
