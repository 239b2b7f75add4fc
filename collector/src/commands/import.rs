//! `dockaudit import`: a docker-bench-security log becomes a sealed dockaudit report.

use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::load::SourceFormat;

use dockaudit_shared::report::CheckResult;

use super::{load_report, warn_all, Output};
use crate::cli::ImportArgs;
use crate::output::style::clean;
use crate::snapshot::secrets::redact;

pub fn run(args: &ImportArgs) -> Result<ExitCode> {
    let loaded = load_report(&args.log)?;
    if !matches!(loaded.format, SourceFormat::DockerBenchSecurity) {
        bail!(
            "{} is already a dockaudit report, not a docker-bench-security log",
            args.log.display()
        );
    }
    warn_all(&loaded.warnings);
    let mut report = loaded.report;
    redact_evidence(&mut report.results);
    let (text, digest) = dockaudit_shared::digest::seal(&report)?;
    Output::to(args.output.as_deref())
        .reading(&[&args.log])
        .write(&(text + "\n"))?;
    if let Some(path) = &args.output {
        let c = &report.summary.counts;
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

/// docker-bench-security prints what it saw (image history, process command lines, container
/// settings) into its log; those texts get the same credential redaction as a snapshot before
/// they become a report.
fn redact_evidence(results: &mut [CheckResult]) {
    for result in results {
        result.summary = redact(&result.summary);
        for f in &mut result.findings {
            for text in [&mut f.message, &mut f.observed, &mut f.expected, &mut f.remediation] {
                *text = redact(text);
            }
            f.target.name = redact(&f.target.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockaudit_shared::report::{Finding, Status, Target, TargetKind};

    #[test]
    fn imported_evidence_loses_its_credentials() {
        let mut result = CheckResult::for_id("4.9", Status::Fail, "ADD https://deploy:ghp_URLTOKEN123@example.test/x");
        result.findings.push(Finding {
            target: Target::new(TargetKind::Image, "sha256:1", "app"),
            message: "RUN curl -u admin:Hunter2pass https://example.test".into(),
            observed: "mysql --password SpacePass99".into(),
            expected: String::new(),
            remediation: String::new(),
        });
        let mut results = vec![result];
        redact_evidence(&mut results);
        let text = serde_json::to_string(&results).unwrap();
        for secret in ["ghp_URLTOKEN123", "Hunter2pass", "SpacePass99"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
