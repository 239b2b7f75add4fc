//! `dockaudit harden` as text: per container, each proposed flag with the observed fact behind
//! it, what is left out and why, what could not be observed, then the `docker run` line (and
//! the Compose override for Compose-managed containers).

use std::fmt::Write;

use dockaudit_shared::hardening::{compose_override, docker_run, rows, Hardening, Proposal};

use super::style::{clean, Style};

/// Width of the flag column.
const FLAG_WIDTH: usize = 34;

/// Renders every proposal.
pub fn render(h: &Hardening, style: Style) -> String {
    if h.proposals.is_empty() {
        return "No running container to propose for.\n".into();
    }
    h.proposals
        .iter()
        .map(|p| proposal(p, &style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An outside string on one line, for messages.
pub fn one_line(s: &str) -> String {
    clean(s)
}

fn proposal(p: &Proposal, style: &Style) -> String {
    let mut out = String::new();
    let mut about = format!("image {}", clean(&p.run.image));
    if let Some(c) = &p.compose {
        let _ = write!(
            about,
            "; Compose service {} of project {}",
            clean(&c.service),
            clean(&c.project)
        );
    }
    let _ = writeln!(out, "{} ({about})", style.bold(&clean(&p.container.name)));
    for row in rows(p) {
        let flag = clean(&row.flag);
        let pad = FLAG_WIDTH.saturating_sub(flag.chars().count()).max(1);
        let _ = writeln!(out, "  {}{}{}", style.bold(&flag), " ".repeat(pad), clean(&row.reason));
    }
    if let Some(why) = &p.capabilities.incomplete {
        let _ = writeln!(
            out,
            "  {} {}",
            style.bold("capabilities may be incomplete:"),
            clean(why)
        );
    }
    for g in &p.gaps {
        let _ = writeln!(
            out,
            "  {} {}: {} — {}",
            style.bold("not observed:"),
            clean(&g.source),
            clean(&g.reason),
            clean(&g.effect)
        );
    }
    out.push('\n');
    // The rendered command and override quote or drop every character a terminal acts on.
    for line in docker_run(p).lines() {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(yaml) = compose_override(p) {
        out.push('\n');
        for line in yaml.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
