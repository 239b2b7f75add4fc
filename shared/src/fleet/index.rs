//! `index.json`: the fleet in one object, every host with its latest run.
//!
//! Built only from host histories ([`FleetIndex::from_histories`]), which are built only from
//! reports: the index is a cache that `dockaudit publish --reindex` can always rebuild.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::history::{HostHistory, HostRun, Labels};
use super::key::HostKey;
use super::FLEET_FORMAT_VERSION;

/// The fleet index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetIndex {
    /// [`FLEET_FORMAT_VERSION`] of the writer; readers refuse a newer one.
    pub format_version: u32,
    /// When the index was written (RFC 3339, UTC).
    pub generated_at: String,
    /// Every host with at least one run, sorted by key.
    pub hosts: Vec<FleetHost>,
}

/// One host of the fleet and its latest run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FleetHost {
    pub key: HostKey,
    /// The host's name as its latest report gives it.
    pub host: Option<String>,
    #[serde(default)]
    pub labels: Labels,
    /// Object key of the host's history (`hosts/<key>.json`), relative to the fleet's root.
    pub history_key: String,
    /// How many runs the history holds.
    pub runs: u32,
    /// The newest run, with its per-check statuses.
    pub latest: HostRun,
}

impl FleetIndex {
    /// The index of `histories` (histories without runs are left out), stamped `generated_at`.
    pub fn from_histories<'a>(
        histories: impl IntoIterator<Item = &'a HostHistory>,
        generated_at: impl Into<String>,
    ) -> FleetIndex {
        let mut hosts: Vec<FleetHost> = histories
            .into_iter()
            .filter_map(|h| {
                Some(FleetHost {
                    key: h.key.clone(),
                    host: h.host.clone(),
                    labels: h.labels.clone(),
                    history_key: h.key.history_key(),
                    runs: u32::try_from(h.runs.len()).unwrap_or(u32::MAX),
                    latest: h.latest()?.clone(),
                })
            })
            .collect();
        hosts.sort_by(|a, b| a.key.cmp(&b.key));
        hosts.dedup_by(|a, b| a.key == b.key);
        FleetIndex {
            format_version: FLEET_FORMAT_VERSION,
            generated_at: generated_at.into(),
            hosts,
        }
    }

    /// The entry of one host.
    pub fn host(&self, key: &HostKey) -> Option<&FleetHost> {
        self.hosts.iter().find(|h| &h.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::history::host_name;
    use crate::report::Status;
    use crate::test_support::report_with;

    fn history(host: &str, runs: &[(&str, Status)]) -> HostHistory {
        let key = HostKey::for_name(Some(host));
        let runs = runs
            .iter()
            .enumerate()
            .map(|(i, (at, status))| {
                let mut r = report_with(vec![("5.4", *status, vec![])]);
                r.host.hostname = Some(host.into());
                r.run.started_at = (*at).into();
                r.run.id = format!("run-{i}");
                let k = HostKey::for_name(host_name(&r)).report_key(at, &r.run.id);
                HostRun::from_report(&r, k, format!("jcs-sha256:{i}"))
            })
            .collect();
        HostHistory::from_runs(key, Some(host.into()), Labels::new(), runs)
    }

    #[test]
    fn every_host_appears_once_with_its_latest_run() {
        let a = history(
            "web-2",
            &[
                ("2026-01-02T00:00:00Z", Status::Fail),
                ("2026-01-01T00:00:00Z", Status::Pass),
            ],
        );
        let b = history("web-1", &[("2026-01-01T00:00:00Z", Status::Pass)]);
        let empty = HostHistory::new(HostKey::for_name(Some("gone")));
        let index = FleetIndex::from_histories([&a, &b, &empty, &b], "2026-01-03T00:00:00Z");
        let keys: Vec<&str> = index.hosts.iter().map(|h| h.key.as_str()).collect();
        assert_eq!(keys, ["web-1", "web-2"]);
        let web2 = index.host(&HostKey::for_name(Some("web-2"))).unwrap();
        assert_eq!(web2.runs, 2);
        assert_eq!(web2.latest.statuses["5.4"], Status::Fail);
        assert_eq!(web2.history_key, "hosts/web-2.json");
        let text = serde_json::to_string(&index).unwrap();
        assert_eq!(serde_json::from_str::<FleetIndex>(&text).unwrap(), index);
    }
}
