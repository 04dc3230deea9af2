//! Files in a directory: each key is a relative path under it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use async_trait::async_trait;
use domain::media::MediaKey;
use ports::InfraError;
use ports::media::MediaStore;
use rand::Rng;
use tokio::io::AsyncWriteExt;

/// Keeps files under a root directory and names them by URL under a public base
/// (`/media` when the API serves the directory itself).
pub struct FsMediaStore {
    root: PathBuf,
    public_base: String,
}

impl FsMediaStore {
    /// Creates `root` when it is missing.
    pub fn new(root: impl Into<PathBuf>, public_base: &str) -> anyhow::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)
            .with_context(|| format!("creating the media directory {}", root.display()))?;
        Ok(Self {
            root,
            public_base: public_base.to_owned(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file of `key` is. Keys are relative paths without `..` or hidden segments
    /// (see [`MediaKey`]), so this is always inside the root.
    pub fn path_of(&self, key: &MediaKey) -> PathBuf {
        key.segments()
            .fold(self.root.clone(), |path, segment| path.join(segment))
    }

    async fn write_atomically(&self, path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
        let dir = path.parent().context("a media path has a parent")?;
        tokio::fs::create_dir_all(dir)
            .await
            .with_context(|| format!("creating {}", dir.display()))?;
        // A hidden name: never served, never a key (keys have no hidden segment).
        let mut token = [0u8; 8];
        rand::rng().fill_bytes(&mut token);
        let temp = dir.join(format!(".tmp-{}", hex::encode(token)));
        let written = async {
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)
                .await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            drop(file);
            tokio::fs::rename(&temp, path).await
        }
        .await;
        if let Err(error) = written {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(anyhow::Error::new(error).context(format!("writing {}", path.display())));
        }
        Ok(())
    }
}

#[async_trait]
impl MediaStore for FsMediaStore {
    async fn put(
        &self,
        key: &MediaKey,
        _content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<(), InfraError> {
        // The type is the file name's extension's; the server that serves the directory
        // derives it from there.
        self.write_atomically(&self.path_of(key), &bytes)
            .await
            .map_err(InfraError::Unknown)
    }

    async fn delete(&self, key: &MediaKey) -> Result<(), InfraError> {
        let path = self.path_of(key);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(InfraError::Unknown(
                anyhow::Error::new(error).context(format!("deleting {}", path.display())),
            )),
        }
    }

    fn url(&self, key: &MediaKey) -> String {
        crate::join_url(&self.public_base, key)
    }
}
