//! JUnit XML, the format CI test dashboards read (Jenkins, GitLab, Azure DevOps, …).
//!
//! A `testsuite` per benchmark section and a `testcase` per check (`name` = id and title,
//! `classname` = `cis_docker.section_N`, `time` from the check's duration). `fail` and `warn` are
//! `failure`s whose body lists every finding; `error` is an `error`; `manual`, `info`,
//! `not_applicable` and `skipped` are `skipped` with the reason, findings going to `system-out`.
//! The counts on each suite and on `testsuites` are computed from those elements.
//!
//! Escaping is done here: `&`, `<`, `>` everywhere, quotes and whitespace controls in attributes
//! (as character references, so newlines survive a parser's attribute normalisation), `\r` in text.
//! Characters XML 1.0 cannot carry at all (other C0 controls, U+FFFE, U+FFFF) are written as
//! visible `\u{..}` text instead.

use super::{findings_text, is_rfc3339, seconds, texts};
use crate::catalog;
use crate::report::{CheckResult, Report, Status};

/// The report as a JUnit XML document.
pub fn to_junit(report: &Report) -> String {
    let suites = sections(report);
    let mut total = Counts::default();
    for (_, results) in &suites {
        for r in results {
            total.add(r);
        }
    }
    let host = report.host.hostname.as_deref().unwrap_or("unknown host");
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
        attr(&format!(
            "dockaudit: CIS Docker Benchmark {} on {host}",
            report.benchmark.version
        )),
        total.tests,
        total.failures,
        total.errors,
        total.skipped,
        seconds(report.run.duration_ms.saturating_mul(1000)),
    ));
    if is_rfc3339(&report.run.started_at) {
        out.push_str(&format!(" timestamp=\"{}\"", attr(&report.run.started_at)));
    }
    out.push_str(">\n");
    for (index, (section, results)) in suites.iter().enumerate() {
        write_suite(&mut out, report, index, section, results);
    }
    out.push_str("</testsuites>\n");
    out
}

/// Results grouped by top-level section: benchmark sections first, in order, then any other
/// section a report names, in order of appearance.
fn sections(report: &Report) -> Vec<(String, Vec<&CheckResult>)> {
    let mut order: Vec<String> = catalog::TOP_SECTIONS.iter().map(|s| s.to_string()).collect();
    for r in &report.results {
        if !order.contains(&r.section) {
            order.push(r.section.clone());
        }
    }
    order
        .into_iter()
        .map(|s| {
            let results: Vec<&CheckResult> = report.results.iter().filter(|r| r.section == s).collect();
            (s, results)
        })
        .filter(|(_, results)| !results.is_empty())
        .collect()
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    time_us: u64,
}

impl Counts {
    fn add(&mut self, r: &CheckResult) {
        self.tests += 1;
        self.time_us = self.time_us.saturating_add(r.duration_us);
        match outcome(r.status) {
            Outcome::Passed => {}
            Outcome::Failure => self.failures += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }
}

/// How a status reads to a test dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failure,
    Error,
    Skipped,
}

/// `warn` is a failure because it is scored like one; `info` has no verdict, so it is skipped.
pub fn outcome(status: Status) -> Outcome {
    match status {
        Status::Pass => Outcome::Passed,
        Status::Fail | Status::Warn => Outcome::Failure,
        Status::Error => Outcome::Error,
        Status::Info | Status::Manual | Status::NotApplicable | Status::Skipped => Outcome::Skipped,
    }
}

fn write_suite(out: &mut String, report: &Report, index: usize, section: &str, results: &[&CheckResult]) {
    let mut c = Counts::default();
    for r in results {
        c.add(r);
    }
    let title = catalog::section_title(section)
        .map(str::to_string)
        .unwrap_or_else(|| format!("Section {section}"));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" id=\"{index}\" package=\"cis_docker\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
        attr(&format!("{section} {title}")),
        c.tests,
        c.failures,
        c.errors,
        c.skipped,
        seconds(c.time_us),
    ));
    if let Some(host) = &report.host.hostname {
        out.push_str(&format!(" hostname=\"{}\"", attr(host)));
    }
    if is_rfc3339(&report.run.started_at) {
        out.push_str(&format!(" timestamp=\"{}\"", attr(&report.run.started_at)));
    }
    out.push_str(">\n    <properties>\n");
    let score = report
        .summary
        .sections
        .iter()
        .find(|s| s.id == section)
        .map_or_else(|| "n/a".to_string(), |s| s.score.display());
    let mut props: Vec<(&str, String)> = vec![
        ("dockaudit.version", report.tool.version.clone()),
        ("dockaudit.run_id", report.run.id.clone()),
        (
            "benchmark",
            format!("{} {}", report.benchmark.id, report.benchmark.version),
        ),
        ("section.score", score),
    ];
    if let Some(v) = &report.host.docker.server_version {
        props.push(("docker.server_version", v.clone()));
    }
    if let Some(d) = &report.digest {
        props.push(("report.digest", d.clone()));
    }
    // JUnit has no per-case properties CI servers agree on, so each case's severity is a suite
    // property named after its check id.
    let severities: Vec<(String, String)> = results
        .iter()
        .filter_map(|r| catalog::severity::of(&r.id).map(|s| (format!("severity.{}", r.id), s.as_str().to_string())))
        .collect();
    for (name, value) in props.into_iter().map(|(n, v)| (n.to_string(), v)).chain(severities) {
        out.push_str(&format!(
            "      <property name=\"{}\" value=\"{}\"/>\n",
            attr(&name),
            attr(&value)
        ));
    }
    out.push_str("    </properties>\n");
    for r in results {
        write_case(out, report, r);
    }
    out.push_str("  </testsuite>\n");
}

fn write_case(out: &mut String, report: &Report, r: &CheckResult) {
    let title = texts(r).title;
    let name = if title.is_empty() {
        r.id.clone()
    } else {
        format!("{} {title}", r.id)
    };
    out.push_str(&format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
        attr(&name),
        attr(&format!("cis_docker.section_{}", r.section)),
        seconds(r.duration_us),
    ));
    let findings = findings_text(r);
    let body = match outcome(r.status) {
        Outcome::Passed if findings.is_empty() => None,
        Outcome::Passed => Some(format!("      <system-out>{}</system-out>\n", text(&findings))),
        Outcome::Failure => {
            let detail = if findings.is_empty() {
                r.summary.clone()
            } else {
                format!("{}\n{findings}", r.summary)
            };
            Some(format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                attr(&r.summary),
                r.status.as_str(),
                text(&detail)
            ))
        }
        Outcome::Error => {
            let mut detail = r.summary.clone();
            for e in report.errors.iter().filter(|e| e.affects.contains(&r.id)) {
                detail.push_str(&format!("\ncould not read {}: {}", e.source, e.reason));
            }
            Some(format!(
                "      <error message=\"{}\" type=\"collection_error\">{}</error>\n",
                attr(&r.summary),
                text(&detail)
            ))
        }
        Outcome::Skipped => {
            let why = match r.status {
                Status::Manual => format!("manual review needed: {}", r.summary),
                Status::NotApplicable => format!("not applicable: {}", r.summary),
                Status::Info => format!("informational: {}", r.summary),
                _ if r.summary.is_empty() => "not selected for this run".to_string(),
                _ => format!("not selected for this run: {}", r.summary),
            };
            let mut s = format!("      <skipped message=\"{}\"/>\n", attr(&why));
            if !findings.is_empty() {
                s.push_str(&format!("      <system-out>{}</system-out>\n", text(&findings)));
            }
            Some(s)
        }
    };
    match body {
        None => out.push_str("/>\n"),
        Some(b) => {
            out.push_str(">\n");
            out.push_str(&b);
            out.push_str("    </testcase>\n");
        }
    }
}

/// Whether XML 1.0 can carry the character at all (even as a reference).
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes character data (element content).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A raw CR would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c if !xml_allowed(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (to be written between double quotes).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Parsers turn raw whitespace controls in attributes into spaces; references survive.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !xml_allowed(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Target, TargetKind};
    use crate::test_support::report_with;

    #[test]
    fn convert_junit_escapes_text_and_attributes() {
        assert_eq!(text("a<b>&c\r\n\"'"), "a&lt;b&gt;&amp;c&#13;\n\"'");
        assert_eq!(attr("a<\"'>&\n\t"), "a&lt;&quot;&apos;&gt;&amp;&#10;&#9;");
        assert_eq!(text("bell\u{7}"), "bell\\u{7}");
        assert_eq!(attr("\u{0}\u{fffe}é"), "\\u{0}\\u{fffe}é");
    }

    #[test]
    fn convert_junit_maps_statuses_and_counts() {
        let f = Finding {
            target: Target::new(TargetKind::Container, "c1", "web"),
            message: "web is privileged".into(),
            observed: "true".into(),
            expected: "false".into(),
            remediation: "re-create web".into(),
        };
        let r = report_with(vec![
            ("2.1", Status::Warn, vec![]),
            ("2.2", Status::Pass, vec![]),
            ("5.5", Status::Fail, vec![f]),
            ("5.3", Status::Error, vec![]),
            ("5.4", Status::Manual, vec![]),
            ("5.6", Status::NotApplicable, vec![]),
            ("5.7", Status::Skipped, vec![]),
            ("5.8", Status::Info, vec![]),
        ]);
        let xml = to_junit(&r);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
        assert!(
            xml.contains("tests=\"8\" failures=\"2\" errors=\"1\" skipped=\"4\""),
            "{xml}"
        );
        assert!(xml.contains(
            "<testsuite name=\"2 Docker daemon configuration\" id=\"0\" package=\"cis_docker\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""
        ));
        assert!(xml.contains(
            "<testsuite name=\"5 Container Runtime Configuration\" id=\"1\" package=\"cis_docker\" tests=\"6\" failures=\"1\" errors=\"1\" skipped=\"4\""
        ));
        assert!(xml
            .contains("<failure message=\"5.5 is fail\" type=\"fail\">5.5 is fail\ncontainer web: web is privileged"));
        assert!(xml.contains("<failure message=\"2.1 is warn\" type=\"warn\">"));
        assert!(xml.contains("<error message=\"5.3 is error\" type=\"collection_error\">"));
        assert!(xml.contains("<skipped message=\"manual review needed: 5.4 is manual\"/>"));
        assert!(xml.contains("<skipped message=\"not applicable: 5.6 is not_applicable\"/>"));
        assert_eq!(xml.matches("<testcase ").count(), 8);
        assert!(
            xml.contains("<property name=\"severity.5.5\" value=\"critical\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<property name=\"severity.2.1\" value=\"medium\"/>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<property name=\"severity.").count(), 8);
    }
}
