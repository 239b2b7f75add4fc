//! Reports the reviewer's browser tests share (`viewer_review`, `viewer_signflow`,
//! `viewer_signoff`), built in code from `dockaudit_shared::test_support`.

use std::collections::BTreeMap;

use dockaudit_shared::catalog::{self, Evaluation};
use dockaudit_shared::digest;
use dockaudit_shared::report::{Report, Status, Target, TargetKind, TargetLabels};
use dockaudit_shared::test_support as fixtures;
use serde_json::Value;

/// The digest a file states for itself, recomputed from its JSON.
pub fn digest_of(text: &str) -> String {
    let value: Value = serde_json::from_str(text).expect("json");
    digest::compute(&value)
}

/// The first check a person must review (manual in the fixtures).
pub fn manual_id() -> &'static str {
    catalog::all()
        .find(|m| m.evaluation == Evaluation::Review)
        .map(|m| m.id)
        .expect("a review check")
}

/// A complete report of `node-7` where only 5.11 (containers web and db) fails and one manual
/// check ([`manual_id`]) is left to review: two open items to decide before signing.
pub fn signable() -> Report {
    let manual = manual_id();
    let mut overrides: Vec<_> = catalog::all()
        .filter(|m| m.evaluation == Evaluation::Review && m.id != manual)
        .map(|m| fixtures::result(m.id, Status::Pass, "Reviewed: fine.", vec![]))
        .collect();
    overrides.push(fixtures::result(
        "5.11",
        Status::Fail,
        "2 containers have no memory limit.",
        ["web", "db"]
            .map(|n| {
                fixtures::container(
                    n,
                    &format!("{n} has no memory limit"),
                    "HostConfig.Memory=0",
                    "HostConfig.Memory>0",
                )
            })
            .to_vec(),
    ));
    fixtures::report("node-7", "2026-01-09T08:00:00Z", "run-signable", overrides)
}

/// A report of `node-3` (schema 3) whose 5.11 fails for containers of three teams, every one of
/// them labelled: `team` (payments, shop, tools), `tier`, and on some a credential-free note.
/// Returns the report and the names of the containers labelled `team=payments`.
pub fn labelled_fleet() -> (Report, Vec<String>) {
    let teams = ["payments", "shop", "tools"];
    let names: Vec<(String, &str)> = (0..30)
        .map(|i| {
            let team = teams[i % teams.len()];
            (format!("{}-{i:02}", &team[..3]), team)
        })
        .collect();
    let findings = names
        .iter()
        .enumerate()
        .map(|(i, (n, _))| {
            let mut f = fixtures::container(
                n,
                &format!("{n} has no memory limit"),
                "HostConfig.Memory=0",
                "HostConfig.Memory>0",
            );
            f.target.id = format!("{:064x}", 0xc0ffee + i);
            f
        })
        .collect();
    let mut report = fixtures::report(
        "node-3",
        "2026-01-12T08:00:00Z",
        "run-labelled",
        vec![fixtures::result(
            "5.11",
            Status::Fail,
            "30 containers have no memory limit.",
            findings,
        )],
    );
    let target_of = |name: &str| -> Target {
        report
            .result("5.11")
            .and_then(|r| r.findings.iter().find(|f| f.target.name == name))
            .map(|f| f.target.clone())
            .unwrap_or_else(|| Target::new(TargetKind::Container, format!("id-{name}"), name))
    };
    let labels: Vec<TargetLabels> = names
        .iter()
        .enumerate()
        .map(|(i, (n, team))| {
            let map = BTreeMap::from([
                ("team".to_string(), team.to_string()),
                ("tier".to_string(), if i % 2 == 0 { "api" } else { "db" }.to_string()),
                ("com.docker.compose.project".to_string(), format!("{team}-stack")),
            ]);
            TargetLabels::bounded(target_of(n), &map)
        })
        .collect();
    report.target_labels = Some(labels);
    let payments = names
        .iter()
        .filter(|(_, t)| *t == "payments")
        .map(|(n, _)| n.clone())
        .collect();
    (report, payments)
}
