//! `dockaudit import`: a docker-bench-security log becomes a sealed dockaudit report.

use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::load::SourceFormat;

use super::{load_report, warn_all, Output};
use crate::cli::ImportArgs;
use crate::output::style::clean;

pub fn run(args: &ImportArgs) -> Result<ExitCode> {
    let loaded = load_report(&args.log)?;
    if !matches!(loaded.format, SourceFormat::DockerBenchSecurity) {
        bail!(
            "{} is already a dockaudit report, not a docker-bench-security log",
            args.log.display()
        );
    }
    warn_all(&loaded.warnings);
    let (text, digest) = dockaudit_shared::digest::seal(&loaded.report)?;
    Output::to(args.output.as_deref())
        .reading(&[&args.log])
        .write(&(text + "\n"))?;
    if let Some(path) = &args.output {
        let c = &loaded.report.summary.counts;
        eprintln!(
            "dockaudit: wrote {} ({} pass, {} fail, {} info, {} manual, {} not in the log; {digest})",
            clean(&path.display().to_string()),
            c.pass,
            c.fail,
            c.info,
            c.manual,
            c.skipped
        );
    }
    Ok(ExitCode::SUCCESS)
}
