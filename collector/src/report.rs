//! Turns a facts snapshot and check results into a `dockaudit_shared::Report`.

use dockaudit_shared::report::{
    AuditedDaemon, Benchmark, CheckResult, CollectionError, DaemonProcess, DockerEngine, ExcludedTarget, Host, Report,
    Run, Selection, Status, Target, TargetKind, TargetLabels, Tool, SCHEMA_VERSION,
};
use dockaudit_shared::summary::Summary;

use crate::snapshot::secrets::{redact, redact_named};
use crate::snapshot::{Fact, Facts, Unavailable};

/// Run metadata decided by the command, not by the facts.
pub struct RunInfo {
    pub id: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    pub command_line: Vec<String>,
}

/// Assembles the report. Unavailable facts become `errors`, linked to the checks that errored.
pub fn build(facts: &Facts, results: Vec<CheckResult>, mut selection: Selection, run: RunInfo) -> Report {
    if let Some(me) = &facts.collection.self_container {
        selection.excluded.push(ExcludedTarget {
            target: Target::new(TargetKind::Container, me.id.clone(), me.name.clone()),
            reason: format!("dockaudit's own container ({})", me.evidence),
        });
    }
    let errors = collection_errors(facts, &results);
    let summary = Summary::compute(&results);
    let hardening = crate::interpret::least_privilege::for_report(facts, &selection);
    let target_labels = target_labels(facts, &selection);
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "dockaudit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        benchmark: Benchmark::default(),
        run: Run {
            id: run.id,
            started_at: run.started_at,
            finished_at: run.finished_at,
            duration_ms: run.duration_ms,
            command_line: run.command_line,
            selection,
        },
        host: host(facts),
        results,
        summary,
        errors,
        hardening,
        target_labels,
        derived_from: None,
        signoff: None,
        ssh_signature: None,
        digest: None,
    }
}

/// The labels of every container in scope that has any, bounded ([`TargetLabels::bounded`]) and
/// redacted once more: the snapshot's labels already went through the redactor, and a label
/// value that looks like a credential must never reach a report even from a hand-made snapshot.
/// `None` when the container list could not be read (or the selection does not compile).
fn target_labels(facts: &Facts, selection: &Selection) -> Option<Vec<TargetLabels>> {
    let filter = crate::interpret::scope::ContainerFilter::new(selection).ok()?;
    let excluded: Vec<&str> = selection.excluded.iter().map(|e| e.target.id.as_str()).collect();
    let containers = facts.containers.ok()?;
    Some(
        containers
            .iter()
            .filter(|c| !c.labels.is_empty() && filter.keeps(c) && !excluded.contains(&c.id.as_str()))
            .map(|c| {
                let redacted: std::collections::BTreeMap<String, String> =
                    c.labels.iter().map(|(k, v)| (redact(k), redact_named(k, v))).collect();
                TargetLabels::bounded(
                    Target::new(TargetKind::Container, c.id.clone(), c.name.clone()),
                    &redacted,
                )
            })
            .collect(),
    )
}

fn host(facts: &Facts) -> Host {
    let info = facts.info.ok();
    let version = facts.version.ok();
    let host_facts = facts.host.as_ref();
    Host {
        hostname: info
            .and_then(|i| i.name.clone())
            .or_else(|| host_facts.and_then(|h| h.hostname.clone())),
        os: info
            .and_then(|i| i.operating_system.clone())
            .or_else(|| host_facts.and_then(|h| h.os_pretty_name.clone())),
        kernel: info
            .and_then(|i| i.kernel_version.clone())
            .or_else(|| version.and_then(|v| v.kernel_version.clone())),
        architecture: info
            .and_then(|i| i.architecture.clone())
            .or_else(|| version.and_then(|v| v.arch.clone())),
        docker: DockerEngine {
            server_version: version.and_then(|v| v.version.clone()),
            api_version: version.and_then(|v| v.negotiated_api_version.clone().or_else(|| v.api_version.clone())),
            root_dir: info.and_then(|i| i.docker_root_dir.clone()),
            storage_driver: info.and_then(|i| i.driver.clone()),
            logging_driver: info.and_then(|i| i.logging_driver.clone()),
            cgroup_driver: info.and_then(|i| i.cgroup_driver.clone()),
            cgroup_version: info.and_then(|i| i.cgroup_version.clone()),
            security_options: info.map(|i| i.security_options.clone()).unwrap_or_default(),
            rootless: info.map(|i| i.has_security_option("rootless")),
            swarm_state: info.and_then(|i| i.swarm.local_node_state.clone()),
        },
        daemon: audited_daemon(facts),
    }
}

/// Which daemon the host facts describe, and the other daemons found (snapshots from facts
/// version 2 on, with host files read).
fn audited_daemon(facts: &Facts) -> Option<AuditedDaemon> {
    let host = facts.host.as_ref()?;
    let binding = host.binding.as_ref()?;
    let (audited, unidentified) = match &host.dockerd {
        Fact::Ok(Some(p)) => (Some(process(p)), None),
        Fact::Ok(None) => (None, Some("no dockerd process is visible from dockaudit".to_string())),
        Fact::Unavailable(u) => (
            None,
            Some(binding.unidentified.clone().unwrap_or_else(|| u.reason.clone())),
        ),
    };
    Some(AuditedDaemon {
        endpoint: facts.collection.endpoint.clone(),
        socket: binding.socket.clone(),
        process: audited,
        unidentified,
        evidence: binding.evidence.clone(),
        others: binding.others.iter().map(process).collect(),
    })
}

fn process(p: &crate::snapshot::DaemonProcess) -> DaemonProcess {
    DaemonProcess {
        pid: p.pid,
        executable: p.exe.clone(),
        user: p.user.clone().or_else(|| p.uid.map(|u| format!("uid {u}"))),
        rootless: p.rootless,
        config_file: p.config_file.clone(),
        data_root: p.data_root.clone(),
        sockets: p.sockets.clone(),
    }
}

/// Every unavailable fact in the snapshot, with the ids of the checks that ended in `error`
/// because of it (matched on the source the check's summary names).
fn collection_errors(facts: &Facts, results: &[CheckResult]) -> Vec<CollectionError> {
    let mut missing: Vec<Unavailable> = Vec::new();
    let mut push = |u: &Unavailable| {
        if !missing.contains(u) {
            missing.push(u.clone());
        }
    };
    fn check<T>(f: &Fact<T>, push: &mut impl FnMut(&Unavailable)) {
        if let Fact::Unavailable(u) = f {
            push(u);
        }
    }
    check(&facts.version, &mut push);
    check(&facts.info, &mut push);
    check(&facts.containers, &mut push);
    check(&facts.images, &mut push);
    check(&facts.networks, &mut push);
    check(&facts.swarm, &mut push);
    if let Some(c) = facts.containers.ok() {
        for c in c {
            if let Some(p) = &c.processes {
                check(p, &mut push);
            }
        }
    }
    if let Some(images) = facts.images.ok() {
        for i in images {
            check(&i.history, &mut push);
        }
    }
    if let Some(Some(s)) = facts.swarm.ok() {
        check(&s.nodes, &mut push);
        check(&s.autolock_managers, &mut push);
        check(&s.services, &mut push);
        check(&s.secrets, &mut push);
    }
    if let Some(h) = &facts.host {
        check(&h.dockerd, &mut push);
        check(&h.daemon_json, &mut push);
        check(&h.mounts, &mut push);
        check(&h.audit_rules, &mut push);
        check(&h.docker_group, &mut push);
        check(&h.systemd, &mut push);
        check(&h.containerd_grpc_address, &mut push);
        check(&h.listening, &mut push);
        check(&h.registry_certs, &mut push);
        for f in h.files.values() {
            check(f, &mut push);
        }
    }
    let mut errors: Vec<CollectionError> = missing
        .into_iter()
        .map(|u| {
            let affects = results
                .iter()
                .filter(|r| r.status == Status::Error && r.summary.contains(&u.source))
                .map(|r| r.id.clone())
                .collect();
            CollectionError {
                source: u.source,
                reason: u.reason,
                affects,
            }
        })
        .collect();
    if let Some(reason) = &facts.collection.host_skipped_reason {
        errors.push(CollectionError {
            source: "host files".into(),
            reason: reason.clone(),
            affects: results
                .iter()
                .filter(|r| r.status == Status::NotApplicable && r.summary.starts_with("Host files were not read"))
                .map(|r| r.id.clone())
                .collect(),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::{container, host_with};

    fn run() -> RunInfo {
        RunInfo {
            id: "r".into(),
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:00:01Z".into(),
            duration_ms: 1,
            command_line: vec![],
        }
    }

    fn labelled(name: &str, labels: &[(&str, &str)]) -> crate::snapshot::Container {
        let mut c = container(name);
        c.labels = labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        c
    }

    #[test]
    fn containers_in_scope_carry_their_labels_bounded_and_without_secrets() {
        let token = format!("ghp_{}", "a1B2".repeat(9));
        let mut many = labelled("many", &[]);
        many.labels = (0..200)
            .map(|i| (format!("k{i:03}"), "v".to_string()))
            .collect::<BTreeMap<_, _>>();
        let facts = host_with(vec![
            labelled(
                "pay-api",
                &[
                    ("team", "payments"),
                    ("db.password", "hunter2"),
                    ("deploy.note", &format!("pulled with {token}")),
                    ("probe", "curl -u admin:s3cret http://x"),
                ],
            ),
            labelled("bare", &[]),
            labelled("out-of-scope", &[("team", "payments")]),
            many,
        ]);
        let selection = Selection {
            exclude_containers: vec!["^out-".into()],
            ..Selection::default()
        };
        let report = build(&facts, vec![], selection, run());
        let labels = report.target_labels.as_ref().expect("labels of the container list");
        let names: Vec<&str> = labels.iter().map(|l| l.target.name.as_str()).collect();
        assert_eq!(
            names,
            ["pay-api", "many"],
            "unlabelled and out-of-scope containers are left out"
        );
        let api = &labels[0];
        assert_eq!(api.target.kind, TargetKind::Container);
        assert_eq!(api.target.id, "pay-api-0123456789abcdef");
        assert_eq!(api.labels["team"], "payments");
        assert_eq!(api.labels["db.password"], "***");
        assert!(
            !api.labels["deploy.note"].contains(&token[4..]),
            "{}",
            api.labels["deploy.note"]
        );
        assert_eq!(api.labels["probe"], "curl -u admin:*** http://x");
        let text = serde_json::to_string(&report).unwrap();
        for secret in ["hunter2", "s3cret", &token[4..]] {
            assert!(!text.contains(secret), "{secret} reached the report");
        }
        assert_eq!(labels[1].labels.len(), TargetLabels::MAX_LABELS);
        assert_eq!(labels[1].omitted, 200 - 64);
    }

    #[test]
    fn no_container_list_means_no_labels() {
        let mut facts = host_with(vec![]);
        assert_eq!(
            build(&facts, vec![], Selection::default(), run()).target_labels,
            Some(vec![])
        );
        facts.containers = Fact::Unavailable(Unavailable {
            source: "GET /containers/json".into(),
            reason: "refused".into(),
        });
        assert_eq!(build(&facts, vec![], Selection::default(), run()).target_labels, None);
    }
}
