//! What every part of the benchmark shares: progress lines, stopping on a signal, running
//! commands, and scratch directories that outlive no run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{bail, Context, Result};

/// Set by SIGINT/SIGTERM/SIGHUP, so long loops stop and the cleanup still runs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Fails when the user asked to stop; called between steps.
pub fn check_interrupted() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        bail!("interrupted");
    }
    Ok(())
}

pub fn install_signal_handlers() {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(sig, handler);
        }
    }
}

/// A progress line.
pub fn step(what: &str) {
    println!("==> {what}");
}

/// First line of a command's standard output, trimmed.
pub fn command_line_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

/// Whether an environment variable is set to something other than empty or `0`.
pub fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
}

/// Whether `pid` is a live harness process (an xtask binary).
pub fn harness_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "xtask")
}

/// Removes `target/bench/scan-<pid>-…` and `viewer-<pid>` scratch directories of dead harness runs.
pub fn sweep_scratch(bench_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(bench_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let owner = name
            .strip_prefix("scan-")
            .or_else(|| name.strip_prefix("viewer-"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if owner.is_some_and(|pid| !harness_alive(pid)) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A directory removed on drop (kept with `DOCKAUDIT_BENCH_KEEP=1`, for profiling by hand).
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(path: PathBuf) -> Result<Self> {
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Scratch(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if env_flag("DOCKAUDIT_BENCH_KEEP") {
            println!("kept {}", self.0.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_of_dead_runs_is_swept_and_nothing_else() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-sweep-{}", std::process::id()));
        for d in ["scan-4000000000-ab", "viewer-4000000001", "dist", "scan-notapid"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        sweep_scratch(&dir);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["dist", "scan-notapid"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
