//! `dockaudit convert REPORT --to FORMAT` and the non-JSON `scan --format` outputs.

use std::process::ExitCode;

use anyhow::{bail, Result};
use dockaudit_shared::report::Report;

use crate::cli::{ConvertArgs, ScanFormat};

pub fn run(_args: &ConvertArgs) -> Result<ExitCode> {
    bail!("convert is not implemented yet")
}

/// Renders a freshly scanned report in one of the interchange formats.
pub fn render_scan(_report: &Report, format: ScanFormat) -> Result<String> {
    bail!("--format {format:?} is not implemented yet")
}
