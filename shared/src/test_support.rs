//! Reports built in code for tests and benchmarks: the one place fixtures are made, used by this
//! crate's unit tests, the end-to-end tests and `cargo xtask bench`.
//!
//! Compiled for this crate's own tests and, for other crates, behind the `fixtures` feature, so
//! the collector and viewer never ship it.
//!
//! * [`report_with`] and [`container_finding`]: the smallest valid report, for unit tests;
//! * [`samples`] (re-exported here): complete reports of one host on two days, a hostile report
//!   and a docker-bench-security log, for the browser and CLI tests;
//! * [`large`]: deterministic reports of large hosts, for the viewer benchmark;
//! * [`fleet`]: deterministic published fleets (index, histories, reports), for the fleet view.

use crate::report::*;
use crate::summary::Summary;

pub mod fleet;
pub mod large;
pub mod samples;

pub use samples::*;

/// A minimal valid report holding the given results.
pub fn report_with(results: Vec<(&str, Status, Vec<Finding>)>) -> Report {
    let results: Vec<CheckResult> = results
        .into_iter()
        .map(|(id, status, findings)| {
            let mut r = CheckResult::for_id(id, status, format!("{id} is {status}"));
            r.findings = findings;
            r
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "dockaudit".into(),
            version: "test".into(),
        },
        benchmark: Benchmark::default(),
        run: Run {
            id: "run-1".into(),
            started_at: "2026-01-01T00:00:00Z".into(),
            ..Run::default()
        },
        host: Host {
            hostname: Some("host-a".into()),
            ..Host::default()
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

/// A finding naming a container `name` (id `id-<name>`).
pub fn container_finding(name: &str) -> Finding {
    Finding {
        target: Target::new(TargetKind::Container, format!("id-{name}"), name),
        message: "m".into(),
        observed: String::new(),
        expected: String::new(),
        remediation: String::new(),
    }
}
