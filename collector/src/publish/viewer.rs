//! `dockaudit publish --viewer`: the built viewer's files at the destination's root, each with the
//! `Content-Type` a browser needs (a `.wasm` served as anything but `application/wasm` does not
//! stream-compile, a `.js` module must be JavaScript), so the bucket serves the whole site.

use std::path::Path;

use bytes::Bytes;
use dockaudit_shared::fleet::{HOSTS_DIR, INDEX_KEY, REPORTS_DIR};

use super::store::Store;
use super::PublishError;

/// One uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewerFile {
    pub key: String,
    pub content_type: &'static str,
    pub bytes: u64,
}

/// The most files a viewer build may hold (it has five or so): a wrong directory fails fast.
const MAX_FILES: usize = 200;

/// Uploads every file under `dir` (which must hold `index.html`), replacing older copies.
pub async fn publish_viewer(store: &Store, dir: &Path) -> Result<Vec<ViewerFile>, PublishError> {
    if !dir.join("index.html").is_file() {
        return Err(PublishError::Viewer(format!(
            "{} holds no index.html; build the viewer with `cargo xtask build-viewer`",
            dir.display()
        )));
    }
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut uploaded = Vec::new();
    for (key, path) in files {
        let bytes = std::fs::read(&path).map_err(|e| PublishError::Viewer(format!("{}: {e}", path.display())))?;
        let content_type = crate::serve::headers::content_type(&path);
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        store.put(&key, Bytes::from(bytes), content_type).await?;
        uploaded.push(ViewerFile {
            key,
            content_type,
            bytes: len,
        });
    }
    Ok(uploaded)
}

/// Regular files under `dir`, as `(key, path)`; keys that would land on the fleet's own objects,
/// hidden files and non-UTF-8 names are refused rather than guessed at.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, std::path::PathBuf)>) -> Result<(), PublishError> {
    let entries = std::fs::read_dir(dir).map_err(|e| PublishError::Viewer(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| PublishError::Viewer(format!("{}: {e}", dir.display())))?;
        let path = entry.path();
        let meta = std::fs::metadata(&path).map_err(|e| PublishError::Viewer(format!("{}: {e}", path.display())))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(PublishError::Viewer(format!(
                "{}: not a UTF-8 file name",
                path.display()
            )));
        };
        if name.starts_with('.') {
            continue;
        }
        if meta.is_dir() {
            collect(root, &path, out)?;
        } else if meta.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let key = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let first = key.split('/').next().unwrap_or_default();
            if key == INDEX_KEY || first == HOSTS_DIR || first == REPORTS_DIR {
                return Err(PublishError::Viewer(format!(
                    "{}: {key} is where the fleet's own data lives; not a viewer file",
                    path.display()
                )));
            }
            out.push((key, path));
            if out.len() > MAX_FILES {
                return Err(PublishError::Viewer(format!(
                    "{} holds more than {MAX_FILES} files; is it the built viewer?",
                    root.display()
                )));
            }
        }
    }
    Ok(())
}
