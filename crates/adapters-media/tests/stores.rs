//! The media stores against the outside world they stand for: a real directory, and a local
//! HTTP server playing an S3-compatible store.

use std::time::Duration;

use adapters_media::{FsMediaStore, S3MediaStore, S3Settings};
use domain::media::MediaKey;
use ports::InfraError;
use ports::media::MediaStore;
use sha2::{Digest, Sha256};
use testkit::FakeS3;

fn key(raw: &str) -> MediaKey {
    MediaKey::parse(raw).unwrap()
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(next).unwrap().flatten() {
            if entry.path().is_dir() {
                pending.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(dir).unwrap().to_owned();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

#[tokio::test]
async fn the_filesystem_store_writes_whole_files_under_its_root() {
    let root = tempfile::tempdir().unwrap();
    let media_dir = root.path().join("media");
    let store = FsMediaStore::new(&media_dir, "/media/").unwrap();
    assert!(media_dir.is_dir(), "created");

    let k = key("products/7/abc.png");
    store.put(&k, "image/png", b"first".to_vec()).await.unwrap();
    assert_eq!(
        std::fs::read(media_dir.join("products/7/abc.png")).unwrap(),
        b"first"
    );
    assert_eq!(store.url(&k), "/media/products/7/abc.png");
    // Replaced whole; no temporary file left beside it.
    store
        .put(&k, "image/png", b"second".to_vec())
        .await
        .unwrap();
    assert_eq!(std::fs::read(store.path_of(&k)).unwrap(), b"second");
    assert_eq!(files_under(&media_dir), ["products/7/abc.png"]);

    store.delete(&k).await.unwrap();
    assert!(files_under(&media_dir).is_empty());
    store
        .delete(&k)
        .await
        .expect("deleting what is gone succeeds");
}

#[tokio::test]
async fn a_failed_filesystem_write_leaves_nothing_and_is_an_error() {
    let root = tempfile::tempdir().unwrap();
    let store = FsMediaStore::new(root.path(), "/media").unwrap();
    // A file where the key's directory should be.
    std::fs::write(root.path().join("products"), b"in the way").unwrap();
    let error = store
        .put(&key("products/1/a.png"), "image/png", b"x".to_vec())
        .await
        .unwrap_err();
    assert!(matches!(error, InfraError::Unknown(_)), "{error:?}");
    assert_eq!(files_under(root.path()), ["products"]);
}

fn s3_store(s3: &FakeS3, public_url: Option<&str>) -> S3MediaStore {
    S3MediaStore::new(&S3Settings {
        bucket: "shop".to_owned(),
        endpoint: Some(s3.endpoint.clone()),
        region: "eu-west-1".to_owned(),
        access_key_id: Some("AKIDEXAMPLE".to_owned()),
        secret_access_key: Some("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned()),
        public_url: public_url.map(str::to_owned),
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

#[tokio::test]
async fn the_s3_store_puts_signed_typed_objects_and_deletes_them() {
    let s3 = FakeS3::start();
    let store = s3_store(&s3, None);
    let k = key("products/7/abc.jpg");
    let bytes = b"\xff\xd8\xff pretend jpeg".to_vec();

    store.put(&k, "image/jpeg", bytes.clone()).await.unwrap();
    let object = s3
        .object("/shop/products/7/abc.jpg")
        .expect("stored path-style");
    assert_eq!(object.bytes, bytes);
    assert_eq!(object.content_type.as_deref(), Some("image/jpeg"));
    let put = &s3.requests()[0];
    assert_eq!(
        (put.method.as_str(), put.path.as_str()),
        ("PUT", "/shop/products/7/abc.jpg")
    );
    assert_eq!(
        put.cache_control.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    // Signed with SigV4 for this key, region and service, over the headers that matter ...
    let authorization = put
        .authorization
        .as_deref()
        .expect("an Authorization header");
    let date = put.x_amz_date.as_deref().expect("x-amz-date");
    assert!(
        authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{}/eu-west-1/s3/aws4_request, SignedHeaders=",
            &date[..8]
        )),
        "{authorization}"
    );
    for signed in ["host", "x-amz-content-sha256", "x-amz-date"] {
        assert!(
            authorization.contains(signed),
            "{signed} in {authorization}"
        );
    }
    assert!(authorization.contains("Signature="), "{authorization}");
    assert!(
        !authorization.contains("wJalrXUtnFEMI"),
        "the secret stays home"
    );
    // ... including the body's hash, which is the body's.
    let body_hash = hex::encode(Sha256::digest(&bytes));
    assert_eq!(
        put.x_amz_content_sha256.as_deref(),
        Some(body_hash.as_str())
    );
    assert_eq!(put.body_sha256, body_hash);

    assert_eq!(
        store.url(&k),
        format!("{}/shop/products/7/abc.jpg", s3.endpoint)
    );
    assert_eq!(
        s3_store(&s3, Some("https://cdn.example.com/")).url(&k),
        "https://cdn.example.com/products/7/abc.jpg"
    );

    store.delete(&k).await.unwrap();
    assert!(s3.paths().is_empty());
    let delete = s3.requests().last().unwrap().clone();
    assert_eq!(
        (delete.method.as_str(), delete.path.as_str()),
        ("DELETE", "/shop/products/7/abc.jpg")
    );
    assert!(delete.authorization.is_some());
    store
        .delete(&k)
        .await
        .expect("deleting what is gone succeeds");
}

#[tokio::test]
async fn an_s3_store_that_fails_is_unavailable() {
    let s3 = FakeS3::start();
    let store = s3_store(&s3, None);
    s3.set_failing(true);
    let error = store
        .put(&key("products/1/a.png"), "image/png", b"x".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            InfraError::Unavailable {
                service: "media storage",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(s3.paths().is_empty());
    assert!(
        s3.requests().len() > 1,
        "retried: {:?}",
        s3.requests().len()
    );

    // Nobody listening at all.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let nowhere = S3MediaStore::new(&S3Settings {
        bucket: "shop".to_owned(),
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: "eu-west-1".to_owned(),
        access_key_id: Some("a".to_owned()),
        secret_access_key: Some("b".to_owned()),
        public_url: None,
        timeout: Duration::from_secs(2),
    })
    .unwrap();
    let error = nowhere.delete(&key("products/1/a.png")).await.unwrap_err();
    assert!(matches!(error, InfraError::Unavailable { .. }), "{error:?}");
}
