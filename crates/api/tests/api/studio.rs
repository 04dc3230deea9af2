//! The studio over HTTP.

mod schedule;
