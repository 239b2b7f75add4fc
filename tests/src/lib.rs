//! Helpers for the end-to-end tests: locating the built binary, fixtures, a real dockerd and a
//! real browser ([`browser`]). Reports built in code come from `dockaudit_shared::test_support`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Root of the workspace.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A fixture file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(rel)
}

/// The `dockaudit` binary, built (or confirmed up to date) once per test process so a stale binary
/// from an earlier build is never tested.
pub fn dockaudit_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let target =
                std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_root().join("target"), PathBuf::from);
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", "dockaudit", "--bin", "dockaudit"])
                .current_dir(workspace_root())
                .status()
                .expect("cargo build runs");
            assert!(status.success(), "building dockaudit failed");
            target.join("debug").join("dockaudit")
        })
        .clone()
}

/// Runs dockaudit with arguments; returns its output.
pub fn dockaudit(args: &[&str]) -> Output {
    Command::new(dockaudit_bin())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockaudit runs")
}

/// A scratch directory under `target/`, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = workspace_root()
            .join("target/test-tmp")
            .join(format!("{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub mod browser;
pub mod daemons;
pub mod docker;
pub mod garage;
pub mod sshd;
pub mod tls;
pub mod workloads;
