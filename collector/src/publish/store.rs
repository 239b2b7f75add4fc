//! The few operations publishing needs, over any object_store backend, with keys relative to the
//! destination's prefix.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt;
use object_store::path::Path;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use super::PublishError;

/// A destination, opened.
#[derive(Debug, Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
    /// Key prefix without a trailing `/` ("" for the root).
    prefix: String,
    /// Whether the backend stores a `Content-Type` (S3 does; the local file system cannot).
    content_types: bool,
    shown: String,
}

/// What [`Store::put_new`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutNew {
    Created,
    /// The key already holds these exact bytes.
    Identical,
}

/// One listed object: its key relative to the prefix and its entity tag (version marker).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Listed {
    pub key: String,
    pub e_tag: Option<String>,
}

impl Store {
    pub(super) fn new(inner: Arc<dyn ObjectStore>, prefix: &str, content_types: bool, shown: String) -> Store {
        Store {
            inner,
            prefix: prefix.trim_matches('/').to_string(),
            content_types,
            shown,
        }
    }

    /// The destination as the user wrote it (for messages).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn path(&self, key: &str) -> Result<Path, PublishError> {
        let full = if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        };
        Path::parse(&full).map_err(|e| PublishError::Store {
            key: key.to_string(),
            reason: e.to_string(),
        })
    }

    fn error(&self, key: &str, e: object_store::Error) -> PublishError {
        PublishError::Store {
            key: format!("{}/{key}", self.shown),
            reason: e.to_string(),
        }
    }

    /// The object's bytes and entity tag, or `None` when there is none.
    pub async fn get(&self, key: &str) -> Result<Option<(Bytes, Option<String>)>, PublishError> {
        let path = self.path(key)?;
        match self.inner.get(&path).await {
            Ok(result) => {
                let e_tag = result.meta.e_tag.clone();
                let bytes = result.bytes().await.map_err(|e| self.error(key, e))?;
                Ok(Some((bytes, e_tag)))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.error(key, e)),
        }
    }

    /// Writes `bytes` at `key`, replacing what is there.
    pub async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), PublishError> {
        let path = self.path(key)?;
        let opts = self.options(PutMode::Overwrite, content_type);
        self.inner
            .put_opts(&path, PutPayload::from_bytes(bytes), opts)
            .await
            .map(drop)
            .map_err(|e| self.error(key, e))
    }

    /// Writes `bytes` at `key` only if nothing is there. An existing object with the same bytes is
    /// [`PutNew::Identical`]; one with other bytes is refused ([`PublishError::Exists`]).
    ///
    /// The existence check comes first because some S3-compatible stores (Garage 2.5) accept but
    /// do not honour `If-None-Match: *`; the conditional write is still sent, for stores that do.
    pub async fn put_new(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<PutNew, PublishError> {
        if let Some(existing) = self.get(key).await? {
            return self.compare(key, &existing.0, &bytes);
        }
        let path = self.path(key)?;
        let opts = self.options(PutMode::Create, content_type);
        match self
            .inner
            .put_opts(&path, PutPayload::from_bytes(bytes.clone()), opts)
            .await
        {
            Ok(_) => Ok(PutNew::Created),
            Err(object_store::Error::AlreadyExists { .. } | object_store::Error::Precondition { .. }) => {
                match self.get(key).await? {
                    Some(existing) => self.compare(key, &existing.0, &bytes),
                    None => Err(PublishError::Store {
                        key: format!("{}/{key}", self.shown),
                        reason: "the store refused the write as existing, yet holds no object there".into(),
                    }),
                }
            }
            Err(e) => Err(self.error(key, e)),
        }
    }

    /// Removes the object at `key` (nothing there is no error).
    pub async fn delete(&self, key: &str) -> Result<(), PublishError> {
        let path = self.path(key)?;
        match self.inner.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.error(key, e)),
        }
    }

    fn compare(&self, key: &str, existing: &[u8], new: &[u8]) -> Result<PutNew, PublishError> {
        if existing == new {
            Ok(PutNew::Identical)
        } else {
            Err(PublishError::Exists {
                key: format!("{}/{key}", self.shown),
            })
        }
    }

    fn options(&self, mode: PutMode, content_type: &str) -> PutOptions {
        let mut attributes = Attributes::new();
        if self.content_types {
            attributes.insert(Attribute::ContentType, content_type.to_string().into());
        }
        PutOptions {
            mode,
            attributes,
            ..PutOptions::default()
        }
    }

    /// Every object under `dir` (a key prefix ending in `/`), sorted by key.
    pub async fn list(&self, dir: &str) -> Result<Vec<Listed>, PublishError> {
        let path = self.path(dir.trim_end_matches('/'))?;
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut out: Vec<Listed> = self
            .inner
            .list(Some(&path))
            .map_ok(|meta| Listed {
                key: meta
                    .location
                    .as_ref()
                    .strip_prefix(&strip)
                    .unwrap_or(meta.location.as_ref())
                    .to_string(),
                e_tag: meta.e_tag,
            })
            .try_collect()
            .await
            .or_else(|e| match e {
                object_store::Error::NotFound { .. } => Ok(Vec::new()),
                other => Err(self.error(dir, other)),
            })?;
        out.sort();
        Ok(out)
    }
}
