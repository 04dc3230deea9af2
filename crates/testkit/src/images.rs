//! Product images in tests: sample files, `multipart/form-data` bodies, and what the app's
//! media directory holds.

use std::path::{Path, PathBuf};

use reqwest::{Method, RequestBuilder, Response};

use crate::TestApp;

/// A real 3×2 PNG.
pub const PNG: &[u8] = include_bytes!("../fixtures/three-by-two.png");
/// A real 1×1 JPEG.
pub const JPEG: &[u8] = include_bytes!("../fixtures/one-pixel.jpg");

/// A `multipart/form-data` body, built by hand so a test controls every byte of it.
#[derive(Debug, Clone)]
pub struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Default for Form {
    fn default() -> Self {
        Self::new()
    }
}

impl Form {
    pub fn new() -> Self {
        Self {
            boundary: format!("atelier-test-{}", uuid::Uuid::new_v4().simple()),
            body: Vec::new(),
        }
    }

    /// A file part, with the file name and content type a browser would send.
    pub fn file(
        mut self,
        name: &str,
        file_name: &str,
        content_type: Option<&str>,
        bytes: &[u8],
    ) -> Self {
        self.start_part();
        self.body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n"
            )
            .as_bytes(),
        );
        if let Some(content_type) = content_type {
            self.body
                .extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        self.body.extend_from_slice(b"\r\n");
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// A text field.
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.start_part();
        self.body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
        self
    }

    /// The image as the part `file`, typed by its name's extension as a browser would.
    pub fn image(file_name: &str, bytes: &[u8]) -> Self {
        let content_type = match file_name.rsplit('.').next() {
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("gif") => "image/gif",
            Some("webp") => "image/webp",
            _ => "application/octet-stream",
        };
        Self::new().file("file", file_name, Some(content_type), bytes)
    }

    fn start_part(&mut self) {
        self.body
            .extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
    }

    /// Puts the body (closed) and its content type on a request.
    pub fn attach(mut self, request: RequestBuilder) -> RequestBuilder {
        self.body
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        request
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={}", self.boundary),
            )
            .body(self.body)
    }
}

impl TestApp {
    /// `POST /api/v1/catalog/products/{product}/images` with `form`, as `token`.
    pub async fn upload_image(&self, token: &str, product: i64, form: Form) -> Response {
        let path = format!("/api/v1/catalog/products/{product}/images");
        self.send(form.attach(self.request_as(token, Method::POST, &path)))
            .await
    }

    /// The directory the app keeps image files in (the `fs` media store's).
    pub fn media_dir(&self) -> &Path {
        &self.config.media_dir
    }

    /// Every file under the media directory, as paths relative to it, sorted; hidden files
    /// (a write in progress) included.
    pub fn media_files(&self) -> Vec<String> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path: PathBuf = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else if let Ok(relative) = path.strip_prefix(root) {
                    out.push(relative.to_string_lossy().into_owned());
                }
            }
        }
        let mut files = Vec::new();
        walk(self.media_dir(), self.media_dir(), &mut files);
        files.sort();
        files
    }
}
