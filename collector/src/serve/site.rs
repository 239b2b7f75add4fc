//! What is served: the files of the viewer directory and a fixed set of named reports.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::Error;

/// The viewer directory and the reports offered under `reports/<name>`.
#[derive(Debug, Clone)]
pub struct Site {
    /// Canonical, so a resolved file can be checked to lie inside it.
    viewer: PathBuf,
    reports: BTreeMap<String, PathBuf>,
}

impl Site {
    /// A site serving the built viewer in `viewer` (it must hold `index.html`).
    pub fn new(viewer: &Path) -> Result<Site, Error> {
        let canonical = std::fs::canonicalize(viewer).map_err(|source| Error::Read {
            path: viewer.to_path_buf(),
            source,
        })?;
        if !canonical.join("index.html").is_file() {
            return Err(Error::NotAViewer(viewer.to_path_buf()));
        }
        Ok(Site {
            viewer: canonical,
            reports: BTreeMap::new(),
        })
    }

    /// Offers the file at `path` as `reports/<name>`. The file is the one the caller named, so it
    /// may live anywhere; `name` is a plain file name.
    pub fn add_report(&mut self, name: &str, path: &Path) -> Result<(), Error> {
        let plain = !name.is_empty()
            && name != "."
            && name != ".."
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !plain {
            return Err(Error::BadReportName(name.to_string()));
        }
        if !path.is_file() {
            return Err(Error::NotAFile(path.to_path_buf()));
        }
        if self.reports.contains_key(name) {
            return Err(Error::DuplicateReport(name.to_string()));
        }
        self.reports.insert(name.to_string(), path.to_path_buf());
        Ok(())
    }

    /// The served reports' names, sorted.
    pub fn report_names(&self) -> impl Iterator<Item = &str> {
        self.reports.keys().map(String::as_str)
    }

    /// The file for a path below the token (percent-decoded, no leading `/`), or `None` when
    /// nothing is served there. Viewer files are resolved through symlinks and must stay inside
    /// the viewer directory.
    pub(crate) fn resolve(&self, rel: &str) -> Option<PathBuf> {
        if let Some(name) = rel.strip_prefix("reports/") {
            return self.reports.get(name).cloned();
        }
        let rel = if rel.is_empty() { "index.html" } else { rel };
        let rel = Path::new(rel);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return None;
        }
        let real = std::fs::canonicalize(self.viewer.join(rel)).ok()?;
        (real.starts_with(&self.viewer) && real.is_file()).then_some(real)
    }
}

/// A file's name reduced to the characters [`Site::add_report`] accepts (`report.json` when
/// nothing is left).
pub fn safe_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "report.json".into()
    } else {
        cleaned
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape, invalid UTF-8 or a NUL byte.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('\0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_are_sanitised() {
        assert_eq!(safe_name(Path::new("/tmp/a b<c>.json")), "a_b_c_.json");
        assert_eq!(safe_name(Path::new("/")), "report.json");
    }

    #[test]
    fn decodes_escapes_and_refuses_broken_ones() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%2e%2e/x").as_deref(), Some("../x"));
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%00"), None);
        assert_eq!(percent_decode("%ff"), None);
    }
}
