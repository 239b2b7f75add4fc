//! Terminal safety of the renderers: with colour on, the only escape sequences in the output are
//! the styler's own SGR codes, whatever the report holds; and no other module writes escapes.

use dockaudit_shared::report::{
    AuditedDaemon, CheckResult, CollectionError, DaemonProcess, ExcludedTarget, Finding, Report, Selection, Status,
    Target, TargetKind,
};

use super::style::Style;
use super::{diff_text, text};
use crate::report::{self, RunInfo};
use crate::snapshot::Facts;

/// A terminal title, a screen clear, a C1 CSI, a bidi override, a line separator, NUL and DEL.
const HOSTILE: &str = "x\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}\u{2028}\r\n\0\x7f\u{200b}y";

/// Every SGR code [`Style`] emits.
const STYLER_CODES: [&str; 9] = ["0", "1", "2", "32", "1;31", "33", "36", "35", "1;35"];

fn hostile_report(statuses: &[Status]) -> Report {
    let results = statuses
        .iter()
        .enumerate()
        .map(|(i, status)| {
            let mut r = CheckResult::for_id(&format!("5.{}", i + 1), *status, HOSTILE);
            r.id = format!("5.{}{HOSTILE}", i + 1);
            r.title = HOSTILE.into();
            r.section = format!("5{HOSTILE}");
            r.findings.push(Finding {
                target: Target::new(TargetKind::Container, HOSTILE, format!("web-{i}{HOSTILE}")),
                message: HOSTILE.into(),
                observed: HOSTILE.into(),
                expected: HOSTILE.into(),
                remediation: HOSTILE.into(),
            });
            r
        })
        .collect();
    let mut report = report::build(
        &Facts::default(),
        results,
        Selection::default(),
        RunInfo {
            id: HOSTILE.into(),
            started_at: HOSTILE.into(),
            finished_at: HOSTILE.into(),
            duration_ms: 0,
            command_line: vec![HOSTILE.into()],
        },
    );
    report.tool.name = HOSTILE.into();
    report.tool.version = HOSTILE.into();
    report.benchmark.version = HOSTILE.into();
    report.host.hostname = Some(HOSTILE.into());
    report.host.docker.server_version = Some(HOSTILE.into());
    report.run.selection.excluded.push(ExcludedTarget {
        target: Target::new(TargetKind::Container, HOSTILE, HOSTILE),
        reason: HOSTILE.into(),
    });
    report.errors.push(CollectionError {
        source: HOSTILE.into(),
        reason: HOSTILE.into(),
        affects: vec![],
    });
    let process = |pid| DaemonProcess {
        pid,
        executable: Some(HOSTILE.into()),
        user: Some(HOSTILE.into()),
        rootless: pid == 2,
        config_file: Some(HOSTILE.into()),
        data_root: Some(HOSTILE.into()),
        sockets: vec![HOSTILE.into()],
    };
    report.host.daemon = Some(AuditedDaemon {
        endpoint: HOSTILE.into(),
        socket: Some(HOSTILE.into()),
        process: Some(process(2)),
        unidentified: None,
        evidence: vec![HOSTILE.into()],
        others: vec![process(1)],
    });
    report.refresh_summary();
    report
}

#[test]
fn the_text_report_names_the_audited_daemon_and_the_others() {
    let mut r = hostile_report(&[Status::Pass]);
    let mut daemon = r.host.daemon.take().unwrap();
    daemon.endpoint = "unix:///run/user/1000/docker.sock".into();
    for p in daemon.process.iter_mut().chain(daemon.others.iter_mut()) {
        p.user = Some(if p.rootless { "rl" } else { "root" }.into());
        p.config_file = Some(
            if p.rootless {
                "/home/rl/.config/docker/daemon.json"
            } else {
                "/etc/docker/daemon.json"
            }
            .into(),
        );
    }
    r.host.daemon = Some(daemon);
    let text = text::render(&r, Style::plain());
    assert!(
        text.contains(
            "daemon: unix:///run/user/1000/docker.sock served by dockerd pid 2 (rootless, user rl), config \
             /home/rl/.config/docker/daemon.json; also on this host, not audited: dockerd pid 1 (rootful, user \
             root), config /etc/docker/daemon.json"
        ),
        "{text}"
    );
}

/// Removes the styler's own SGR sequences, then asserts nothing a terminal acts on is left.
fn assert_only_styler_escapes(rendered: &str) {
    let mut rest = rendered.to_string();
    for code in STYLER_CODES {
        rest = rest.replace(&format!("\x1b[{code}m"), "");
    }
    let bad: Vec<(usize, char)> = rest
        .char_indices()
        .filter(|(_, c)| *c != '\n' && super::style::needs_cleaning(&c.to_string()))
        .collect();
    assert!(bad.is_empty(), "raw control characters {bad:?} in\n{rest}");
    assert!(rendered.contains("pwned"), "the hostile text is shown, escaped");
}

#[test]
fn text_report_has_only_the_stylers_escapes() {
    let report = hostile_report(&[Status::Pass, Status::Fail, Status::Warn, Status::Error, Status::Manual]);
    let colour = text::render(&report, Style { color: true });
    assert!(colour.contains("\x1b[1;31m"), "colour is on");
    assert_only_styler_escapes(&colour);
    assert_only_styler_escapes(&text::render(&report, Style::plain()));
    assert!(!text::render(&report, Style::plain()).contains('\x1b'));
}

#[test]
fn diff_text_has_only_the_stylers_escapes() {
    let old = hostile_report(&[Status::Pass, Status::Fail, Status::Warn]);
    let mut new = hostile_report(&[Status::Fail, Status::Pass, Status::Warn, Status::Fail]);
    new.results[2].findings[0].target = Target::new(TargetKind::Image, HOSTILE, format!("img{HOSTILE}"));
    new.refresh_summary();
    let d = dockaudit_shared::diff::diff(&old, &new);
    assert_only_styler_escapes(&diff_text::render(&d, Style { color: true }));
    assert!(!diff_text::render(&d, Style::plain()).contains('\x1b'));
}

/// Escape sequences come from `output/style.rs` alone: any other module that wants colour or
/// cursor control goes through the styler, where these tests see it.
#[test]
fn no_module_but_the_styler_writes_escapes() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            if path.extension().is_none_or(|e| e != "rs") || rel == "output/style.rs" || rel.ends_with("tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may hold hostile strings; the code above them may not.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for needle in ["\\x1b", "\\u{1b}", "\\x9b", "\\u{9b}", "\\033", "\\u{001b}"] {
                if code.to_lowercase().contains(needle) {
                    offenders.push(format!("{rel}: {needle}"));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "escape sequences outside output/style.rs: {offenders:?}"
    );
}
