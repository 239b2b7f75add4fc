//! `dockaudit convert REPORT --to FORMAT` and the non-JSON `scan --format` outputs.
//!
//! The converters themselves live in `dockaudit_shared::convert`, so the viewer exports the same
//! bytes; this module only loads, picks and writes.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::convert::Format;
use dockaudit_shared::report::Report;

use super::load_report;
use crate::cli::{ConvertArgs, ConvertFormat, ScanFormat};
use crate::output::{style::Style, text};

pub fn run(args: &ConvertArgs) -> Result<ExitCode> {
    let loaded = load_report(&args.report)?;
    super::warn_if_modified(&args.report, &loaded.digest);
    super::warn_all(&loaded.warnings);
    let report = &loaded.report;
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
