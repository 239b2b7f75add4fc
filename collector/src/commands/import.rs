//! `dockaudit import`: a docker-bench-security log becomes a sealed dockaudit report.

use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::load::SourceFormat;

use super::{load_report, write_output};
use crate::cli::ImportArgs;

pub fn run(args: &ImportArgs) -> Result<ExitCode> {
    let loaded = load_report(&args.log)?;
    if !matches!(loaded.format, SourceFormat::DockerBenchSecurity) {
        bail!(
            "{} is already a dockaudit report, not a docker-bench-security log",
            args.log.display()
        );
    }
    for w in &loaded.warnings {
        eprintln!("dockaudit: warning: {w}");
    }
    let (text, digest) = dockaudit_shared::digest::seal(&loaded.report)?;
    write_output(args.output.as_deref(), &(text + "\n"))?;
    if let Some(path) = &args.output {
        let c = &loaded.report.summary.counts;
        eprintln!(
            "dockaudit: wrote {} ({} pass, {} fail, {} info, {} manual, {} not in the log; {digest})",
            path.display(),
            c.pass,
            c.fail,
            c.info,
            c.manual,
            c.skipped
        );
    }
    Ok(ExitCode::SUCCESS)
}
