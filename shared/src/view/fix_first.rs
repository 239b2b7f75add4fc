//! The "Fix first" list: the failing checks of a report, most urgent first.
//!
//! Ranked by severity (critical first), then by the number of offending targets (more first), ties
//! by check id in benchmark order: a critical check with one privileged container stays above a
//! low one with fifty missing audit rules. Checks the catalogue does not know have no severity and
//! come last. Each item carries its one-line fix, the first sentence of the catalogue's remediation
//! (see [`super::remediation::first_sentence`]); the full text is in the check's detail.

use std::cmp::Ordering;

use crate::catalog::{self, compare_ids, Severity};
use crate::report::{CheckResult, Status};

use super::remediation::first_sentence;

/// One failing check in the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct FixItem<'a> {
    pub result: &'a CheckResult,
    /// `None` for ids the catalogue does not know.
    pub severity: Option<Severity>,
    /// Offending targets (at least 1: a check without findings offends as a whole).
    pub offenders: usize,
    /// One sentence saying what to change.
    pub fix: &'a str,
}

/// Whether a status asks for a fix: `fail`, `warn` and `error` (each scored against the host).
pub fn needs_fix(status: Status) -> bool {
    matches!(status, Status::Fail | Status::Warn | Status::Error)
}

/// Orders severities most urgent first, unknown last.
pub fn severity_order(a: Option<Severity>, b: Option<Severity>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn one_line_fix(r: &CheckResult) -> &str {
    let full = match catalog::get(&r.id) {
        Some(m) => m.remediation,
        None => r.remediation.as_str(),
    };
    first_sentence(full)
}

/// Every check of `results` that needs a fix, ranked.
pub fn rank(results: &[CheckResult]) -> Vec<FixItem<'_>> {
    rank_counted(results, |_, r| r.offender_count())
}

/// [`rank`] with each result's offender count from `offenders(index, result)` (the viewer has
/// them counted once per report: counting walks every finding).
pub fn rank_counted(results: &[CheckResult], offenders: impl Fn(usize, &CheckResult) -> usize) -> Vec<FixItem<'_>> {
    let mut items: Vec<FixItem<'_>> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| needs_fix(r.status))
        .map(|(i, r)| FixItem {
            result: r,
            severity: catalog::severity::of(&r.id),
            offenders: offenders(i, r).max(1),
            fix: one_line_fix(r),
        })
        .collect();
    items.sort_by(|a, b| {
        severity_order(a.severity, b.severity)
            .then(b.offenders.cmp(&a.offenders))
            .then_with(|| compare_ids(&a.result.id, &b.result.id))
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{container_finding as c, report_with};

    fn ids<'a>(items: &'a [FixItem<'_>]) -> Vec<&'a str> {
        items.iter().map(|i| i.result.id.as_str()).collect()
    }

    /// The host: fifteen audit-rule failures, then 5.5, 5.6 and 5.32 at the bottom of
    /// benchmark order. Ranked, the three escapes come first.
    #[test]
    fn escapes_come_before_many_audit_rule_failures() {
        let mut results: Vec<(&str, Status, Vec<_>)> = Vec::new();
        let audit: Vec<String> = (3..=17).map(|i| format!("1.1.{i}")).collect();
        for id in &audit {
            results.push((id.as_str(), Status::Fail, vec![]));
        }
        results.push(("5.5", Status::Fail, vec![c("web")]));
        results.push(("5.6", Status::Fail, vec![c("web"), c("db")]));
        results.push(("5.11", Status::Fail, vec![c("a"), c("b"), c("c"), c("d")]));
        results.push(("5.32", Status::Fail, vec![c("ci")]));
        results.push(("5.10", Status::Pass, vec![]));
        let report = report_with(results);
        let ranked = rank(&report.results);
        assert_eq!(&ids(&ranked)[..4], ["5.6", "5.5", "5.32", "5.11"]);
        assert_eq!(ranked.len(), 19, "passing checks are left out");
        assert_eq!(ranked[0].offenders, 2);
        assert_eq!(ranked[0].severity, Some(Severity::Critical));
        assert_eq!(
            ids(&ranked)[4..],
            audit.iter().map(String::as_str).collect::<Vec<_>>()[..]
        );
        assert!(
            ranked[1]
                .fix
                .starts_with("Recreate the container without `--privileged`"),
            "{}",
            ranked[1].fix
        );
        assert!(ranked[1].fix.ends_with('.'));
    }

    #[test]
    fn ties_are_broken_by_id_in_benchmark_order() {
        let report = report_with(vec![
            ("5.16", Status::Fail, vec![c("a")]),
            ("5.10", Status::Fail, vec![c("b")]),
            ("5.5", Status::Warn, vec![c("c")]),
        ]);
        assert_eq!(ids(&rank(&report.results)), ["5.5", "5.10", "5.16"]);
    }

    #[test]
    fn errors_count_and_unknown_ids_come_last() {
        let mut report = report_with(vec![
            ("9.1", Status::Fail, vec![c("a"), c("b")]),
            ("1.1.3", Status::Error, vec![]),
            ("5.4", Status::Manual, vec![]),
        ]);
        report.results[0].remediation = "Do the thing. And more.".into();
        let ranked = rank(&report.results);
        assert_eq!(ids(&ranked), ["1.1.3", "9.1"]);
        assert_eq!(ranked[0].offenders, 1, "a check without findings offends as a whole");
        assert_eq!(ranked[1].severity, None);
        assert_eq!(ranked[1].fix, "Do the thing.");
    }
}
