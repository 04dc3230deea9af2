//! Objects in a bucket of an S3-compatible store (AWS S3, MinIO, Cloudflare R2, Aliyun OSS
//! ...), through `object_store`: requests signed with AWS Signature Version 4, path-style
//! addressing (`<endpoint>/<bucket>/<key>`) when an endpoint is given.

use std::time::Duration;

use async_trait::async_trait;
use domain::media::MediaKey;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, RetryConfig,
};
use ports::InfraError;
use ports::media::{CACHE_CONTROL, MediaStore};

const SERVICE: &str = "media storage";

/// Where the bucket is and how to reach it.
#[derive(Clone)]
pub struct S3Settings {
    pub bucket: String,
    /// `https://s3.example.com` for a store other than AWS S3 (`http://` is allowed, for a
    /// store on a private network). AWS S3 when `None`.
    pub endpoint: Option<String>,
    pub region: String,
    /// Without keys, the store's default credentials (instance metadata ...) are used.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// The URL the bucket's objects are read at (a CDN, or the bucket's public address);
    /// `<endpoint>/<bucket>` (or AWS's bucket address) when `None`.
    pub public_url: Option<String>,
    /// Longest time one request may take.
    pub timeout: Duration,
}

/// Leaves the secret out.
impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("public_url", &self.public_url)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

pub struct S3MediaStore {
    store: AmazonS3,
    public_base: String,
}

impl S3MediaStore {
    /// Configures the client; connects on the first request.
    pub fn new(settings: &S3Settings) -> anyhow::Result<Self> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            // Plain `DELETE /<bucket>/<key>`: every S3-compatible store has it.
            .with_disable_bulk_delete(true)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(settings.timeout)
                    .with_connect_timeout(settings.timeout.min(Duration::from_secs(5))),
            )
            // A few quick retries: an upload waits on this.
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(1),
                    base: 2.0,
                },
                max_retries: 2,
                retry_timeout: settings.timeout,
            });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let public_base = match (&settings.public_url, &settings.endpoint) {
            (Some(url), _) => url.clone(),
            (None, Some(endpoint)) => {
                format!("{}/{}", endpoint.trim_end_matches('/'), settings.bucket)
            }
            (None, None) => format!(
                "https://{}.s3.{}.amazonaws.com",
                settings.bucket, settings.region
            ),
        };
        Ok(Self {
            store: builder.build()?,
            public_base,
        })
    }
}

fn infra(error: object_store::Error) -> InfraError {
    match error {
        // Connection failures, timeouts and 5xx answers, after the retries.
        object_store::Error::Generic { .. } => InfraError::Unavailable {
            service: SERVICE,
            source: error.into(),
        },
        // Refused credentials, a missing bucket, a bug.
        other => InfraError::Unknown(other.into()),
    }
}

#[async_trait]
impl MediaStore for S3MediaStore {
    async fn put(
        &self,
        key: &MediaKey,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), InfraError> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.to_owned().into());
        attributes.insert(Attribute::CacheControl, CACHE_CONTROL.into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&Path::from(key.as_str()), PutPayload::from(bytes), options)
            .await
            .map_err(infra)?;
        Ok(())
    }

    async fn delete(&self, key: &MediaKey) -> Result<(), InfraError> {
        match self.store.delete(&Path::from(key.as_str())).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(infra(error)),
        }
    }

    fn url(&self, key: &MediaKey) -> String {
        crate::join_url(&self.public_base, key)
    }
}
