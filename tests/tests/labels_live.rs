//! Container labels in the report (schema 3), from a real dockerd: every labelled container in
//! scope carries its labels, bounded, with credentials redacted; a bulk decision by label picks
//! exactly the offenders carrying it.
//!
//! `DOCKAUDIT_BLESS=1` also writes the scanned report to `tests/fixtures/reports/v3.json`, the
//! schema 3 fixture every later version must keep loading.

use std::collections::BTreeMap;

use dockaudit_shared::load::load;
use dockaudit_shared::report::{Report, TargetLabels};
use dockaudit_shared::signoff::bulk::{expand, LabelIndex, LabelPattern, Selector};
use dockaudit_shared::signoff::{Decision, DecisionKind};
use dockaudit_tests::docker::{Containers, TestImage};
use dockaudit_tests::{dockaudit, fixture, TempDir};

fn label_args(pairs: &[(&str, String)]) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|(k, v)| ["--label".to_string(), format!("{k}={v}")])
        .collect()
}

#[test]
fn labelled_containers_reach_the_report_bounded_and_redacted_and_decide_by_label() {
    let image = TestImage::import("dockaudit-test/busybox:labels");
    let mut c = Containers::default();
    let long = "x".repeat(TargetLabels::MAX_VALUE_BYTES + 1);
    let many: Vec<(String, String)> = (0..70).map(|i| (format!("bulk.k{i:02}"), "v".to_string())).collect();
    let specs: [(&str, Vec<(&str, String)>); 4] = [
        (
            "da-labels-pay-api",
            vec![
                ("team", "payments".into()),
                ("tier", "api".into()),
                ("db.password", "LabelsPw41".into()),
                ("note", "pull with -u ci:LabelsUserPw42".into()),
                ("huge", long.clone()),
            ],
        ),
        (
            "da-labels-pay-db",
            vec![("team", "payments".into()), ("tier", "db".into())],
        ),
        ("da-labels-shop", vec![("team", "shop".into()), ("tier", "api".into())]),
        ("da-labels-bare", vec![]),
    ];
    for (name, labels) in &specs {
        let args = label_args(labels);
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--network", "none"]);
        c.create(name, &args, &image.tag, &["sleep", "600"]);
    }
    let crowded = label_args(&many.iter().map(|(k, v)| (k.as_str(), v.clone())).collect::<Vec<_>>());
    let mut args: Vec<&str> = crowded.iter().map(String::as_str).collect();
    args.extend(["--network", "none"]);
    c.create("da-labels-crowded", &args, &image.tag, &["sleep", "600"]);

    let dir = TempDir::new("labels-live");
    let out = dir.join("report.json");
    let o = dockaudit(&[
        "scan",
        "--include-container",
        "^da-labels-",
        "--format",
        "json",
        "-o",
        &out.to_string_lossy(),
        "--fail-on",
        "never",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).expect("report written");
    for secret in ["LabelsPw41", "LabelsUserPw42"] {
        assert!(!text.contains(secret), "{secret} reached the report");
    }
    let loaded = load(&text).expect("the report loads");
    assert!(loaded.digest.is_valid());
    let report: Report = loaded.report;
    assert_eq!(report.schema_version, 3);
    let labels: BTreeMap<&str, &TargetLabels> = report
        .target_labels
        .as_ref()
        .expect("target_labels")
        .iter()
        .map(|l| (l.target.name.as_str(), l))
        .collect();
    // Every labelled container in scope, none other (the test rig's own label counts as one).
    let names: Vec<&str> = labels.keys().copied().collect();
    assert!(names.iter().all(|n| n.starts_with("da-labels-")), "{names:?}");
    assert_eq!(names.len(), 5, "{names:?}");
    let api = labels["da-labels-pay-api"];
    assert_eq!(api.labels["team"], "payments");
    assert_eq!(api.labels["db.password"], "***");
    assert_eq!(api.labels["note"], "pull with -u ci:***");
    assert!(!api.labels.contains_key("huge"), "an over-long value is left out whole");
    assert_eq!(api.omitted, 1);
    let crowded = labels["da-labels-crowded"];
    assert_eq!(crowded.labels.len(), TargetLabels::MAX_LABELS);
    assert_eq!(crowded.omitted, 71 - 64);

    // 5.11 (no memory limit) fails for every one of them; by label, exactly the payments ones.
    let r511 = report.result("5.11").expect("5.11");
    let index = LabelIndex::of(&report);
    let selector: Selector = LabelPattern::parse("team=payments").unwrap().into();
    let template = Decision::new("5.11", None, DecisionKind::RiskAccepted, "payments VM caps memory");
    let mut picked: Vec<String> = expand(r511, &selector, &index, &template)
        .expect("offenders picked")
        .into_iter()
        .map(|d| d.target.expect("per target").key)
        .collect();
    picked.sort();
    assert_eq!(picked, ["da-labels-pay-api", "da-labels-pay-db"]);
    let glob: Selector = LabelPattern::parse("tier=a*").unwrap().into();
    assert_eq!(expand(r511, &glob, &index, &template).unwrap().len(), 2);

    if std::env::var_os("DOCKAUDIT_BLESS").is_some() {
        std::fs::write(fixture("reports/v3.json"), &text).expect("write the v3 fixture");
    }
}
