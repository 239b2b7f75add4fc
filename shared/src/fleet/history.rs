//! `hosts/<host>.json`: one host's published runs, oldest first.
//!
//! Each entry is computed from a report alone ([`HostRun::from_report`]), so a history can always
//! be rebuilt from the reports under `reports/<host>/`; that is how a publisher repairs an entry
//! another publisher's concurrent write dropped.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::key::HostKey;
use super::FLEET_FORMAT_VERSION;
use crate::report::{Report, Status};
use crate::summary::StatusCounts;

/// Labels of a host (`environment=prod`, `team=payments`): given by the publisher (an inventory's
/// labels, `--label`), not part of the report.
pub type Labels = BTreeMap<String, String>;

/// One host's run history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostHistory {
    /// [`FLEET_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// The host's name as its latest report gives it (`host.hostname`; `null` when none did).
    pub host: Option<String>,
    /// The host's key: its segment in `hosts/<key>.json` and `reports/<key>/`.
    pub key: HostKey,
    /// The host's labels as last published.
    #[serde(default)]
    pub labels: Labels,
    /// Every published run, oldest first (by `started_at`, then `report_key`).
    pub runs: Vec<HostRun>,
}

/// One published run of a host: where its report is and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostRun {
    /// Object key of the report, relative to the fleet's root (where `index.json` is).
    pub report_key: String,
    /// `run.id` of the report.
    pub run_id: String,
    /// The report's digest, as verified when it was published.
    pub digest: String,
    /// `run.started_at` (RFC 3339, UTC).
    pub started_at: String,
    /// `run.finished_at` (RFC 3339, UTC).
    pub finished_at: String,
    /// `summary.score.value`: percent, one decimal; `null` when nothing was scored.
    pub score: Option<f64>,
    /// `summary.counts`.
    pub counts: StatusCounts,
    /// Status of every check in the report, by check id.
    pub statuses: BTreeMap<String, Status>,
    /// Distinct offending targets of each failing or warning check, by check id (checks without
    /// offenders are left out).
    #[serde(default)]
    pub offenders: BTreeMap<String, u32>,
    /// Whether the report carries a collector SSH signature (verified against the publisher's
    /// allowed signers when it was given them).
    #[serde(default)]
    pub signed: bool,
    /// `tool.name` and `tool.version` of the writer of the report.
    pub tool: String,
}

impl HostRun {
    /// The entry of `report`, published at `report_key` with the verified `digest`.
    pub fn from_report(report: &Report, report_key: String, digest: String) -> HostRun {
        let statuses = report.results.iter().map(|r| (r.id.clone(), r.status)).collect();
        let offenders = report
            .results
            .iter()
            .filter_map(|r| {
                let n = u32::try_from(r.offender_count()).unwrap_or(u32::MAX);
                (n > 0).then(|| (r.id.clone(), n))
            })
            .collect();
        HostRun {
            report_key,
            run_id: report.run.id.clone(),
            digest,
            started_at: report.run.started_at.clone(),
            finished_at: report.run.finished_at.clone(),
            score: report.summary.score.value,
            counts: report.summary.counts.clone(),
            statuses,
            offenders,
            signed: report.ssh_signature.is_some(),
            tool: format!("{} {}", report.tool.name, report.tool.version),
        }
    }

    /// Order of runs in a history: by start time (RFC 3339 UTC strings of one form compare as
    /// times), then by key so that equal times still have one order.
    fn order_key(&self) -> (&str, &str) {
        (&self.started_at, &self.report_key)
    }
}

impl HostHistory {
    /// An empty history of the host `key`.
    pub fn new(key: HostKey) -> HostHistory {
        HostHistory {
            format_version: FLEET_FORMAT_VERSION,
            host: None,
            key,
            labels: Labels::new(),
            runs: Vec::new(),
        }
    }

    /// A history holding `runs` (in any order; one entry per report key is kept).
    pub fn from_runs(key: HostKey, host: Option<String>, labels: Labels, runs: Vec<HostRun>) -> HostHistory {
        let mut history = HostHistory {
            host,
            labels,
            ..HostHistory::new(key)
        };
        for run in runs {
            history.insert(run);
        }
        history
    }

    /// Adds or replaces (same `report_key`) a run, keeping the order.
    pub fn insert(&mut self, run: HostRun) {
        self.runs.retain(|r| r.report_key != run.report_key);
        let at = self.runs.partition_point(|r| r.order_key() <= run.order_key());
        self.runs.insert(at, run);
    }

    /// Whether a run with this report key is listed.
    pub fn contains(&self, report_key: &str) -> bool {
        self.runs.iter().any(|r| r.report_key == report_key)
    }

    /// The newest run (the last one).
    pub fn latest(&self) -> Option<&HostRun> {
        self.runs.last()
    }
}

/// The name a report gives its host.
pub fn host_name(report: &Report) -> Option<&str> {
    report.host.hostname.as_deref().filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{container_finding, report_with};

    fn run_at(started_at: &str, id: &str) -> HostRun {
        let mut report = report_with(vec![
            ("2.1", Status::Pass, vec![]),
            (
                "5.4",
                Status::Fail,
                vec![container_finding("a"), container_finding("b")],
            ),
        ]);
        report.run.started_at = started_at.into();
        report.run.id = id.into();
        let key = HostKey::for_name(host_name(&report)).report_key(started_at, id);
        HostRun::from_report(&report, key, "jcs-sha256:00".into())
    }

    #[test]
    fn an_entry_carries_what_the_fleet_view_needs() {
        let run = run_at("2026-01-01T00:00:00Z", "r1");
        assert_eq!(run.report_key, "reports/host-a/20260101T000000Z-r1.json");
        assert_eq!(run.statuses["5.4"], Status::Fail);
        assert_eq!(run.statuses["2.1"], Status::Pass);
        assert_eq!(run.offenders.get("5.4"), Some(&2));
        assert!(!run.offenders.contains_key("2.1"));
        assert_eq!(run.counts.fail, 1);
        assert_eq!(run.score, Some(50.0));
        assert!(!run.signed);
        assert_eq!(run.tool, "dockaudit test");
    }

    #[test]
    fn runs_stay_ordered_and_unique_whatever_the_insertion_order() {
        let a = run_at("2026-01-01T00:00:00Z", "a");
        let b = run_at("2026-01-02T00:00:00Z", "b");
        let c = run_at("2026-01-03T00:00:00Z", "c");
        let key = HostKey::for_name(Some("host-a"));
        let h1 = HostHistory::from_runs(key.clone(), None, Labels::new(), vec![c.clone(), a.clone(), b.clone()]);
        let h2 = HostHistory::from_runs(
            key,
            None,
            Labels::new(),
            vec![b.clone(), c.clone(), a.clone(), b.clone()],
        );
        assert_eq!(h1, h2);
        assert_eq!(h1.runs.len(), 3);
        assert_eq!(h1.latest().map(|r| r.run_id.as_str()), Some("c"));
        assert!(h1.contains(&a.report_key));
    }

    #[test]
    fn round_trips_through_json() {
        let mut labels = Labels::new();
        labels.insert("env".into(), "prod".into());
        let h = HostHistory::from_runs(
            HostKey::for_name(Some("host-a")),
            Some("host-a".into()),
            labels,
            vec![run_at("2026-01-01T00:00:00Z", "a")],
        );
        let text = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<HostHistory>(&text).unwrap(), h);
    }
}
