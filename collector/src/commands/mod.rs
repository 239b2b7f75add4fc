//! One module per subcommand. Each returns the process exit code; errors that stop a command
//! are `anyhow` errors the binary prints as one line with exit code 2.

pub mod catalogue;
pub mod convert;
pub mod diff;
pub mod import;
pub mod scan;
pub mod serve;
pub mod signoff;
pub mod verify;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

pub use crate::clock::now_rfc3339;

/// Exit code: the command ran and found nothing at the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command ran and found failures.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the command could not do its job.
pub const EXIT_ERROR: u8 = 2;

/// Dispatches a parsed command line.
pub fn run(cli: crate::cli::Cli) -> Result<ExitCode> {
    use crate::cli::Command;
    match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Checks(args) => catalogue::list(&args),
        Command::Explain(args) => catalogue::explain(&args),
        Command::Import(args) => import::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Signoff(cmd) => signoff::run(cmd),
        Command::Verify(args) => verify::run(&args),
    }
}

/// Reads a text file with a message naming it.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Writes to a file atomically (temp file + rename) or to standard output.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => write_file(p, text),
        _ => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`dockaudit … | head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// Writes a file so that readers never see half of it: a temporary file beside the target, then a
/// rename. Devices and pipes (`-o /dev/stdout`, `/dev/null`) are written in place, never replaced,
/// and a symlink is written through to its target.
fn write_file(p: &Path, text: &str) -> Result<()> {
    let target = match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => anyhow::bail!("{} is a directory", p.display()),
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            return f
                .write_all(text.as_bytes())
                .with_context(|| format!("cannot write {}", p.display()));
        }
        Ok(_) => std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
        Err(_) => p.to_path_buf(),
    };
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", p.display()))?;
    std::fs::rename(&tmp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::Error::new(e).context(format!("cannot write {}", p.display()))
    })
}

/// Loads a report or docker-bench-security log, or explains why not.
pub fn load_report(path: &Path) -> Result<dockaudit_shared::load::Loaded> {
    let text = read_text(path)?;
    dockaudit_shared::load::load(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_in_place_not_replaced() {
        write_output(Some(Path::new("/dev/null")), "discarded").unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn files_are_replaced_whole_and_directories_refused() {
        let dir = std::env::temp_dir().join(format!("dockaudit-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("out.json");
        write_output(Some(&f), "one").unwrap();
        write_output(Some(&f), "two").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
        assert!(write_output(Some(&dir), "x").is_err());
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
