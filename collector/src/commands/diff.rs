//! `dockaudit diff OLD NEW`.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;

use super::verify::print_warnings;
use super::{load_report, write_output, EXIT_FINDINGS};
use crate::cli::{DiffArgs, ListFormat};
use crate::output::diff_text;
use crate::output::style::Style;

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let old = load_report(&args.old)?;
    let new = load_report(&args.new)?;
    for (path, loaded) in [(&args.old, &old), (&args.new, &new)] {
        // Two results for one check: the comparison would pick one and could hide a regression.
        dockaudit_shared::load::require_unique_results(&loaded.report)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        print_warnings(path, &loaded.warnings);
        super::warn_if_modified(path, &loaded.digest);
    }
    let d = dockaudit_shared::diff::diff(&old.report, &new.report);
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&d)? + "\n",
        ListFormat::Text => diff_text::render(&d, Style::detect(std::io::stdout().is_terminal())),
    };
    write_output(None, &text)?;
    Ok(if args.fail_on_regression && !d.regressed.is_empty() {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
