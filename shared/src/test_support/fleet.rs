//! Published fleets generated deterministically (splitmix64, no randomness): hosts with labels,
//! a few runs each, some of them stale, failing checks spread like a real estate (some checks on
//! many hosts, most on few), in the layout `dockaudit publish` writes ([`crate::fleet`]). The
//! viewer's fleet tests and `cargo xtask bench` use them.

use std::collections::BTreeMap;

use crate::digest;
use crate::fleet::{FleetIndex, HostHistory, HostKey, HostRun, Labels};
use crate::report::{CheckResult, Report, Status};

use super::large::{container_name, mix};
use super::samples::{container, report};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetShape {
    pub hosts: usize,
    /// Runs per host (the history's length).
    pub runs: usize,
    /// Changes every host's checks, names stay.
    pub seed: u64,
    /// Share of hosts (per mille) whose last run is 10–60 days old.
    pub stale_per_mille: u64,
}

impl Default for FleetShape {
    fn default() -> Self {
        FleetShape {
            hosts: 20,
            runs: 3,
            seed: 1,
            stale_per_mille: 120,
        }
    }
}

/// A generated fleet: the index, every host's history, and every report with its object key.
#[derive(Debug, Clone)]
pub struct GeneratedFleet {
    pub index: FleetIndex,
    pub histories: Vec<HostHistory>,
    /// (object key, sealed report text), only when [`fleet_with_reports`] made them.
    pub reports: Vec<(String, String)>,
    /// The day the fleet was generated "on" (`YYYY-MM-DD`): the newest runs are from that day.
    pub today: String,
}

/// Checks that fail on some hosts, with the share of hosts (per mille) they fail on.
const FLEET_FAILS: [(&str, u64); 16] = [
    ("1.1.1", 300),
    ("1.1.3", 120),
    ("2.2", 450),
    ("2.9", 200),
    ("2.12", 80),
    ("3.1", 40),
    ("4.1", 600),
    ("4.6", 350),
    ("5.4", 500),
    ("5.5", 90),
    ("5.10", 250),
    ("5.11", 700),
    ("5.13", 650),
    ("5.25", 150),
    ("5.31", 30),
    ("6.1", 100),
];

const ENVS: [&str; 3] = ["prod", "staging", "dev"];
const TEAMS: [&str; 4] = ["payments", "search", "platform", "data"];
const ROLES: [&str; 5] = ["web", "api", "db", "batch", "edge"];

/// The fleet's index and histories, without the reports (fast, for large fleets; the runs' digests
/// are stand-ins, since no report exists to seal).
pub fn fleet(shape: &FleetShape) -> GeneratedFleet {
    generate(shape, false)
}

/// The fleet with every report sealed, for serving it as a store.
pub fn fleet_with_reports(shape: &FleetShape) -> GeneratedFleet {
    generate(shape, true)
}

/// Host `i`'s name: `web-003.prod`.
pub fn host_name(i: usize) -> String {
    format!(
        "{}-{i:03}.{}",
        ROLES[i % ROLES.len()],
        ENVS[(i / ROLES.len()) % ENVS.len()]
    )
}

fn generate(shape: &FleetShape, with_reports: bool) -> GeneratedFleet {
    const TODAY: &str = "2026-03-01";
    let mut histories = Vec::with_capacity(shape.hosts);
    let mut reports = Vec::new();
    for i in 0..shape.hosts {
        let name = host_name(i);
        let h = mix(shape.seed ^ (i as u64).wrapping_mul(0x9e37));
        let key = HostKey::for_name(Some(&name));
        let mut labels = Labels::new();
        labels.insert("env".into(), ENVS[(i / ROLES.len()) % ENVS.len()].into());
        labels.insert("team".into(), TEAMS[(h % 4) as usize].into());
        // The last run: today for most hosts, 10–60 days ago for the stale ones.
        let stale = h % 1000 < shape.stale_per_mille;
        let last_age = if stale { 10 + (h >> 10) % 51 } else { 0 };
        let mut runs = Vec::new();
        for r in 0..shape.runs.max(1) {
            let age = last_age + 7 * (shape.runs.max(1) - 1 - r) as u64;
            let started_at = format!("{}T{:02}:{:02}:00Z", day_before(TODAY, age), 2 + i % 20, (i * 7) % 60);
            let run_id = format!("{:08x}", mix(h ^ r as u64) as u32);
            let report = host_report(&name, &started_at, &run_id, h, r, shape.runs.max(1));
            let report_key = key.report_key(&started_at, &run_id);
            if with_reports {
                let (text, digest) = digest::seal(&report).unwrap_or_default();
                runs.push(HostRun::from_report(&report, report_key.clone(), digest));
                reports.push((report_key, text));
            } else {
                // No report is written, so none can be sealed: a marked stand-in, cheap on large fleets.
                let stand_in = format!("{}{:064x}", digest::PREFIX, mix(h ^ r as u64));
                runs.push(HostRun::from_report(&report, report_key, stand_in));
            }
        }
        histories.push(HostHistory::from_runs(key, Some(name), labels, runs));
    }
    let index = FleetIndex::from_histories(&histories, format!("{TODAY}T12:00:00Z"));
    GeneratedFleet {
        index,
        histories,
        reports,
        today: TODAY.into(),
    }
}

/// One run of host `name`: the fleet's failing checks by the host's hash, fewer in later runs.
fn host_report(name: &str, started_at: &str, run_id: &str, h: u64, run: usize, runs: usize) -> Report {
    let overrides: Vec<CheckResult> = FLEET_FAILS
        .iter()
        .enumerate()
        .filter_map(|(k, (id, share))| {
            let roll = mix(h ^ (k as u64 + 1)) % 1000;
            // Older runs fail a little more often: the fleet improves.
            let share = share + 60 * (runs - 1 - run) as u64;
            if roll >= share {
                return None;
            }
            let offenders = 1 + (mix(h ^ k as u64 ^ 0x5a) % 4) as usize;
            let findings = if id.starts_with("5.") {
                (0..offenders)
                    .map(|c| {
                        container(
                            &container_name(c + k),
                            "does not meet the recommendation",
                            "found on this container",
                            "the benchmark's setting",
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let mut r = CheckResult::for_id(id, Status::Fail, format!("{id} fails on {name}"));
            r.findings = findings;
            Some(r)
        })
        .collect();
    let mut r = report(name, started_at, run_id, overrides);
    // A few warnings too, so the heatmap has more than two colours.
    if let Some(w) = r.results.iter_mut().find(|c| c.id == "2.14") {
        if mix(h ^ 0x77) % 3 == 0 {
            w.status = Status::Warn;
        }
    }
    r.summary = crate::summary::Summary::compute(&r.results);
    r
}

/// `YYYY-MM-DD`, `days` before `date` (a plain calendar walk; the generator's dates only).
fn day_before(date: &str, days: u64) -> String {
    let parse = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(1);
    let (mut y, mut m, mut d) = (parse(0..4), parse(5..7), parse(8..10));
    for _ in 0..days {
        if d > 1 {
            d -= 1;
        } else {
            if m > 1 {
                m -= 1;
            } else {
                m = 12;
                y -= 1;
            }
            d = days_in(y, m);
        }
    }
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Every object of the fleet as (key, text): index, histories and (when generated) reports.
pub fn objects(fleet: &GeneratedFleet) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(crate::fleet::INDEX_KEY.to_string(), pretty(&fleet.index))];
    for h in &fleet.histories {
        out.push((h.key.history_key(), pretty(h)));
    }
    out.extend(fleet.reports.iter().cloned());
    out
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Hosts failing each check in the index, by check id.
pub fn failures_by_check(index: &FleetIndex) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for h in &index.hosts {
        for (id, s) in &h.latest.statuses {
            if *s == Status::Fail {
                *out.entry(id.clone()).or_insert(0) += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleets_are_deterministic_and_complete() {
        let shape = FleetShape::default();
        let a = fleet_with_reports(&shape);
        let b = fleet_with_reports(&shape);
        assert_eq!(a.index, b.index);
        assert_eq!(a.index.hosts.len(), 20);
        assert_eq!(a.reports.len(), 60);
        // Every latest run's report is among the objects, and its digest verifies.
        for h in &a.index.hosts {
            let (_, text) = a.reports.iter().find(|(k, _)| *k == h.latest.report_key).unwrap();
            let loaded = crate::load::load(text).unwrap();
            assert!(loaded.digest.is_valid());
            assert_eq!(loaded.digest.computed(), h.latest.digest);
        }
        let fails = failures_by_check(&a.index);
        assert!(fails.len() > 5, "{fails:?}");
        assert_eq!(day_before("2026-03-01", 1), "2026-02-28");
        assert_eq!(day_before("2024-03-01", 1), "2024-02-29");
        assert_eq!(day_before("2026-01-01", 1), "2025-12-31");
        let keys: Vec<String> = objects(&a).into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"index.json".to_string()));
        assert!(keys.iter().any(|k| k.starts_with("hosts/")));
    }
}
