//! Saved facts snapshots evaluate to the same verdicts: any change in a check's logic shows up here
//! as a reviewed change of `tests/fixtures/facts/*.expected.json`.
//! Regenerate with `DOCKAUDIT_BLESS=1 cargo test -p dockaudit-tests --test golden`.

use dockaudit_shared::report::Report;
use dockaudit_tests::{dockaudit, fixture};
use serde_json::{json, Value};

/// The verdict part of a report: status and offenders per check (no timings, ids or run data).
fn verdicts(report: &Report) -> Value {
    Value::Array(
        report
            .results
            .iter()
            .map(|r| {
                let mut targets: Vec<String> = r
                    .findings
                    .iter()
                    .map(|f| format!("{}:{}", f.target.kind.as_str(), f.target.display()))
                    .collect();
                targets.sort();
                targets.dedup();
                json!({ "id": r.id, "status": r.status, "targets": targets })
            })
            .collect(),
    )
}

#[test]
fn snapshots_evaluate_to_the_blessed_verdicts() {
    let dir = fixture("facts");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/facts exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        seen += 1;
        let out = dockaudit(&["scan", "--facts-in", &path.to_string_lossy(), "--format", "json"]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Report = serde_json::from_slice(&out.stdout).expect("a report");
        assert_eq!(report.results.len(), 117);
        let got = verdicts(&report);
        let expected_path = dir.join(name.replace(".json", ".expected.json"));
        if std::env::var_os("DOCKAUDIT_BLESS").is_some() {
            std::fs::write(&expected_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap_or_default())
            .unwrap_or_else(|_| panic!("{} missing: bless it", expected_path.display()));
        for (g, e) in got.as_array().unwrap().iter().zip(expected.as_array().unwrap()) {
            assert_eq!(g, e, "{name}: verdict changed");
        }
        assert_eq!(got, expected);
    }
    assert!(seen >= 1, "no facts snapshots in {}", dir.display());
}
