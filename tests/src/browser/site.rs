//! The built viewer, and the collector's own server ([`dockaudit::serve`]) over it, so the
//! browser tests and the bench see exactly what `dockaudit serve` sends.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

use anyhow::Context;
use dockaudit::serve::{Config, Server, Site};

use crate::workspace_root;

/// `viewer/dist`, built with `cargo run -p xtask -- build-viewer` when it is missing or older than
/// the viewer's sources (once per test binary).
pub fn viewer_dist() -> PathBuf {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let root = workspace_root();
        let dist = root.join("viewer/dist");
        let index = dist.join("index.html");
        let built_at = std::fs::metadata(&index).and_then(|m| m.modified()).ok();
        let newest_source = ["viewer/src", "viewer/static", "shared/src"]
            .iter()
            .filter_map(|d| newest_mtime(&root.join(d)))
            .max();
        let stale = match (built_at, newest_source) {
            (None, _) => true,
            (Some(built), Some(src)) => src > built,
            (Some(_), None) => false,
        };
        if stale {
            eprintln!("viewer/dist is missing or stale: running `cargo run -p xtask -- build-viewer`");
            let status = Command::new(env!("CARGO"))
                .args(["run", "-q", "-p", "xtask", "--", "build-viewer"])
                .current_dir(&root)
                .status()
                .map_err(|e| format!("could not run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("`cargo run -p xtask -- build-viewer` failed with {status}"));
            }
        }
        if index.is_file() {
            Ok(dist)
        } else {
            Err(format!("{} is missing after the build", index.display()))
        }
    });
    match result {
        Ok(p) => p.clone(),
        Err(e) => panic!("{e}"),
    }
}

fn newest_mtime(dir: &Path) -> Option<SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let t = if path.is_dir() {
            newest_mtime(&path)
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        newest = newest.max(t);
    }
    newest
}

/// Serves the site in `dist` and every file of `reports` as `reports/<file name>`, on a free
/// port with a new token.
pub fn serve(dist: &Path, reports: &Path) -> anyhow::Result<Server> {
    let mut site = Site::new(dist)?;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(reports)
        .with_context(|| format!("listing {}", reports.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries.iter().filter(|p| p.is_file()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        site.add_report(&name, path)?;
    }
    Ok(Server::start(site, Config::default())?)
}
