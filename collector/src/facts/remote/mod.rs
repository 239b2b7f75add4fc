//! Full host checks on an SSH target without installing anything: dockaudit copies itself (or
//! the binary given for the remote's architecture) to a private temporary directory there,
//! checks the copy's SHA-256, runs `dockaudit facts` (with `sudo -n` when asked), reads the
//! snapshot back through the snapshot loader and its limits, and removes the directory again,
//! also when a step failed. The checks then run here, on the returned facts.
//!
//! Every step that cannot be done is a [`RemoteError`] saying why; the caller then reads the
//! Engine API alone and reports host checks as `not_applicable` with that reason.

mod arch;
mod ssh;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::snapshot::{self, Facts};

pub use arch::Arch;
pub use ssh::{sh_quote, SshDestination, SshError, SshOptions, SshSession};

/// What `uname -m`, `mktemp` and the hash may print at most.
const SMALL_OUTPUT: u64 = 4096;
/// Time allowed for each small step (uname, mktemp, removal).
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest binary dockaudit copies (a static release build is a few tens of MB).
const MAX_BINARY: u64 = 512 * 1024 * 1024;

/// How to gather on SSH targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteOptions {
    /// Gather on the remote host at all (else the Engine API only).
    pub enabled: bool,
    /// dockaudit binaries to choose from by architecture; empty means the running one.
    pub binaries: Vec<PathBuf>,
    /// Run the copy with `sudo -n` (never prompting for a password).
    pub sudo: bool,
    /// How long `dockaudit facts` may run there.
    pub timeout: Duration,
    /// Largest snapshot accepted back.
    pub max_snapshot: u64,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            enabled: true,
            binaries: Vec::new(),
            sudo: false,
            timeout: Duration::from_secs(600),
            max_snapshot: dockaudit_shared::limits::InputKind::FactsSnapshot.default_max_bytes(),
        }
    }
}

/// Why the facts could not be gathered on the remote host. Each message is one sentence fit for
/// a report's "host files" reason.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("remote gathering is turned off (--no-remote-gather)")]
    Disabled,
    #[error("no dockaudit binary for the remote's architecture {remote} ({tried}); pass --remote-binary with one built for {remote}")]
    NoBinary { remote: Arch, tried: String },
    #[error("the copy of dockaudit on the remote host has SHA-256 {found}, not {expected}; it was not run")]
    HashMismatch { expected: String, found: String },
    #[error("sudo on the remote host needs a password (sudo -n refused); allow the command without a password or connect as root")]
    SudoPassword,
    #[error("sudo is not installed on the remote host")]
    NoSudo,
    #[error("the remote host cannot run the copied dockaudit: {0}")]
    CannotRun(String),
    #[error("dockaudit facts on the remote host failed: {0}")]
    FactsFailed(String),
    #[error("the snapshot the remote host sent back is not usable: {0}")]
    BadSnapshot(String),
    #[error("{0}")]
    Ssh(#[from] SshError),
    #[error("cannot read {path}: {reason}")]
    LocalBinary { path: String, reason: String },
}

/// A successful remote gather: the facts and a sentence saying how they were taken.
#[derive(Debug)]
pub struct Gathered {
    pub facts: Facts,
    pub detail: String,
}

/// A binary chosen for the remote host.
struct Binary {
    path: PathBuf,
    bytes: Vec<u8>,
    sha256: String,
}

/// Gathers the snapshot on the remote host; see the module documentation.
pub async fn gather(session: &SshSession, opts: &RemoteOptions) -> Result<Gathered, RemoteError> {
    if !opts.enabled {
        return Err(RemoteError::Disabled);
    }
    let uname = session
        .run("uname -m", "uname -m", None, SMALL_OUTPUT, STEP_TIMEOUT)
        .await?;
    if !uname.status.success() {
        return Err(session.command_error("uname -m", uname.stderr).into());
    }
    let remote_arch = Arch::from_uname(&String::from_utf8_lossy(&uname.stdout));
    let binary = tokio::task::spawn_blocking({
        let candidates = candidates(&opts.binaries);
        let remote_arch = remote_arch.clone();
        move || pick_binary(&candidates, &remote_arch)
    })
    .await
    .map_err(|e| RemoteError::CannotRun(e.to_string()))??;

    let made = session
        .run(
            "mktemp -d",
            "umask 077 && mktemp -d \"${TMPDIR:-/tmp}/dockaudit.XXXXXXXXXX\"",
            None,
            SMALL_OUTPUT,
            STEP_TIMEOUT,
        )
        .await?;
    let dir = String::from_utf8_lossy(&made.stdout).trim().to_string();
    if !made.status.success() || !is_safe_remote_path(&dir) {
        return Err(session
            .command_error("mktemp -d", format!("unexpected result {:?} {}", dir, made.stderr))
            .into());
    }
    let result = copy_and_run(session, opts, &binary, &remote_arch, &dir).await;
    // Removed whatever happened; a failure to remove is not worth losing the facts over, but the
    // caller learns of it in the detail.
    let removed = session
        .run(
            "removing the temporary directory",
            &format!("rm -rf -- {}", sh_quote(&dir)),
            None,
            SMALL_OUTPUT,
            STEP_TIMEOUT,
        )
        .await;
    let removal_note = match removed {
        Ok(out) if out.status.success() => String::new(),
        Ok(out) => format!("; removing {dir} failed: {}", out.stderr),
        Err(e) => format!("; removing {dir} failed: {e}"),
    };
    result.map(|mut g| {
        g.detail.push_str(&removal_note);
        g
    })
}

/// Copies the binary into `dir`, checks its hash there, runs it and loads what it printed.
async fn copy_and_run(
    session: &SshSession,
    opts: &RemoteOptions,
    binary: &Binary,
    remote_arch: &Arch,
    dir: &str,
) -> Result<Gathered, RemoteError> {
    let exe = format!("{dir}/dockaudit");
    let q = sh_quote(&exe);
    let upload = session
        .run(
            "copying dockaudit",
            &format!(
                "test -O {d} && chmod 700 {d} && cat > {q} && chmod 700 {q} && sha256sum {q}",
                d = sh_quote(dir)
            ),
            Some(&binary.bytes),
            SMALL_OUTPUT,
            STEP_TIMEOUT.max(Duration::from_secs(300)),
        )
        .await?;
    if !upload.status.success() {
        return Err(session.command_error("copying dockaudit", upload.stderr).into());
    }
    let found = String::from_utf8_lossy(&upload.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if found != binary.sha256 {
        return Err(RemoteError::HashMismatch {
            expected: binary.sha256.clone(),
            found: found.chars().take(64).collect(),
        });
    }
    let command = if opts.sudo {
        format!("sudo -n -- {q} facts")
    } else {
        format!("{q} facts")
    };
    let out = session
        .run("dockaudit facts", &command, None, opts.max_snapshot, opts.timeout)
        .await
        .map_err(|e| match e {
            SshError::TooLarge { limit, .. } => {
                RemoteError::BadSnapshot(format!("larger than {limit} bytes (DOCKAUDIT_MAX_INPUT_MB)"))
            }
            other => RemoteError::Ssh(other),
        })?;
    if !out.status.success() {
        return Err(classify_failure(out.status.code(), &out.stderr, opts.sudo));
    }
    let text = String::from_utf8(out.stdout).map_err(|e| RemoteError::BadSnapshot(format!("not UTF-8 ({e})")))?;
    let facts = snapshot::load(&text).map_err(|e| RemoteError::BadSnapshot(e.to_string()))?;
    let detail = format!(
        "facts gathered on the remote host ({remote_arch}) by dockaudit {} (SHA-256 {}){}, copied to a private temporary directory and removed afterwards",
        binary.path.display(),
        binary.sha256,
        if opts.sudo { " run with sudo -n" } else { "" },
    );
    Ok(Gathered { facts, detail })
}

/// Why `dockaudit facts` did not succeed there, from its exit status and the last words on
/// standard error (which may come from the remote shell, sudo, or dockaudit itself).
fn classify_failure(code: Option<i32>, stderr: &str, sudo: bool) -> RemoteError {
    let last = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(400)
        .collect::<String>();
    let lower = stderr.to_ascii_lowercase();
    if sudo && (lower.contains("a password is required") || lower.contains("a terminal is required")) {
        return RemoteError::SudoPassword;
    }
    if sudo && code == Some(127) && lower.contains("sudo") {
        return RemoteError::NoSudo;
    }
    let status = code.map_or_else(|| "killed by a signal".to_string(), |c| format!("exit status {c}"));
    match code {
        Some(126 | 127) => RemoteError::CannotRun(format!("{status}: {last}")),
        _ if lower.contains("exec format error") || lower.contains("not found") && lower.contains("ld-linux") => {
            RemoteError::CannotRun(format!("{status}: {last}"))
        }
        _ => RemoteError::FactsFailed(if last.is_empty() {
            status
        } else {
            format!("{status}: {last}")
        }),
    }
}

/// The binaries to consider: the ones given, else the running executable.
fn candidates(given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        std::env::current_exe().into_iter().collect()
    } else {
        given.to_vec()
    }
}

/// A binary read and hashed, with the size and modification time it had then.
struct Cached {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    binary: Arc<Binary>,
}

/// Binaries read in this process: a fleet audit copies the same binary to many hosts, and holds
/// and hashes it once instead of once per host (tens of megabytes each).
fn cache() -> &'static Mutex<Vec<Cached>> {
    static CACHE: OnceLock<Mutex<Vec<Cached>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

/// `path` read and hashed, or the copy read earlier when the file has not changed since.
fn load_binary(path: &Path) -> Result<Arc<Binary>, RemoteError> {
    let meta = std::fs::metadata(path).map_err(|e| RemoteError::LocalBinary {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let (len, modified) = (meta.len(), meta.modified().ok());
    let mut cache = cache().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(c) = cache
        .iter()
        .find(|c| c.path == path && c.len == len && c.modified == modified && modified.is_some())
    {
        return Ok(Arc::clone(&c.binary));
    }
    let bytes = read_binary(path)?;
    let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let binary = Arc::new(Binary {
        path: path.to_path_buf(),
        bytes,
        sha256,
    });
    cache.retain(|c| c.path != path);
    cache.push(Cached {
        path: path.to_path_buf(),
        len,
        modified,
        binary: Arc::clone(&binary),
    });
    Ok(binary)
}

/// The first candidate built for `arch`, read and hashed.
fn pick_binary(candidates: &[PathBuf], arch: &Arch) -> Result<Arc<Binary>, RemoteError> {
    let mut tried = Vec::new();
    for path in candidates {
        let mut header = Vec::new();
        let read = std::fs::File::open(path).and_then(|f| f.take(64).read_to_end(&mut header));
        match read.map_err(|e| e.to_string()).and_then(|_| Arch::of_elf(&header)) {
            Ok(found) if &found == arch => return load_binary(path),
            Ok(found) => tried.push(format!("{} is for {found}", path.display())),
            Err(reason) => tried.push(format!("{}: {reason}", path.display())),
        }
    }
    Err(RemoteError::NoBinary {
        remote: arch.clone(),
        tried: if tried.is_empty() {
            "no binary given".into()
        } else {
            tried.join("; ")
        },
    })
}

fn read_binary(path: &Path) -> Result<Vec<u8>, RemoteError> {
    let err = |reason: String| RemoteError::LocalBinary {
        path: path.display().to_string(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_BINARY + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(e.to_string()))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_BINARY {
        return Err(err(format!("larger than {MAX_BINARY} bytes")));
    }
    Ok(bytes)
}

/// Whether a path printed by the remote `mktemp` is one dockaudit will put in a command line:
/// absolute, plain characters only, no `..`.
fn is_safe_remote_path(path: &str) -> bool {
    path.starts_with('/')
        && path.len() < 256
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
        && !path.split('/').any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_mktemp_paths_are_used() {
        assert!(is_safe_remote_path("/tmp/dockaudit.Ab3dE_fG-h"));
        for bad in [
            "",
            "tmp/x",
            "/tmp/a b",
            "/tmp/$(rm)",
            "/tmp/../etc",
            "/tmp/x\n/y",
            "/tmp/'x",
        ] {
            assert!(!is_safe_remote_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn failures_say_what_to_do() {
        let e = classify_failure(Some(1), "sudo: a password is required\n", true);
        assert!(matches!(e, RemoteError::SudoPassword), "{e}");
        let e = classify_failure(Some(127), "bash: line 1: sudo: command not found", true);
        assert!(matches!(e, RemoteError::NoSudo), "{e}");
        let e = classify_failure(
            Some(126),
            "bash: /tmp/d/dockaudit: cannot execute binary file: Exec format error",
            false,
        );
        assert!(matches!(e, RemoteError::CannotRun(_)), "{e}");
        let e = classify_failure(
            Some(2),
            "dockaudit: error: permission denied on the Docker socket unix:///var/run/docker.sock; run as root or a member of the docker group",
            false,
        );
        assert!(matches!(e, RemoteError::FactsFailed(_)), "{e}");
        assert!(
            e.to_string()
                .contains("exit status 2: dockaudit: error: permission denied"),
            "{e}"
        );
        assert!(classify_failure(None, "", false).to_string().contains("signal"));
    }

    #[test]
    fn picks_the_binary_for_the_remote_architecture() {
        let here = Arch::from_uname(std::env::consts::ARCH);
        let exe = std::env::current_exe().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("not-elf");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        let picked = pick_binary(&[script.clone(), exe.clone()], &here).unwrap();
        assert_eq!(picked.path, exe);
        assert_eq!(picked.sha256.len(), 64);
        // A fleet reads and hashes the binary once, whatever the number of hosts.
        let again = pick_binary(std::slice::from_ref(&exe), &here).unwrap();
        assert!(Arc::ptr_eq(&picked, &again));
        let other = Arch::Other("riscv64".into());
        let Err(err) = pick_binary(&[script, exe], &other) else {
            panic!("a binary was picked for riscv64");
        };
        let err = err.to_string();
        assert!(err.contains("not an ELF executable"), "{err}");
        assert!(err.contains(&format!("is for {here}")), "{err}");
        assert!(err.contains("--remote-binary"), "{err}");
    }
}
