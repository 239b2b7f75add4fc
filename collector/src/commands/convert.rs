//! `dockaudit convert REPORT --to FORMAT` and the non-JSON `scan --format` outputs.
//!
//! The converters themselves live in `dockaudit_shared::convert`, so the viewer exports the same
//! bytes; this module only loads, picks and writes.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::convert::Format;
use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::report::Report;

use super::verify::print_warnings;
use super::{load_report, EXIT_ERROR};
use crate::cli::{ConvertArgs, ConvertFormat, ScanFormat};
use crate::output::style::{clean_message, Style};
use crate::output::text;

/// The report as a new document derived from a modified one: `derived_from {kind: "modified",
/// digest: <the digest it claimed>}`; its signature, which no longer covers it, is dropped.
fn derived_from_modified(mut report: Report, claimed: String, content: String) -> Report {
    let mut details = std::collections::BTreeMap::new();
    details.insert("content_digest".to_string(), content);
    if let Some(prior) = report.derived_from.take() {
        details.insert("original_derived_from".to_string(), prior.kind);
    }
    if let Some(sig) = report.ssh_signature.take() {
        details.insert(
            "dropped_signature_key".to_string(),
            sig.fingerprint().unwrap_or_default(),
        );
    }
    report.derived_from = Some(dockaudit_shared::report::DerivedFrom {
        kind: "modified".to_string(),
        digest: Some(claimed),
        details,
    });
    report.digest = None;
    report
}

pub fn run(args: &ConvertArgs) -> Result<ExitCode> {
    let loaded = load_report(&args.report)?;
    let mut modified = None;
    if let DigestCheck::Mismatch { stored, computed } = &loaded.digest {
        let what = format!(
            "{} was modified after it was written (digest {stored}, content {computed})",
            args.report.display()
        );
        // A freshly sealed JSON report would hide the change: refuse, or say where it came from.
        if args.to == ConvertFormat::Json && !args.accept_modified {
            eprintln!(
                "dockaudit: error: {}",
                clean_message(&format!(
                    "{what}; it is not converted to a new sealed report (pass --accept-modified to convert it \
                     anyway, recorded as derived from a modified report)"
                ))
            );
            return Ok(ExitCode::from(EXIT_ERROR));
        }
        super::warn(&what);
        modified = Some((stored.clone(), computed.clone()));
    }
    print_warnings(&args.report, &loaded.warnings);
    let mut report = loaded.report.clone();
    if let (Some((claimed, content)), ConvertFormat::Json) = (modified, args.to) {
        report = derived_from_modified(report, claimed, content);
    }
    let report = &report;
    let body = match args.to {
        ConvertFormat::Sarif => Format::Sarif.render(report),
        ConvertFormat::Junit => Format::Junit.render(report),
        ConvertFormat::Hdf => Format::Hdf.render(report),
        ConvertFormat::Csv => Format::Csv.render(report),
        // A dockaudit report of the current schema, sealed (upgrades old reports, imports logs).
        ConvertFormat::Json => dockaudit_shared::digest::seal(report)?.0 + "\n",
        ConvertFormat::Text => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            text::render(report, Style::detect(to_terminal))
        }
    };
    super::Output::to(args.output.as_deref())
        .reading(&[&args.report])
        .write(&body)?;
    Ok(ExitCode::SUCCESS)
}

/// Renders a freshly scanned report in one of the interchange formats.
pub fn render_scan(report: &Report, format: ScanFormat) -> Result<String> {
    let format = match format {
        ScanFormat::Sarif => Format::Sarif,
        ScanFormat::Junit => Format::Junit,
        ScanFormat::Hdf => Format::Hdf,
        ScanFormat::Csv => Format::Csv,
        // The scan command writes these itself.
        ScanFormat::Text | ScanFormat::Json => bail!("--format {format:?} is not an interchange format"),
    };
    // Name the digest the JSON report (`--json-out`) gets, so a consumer can tie the two together.
    let mut sealed = report.clone();
    if sealed.digest.is_none() {
        sealed.digest = Some(dockaudit_shared::digest::seal(report)?.1);
    }
    Ok(format.render(&sealed))
}
