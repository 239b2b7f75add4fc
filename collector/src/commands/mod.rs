//! One module per subcommand. Each returns the process exit code; errors that stop a command
//! are `anyhow` errors the binary prints as one line with exit code 2.

pub mod catalogue;
pub mod convert;
pub mod diff;
pub mod facts;
pub mod fleet;
pub mod harden;
pub mod harden_trial;
pub mod import;
pub mod publish;
pub mod scan;
pub mod serve;
pub mod signoff;
pub mod verify;

mod destination;

use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::limits::{InputKind, Limits, MAX_INPUT_ENV};

pub use self::destination::Output;
pub use crate::clock::now_rfc3339;
use crate::output::style::clean_message;

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
        Command::Scan(args) if fleet::wanted(&args) => fleet::run(*args),
        Command::Scan(args) => scan::run(*args),
        Command::Checks(args) => catalogue::list(&args),
        Command::Explain(args) => catalogue::explain(&args),
        Command::Import(args) => import::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Signoff(cmd) => signoff::run(cmd),
        Command::Verify(args) => verify::run(&args),
        Command::Harden(args) if args.trial.trial => harden_trial::run(&args),
        Command::Harden(args) => harden::run(*args),
        Command::Facts(args) => facts::run(args),
        Command::Publish(args) => publish::run(&args),
    }
}

/// Reads a text file with a message naming it.
pub fn read_text(path: &Path) -> Result<String> {
    read_input(path, InputKind::Report)
}

/// Reads a text file of one kind of outside input, refusing it past that kind's size limit
/// (`DOCKAUDIT_MAX_INPUT_MB` replaces the limits) before reading more than the limit.
pub fn read_input(path: &Path, kind: InputKind) -> Result<String> {
    let limits = Limits::from_setting(std::env::var(MAX_INPUT_ENV).ok().as_deref())?;
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let too_large = |e| anyhow::anyhow!("{}: {e}", path.display());
    limits
        .check(kind, file.metadata().map_or(0, |m| m.len()))
        .map_err(too_large)?;
    let mut bytes = Vec::new();
    // `take` also bounds what has no size beforehand (pipes, /proc, /dev/stdin).
    file.take(limits.max_bytes(kind).saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    limits
        .check(kind, u64::try_from(bytes.len()).unwrap_or(u64::MAX))
        .map_err(too_large)?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Writes to a file (see [`Output`]) or, for `None` and `-`, to standard output.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    Output::to(path).write(text)
}

/// Prints a warning on standard error; warnings quote files and their content, so it is cleaned.
pub fn warn(message: &str) {
    eprintln!("dockaudit: warning: {}", clean_message(message));
}

/// Warns when a loaded report's content no longer matches the digest it carries.
pub fn warn_if_modified(path: &Path, digest: &DigestCheck) {
    if let DigestCheck::Mismatch { stored, computed } = digest {
        warn(&format!(
            "{} was modified after it was written (digest {stored}, content {computed})",
            path.display()
        ));
    }
}

/// Prints the notes a loader made while reading a file (such as a schema upgrade or recomputed
/// totals).
pub fn warn_all(warnings: &[String]) {
    for w in warnings {
        warn(w);
    }
}

/// Loads a report or docker-bench-security log, or explains why not.
pub fn load_report(path: &Path) -> Result<dockaudit_shared::load::Loaded> {
    let text = read_text(path)?;
    dockaudit_shared::load::load(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
