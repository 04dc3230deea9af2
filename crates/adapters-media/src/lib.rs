//! Media storage adapters: [`FsMediaStore`] keeps files in a directory on the local
//! filesystem (served by the API at a stable URL), [`S3MediaStore`] in a bucket of an
//! S3-compatible object store (served by the store or a CDN in front of it).

mod fs;
mod s3;

pub use fs::FsMediaStore;
pub use s3::{S3MediaStore, S3Settings};

/// `base` and `key` joined by one `/`.
fn join_url(base: &str, key: &domain::media::MediaKey) -> String {
    format!("{}/{key}", base.trim_end_matches('/'))
}
