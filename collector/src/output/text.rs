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
        let _ = writeln!(out, "{} {} {}", style.status(r.status), clean(&r.id), clean(&r.title));
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
