//! The text report: grouped by section, each failing check followed by its offenders.

use std::fmt::Write;

use dockaudit_shared::catalog;
use dockaudit_shared::report::{AuditedDaemon, DaemonProcess, Report, Status};

use super::style::{clean, Style};

/// Renders a report for a terminal or a log file.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let host = report.host.hostname.as_deref().unwrap_or("unknown host");
    let engine = report.host.docker.server_version.as_deref().unwrap_or("unknown");
    let _ = writeln!(
        out,
        "{} {} — CIS Docker Benchmark {} on {} (Docker Engine {})",
        style.bold(&clean(&report.tool.name)),
        clean(&report.tool.version),
        clean(&report.benchmark.version),
        style.bold(&clean(host)),
        clean(engine)
    );
    let _ = writeln!(
        out,
        "{}",
        style.dim(&format!(
            "run {} at {}",
            clean(&report.run.id),
            clean(&report.run.started_at)
        ))
    );
    if let Some(daemon) = &report.host.daemon {
        let _ = writeln!(out, "{}", style.dim(&describe_daemon(daemon)));
    }
    for excluded in &report.run.selection.excluded {
        let _ = writeln!(
            out,
            "{}",
            style.dim(&format!(
                "left out: {} ({})",
                clean(excluded.target.display()),
                clean(&excluded.reason)
            ))
        );
    }

    // Unselected checks are counted in the summary rather than listed one by one.
    let mut current_section = "";
    for r in report.results.iter().filter(|r| r.status != Status::Skipped) {
        if r.section != current_section {
            current_section = &r.section;
            let title = catalog::section_title(&r.section).unwrap_or("Other");
            let _ = writeln!(out, "\n{}", style.bold(&format!("{} {}", clean(&r.section), title)));
        }
        // A failure says how urgent it is (the catalogue's severity, by check id).
        let severity = match catalog::severity::of(&r.id) {
            Some(s) if matches!(r.status, Status::Fail | Status::Warn | Status::Error) => format!(" ({s})"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{} {} {}{}",
            style.status(r.status),
            clean(&r.id),
            clean(&r.title),
            style.bold(&severity)
        );
        if r.status != Status::Pass {
            let _ = writeln!(out, "         {}", style.dim(&clean(&r.summary)));
        }
        if matches!(r.status, Status::Fail | Status::Warn | Status::Error) {
            for f in &r.findings {
                let _ = writeln!(
                    out,
                    "         - {} {}: {}",
                    f.target.kind.as_str(),
                    style.bold(&clean(f.target.display())),
                    clean(&f.message)
                );
                if !f.observed.is_empty() || !f.expected.is_empty() {
                    let _ = writeln!(
                        out,
                        "           found: {}; expected: {}",
                        clean(&f.observed),
                        clean(&f.expected)
                    );
                }
                if !f.remediation.is_empty() {
                    let _ = writeln!(out, "           fix: {}", clean(&f.remediation));
                }
            }
        }
    }

    let c = &report.summary.counts;
    let _ = writeln!(out, "\n{}", style.bold("Summary"));
    let _ = writeln!(
        out,
        "  {} checks: {} pass, {} fail, {} warn, {} info, {} manual, {} not applicable, {} error, {} skipped",
        c.total, c.pass, c.fail, c.warn, c.info, c.manual, c.not_applicable, c.error, c.skipped
    );
    let _ = writeln!(
        out,
        "  score {} ({} of {} scored checks passed)",
        style.bold(&report.summary.score.display()),
        report.summary.score.passed,
        report.summary.score.scored
    );
    for s in &report.summary.sections {
        let _ = writeln!(
            out,
            "  {:<3} {:<48} score {:>5}  fail {:>2}  warn {:>2}  error {:>2}",
            clean(&s.id),
            clean(&s.title),
            s.score.display(),
            s.counts.fail,
            s.counts.warn,
            s.counts.error
        );
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("Not collected"));
        for e in &report.errors {
            let _ = writeln!(out, "  - {}: {}", clean(&e.source), clean(&e.reason));
        }
    }
    out
}

/// Which daemon the host-side verdicts describe, and which others were seen: a reviewer must be
/// able to tell a rootless or second daemon's audit from the system daemon's.
fn describe_daemon(d: &AuditedDaemon) -> String {
    let process = |p: &DaemonProcess| {
        let mut text = format!(
            "dockerd pid {} ({}{})",
            p.pid,
            if p.rootless { "rootless" } else { "rootful" },
            p.user
                .as_deref()
                .map(|u| format!(", user {}", clean(u)))
                .unwrap_or_default()
        );
        if let Some(config) = &p.config_file {
            let _ = write!(text, ", config {}", clean(config));
        }
        text
    };
    let mut line = format!("daemon: {}", clean(&d.endpoint));
    match (&d.process, &d.unidentified) {
        (Some(p), _) => {
            let _ = write!(line, " served by {}", process(p));
        }
        (None, Some(why)) => {
            let _ = write!(line, " — its process was not identified: {}", clean(why));
        }
        (None, None) => {}
    }
    if !d.others.is_empty() {
        let others: Vec<String> = d.others.iter().map(process).collect();
        let _ = write!(line, "; also on this host, not audited: {}", others.join("; "));
    }
    line
}

#[cfg(test)]
mod tests {
    use dockaudit_shared::report::{CheckResult, Selection};

    use super::*;
    use crate::report::{self, RunInfo};
    use crate::snapshot::Facts;

    fn report_with(results: Vec<(&str, Status)>) -> Report {
        let results = results
            .into_iter()
            .map(|(id, status)| CheckResult::for_id(id, status, "summary"))
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
    fn failures_name_their_severity_and_passes_do_not() {
        let report = report_with(vec![
            ("1.1.3", Status::Fail),
            ("5.5", Status::Fail),
            ("5.6", Status::Pass),
            ("5.10", Status::Error),
            ("9.9", Status::Fail),
        ]);
        let text = render(&report, Style::plain());
        let line = |id: &str| {
            text.lines()
                .find(|l| l.contains(&format!("] {id} ")))
                .unwrap_or_else(|| panic!("no line for {id} in\n{text}"))
                .to_string()
        };
        assert!(line("5.5").ends_with(" (critical)"), "{}", line("5.5"));
        assert!(line("1.1.3").ends_with(" (low)"), "{}", line("1.1.3"));
        assert!(line("5.10").ends_with(" (critical)"), "{}", line("5.10"));
        assert!(!line("5.6").contains("(critical)"), "{}", line("5.6"));
        assert!(
            !line("9.9").contains('('),
            "unknown ids have no severity: {}",
            line("9.9")
        );
    }
}
