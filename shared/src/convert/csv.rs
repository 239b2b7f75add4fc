//! CSV for spreadsheets: one row per finding, and one per check without findings.
//!
//! RFC 4180: a header row, CRLF line ends, and any field holding a comma, quote, CR or LF enclosed
//! in double quotes with inner quotes doubled, so names with commas, quotes and newlines land in
//! one cell. A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! CR, and not a plain number) gets a leading `'`, the usual guard against CSV injection: report
//! text comes from container labels and names anyone on the host can set.

use super::texts;
use crate::report::{CheckResult, Report};

/// The columns, in order.
pub const HEADER: [&str; 16] = [
    "host",
    "check_id",
    "title",
    "section",
    "level",
    "severity",
    "status",
    "evaluation",
    "summary",
    "target_kind",
    "target_id",
    "target_name",
    "message",
    "observed",
    "expected",
    "remediation",
];

/// Every result of the report.
pub fn to_csv(report: &Report) -> String {
    results_to_csv(report, report.results.iter(), None)
}

/// The given results (e.g. the viewer's filtered view). With `target`, a check's rows are only
/// its findings about that target (matched on key, name or id), as the viewer's target filter shows.
pub fn results_to_csv<'a>(
    report: &Report,
    results: impl IntoIterator<Item = &'a CheckResult>,
    target: Option<&str>,
) -> String {
    let host = report.host.hostname.as_deref().unwrap_or_default();
    let mut out = String::with_capacity(16 * 1024);
    write_row(&mut out, HEADER.iter().copied());
    for r in results {
        let t = texts(r);
        let level = r.level.to_string();
        let evaluation = match r.evaluation {
            crate::catalog::Evaluation::Automatic => "automatic",
            crate::catalog::Evaluation::Review => "review",
        };
        let severity = crate::catalog::severity::of(&r.id).map_or("", |s| s.as_str());
        let check = [
            host,
            r.id.as_str(),
            t.title,
            r.section.as_str(),
            level.as_str(),
            severity,
            r.status.as_str(),
            evaluation,
            r.summary.as_str(),
        ];
        let findings: Vec<_> = r
            .findings
            .iter()
            .filter(|f| target.is_none_or(|k| f.target.key() == k || f.target.name == k || f.target.id == k))
            .collect();
        if findings.is_empty() {
            write_row(
                &mut out,
                check.into_iter().chain(["", "", "", "", "", "", t.remediation]),
            );
        }
        for f in findings {
            let remediation = if f.remediation.is_empty() {
                t.remediation
            } else {
                f.remediation.as_str()
            };
            write_row(
                &mut out,
                check.into_iter().chain([
                    f.target.kind.as_str(),
                    f.target.id.as_str(),
                    f.target.name.as_str(),
                    f.message.as_str(),
                    f.observed.as_str(),
                    f.expected.as_str(),
                    remediation,
                ]),
            );
        }
    }
    out
}

fn write_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field_text(field));
    }
    out.push_str("\r\n");
}

/// One field, guarded against formulas and quoted when RFC 4180 requires it.
pub fn field_text(raw: &str) -> String {
    let guarded;
    let value = if is_formula(raw) {
        guarded = format!("'{raw}");
        guarded.as_str()
    } else {
        raw
    };
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Whether a spreadsheet would evaluate the cell: it starts with a formula character and is not
/// simply a number such as `-1`.
fn is_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Status, Target, TargetKind};
    use crate::test_support::report_with;

    #[test]
    fn convert_csv_quotes_per_rfc4180() {
        assert_eq!(field_text("plain"), "plain");
        assert_eq!(field_text("a,b"), "\"a,b\"");
        assert_eq!(field_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(field_text("é<&>"), "é<&>");
    }

    #[test]
    fn convert_csv_guards_formulas_but_not_numbers() {
        assert_eq!(field_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field_text("--privileged"), "'--privileged");
        assert_eq!(field_text("-1"), "-1");
        assert_eq!(field_text("+5"), "+5");
    }

    #[test]
    fn convert_csv_has_a_row_per_finding_and_per_bare_check() {
        let f = |name: &str| Finding {
            target: Target::new(TargetKind::Container, format!("id-{name}"), name),
            message: format!("{name} runs privileged"),
            observed: "true".into(),
            expected: "false".into(),
            remediation: String::new(),
        };
        let r = report_with(vec![
            ("5.5", Status::Fail, vec![f("web"), f("db, primary")]),
            ("2.2", Status::Pass, vec![]),
        ]);
        let csv = to_csv(&r);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], HEADER.join(","));
        assert!(lines[1]
            .starts_with("host-a,5.5,Ensure that privileged containers are not used,5,1,critical,fail,automatic,"));
        assert!(lines[2]
            .contains(",container,\"id-db, primary\",\"db, primary\",\"db, primary runs privileged\",true,false,"));
        assert!(lines[3].starts_with("host-a,2.2,"), "{}", lines[3]);
        // Only the findings about one target when the view is filtered to it.
        let one = results_to_csv(&r, r.results.iter().take(1), Some("web"));
        assert_eq!(one.split_terminator("\r\n").count(), 2);
    }
}
