//! Text rendering of a comparison between two runs: each changed check with the targets whose
//! observed values changed, old → new.

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
    let changed: Vec<_> = c.targets.iter().filter(|t| t.changed()).collect();
    for t in changed.iter().take(MAX_TARGET_LINES) {
        let _ = writeln!(
            out,
            "      {} {}: {} → {}",
            t.target.kind.as_str(),
            clean(t.target.display()),
            observed(&t.old),
            observed(&t.new)
        );
    }
    if changed.len() > MAX_TARGET_LINES {
        let _ = writeln!(out, "      … and {} more targets", changed.len() - MAX_TARGET_LINES);
    }
}

/// Targets listed with their old and new values per check; `--format json` has them all.
const MAX_TARGET_LINES: usize = 20;

/// One run's observations of a target, or "(none)" when that run had no finding about it.
fn observed(values: &[String]) -> String {
    if values.is_empty() {
        "(none)".to_string()
    } else {
        values.iter().map(|v| clean(v)).collect::<Vec<_>>().join("; ")
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
    let sections: [(&str, &Vec<CheckChange>); 2] = [("Regressed (newly failing)", &d.regressed), ("Fixed", &d.fixed)];
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

#[cfg(test)]
mod tests {
    use dockaudit_shared::diff::diff;
    use dockaudit_shared::report::{CheckResult, Finding, Report, Selection, Status, Target, TargetKind};

    use super::*;
    use crate::report::{self, RunInfo};
    use crate::snapshot::Facts;

    fn report_with(results: Vec<(&str, Status, Option<&str>)>) -> Report {
        let results = results
            .into_iter()
            .map(|(id, status, observed)| {
                let mut r = CheckResult::for_id(id, status, "summary");
                if let Some(o) = observed {
                    r.findings.push(Finding {
                        target: Target::new(TargetKind::Container, "id-web", "web"),
                        message: "web is privileged".into(),
                        observed: o.into(),
                        expected: "false".into(),
                        remediation: String::new(),
                    });
                }
                r
            })
            .collect();
        let run = RunInfo {
            id: "run".into(),
            started_at: "2026-01-05T10:00:00Z".into(),
            finished_at: "2026-01-05T10:00:01Z".into(),
            duration_ms: 1000,
            command_line: vec![],
        };
        report::build(&Facts::default(), results, Selection::default(), run)
    }

    #[test]
    fn not_applicable_to_fail_is_a_regression_with_its_observed_values() {
        let old = report_with(vec![
            ("1.1.11", Status::NotApplicable, None),
            ("5.4", Status::Pass, None),
            ("5.5", Status::Pass, None),
        ]);
        let new = report_with(vec![
            ("1.1.11", Status::Fail, None),
            ("5.4", Status::Fail, Some("CapAdd=[SYS_ADMIN]")),
            ("5.5", Status::Fail, Some("Privileged=true")),
        ]);
        let text = render(&diff(&old, &new), Style::plain());
        assert!(text.contains("Regressed (newly failing) (3)"), "{text}");
        assert!(text.contains("1.1.11 "), "{text}");
        assert!(
            text.contains("(not_applicable → fail)") || text.contains("→ fail)"),
            "{text}"
        );
        assert!(text.contains("container web: (none) → Privileged=true"), "{text}");
        assert!(text.contains("Other status changes (0)"), "{text}");
    }
}
