//! The report contract (schema v3): what the collector writes and the viewer reads.
//!
//! Every field is snake_case JSON. Optional facts are `Option` because daemons from Engine 20.10
//! to 28 omit different fields; a missing value is written as `null`, never guessed.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalog::{Assessment, Evaluation};
use crate::summary::Summary;

/// Version of the report format written by this build. Readers accept this and every older one.
///
/// 2: optional `hardening`, the least-privilege proposal of each running container. A version 1
/// report reads as version 2 without it.
///
/// 3: optional `target_labels`, the labels of each container in scope (bounded, redacted). A
/// version 1 or 2 report reads as version 3 without them.
pub const SCHEMA_VERSION: u32 = 3;

/// One audit of one Docker host against the benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub benchmark: Benchmark,
    pub run: Run,
    pub host: Host,
    /// Exactly one result per catalogue id, in benchmark order.
    pub results: Vec<CheckResult>,
    pub summary: Summary,
    /// Facts that could not be collected, and why.
    #[serde(default)]
    pub errors: Vec<CollectionError>,
    /// Least-privilege proposals for the running containers in scope (schema 2); absent in
    /// version 1 reports and when no container ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardening: Option<crate::hardening::Hardening>,
    /// The labels of the containers in scope that carry any (schema 3), so a reviewer can pick
    /// offenders by label. Absent in older reports and when the container list could not be read;
    /// a container missing from a present list has no label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_labels: Option<Vec<TargetLabels>>,
    /// Set when this report was derived from another one (import, sign-off apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<DerivedFrom>,
    /// Set by `dockaudit signoff apply`: the sign-off whose decisions gave this report's statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signoff: Option<crate::signoff::apply::AppliedSignoff>,
    /// The collector's SSH signature (namespace `dockaudit-report`, `dockaudit scan --sign-key`) over
    /// the report's canonical bytes without `digest` and this member; absent for unsigned reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_signature: Option<crate::sshsig::SshSignature>,
    /// `jcs-sha256:<hex>` (`sha256:<hex>` before RFC 8785) over the canonical form of the report
    /// without this field (see `digest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    pub id: String,
    pub version: String,
}

impl Default for Benchmark {
    fn default() -> Self {
        Self {
            id: crate::catalog::BENCHMARK_ID.into(),
            version: crate::catalog::BENCHMARK_VERSION.into(),
        }
    }
}

/// When and how the audit ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Unique per run (random UUID v4 for scans; derived from the log for imports).
    pub id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    /// RFC 3339, UTC.
    pub finished_at: String,
    pub duration_ms: u64,
    /// The arguments the tool was started with (argv), for reproducing the run.
    pub command_line: Vec<String>,
    pub selection: Selection,
}

/// What the user asked to audit. Recorded so a reader knows why checks are `skipped`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// `--check` ids or dotted prefixes; empty means all.
    #[serde(default)]
    pub checks: Vec<String>,
    /// `--skip` ids or dotted prefixes.
    #[serde(default)]
    pub skip: Vec<String>,
    /// `--level`: only checks of this level or lower.
    #[serde(default)]
    pub level: Option<u8>,
    #[serde(default)]
    pub include_containers: Vec<String>,
    #[serde(default)]
    pub exclude_containers: Vec<String>,
    /// `key=value` or `key` label selectors; a container must match all.
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub running_only: bool,
    #[serde(default)]
    pub trusted_users: Vec<String>,
    /// Containers left out of the audit and why (e.g. dockaudit's own container).
    #[serde(default)]
    pub excluded: Vec<ExcludedTarget>,
}

impl Selection {
    /// Whether a check id is selected by `checks`, `skip` and `level`.
    pub fn selects(&self, id: &str, level: u8) -> bool {
        use crate::catalog::id_matches_prefix;
        let wanted = self.checks.is_empty() || self.checks.iter().any(|p| id_matches_prefix(id, p));
        let skipped = self.skip.iter().any(|p| id_matches_prefix(id, p));
        let level_ok = self.level.is_none_or(|max| level <= max);
        wanted && !skipped && level_ok
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExcludedTarget {
    pub target: Target,
    pub reason: String,
}

/// The audited host and its Docker engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub hostname: Option<String>,
    pub os: Option<String>,
    pub kernel: Option<String>,
    pub architecture: Option<String>,
    pub docker: DockerEngine,
    /// Which daemon on the host was audited, and the others found there. Absent in reports
    /// written before dockaudit bound host facts to the connected daemon, and when host files
    /// were not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<AuditedDaemon>,
}

/// The daemon whose host-side facts (command line, configuration file, data root, sockets) the
/// report describes: the one serving the endpoint dockaudit connected to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditedDaemon {
    /// The endpoint dockaudit connected to (`unix:///…`, `tcp://…`).
    pub endpoint: String,
    /// The endpoint's unix socket on the host, symlinks resolved.
    #[serde(default)]
    pub socket: Option<String>,
    /// The process serving it; `None` when it could not be identified with confidence (then
    /// `unidentified` says why, and the checks that need it are `error`).
    #[serde(default)]
    pub process: Option<DaemonProcess>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unidentified: Option<String>,
    /// How the process was tied to the endpoint (socket inode, configured sockets, `/info`).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The other dockerd processes found on the host (not audited).
    #[serde(default)]
    pub others: Vec<DaemonProcess>,
}

/// A dockerd process on the audited host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DaemonProcess {
    pub pid: u32,
    /// Its executable (`/proc/<pid>/exe`), when readable.
    #[serde(default)]
    pub executable: Option<String>,
    /// The user it runs as (name, else uid).
    #[serde(default)]
    pub user: Option<String>,
    pub rootless: bool,
    /// The configuration file it reads (`--config-file` or its default).
    #[serde(default)]
    pub config_file: Option<String>,
    #[serde(default)]
    pub data_root: Option<String>,
    /// Unix sockets it listens on.
    #[serde(default)]
    pub sockets: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DockerEngine {
    pub server_version: Option<String>,
    pub api_version: Option<String>,
    pub root_dir: Option<String>,
    pub storage_driver: Option<String>,
    pub logging_driver: Option<String>,
    pub cgroup_driver: Option<String>,
    pub cgroup_version: Option<String>,
    #[serde(default)]
    pub security_options: Vec<String>,
    pub rootless: Option<bool>,
    pub swarm_state: Option<String>,
}

/// The verdict of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Decided from facts: the host meets the recommendation.
    Pass,
    /// Decided from facts: the host does not meet it; findings name every offender.
    Fail,
    /// The host deviates from a conditional recommendation ("if possible", "confirm"); a person should confirm.
    Warn,
    /// Facts are reported, no verdict is implied.
    Info,
    /// A person must decide; the result carries the facts that help.
    Manual,
    /// The recommendation does not apply to this host (reason in `summary`).
    NotApplicable,
    /// A fact needed for the verdict could not be gathered (reason in `summary`). Never a pass.
    Error,
    /// Not selected for this run.
    Skipped,
}

impl Status {
    /// Whether the targets of a result with this status count as its offenders (the badge's
    /// number): a failure's or a warning's. An error's targets are listed as offending in
    /// "By target" but are not counted here, as [`CheckResult::offender_count`] always did.
    pub fn counts_offenders(self) -> bool {
        matches!(self, Status::Fail | Status::Warn)
    }

    /// Every status, in display order.
    pub const ALL: [Status; 8] = [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Info,
        Status::Manual,
        Status::NotApplicable,
        Status::Error,
        Status::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Info => "info",
            Status::Manual => "manual",
            Status::NotApplicable => "not_applicable",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Label for people ("not applicable" rather than "not_applicable").
    pub fn label(self) -> &'static str {
        match self {
            Status::NotApplicable => "not applicable",
            other => other.as_str(),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    /// Top-level section id ("1" … "7").
    pub section: String,
    pub level: u8,
    pub assessment: Assessment,
    pub evaluation: Evaluation,
    pub status: Status,
    /// One sentence: the verdict and why.
    pub summary: String,
    /// One per offending target (fail/warn), or the facts a reviewer needs (manual/info).
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// General remediation for the check (each finding carries its target-specific one).
    pub remediation: String,
    /// Time spent evaluating this check, in microseconds.
    #[serde(default)]
    pub duration_us: u64,
}

impl CheckResult {
    /// A result carrying the catalogue's metadata for `id`, or generic values for ids the catalogue lacks.
    pub fn for_id(id: &str, status: Status, summary: impl Into<String>) -> Self {
        match crate::catalog::get(id) {
            Some(meta) => CheckResult {
                id: meta.id.into(),
                title: meta.title.into(),
                section: meta.section.into(),
                level: meta.level,
                assessment: meta.assessment,
                evaluation: meta.evaluation,
                status,
                summary: summary.into(),
                findings: Vec::new(),
                remediation: meta.remediation.into(),
                duration_us: 0,
            },
            None => CheckResult {
                id: id.into(),
                title: String::new(),
                section: id.split('.').next().unwrap_or_default().into(),
                level: 1,
                assessment: Assessment::Manual,
                evaluation: Evaluation::Review,
                status,
                summary: summary.into(),
                findings: Vec::new(),
                remediation: String::new(),
                duration_us: 0,
            },
        }
    }

    /// Number of distinct offending targets (what the viewer badges show).
    pub fn offender_count(&self) -> usize {
        if self.status.counts_offenders() {
            self.distinct_targets().len()
        } else {
            0
        }
    }

    /// Each target its findings name, once (by kind and key), in finding order. A hash set, not
    /// a sort or a scan: a check can name ten thousand containers.
    pub fn distinct_targets(&self) -> Vec<&Target> {
        let mut seen: std::collections::HashSet<(TargetKind, &str)> =
            std::collections::HashSet::with_capacity(self.findings.len());
        self.findings
            .iter()
            .map(|f| &f.target)
            .filter(|t| seen.insert((t.kind, t.key())))
            .collect()
    }
}

/// Evidence about one target: what was found, what was expected, and how to fix it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub target: Target,
    pub message: String,
    #[serde(default)]
    pub observed: String,
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub remediation: String,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub kind: TargetKind,
    /// Stable identifier: container/image id, file path, setting name.
    pub id: String,
    /// Human name: container name, image tag, file path.
    pub name: String,
}

impl Target {
    pub fn new(kind: TargetKind, id: impl Into<String>, name: impl Into<String>) -> Self {
        Target {
            kind,
            id: id.into(),
            name: name.into(),
        }
    }

    /// The key that identifies a target across runs: the name for containers (ids change on
    /// re-creation), the id otherwise.
    pub fn key(&self) -> &str {
        match self.kind {
            TargetKind::Container if !self.name.is_empty() => &self.name,
            _ if self.id.is_empty() => &self.name,
            _ => &self.id,
        }
    }

    /// Name when present, else id.
    pub fn display(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Daemon,
    Host,
    File,
    Container,
    Image,
    Network,
    Swarm,
}

impl TargetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Daemon => "daemon",
            TargetKind::Host => "host",
            TargetKind::File => "file",
            TargetKind::Container => "container",
            TargetKind::Image => "image",
            TargetKind::Network => "network",
            TargetKind::Swarm => "swarm",
        }
    }
}

/// The labels of one container target, bounded by [`TargetLabels::MAX_LABELS`],
/// [`TargetLabels::MAX_KEY_BYTES`] and [`TargetLabels::MAX_VALUE_BYTES`]: labels are written by
/// whoever starts a container, so they are outside text of any size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetLabels {
    /// The container (kind `container`), as its findings name it.
    pub target: Target,
    /// Label key → value, credential-like values already replaced by `***`.
    pub labels: BTreeMap<String, String>,
    /// Labels left out because they exceeded the bounds (too many, or a key or value too long).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl TargetLabels {
    /// Labels kept per container.
    pub const MAX_LABELS: usize = 64;
    /// Longest label key kept, in bytes.
    pub const MAX_KEY_BYTES: usize = 128;
    /// Longest label value kept, in bytes.
    pub const MAX_VALUE_BYTES: usize = 512;

    /// The labels of `target` within the bounds: keys in order, the first [`Self::MAX_LABELS`]
    /// that fit kept, every other one counted in `omitted`. Never truncates a key or a value (a
    /// cut value would match patterns the real one does not).
    pub fn bounded<'a>(target: Target, labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        let mut kept = BTreeMap::new();
        let mut omitted: u32 = 0;
        for (k, v) in labels {
            let fits = !k.is_empty() && k.len() <= Self::MAX_KEY_BYTES && v.len() <= Self::MAX_VALUE_BYTES;
            if fits && kept.len() < Self::MAX_LABELS {
                kept.insert(k.clone(), v.clone());
            } else {
                omitted = omitted.saturating_add(1);
            }
        }
        TargetLabels {
            target,
            labels: kept,
            omitted,
        }
    }
}

/// A fact that could not be collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionError {
    /// What was being read, e.g. `GET /containers/{id}/top` or `/etc/docker/daemon.json`.
    pub source: String,
    pub reason: String,
    /// Checks whose verdict depends on this fact.
    #[serde(default)]
    pub affects: Vec<String>,
}

/// Provenance of a report computed from another artefact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DerivedFrom {
    /// e.g. "docker-bench-security log", "sign-off applied".
    pub kind: String,
    /// Digest of the source report, when it had one.
    #[serde(default)]
    pub digest: Option<String>,
    /// Free-form provenance details (source tool version, sign-off id, …).
    #[serde(default)]
    pub details: BTreeMap<String, String>,
}

impl Report {
    /// Finds a result by id.
    pub fn result(&self, id: &str) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// The labels of a container target, when the report carries them (matched on the target's
    /// key, see [`Target::key`]). For one look-up; build a [`crate::signoff::bulk::LabelIndex`]
    /// for many.
    pub fn labels_of(&self, target: &Target) -> Option<&BTreeMap<String, String>> {
        if target.kind != TargetKind::Container {
            return None;
        }
        self.target_labels
            .as_ref()?
            .iter()
            .find(|l| l.target.key() == target.key())
            .map(|l| &l.labels)
    }

    /// Recomputes the summary from the results (call after changing results).
    pub fn refresh_summary(&mut self) {
        self.summary = Summary::compute(&self.results);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded_without_cutting_any() {
        let long_key = "k".repeat(TargetLabels::MAX_KEY_BYTES + 1);
        let long_value = "v".repeat(TargetLabels::MAX_VALUE_BYTES + 1);
        let mut labels: BTreeMap<String, String> = (0..100).map(|i| (format!("l{i:03}"), "x".to_string())).collect();
        labels.insert(long_key.clone(), "x".into());
        labels.insert("a.long".into(), long_value);
        labels.insert(String::new(), "empty key".into());
        let t = TargetLabels::bounded(Target::new(TargetKind::Container, "id-web", "web"), &labels);
        assert_eq!(t.labels.len(), TargetLabels::MAX_LABELS);
        assert_eq!(t.omitted, 103 - 64);
        assert!(!t.labels.contains_key(&long_key));
        assert!(!t.labels.contains_key("a.long"));
        assert!(t.labels.values().all(|v| v == "x"));

        let few = TargetLabels::bounded(
            Target::new(TargetKind::Container, "i", "n"),
            &BTreeMap::from([("a".to_string(), "b".to_string())]),
        );
        let text = serde_json::to_string(&few).unwrap();
        assert!(!text.contains("omitted"), "{text}");
        assert_eq!(serde_json::from_str::<TargetLabels>(&text).unwrap(), few);
    }

    #[test]
    fn labels_are_found_by_the_targets_key() {
        let mut r = crate::test_support::report_with(vec![]);
        assert_eq!(r.labels_of(&Target::new(TargetKind::Container, "id-web", "web")), None);
        let labels = BTreeMap::from([("team".to_string(), "pay".to_string())]);
        r.target_labels = Some(vec![TargetLabels::bounded(
            Target::new(TargetKind::Container, "id-web", "web"),
            &labels,
        )]);
        assert_eq!(
            r.labels_of(&Target::new(TargetKind::Container, "other-id", "web")),
            Some(&labels)
        );
        assert_eq!(r.labels_of(&Target::new(TargetKind::Container, "id-web", "")), None);
        assert_eq!(r.labels_of(&Target::new(TargetKind::Image, "", "web")), None);
        assert_eq!(r.labels_of(&Target::new(TargetKind::Container, "id-db", "db")), None);
    }

    #[test]
    fn audited_daemon_is_optional_and_round_trips() {
        let host: Host = serde_json::from_value(serde_json::json!({
            "hostname": "h", "os": null, "kernel": null, "architecture": null,
            "docker": {"server_version": null, "api_version": null, "root_dir": null, "storage_driver": null,
                       "logging_driver": null, "cgroup_driver": null, "cgroup_version": null, "rootless": null,
                       "swarm_state": null}
        }))
        .expect("a host written before the daemon field loads");
        assert_eq!(host.daemon, None);
        assert!(!serde_json::to_string(&host).unwrap().contains("\"daemon\""));

        let with = Host {
            daemon: Some(AuditedDaemon {
                endpoint: "unix:///run/user/1000/docker.sock".into(),
                socket: Some("/run/user/1000/docker.sock".into()),
                process: Some(DaemonProcess {
                    pid: 42,
                    rootless: true,
                    user: Some("alice".into()),
                    ..DaemonProcess::default()
                }),
                others: vec![DaemonProcess {
                    pid: 7,
                    ..DaemonProcess::default()
                }],
                ..AuditedDaemon::default()
            }),
            ..host
        };
        let text = serde_json::to_string(&with).unwrap();
        assert_eq!(serde_json::from_str::<Host>(&text).unwrap(), with);
    }
}
