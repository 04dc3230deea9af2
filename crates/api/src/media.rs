//! Media (product images): the store the configuration chooses, the multipart upload policy,
//! and, for the filesystem store, serving its files under `/media/`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_multipart::MultipartError;
use actix_multipart::form::MultipartFormConfig;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpRequest, web};
use adapters_media::{FsMediaStore, S3MediaStore, S3Settings};
use anyhow::Context;
use ports::media::{CACHE_CONTROL, MediaStore};

use crate::config::{Config, MediaBackend};
use crate::problem::{ApiError, ProblemCode};

/// Where the filesystem store's files are served.
pub const MEDIA_PATH: &str = "/media";

/// The media store the configuration names.
pub fn store(config: &Config) -> anyhow::Result<Arc<dyn MediaStore>> {
    Ok(match config.media_backend {
        MediaBackend::Fs => Arc::new(FsMediaStore::new(
            &config.media_dir,
            config.media_public_url.as_deref().unwrap_or(MEDIA_PATH),
        )?),
        MediaBackend::S3 => Arc::new(S3MediaStore::new(&S3Settings {
            bucket: config
                .media_s3_bucket
                .clone()
                .context("ATELIER_MEDIA_BACKEND=s3 needs ATELIER_MEDIA_S3_BUCKET")?,
            endpoint: config.media_s3_endpoint.clone(),
            region: config.media_s3_region.clone(),
            access_key_id: config.media_s3_access_key_id.clone(),
            secret_access_key: config.media_s3_secret_access_key.clone(),
            public_url: config.media_public_url.clone(),
            timeout: Duration::from_secs(30),
        })?),
    })
}

/// Room in a multipart body for the boundaries, part headers and the `alt` text, beyond the
/// file itself.
const FORM_OVERHEAD_BYTES: usize = 64 * 1024;

/// How `multipart/form-data` bodies are read: in memory, up to the largest image plus the
/// rest of the form; failures as problems.
pub fn multipart_config(max_image_bytes: u64) -> MultipartFormConfig {
    let limit = usize::try_from(max_image_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(FORM_OVERHEAD_BYTES);
    MultipartFormConfig::default()
        .total_limit(limit)
        .memory_limit(limit)
        .error_handler(move |error, _: &HttpRequest| {
            multipart_error(&error, max_image_bytes).into()
        })
}

fn multipart_error(error: &MultipartError, max_image_bytes: u64) -> ApiError {
    match error {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::new(
            ProblemCode::UnsupportedMediaType,
            "The body must be `multipart/form-data`, with the image in a part named `file`.",
        ),
        MultipartError::Payload(actix_web::error::PayloadError::Overflow) => {
            image_too_large(max_image_bytes)
        }
        MultipartError::MissingField(name) => ApiError::invalid_field(name.clone(), "is required"),
        MultipartError::UnknownField(name) => {
            ApiError::invalid_field(name.clone(), "is not a field of this form")
        }
        MultipartError::DuplicateField(name) => {
            ApiError::invalid_field(name.clone(), "is given more than once")
        }
        MultipartError::Field { name, source } => {
            ApiError::invalid_field(name.clone(), source.to_string())
        }
        other => ApiError::bad_request(format!("The multipart body could not be read: {other}.")),
    }
}

pub fn image_too_large(max_image_bytes: u64) -> ApiError {
    ApiError::new(
        ProblemCode::ImageTooLarge,
        format!("The image is larger than the limit of {max_image_bytes} bytes."),
    )
    .with_extension("max_bytes", max_image_bytes.into())
}

/// The filesystem store's files under [`MEDIA_PATH`]: the type from the name's extension,
/// cached for ever (keys are never reused), never sniffed by browsers as something else.
pub fn files(
    dir: PathBuf,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    web::scope(MEDIA_PATH)
        .wrap(from_fn(immutable))
        .service(actix_files::Files::new("", dir))
}

async fn immutable(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
    }
    Ok(response)
}
