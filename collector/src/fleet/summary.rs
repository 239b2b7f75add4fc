//! What a fleet audit found, host by host: the model behind `fleet-summary.json`, the final
//! table and the exit code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the `fleet-summary.json` layout.
pub const FLEET_SUMMARY_VERSION: u32 = 1;

/// How one host's audit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostResult {
    /// Audited; nothing at the `--fail-on` threshold.
    Pass,
    /// Audited; checks at the `--fail-on` threshold.
    Fail,
    /// The daemon could not be reached (connection, TLS, permission, SSH).
    Unreachable,
    /// The audit did not finish within the host's timeout.
    Timeout,
    /// Reached, but the audit could not be completed or its report not written.
    Error,
}

impl HostResult {
    /// Whether the host was audited (its report exists).
    pub fn audited(self) -> bool {
        matches!(self, HostResult::Pass | HostResult::Fail)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HostResult::Pass => "pass",
            HostResult::Fail => "fail",
            HostResult::Unreachable => "unreachable",
            HostResult::Timeout => "timeout",
            HostResult::Error => "error",
        }
    }
}

/// One row of the fleet summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSummary {
    /// The host's name in the inventory (or the `--host` address).
    pub name: String,
    /// The daemon address, or `context NAME`.
    pub daemon: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub result: HostResult,
    /// The report's score (percent of decided checks passed), when audited and scored.
    pub score: Option<f64>,
    /// Checks that failed, when audited.
    pub fails: Option<u32>,
    /// Checks that could not be decided, when audited.
    pub errors: Option<u32>,
    /// Wall time of this host's audit, connecting and writing included.
    pub duration_ms: u64,
    /// Why the host was not audited.
    pub error: Option<String>,
    /// The report's file name in the output directory, when written.
    pub report: Option<String>,
    /// Where the report was published (`--publish`): the destination and the report's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Why the report of an audited host could not be published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_error: Option<String>,
}

/// Totals over the fleet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetTotals {
    pub hosts: usize,
    pub pass: usize,
    pub fail: usize,
    /// Unreachable, timed out or failed to audit.
    pub not_audited: usize,
    /// Audited, but the report could not be published (`--publish`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_published: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The whole fleet audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FleetSummary {
    pub version: u32,
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    /// Hosts audited at once.
    pub parallel: usize,
    pub totals: FleetTotals,
    /// In inventory order.
    pub hosts: Vec<HostSummary>,
}

impl FleetSummary {
    /// A summary of `hosts` with the totals computed from them.
    pub fn new(
        started_at: String,
        finished_at: String,
        duration_ms: u64,
        parallel: usize,
        hosts: Vec<HostSummary>,
    ) -> Self {
        let mut totals = FleetTotals {
            hosts: hosts.len(),
            ..FleetTotals::default()
        };
        for h in &hosts {
            totals.not_published += usize::from(h.publish_error.is_some());
            match h.result {
                HostResult::Pass => totals.pass += 1,
                HostResult::Fail => totals.fail += 1,
                HostResult::Unreachable | HostResult::Timeout | HostResult::Error => totals.not_audited += 1,
            }
        }
        FleetSummary {
            version: FLEET_SUMMARY_VERSION,
            started_at,
            finished_at,
            duration_ms,
            parallel,
            totals,
            hosts,
        }
    }

    /// The fleet's verdict as one host's exit code would give it: [`FleetVerdict::NotAudited`]
    /// when a host could not be audited (unless `allow_unreachable`, and then only when no host
    /// at all was audited) or an audited host's report could not be published (as `scan
    /// --publish` fails then), else [`FleetVerdict::Findings`] when any host failed.
    pub fn verdict(&self, allow_unreachable: bool) -> FleetVerdict {
        let audited = self.totals.pass + self.totals.fail;
        if audited == 0 || (self.totals.not_audited > 0 && !allow_unreachable) || self.totals.not_published > 0 {
            FleetVerdict::NotAudited
        } else if self.totals.fail > 0 {
            FleetVerdict::Findings
        } else {
            FleetVerdict::Clean
        }
    }
}

/// What the fleet audit amounts to, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetVerdict {
    /// Every audited host passed (exit 0).
    Clean,
    /// Some audited host failed (exit 1).
    Findings,
    /// Some host could not be audited (exit 2).
    NotAudited,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(result: HostResult) -> HostSummary {
        HostSummary {
            name: result.as_str().into(),
            daemon: "tcp://h:2375".into(),
            labels: BTreeMap::new(),
            result,
            score: None,
            fails: None,
            errors: None,
            duration_ms: 1,
            error: None,
            report: None,
            published: None,
            publish_error: None,
        }
    }

    fn summary(results: &[HostResult]) -> FleetSummary {
        FleetSummary::new(
            String::new(),
            String::new(),
            0,
            4,
            results.iter().map(|r| row(*r)).collect(),
        )
    }

    #[test]
    fn totals_and_verdicts() {
        use HostResult::*;
        let s = summary(&[Pass, Fail, Unreachable, Timeout, Error]);
        assert_eq!(
            s.totals,
            FleetTotals {
                hosts: 5,
                pass: 1,
                fail: 1,
                not_audited: 3,
                not_published: 0
            }
        );
        assert_eq!(s.verdict(false), FleetVerdict::NotAudited);
        assert_eq!(s.verdict(true), FleetVerdict::Findings);
        assert_eq!(summary(&[Pass, Unreachable]).verdict(true), FleetVerdict::Clean);
        assert_eq!(summary(&[Pass, Pass]).verdict(false), FleetVerdict::Clean);
        // Nothing audited is never a clean fleet, whatever the flag says.
        assert_eq!(summary(&[Unreachable]).verdict(true), FleetVerdict::NotAudited);
        // A report that could not be published fails the run, as `scan --publish` does.
        let mut s = summary(&[Pass, Unreachable]);
        s.hosts[0].publish_error = Some("store down".into());
        let s = FleetSummary::new(String::new(), String::new(), 0, 4, s.hosts);
        assert_eq!(s.totals.not_published, 1);
        assert_eq!(s.verdict(true), FleetVerdict::NotAudited);
    }

    #[test]
    fn round_trips_as_json() {
        let s = summary(&[HostResult::Pass, HostResult::Timeout]);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"result\":\"timeout\""), "{json}");
        let back: FleetSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }
}
