//! Comparing two runs: what regressed, what was fixed, which targets changed.
//!
//! One function serves `dockaudit diff` and the viewer's comparison, so both always agree.
//! Targets are matched by [`Target::key`]: containers by name (a re-created container keeps its
//! name but not its id), everything else by id.
//!
//! A **regression** is any check that newly fails: its status changes into `fail`, `warn` or
//! `error` from one that was not failing (`pass`, but also `not_applicable`, `manual`, `info` or
//! `skipped`: a check that stops being "not applicable" and fails is as new a failure as one that
//! stops passing). A change between failing statuses (warn → fail) stays under "still failing".

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::compare_ids;
use crate::report::{CheckResult, Report, Status, Target};

/// Identifies one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunRef {
    pub run_id: String,
    pub hostname: Option<String>,
    pub started_at: String,
    pub score: Option<f64>,
}

impl RunRef {
    fn of(r: &Report) -> Self {
        RunRef {
            run_id: r.run.id.clone(),
            hostname: r.host.hostname.clone(),
            started_at: r.run.started_at.clone(),
            score: r.summary.score.value,
        }
    }
}

/// One check whose status or offenders differ between the runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CheckChange {
    pub id: String,
    pub title: String,
    pub section: String,
    pub old_status: Status,
    pub new_status: Status,
    /// Offenders in the new run that were not offenders before.
    pub new_targets: Vec<Target>,
    /// Offenders of the old run that no longer offend.
    pub resolved_targets: Vec<Target>,
    /// Offenders in both runs.
    pub kept_targets: Vec<Target>,
    /// The check's one-line verdict in the older and the newer run.
    pub old_summary: String,
    pub new_summary: String,
    /// Every target either run has findings about, with what each run observed there.
    pub targets: Vec<TargetDelta>,
}

/// What one target showed in each run, for the detail of a changed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetDelta {
    pub target: Target,
    /// Observed values in the older run, one per finding (the finding's message when it has no
    /// observed value); empty when the older run has no finding about the target.
    pub old: Vec<String>,
    /// The same for the newer run.
    pub new: Vec<String>,
    /// What the newer run (else the older) expected there.
    pub expected: String,
}

impl TargetDelta {
    /// Whether the runs observed something different on this target.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

fn observations(r: &CheckResult) -> BTreeMap<String, (Target, Vec<String>, String)> {
    let mut out: BTreeMap<String, (Target, Vec<String>, String)> = BTreeMap::new();
    for f in &r.findings {
        let key = format!("{}:{}", f.target.kind.as_str(), f.target.key());
        let entry = out
            .entry(key)
            .or_insert_with(|| (f.target.clone(), Vec::new(), String::new()));
        entry.1.push(if f.observed.is_empty() {
            f.message.clone()
        } else {
            f.observed.clone()
        });
        if entry.2.is_empty() {
            entry.2.clone_from(&f.expected);
        }
    }
    out
}

/// Per target, what each run observed: targets of the newer run first, in its order of keys.
fn target_deltas(o: &CheckResult, n: &CheckResult) -> Vec<TargetDelta> {
    let (mut old, new) = (observations(o), observations(n));
    let mut out: Vec<TargetDelta> = new
        .into_iter()
        .map(|(key, (target, seen, expected))| {
            let before = old.remove(&key);
            TargetDelta {
                target,
                expected: if expected.is_empty() {
                    before.as_ref().map(|b| b.2.clone()).unwrap_or_default()
                } else {
                    expected
                },
                old: before.map(|b| b.1).unwrap_or_default(),
                new: seen,
            }
        })
        .collect();
    out.extend(old.into_values().map(|(target, seen, expected)| TargetDelta {
        target,
        old: seen,
        new: Vec::new(),
        expected,
    }));
    out
}

impl CheckChange {
    pub fn targets_changed(&self) -> bool {
        !self.new_targets.is_empty() || !self.resolved_targets.is_empty()
    }
}

/// A check present in only one of the runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OnlyIn {
    pub id: String,
    pub title: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunDiff {
    pub old: RunRef,
    pub new: RunRef,
    /// new score − old score, one decimal; `null` if either side has no score.
    pub score_delta: Option<f64>,
    /// Newly failing: any status that was not failing → fail, warn or error.
    pub regressed: Vec<CheckChange>,
    /// fail, warn or error → pass.
    pub fixed: Vec<CheckChange>,
    /// Failing in both runs (every such check, with its target changes).
    pub still_failing: Vec<CheckChange>,
    /// Any other status change (e.g. manual → not_applicable, fail → error).
    pub changed: Vec<CheckChange>,
    pub added: Vec<OnlyIn>,
    pub removed: Vec<OnlyIn>,
    /// Checks with the same status and the same offenders.
    pub unchanged: u32,
}

impl RunDiff {
    /// Whether the runs differ in any check.
    pub fn has_changes(&self) -> bool {
        !self.regressed.is_empty()
            || !self.fixed.is_empty()
            || self.still_failing.iter().any(CheckChange::targets_changed)
            || !self.changed.is_empty()
            || !self.added.is_empty()
            || !self.removed.is_empty()
    }
}

fn is_bad(s: Status) -> bool {
    matches!(s, Status::Fail | Status::Warn | Status::Error)
}

fn offenders(r: &CheckResult) -> BTreeMap<String, Target> {
    if !is_bad(r.status) {
        return BTreeMap::new();
    }
    r.findings
        .iter()
        .map(|f| {
            (
                format!("{}:{}", f.target.kind.as_str(), f.target.key()),
                f.target.clone(),
            )
        })
        .collect()
}

/// Compares two reports. `old` should be the earlier run.
pub fn diff(old: &Report, new: &Report) -> RunDiff {
    let old_by_id: BTreeMap<&str, &CheckResult> = old.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let new_by_id: BTreeMap<&str, &CheckResult> = new.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut ids: Vec<&str> = old_by_id
        .keys()
        .chain(new_by_id.keys())
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    ids.sort_by(|a, b| compare_ids(a, b));

    let mut d = RunDiff {
        old: RunRef::of(old),
        new: RunRef::of(new),
        score_delta: match (old.summary.score.value, new.summary.score.value) {
            (Some(a), Some(b)) => Some(((b - a) * 10.0).round() / 10.0),
            _ => None,
        },
        regressed: vec![],
        fixed: vec![],
        still_failing: vec![],
        changed: vec![],
        added: vec![],
        removed: vec![],
        unchanged: 0,
    };
    for id in ids {
        match (old_by_id.get(id), new_by_id.get(id)) {
            (Some(o), Some(n)) => {
                let (oo, no) = (offenders(o), offenders(n));
                let change = CheckChange {
                    id: id.to_string(),
                    title: if n.title.is_empty() {
                        o.title.clone()
                    } else {
                        n.title.clone()
                    },
                    section: n.section.clone(),
                    old_status: o.status,
                    new_status: n.status,
                    new_targets: no
                        .iter()
                        .filter(|(k, _)| !oo.contains_key(*k))
                        .map(|(_, t)| t.clone())
                        .collect(),
                    resolved_targets: oo
                        .iter()
                        .filter(|(k, _)| !no.contains_key(*k))
                        .map(|(_, t)| t.clone())
                        .collect(),
                    kept_targets: no
                        .iter()
                        .filter(|(k, _)| oo.contains_key(*k))
                        .map(|(_, t)| t.clone())
                        .collect(),
                    old_summary: o.summary.clone(),
                    new_summary: n.summary.clone(),
                    targets: target_deltas(o, n),
                };
                if !is_bad(o.status) && is_bad(n.status) {
                    d.regressed.push(change);
                } else if is_bad(o.status) && n.status == Status::Pass {
                    d.fixed.push(change);
                } else if is_bad(o.status) && is_bad(n.status) {
                    if o.status == n.status && !change.targets_changed() {
                        d.unchanged += 1;
                    }
                    d.still_failing.push(change);
                } else if o.status != n.status {
                    d.changed.push(change);
                } else {
                    d.unchanged += 1;
                }
            }
            (None, Some(n)) => d.added.push(OnlyIn {
                id: id.to_string(),
                title: n.title.clone(),
                status: n.status,
            }),
            (Some(o), None) => d.removed.push(OnlyIn {
                id: id.to_string(),
                title: o.title.clone(),
                status: o.status,
            }),
            (None, None) => {}
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{container_finding as container, report_with};

    #[test]
    fn classifies_regressions_fixes_and_target_changes() {
        let old = report_with(vec![
            ("5.4", Status::Pass, vec![]),
            ("5.5", Status::Fail, vec![container("a")]),
            ("5.10", Status::Fail, vec![container("a"), container("b")]),
            ("5.11", Status::Manual, vec![]),
            ("6.1", Status::Info, vec![]),
        ]);
        let new = report_with(vec![
            ("5.4", Status::Fail, vec![container("c")]),
            ("5.5", Status::Pass, vec![]),
            ("5.10", Status::Fail, vec![container("b"), container("d")]),
            ("5.11", Status::NotApplicable, vec![]),
            ("6.2", Status::Info, vec![]),
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.regressed.len(), 1);
        assert_eq!(d.regressed[0].id, "5.4");
        assert_eq!(d.regressed[0].new_targets[0].name, "c");
        assert_eq!(d.fixed[0].id, "5.5");
        assert_eq!(d.fixed[0].resolved_targets[0].name, "a");
        let sf = &d.still_failing[0];
        assert_eq!(sf.id, "5.10");
        assert_eq!(
            sf.new_targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["d"]
        );
        assert_eq!(
            sf.resolved_targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        assert_eq!(
            sf.kept_targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(d.changed[0].id, "5.11");
        assert_eq!(d.added[0].id, "6.2");
        assert_eq!(d.removed[0].id, "6.1");
        assert!(d.has_changes());
    }

    /// The comparison: 5.4 and 5.5 go pass → fail and 1.1.11 not_applicable → fail.
    /// Three checks newly fail, so three regressed.
    #[test]
    fn any_change_into_a_failure_is_a_regression() {
        let old = report_with(vec![
            ("1.1.11", Status::NotApplicable, vec![]),
            ("5.4", Status::Pass, vec![]),
            ("5.5", Status::Pass, vec![]),
            ("5.9", Status::Manual, vec![]),
            ("5.10", Status::Warn, vec![container("a")]),
            ("5.11", Status::Fail, vec![container("a")]),
        ]);
        let new = report_with(vec![
            ("1.1.11", Status::Fail, vec![]),
            ("5.4", Status::Fail, vec![container("web")]),
            ("5.5", Status::Error, vec![]),
            ("5.9", Status::NotApplicable, vec![]),
            ("5.10", Status::Fail, vec![container("a")]),
            ("5.11", Status::NotApplicable, vec![]),
        ]);
        let d = diff(&old, &new);
        let ids = |list: &[CheckChange]| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.regressed), ["1.1.11", "5.4", "5.5"]);
        assert_eq!(ids(&d.still_failing), ["5.10"], "warn → fail was already failing");
        assert_eq!(ids(&d.changed), ["5.9", "5.11"]);
    }

    #[test]
    fn each_change_carries_both_runs_observations_per_target() {
        let seen = |name: &str, observed: &str| {
            let mut f = container(name);
            f.observed = observed.into();
            f.expected = "HostConfig.Memory>0".into();
            f
        };
        let mut old = report_with(vec![(
            "5.11",
            Status::Fail,
            vec![seen("web", "Memory=0"), seen("db", "Memory=0")],
        )]);
        old.results[0].summary = "2 containers have no memory limit.".into();
        let mut new = report_with(vec![(
            "5.11",
            Status::Fail,
            vec![seen("db", "Memory=0"), seen("cache", "Memory=0")],
        )]);
        new.results[0].summary = "2 containers have no memory limit (cache is new).".into();
        let d = diff(&old, &new);
        let c = &d.still_failing[0];
        assert_eq!(c.old_summary, "2 containers have no memory limit.");
        let rows: Vec<(&str, Vec<&str>, Vec<&str>)> = c
            .targets
            .iter()
            .map(|t| {
                (
                    t.target.name.as_str(),
                    t.old.iter().map(String::as_str).collect(),
                    t.new.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("cache", vec![], vec!["Memory=0"]),
                ("db", vec!["Memory=0"], vec!["Memory=0"]),
                ("web", vec!["Memory=0"], vec![])
            ]
        );
        assert!(c.targets[0].changed() && !c.targets[1].changed());
        assert_eq!(c.targets[2].expected, "HostConfig.Memory>0");
    }

    #[test]
    fn containers_match_by_name_across_recreation() {
        let mut f1 = container("web");
        f1.target.id = "old-id".into();
        let mut f2 = container("web");
        f2.target.id = "new-id".into();
        let d = diff(
            &report_with(vec![("5.10", Status::Fail, vec![f1])]),
            &report_with(vec![("5.10", Status::Fail, vec![f2])]),
        );
        assert!(!d.has_changes());
        assert_eq!(d.unchanged, 1);
    }
}
