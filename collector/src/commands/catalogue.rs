//! `dockaudit checks` and `dockaudit explain`.

use std::fmt::Write;
use std::process::ExitCode;

use anyhow::Result;
use dockaudit_shared::catalog::{self, CheckMeta};

use super::{write_output, EXIT_ERROR};
use crate::cli::{ChecksArgs, ExplainArgs, ListFormat};
use crate::output::style::clean;

pub fn list(args: &ChecksArgs) -> Result<ExitCode> {
    let text = match args.format {
        ListFormat::Json => {
            let all: Vec<&CheckMeta> = catalog::all().collect();
            serde_json::to_string_pretty(&all)? + "\n"
        }
        ListFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{:<7} {:<5} {:<10} {:<10} TITLE",
                "ID", "LEVEL", "CIS", "DOCKAUDIT"
            );
            for c in catalog::all() {
                let _ = writeln!(
                    out,
                    "{:<7} {:<5} {:<10} {:<10} {}",
                    c.id,
                    c.level,
                    format!("{:?}", c.assessment).to_lowercase(),
                    format!("{:?}", c.evaluation).to_lowercase(),
                    c.title
                );
            }
            out
        }
    };
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: &ExplainArgs) -> Result<ExitCode> {
    let id = args.id.trim();
    let Some(c) = catalog::get(id) else {
        let near = catalog::closest_ids(id, 5);
        eprintln!(
            "dockaudit: error: unknown check id \"{}\"; closest ids: {} (see `dockaudit checks`)",
            clean(id),
            near.join(", ")
        );
        return Ok(ExitCode::from(EXIT_ERROR));
    };
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(c)? + "\n",
        ListFormat::Text => render(c),
    };
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn render(c: &CheckMeta) -> String {
    let mut out = String::new();
    let section = c.subsection.unwrap_or(c.section);
    let _ = writeln!(out, "{} {}", c.id, c.title);
    let _ = writeln!(
        out,
        "Section {} {} · Level {} · CIS assessment: {:?} · dockaudit: {:?}",
        section,
        catalog::section_title(section).unwrap_or(""),
        c.level,
        c.assessment,
        c.evaluation
    );
    for (heading, body) in [
        ("Rationale", c.rationale),
        ("Audit", c.audit),
        ("Remediation", c.remediation),
        ("Impact", c.impact),
        ("Notes", c.notes),
    ] {
        if !body.is_empty() {
            let _ = writeln!(out, "\n{heading}:\n{}", wrap(body, 96));
        }
    }
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::from("  ");
        for word in para.split_whitespace() {
            if line.len() + word.len() + 1 > width && !line.trim().is_empty() {
                lines.push(std::mem::replace(&mut line, String::from("  ")));
            }
            if line.len() > 2 {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join("\n")
}
