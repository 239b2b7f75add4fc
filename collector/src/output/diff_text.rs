//! Text rendering of a comparison between two runs.

use std::fmt::Write;

use dockaudit_shared::diff::{CheckChange, RunDiff};
use dockaudit_shared::report::Target;

use super::style::{clean, Style};

fn targets(ts: &[Target]) -> String {
    ts.iter().map(|t| clean(t.display())).collect::<Vec<_>>().join(", ")
}

fn change_line(out: &mut String, c: &CheckChange) {
    let _ = writeln!(
        out,
        "  {} {} ({} → {})",
        clean(&c.id),
        clean(&c.title),
        c.old_status,
        c.new_status
    );
    if !c.new_targets.is_empty() {
        let _ = writeln!(out, "      new offenders: {}", targets(&c.new_targets));
    }
    if !c.resolved_targets.is_empty() {
        let _ = writeln!(out, "      no longer offending: {}", targets(&c.resolved_targets));
    }
}

pub fn render(d: &RunDiff, style: Style) -> String {
    let mut out = String::new();
    let score = |s: Option<f64>| s.map_or_else(|| "n/a".to_string(), |v| format!("{v:.1}"));
    let _ = writeln!(
        out,
        "{} {} ({}) → {} ({})",
        style.bold("Comparing"),
        clean(&d.old.run_id),
        clean(&d.old.started_at),
        clean(&d.new.run_id),
        clean(&d.new.started_at)
    );
    let delta = d.score_delta.map_or_else(|| "n/a".to_string(), |v| format!("{v:+.1}"));
    let _ = writeln!(
        out,
        "score {} → {} ({})",
        score(d.old.score),
        score(d.new.score),
        style.bold(&delta)
    );
    let sections: [(&str, &Vec<CheckChange>); 2] = [("Regressed", &d.regressed), ("Fixed", &d.fixed)];
    for (title, list) in sections {
        let _ = writeln!(out, "\n{} ({})", style.bold(title), list.len());
        for c in list {
            change_line(&mut out, c);
        }
    }
    let moved: Vec<&CheckChange> = d
        .still_failing
        .iter()
        .filter(|c| c.targets_changed() || c.old_status != c.new_status)
        .collect();
    let _ = writeln!(
        out,
        "\n{} ({}, {} with changed offenders)",
        style.bold("Still failing"),
        d.still_failing.len(),
        moved.len()
    );
    for c in moved {
        change_line(&mut out, c);
    }
    let _ = writeln!(out, "\n{} ({})", style.bold("Other status changes"), d.changed.len());
    for c in &d.changed {
        change_line(&mut out, c);
    }
    for (title, list) in [("Added checks", &d.added), ("Removed checks", &d.removed)] {
        if !list.is_empty() {
            let _ = writeln!(out, "\n{} ({})", style.bold(title), list.len());
            for c in list {
                let _ = writeln!(out, "  {} {} ({})", clean(&c.id), clean(&c.title), c.status);
            }
        }
    }
    let _ = writeln!(out, "\n{} checks unchanged", d.unchanged);
    out
}
