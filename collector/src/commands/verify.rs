//! `dockaudit verify REPORT --allowed-signers FILE`: is this report what an allowed collector key
//! signed? One line saying why, and one exit code per outcome (see `Outcome::exit_code`): 0 only
//! for an intact report with a valid signature by an allowed principal.
//!
//! The rules are `dockaudit_shared::signoff::verify::verify_report`'s; this module reads the
//! files and prints. Also home of the helpers every signature command shares.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use dockaudit_shared::signoff::verify::{verify_report, Outcome};
use dockaudit_shared::sshsig::AllowedSigners;

use super::load_report;
use crate::cli::VerifyArgs;
use crate::output::style::clean;

pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let report = load_report(&args.report)?;
    print_warnings(&args.report, &report.warnings);
    let allowed = read_allowed_signers(&args.allowed_signers)?;
    let verdict = verify_report(&report, &allowed, now_unix());
    println!(
        "{} {} — {}",
        verdict.outcome.word(),
        clean(&args.report.display().to_string()),
        clean(&verdict.why)
    );
    println!(
        "digest {} ({})",
        clean(report.digest.computed()),
        report.digest.state().label()
    );
    Ok(ExitCode::from(verdict.outcome.exit_code()))
}

/// Reads and parses an allowed_signers file, or says which line is wrong.
pub fn read_allowed_signers(path: &Path) -> Result<AllowedSigners> {
    let text = super::read_input(path, dockaudit_shared::limits::InputKind::AllowedSigners)?;
    AllowedSigners::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Seconds since the Unix epoch: signing times after this are refused.
pub fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Load warnings, always printed (cleaned: they quote the file).
pub fn print_warnings(path: &Path, warnings: &[String]) {
    for w in warnings {
        eprintln!(
            "dockaudit: warning: {}: {}",
            clean(&path.display().to_string()),
            clean(w)
        );
    }
}

/// The exit code of an outcome, as `ExitCode`.
pub fn exit(outcome: Outcome) -> ExitCode {
    ExitCode::from(outcome.exit_code())
}
