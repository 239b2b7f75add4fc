//! `dockaudit harden` as text: per container, each proposed flag with the observed fact behind
//! it, what is left out and why, what could not be observed, then the `docker run` line (and
//! the Compose override for Compose-managed containers).

use std::fmt::Write;

use dockaudit_shared::hardening::render::memory_size;
use dockaudit_shared::hardening::{compose_override, docker_run, Hardening, Proposal};

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
    let mut row = |flag: String, reason: &str| {
        let pad = FLAG_WIDTH.saturating_sub(flag.chars().count()).max(1);
        let _ = writeln!(out, "  {}{}{}", style.bold(&flag), " ".repeat(pad), clean(reason));
    };
    if p.read_only.enabled {
        row("--read-only".into(), &p.read_only.reason);
    } else {
        row("(root filesystem stays writable)".into(), &p.read_only.reason);
    }
    for t in &p.tmpfs {
        row(format!("--tmpfs {}", clean(&t.path)), &t.reason);
    }
    for v in &p.volumes {
        row(format!("needs a volume: {}", clean(&v.path)), &v.reason);
    }
    row(
        "--cap-drop ALL".into(),
        "start from no capability; add back only what is used",
    );
    for c in &p.capabilities.add {
        row(format!("--cap-add {}", clean(&c.name)), &c.reason);
    }
    for c in &p.capabilities.not_needed {
        row(format!("not needed: {}", clean(&c.name)), &c.reason);
    }
    if p.no_new_privileges.enabled {
        row("--security-opt no-new-privileges".into(), &p.no_new_privileges.reason);
    } else {
        row("(no no-new-privileges)".into(), &p.no_new_privileges.reason);
    }
    match &p.user.user {
        Some(u) => row(format!("--user {}", clean(u)), &p.user.reason),
        None => row("(no --user)".into(), &p.user.reason),
    }
    match p.memory.value {
        Some(v) => row(format!("--memory {}", memory_size(v)), &p.memory.reason),
        None => row("(no --memory)".into(), &p.memory.reason),
    }
    match p.pids_limit.value {
        Some(v) => row(format!("--pids-limit {v}"), &p.pids_limit.reason),
        None => row("(no --pids-limit)".into(), &p.pids_limit.reason),
    }
    for r in &p.removals {
        row(format!("remove {}", clean(&r.setting)), &r.reason);
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
