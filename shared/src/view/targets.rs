//! The "by target" view: every container or image named in a report, and the checks it offends.
//!
//! Targets are keyed like the diff keys them ([`Target::key`]): containers by name, because ids
//! change when a container is re-created, images by id.

use crate::catalog::compare_ids;
use crate::report::{CheckResult, Finding, Report, Status, Target, TargetKind};

use super::filter::is_pickable_target;

/// One container or image and what the report says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSummary {
    pub kind: TargetKind,
    /// [`Target::key`]: what the URL and the target filter carry.
    pub key: String,
    /// Name for people (may equal the key).
    pub name: String,
    /// Checks whose verdict is fail, warn or error and that name this target, in benchmark order.
    pub offending: Vec<(String, Status)>,
    /// Checks that mention the target without it offending (info or manual facts).
    pub mentioned: usize,
}

fn offends(status: Status) -> bool {
    matches!(status, Status::Fail | Status::Warn | Status::Error)
}

/// Every container and image in the report's findings, most offending first, then by name.
pub fn summarize(report: &Report) -> Vec<TargetSummary> {
    let mut tally = TargetTally::default();
    for r in &report.results {
        tally.add(r, &r.distinct_targets());
    }
    tally.finish()
}

/// [`summarize`] one result at a time, so a large report's summary can be built while it loads
/// (a step per result, never the whole report in one go).
#[derive(Debug, Default)]
pub struct TargetTally {
    /// Index into `targets` by kind, then key: a lookup borrows the finding's key, and only a
    /// target seen for the first time allocates.
    index: std::collections::HashMap<TargetKind, std::collections::HashMap<String, usize>>,
    targets: Vec<TargetSummary>,
}

impl TargetTally {
    /// Counts result `r`, whose distinct targets are `distinct` ([`CheckResult::distinct_targets`]).
    pub fn add(&mut self, r: &CheckResult, distinct: &[&Target]) {
        let offending = offends(r.status);
        for t in distinct {
            if !is_pickable_target(t.kind) {
                continue;
            }
            let keys = self.index.entry(t.kind).or_default();
            let at = match keys.get(t.key()) {
                Some(&at) => at,
                None => {
                    keys.insert(t.key().to_string(), self.targets.len());
                    self.targets.push(TargetSummary {
                        kind: t.kind,
                        key: t.key().to_string(),
                        name: t.display().to_string(),
                        offending: Vec::new(),
                        mentioned: 0,
                    });
                    self.targets.len() - 1
                }
            };
            let entry = &mut self.targets[at];
            if offending {
                entry.offending.push((r.id.clone(), r.status));
            } else {
                entry.mentioned += 1;
            }
        }
    }

    /// The summary: most offending first, then by kind and name.
    pub fn finish(mut self) -> Vec<TargetSummary> {
        for t in &mut self.targets {
            t.offending.sort_by(|a, b| compare_ids(&a.0, &b.0));
        }
        self.targets.sort_by(|a, b| {
            b.offending
                .len()
                .cmp(&a.offending.len())
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.key.cmp(&b.key))
        });
        self.targets
    }
}

/// Whether a finding is about the target `key` (key, name or id).
pub fn finding_is_about(f: &Finding, key: &str) -> bool {
    target_is(&f.target, key)
}

/// Whether a target answers to `key` (key, name or id).
pub fn target_is(t: &Target, key: &str) -> bool {
    t.key() == key || t.name == key || t.id == key
}

/// The checks that mention target `key`, offending ones first, each with the findings about it.
pub fn checks_for<'a>(report: &'a Report, key: &str) -> Vec<(&'a CheckResult, Vec<&'a Finding>)> {
    let mut out: Vec<(&CheckResult, Vec<&Finding>)> = report
        .results
        .iter()
        .filter_map(|r| {
            let findings: Vec<&Finding> = r.findings.iter().filter(|f| finding_is_about(f, key)).collect();
            (!findings.is_empty()).then_some((r, findings))
        })
        .collect();
    out.sort_by(|(a, _), (b, _)| {
        offends(b.status)
            .cmp(&offends(a.status))
            .then_with(|| compare_ids(&a.id, &b.id))
    });
    out
}

/// The targets whose name or key contains `query` (case-insensitive, surrounding blanks
/// ignored), in the order given; all of them for a blank query.
pub fn search<'a>(all: &'a [TargetSummary], query: &str) -> Vec<&'a TargetSummary> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return all.iter().collect();
    }
    all.iter()
        .filter(|t| t.name.to_lowercase().contains(&q) || t.key.to_lowercase().contains(&q))
        .collect()
}

/// A check's findings about the target `key` (key, name or id), or all of them without a target.
pub fn findings_about<'a>(r: &'a CheckResult, key: Option<&str>) -> Vec<&'a Finding> {
    match key {
        Some(key) => r.findings.iter().filter(|f| finding_is_about(f, key)).collect(),
        None => r.findings.iter().collect(),
    }
}

/// Rows of a findings table shown at first and added by each "more".
pub const FINDINGS_PAGE: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::report_with;

    fn on(kind: TargetKind, id: &str, name: &str) -> Finding {
        Finding {
            target: Target::new(kind, id, name),
            message: format!("{name} offends"),
            observed: String::new(),
            expected: String::new(),
            remediation: String::new(),
        }
    }

    #[test]
    fn lists_containers_and_images_most_offending_first() {
        let report = report_with(vec![
            ("2.2", Status::Fail, vec![on(TargetKind::Daemon, "daemon", "dockerd")]),
            (
                "4.1",
                Status::Fail,
                vec![on(TargetKind::Image, "sha256:aa", "alpine:3")],
            ),
            (
                "5.5",
                Status::Fail,
                vec![
                    on(TargetKind::Container, "c1", "web"),
                    on(TargetKind::Container, "c1", "web"),
                ],
            ),
            (
                "5.10",
                Status::Warn,
                vec![
                    on(TargetKind::Container, "c1", "web"),
                    on(TargetKind::Container, "c2", "db"),
                ],
            ),
            ("6.1", Status::Info, vec![on(TargetKind::Container, "c2", "db")]),
        ]);
        let targets = summarize(&report);
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["web", "db", "alpine:3"]);
        assert_eq!(
            targets[0].offending,
            [("5.5".to_string(), Status::Fail), ("5.10".to_string(), Status::Warn)]
        );
        assert_eq!(targets[1].mentioned, 1);
        assert_eq!(targets[2].key, "sha256:aa");

        let checks = checks_for(&report, "db");
        assert_eq!(
            checks.iter().map(|(r, _)| r.id.as_str()).collect::<Vec<_>>(),
            ["5.10", "6.1"]
        );
        assert_eq!(checks[0].1.len(), 1);
        assert_eq!(checks_for(&report, "c1").len(), 2);
        assert!(checks_for(&report, "nobody").is_empty());
    }

    #[test]
    fn targets_are_found_by_part_of_their_name_and_findings_follow_the_target() {
        let report = report_with(vec![(
            "5.11",
            Status::Fail,
            vec![
                on(TargetKind::Container, "c1", "web-0001"),
                on(TargetKind::Container, "c2", "db-0002"),
                on(TargetKind::Image, "sha256:aa", "alpine:3"),
            ],
        )]);
        let all = summarize(&report);
        let names = |q: &str| search(&all, q).iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        assert_eq!(names("WEB"), ["web-0001"]);
        assert_eq!(names(" 000 "), ["db-0002", "web-0001"]);
        assert_eq!(names("sha256:a"), ["alpine:3"]);
        assert_eq!(names("").len(), 3);
        assert!(names("nobody").is_empty());

        let r = &report.results[0];
        assert_eq!(findings_about(r, None).len(), 3);
        let db = findings_about(r, Some("db-0002"));
        assert_eq!(db.len(), 1);
        assert_eq!(db[0].target.name, "db-0002");
        assert_eq!(findings_about(r, Some("c1")).len(), 1, "by id too");
        assert!(findings_about(r, Some("nobody")).is_empty());
    }
}
