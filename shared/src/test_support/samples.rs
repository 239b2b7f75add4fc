//! Hand-written reports the browser and CLI tests share: two runs of one host with known
//! changes, a hostile report, and a docker-bench-security log.

use serde_json::json;

use crate::catalog::{self, Evaluation};
use crate::report::{
    Benchmark, CheckResult, DockerEngine, Finding, Host, Report, Run, Status, Target, TargetKind, Tool, SCHEMA_VERSION,
};
use crate::summary::Summary;

/// A finding about a container: what was seen and what was expected of it.
pub fn container(name: &str, message: &str, observed: &str, expected: &str) -> Finding {
    Finding {
        target: Target::new(TargetKind::Container, format!("{:0>12x}", name.len() * 0x1f3d), name),
        message: message.into(),
        observed: observed.into(),
        expected: expected.into(),
        remediation: format!("Recreate {name} with the fix."),
    }
}

/// A result for `id` with findings.
pub fn result(id: &str, status: Status, summary: &str, findings: Vec<Finding>) -> CheckResult {
    let mut r = CheckResult::for_id(id, status, summary);
    r.findings = findings;
    r
}

/// A complete report: every catalogue check, automatic ones passing and review ones manual,
/// with `overrides` replacing results by id.
pub fn report(host: &str, started_at: &str, run_id: &str, overrides: Vec<CheckResult>) -> Report {
    let results: Vec<CheckResult> = catalog::all()
        .map(|m| {
            overrides
                .iter()
                .find(|o| o.id == m.id)
                .cloned()
                .unwrap_or_else(|| match m.evaluation {
                    Evaluation::Automatic => CheckResult::for_id(m.id, Status::Pass, "Meets the recommendation."),
                    Evaluation::Review => CheckResult::for_id(m.id, Status::Manual, "A person must review this."),
                })
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "dockaudit".into(),
            version: "0.1.0".into(),
        },
        benchmark: Benchmark::default(),
        run: Run {
            id: run_id.into(),
            started_at: started_at.into(),
            finished_at: started_at.into(),
            duration_ms: 1200,
            command_line: vec!["dockaudit".into(), "scan".into()],
            ..Run::default()
        },
        host: Host {
            hostname: Some(host.into()),
            os: Some("Debian GNU/Linux 12 (bookworm)".into()),
            kernel: Some("6.1.0".into()),
            architecture: Some("x86_64".into()),
            docker: DockerEngine {
                server_version: Some("20.10.24".into()),
                api_version: Some("1.41".into()),
                ..DockerEngine::default()
            },
            daemon: None,
        },
        summary: Summary::compute(&results),
        results,
        errors: vec![],
        hardening: None,
        target_labels: None,
        derived_from: None,
        signoff: None,
        ssh_signature: None,
        digest: None,
    }
}

/// Monday's run: 5.5 passes, 2.2 fails, 5.11 fails on web and db, 5.13 fails on web.
pub fn monday() -> Report {
    report(
        "node-1",
        "2026-01-05T10:00:00Z",
        "run-monday",
        vec![
            result(
                "2.2",
                Status::Fail,
                "Inter-container communication is enabled.",
                vec![Finding {
                    target: Target::new(TargetKind::Daemon, "daemon", "Docker daemon"),
                    message: "icc is true".into(),
                    observed: "icc=true".into(),
                    expected: "icc=false".into(),
                    remediation: "Set \"icc\": false in daemon.json.".into(),
                }],
            ),
            result(
                "5.11",
                Status::Fail,
                "2 containers have no memory limit.",
                vec![
                    container(
                        "web",
                        "web has no memory limit",
                        "HostConfig.Memory=0",
                        "HostConfig.Memory>0",
                    ),
                    container(
                        "db",
                        "db has no memory limit",
                        "HostConfig.Memory=0",
                        "HostConfig.Memory>0",
                    ),
                ],
            ),
            result(
                "5.13",
                Status::Fail,
                "1 container has a writable root filesystem.",
                vec![container(
                    "web",
                    "web's root filesystem is writable",
                    "HostConfig.ReadonlyRootfs=false",
                    "HostConfig.ReadonlyRootfs=true",
                )],
            ),
        ],
    )
}

/// Tuesday's run: 5.5 regressed (api is privileged), 2.2 fixed, 5.11 now fails on db and
/// cache (web resolved), 5.13 unchanged.
pub fn tuesday() -> Report {
    report(
        "node-1",
        "2026-01-06T10:00:00Z",
        "run-tuesday",
        vec![
            result(
                "5.5",
                Status::Fail,
                "1 container runs privileged.",
                vec![container(
                    "api",
                    "api runs privileged",
                    "HostConfig.Privileged=true",
                    "HostConfig.Privileged=false",
                )],
            ),
            result(
                "5.11",
                Status::Fail,
                "2 containers have no memory limit.",
                vec![
                    container(
                        "db",
                        "db has no memory limit",
                        "HostConfig.Memory=0",
                        "HostConfig.Memory>0",
                    ),
                    container(
                        "cache",
                        "cache has no memory limit",
                        "HostConfig.Memory=0",
                        "HostConfig.Memory>0",
                    ),
                ],
            ),
            result(
                "5.13",
                Status::Fail,
                "1 container has a writable root filesystem.",
                vec![container(
                    "web",
                    "web's root filesystem is writable",
                    "HostConfig.ReadonlyRootfs=false",
                    "HostConfig.ReadonlyRootfs=true",
                )],
            ),
        ],
    )
}

/// Strings that would run script if any of them were inserted as HTML or used as a URL.
pub const HOSTILE: [&str; 4] = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"><script>window.__pwned=2</script>",
    "javascript:window.__pwned=3",
    "<svg onload=\"window.__pwned=4\"></svg>",
];

/// A report whose host, run, containers, messages, titles and remediation carry [`HOSTILE`].
pub fn hostile() -> Report {
    let findings: Vec<Finding> = HOSTILE
        .iter()
        .map(|h| Finding {
            target: Target::new(TargetKind::Container, *h, *h),
            message: format!("label com.example.link={h}"),
            observed: (*h).to_string(),
            expected: (*h).to_string(),
            remediation: (*h).to_string(),
        })
        .collect();
    let mut check = result("5.5", Status::Fail, HOSTILE[1], findings);
    check.title = HOSTILE[0].to_string();
    check.remediation = HOSTILE[2].to_string();
    let mut r = report(HOSTILE[0], "2026-01-07T10:00:00Z", HOSTILE[1], vec![check]);
    r.host.docker.server_version = Some(HOSTILE[3].to_string());
    r.tool.version = HOSTILE[2].to_string();
    // A hand-made file may repeat an id; the viewer must still render.
    let mut repeated = r
        .results
        .iter()
        .find(|c| c.id == "5.5")
        .cloned()
        .unwrap_or_else(|| result("5.5", Status::Fail, "", vec![]));
    repeated.summary = format!("repeated: {}", HOSTILE[3]);
    r.results.push(repeated);
    r.refresh_summary();
    r
}

/// Seals a report (sets its digest) and returns the JSON text.
pub fn sealed(report: &Report) -> String {
    crate::digest::seal(report).map(|(text, _)| text).unwrap_or_default()
}

/// A small docker-bench-security JSON log: 2.2 warns, 5.5 warns on two containers.
pub fn docker_bench_log() -> String {
    json!({
        "dockerbenchsecurity": "1.6.0",
        "start": 1767607200,
        "tests": [
            {"id": "2", "desc": "Docker daemon configuration", "results": [
                {"id": "2.2", "desc": "Ensure network traffic is restricted between containers on the default bridge (Automated)",
                 "result": "WARN", "remediation": "Set icc to false."}
            ]},
            {"id": "5", "desc": "Container Runtime", "results": [
                {"id": "5.5", "desc": "Ensure that privileged containers are not used (Automated)",
                 "result": "WARN", "details": "Containers running in privileged mode: legacy-app batch",
                 "items": ["legacy-app", "batch"]},
                {"id": "5.10", "desc": "Ensure that the host's network namespace is not shared (Automated)", "result": "PASS"}
            ]}
        ],
        "checks": 3,
        "score": -1,
        "end": 1767607260
    })
    .to_string()
}
