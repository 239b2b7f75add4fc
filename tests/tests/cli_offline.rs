//! The CLI without a daemon: catalogue listing, explain, import, diff, fixtures and schema.

use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::load::{load, SourceFormat};
use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::{dockaudit, fixture, workspace_root, TempDir};

fn stdout(args: &[&str]) -> String {
    let out = dockaudit(args);
    assert!(
        out.status.success(),
        "dockaudit {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(workspace_root().join("shared/schemas/report.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the checked-in schema compiles")
}

fn assert_valid(value: &serde_json::Value) {
    let v = validator();
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "report does not match the schema: {errors:#?}");
}

#[test]
fn checks_lists_117_ids_in_benchmark_order() {
    let text = stdout(&["checks"]);
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids.len(), 117);
    let expected: Vec<&str> = dockaudit_shared::catalog::all().map(|c| c.id).collect();
    assert_eq!(ids, expected);
    let json: serde_json::Value = serde_json::from_str(&stdout(&["checks", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(117));
}

#[test]
fn explain_prints_every_field() {
    let text = stdout(&["explain", "5.4"]);
    for heading in [
        "5.4 Ensure",
        "Level 1",
        "Rationale:",
        "Audit:",
        "Remediation:",
        "Impact:",
    ] {
        assert!(text.contains(heading), "missing {heading:?} in\n{text}");
    }
    let out = dockaudit(&["explain", "5.40"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5.4") && err.contains("closest"), "{err}");
}

#[test]
fn import_keeps_every_result_and_validates_against_the_schema() {
    let log_path = fixture("dbs/docker-bench-log.json");
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&log_path).unwrap()).unwrap();
    let mut expected = std::collections::BTreeMap::<&str, u32>::new();
    let mut entries = 0;
    for test in log["tests"].as_array().unwrap() {
        for r in test["results"].as_array().unwrap() {
            entries += 1;
            let word = r["result"].as_str().unwrap_or("").trim().to_ascii_uppercase();
            let status = match word.trim_matches(|c| c == '[' || c == ']') {
                "PASS" => "pass",
                "WARN" => "fail",
                "INFO" => "info",
                "NOTE" => "manual",
                _ => "error",
            };
            *expected.entry(status).or_default() += 1;
        }
    }
    let dir = TempDir::new("import");
    let out = dir.join("imported.json");
    let out_s = out.to_string_lossy().to_string();
    stdout(&["import", &log_path.to_string_lossy(), "-o", &out_s]);
    let text = std::fs::read_to_string(&out).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&value);
    let loaded = load(&text).unwrap();
    assert!(loaded.digest.is_valid(), "the imported report is sealed");
    let report = loaded.report;
    let c = &report.summary.counts;
    assert_eq!(c.pass, expected.get("pass").copied().unwrap_or(0));
    assert_eq!(c.fail, expected.get("fail").copied().unwrap_or(0));
    assert_eq!(c.info, expected.get("info").copied().unwrap_or(0));
    assert_eq!(c.manual, expected.get("manual").copied().unwrap_or(0));
    let kept = report.results.iter().filter(|r| r.status != Status::Skipped).count();
    assert_eq!(kept, entries, "no result of the log is lost");
    for meta in dockaudit_shared::catalog::all() {
        assert!(report.result(meta.id).is_some(), "{} missing", meta.id);
    }
}

#[test]
fn every_fixture_report_still_loads_and_validates() {
    let dir = fixture("reports");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/reports exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        n += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(matches!(loaded.format, SourceFormat::Dockaudit { .. }));
        assert!(loaded.digest.is_valid(), "{}: {:?}", path.display(), loaded.digest);
        assert_valid(&serde_json::from_str(&text).unwrap());
    }
    assert!(n >= 1, "no fixture reports found in {}", dir.display());
}

#[test]
fn one_changed_byte_breaks_the_digest() {
    let path = fixture("reports/v1.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let report: Report = serde_json::from_str(&text).unwrap();
    // Flip one character inside the first result's summary.
    let needle = &report.results[0].summary;
    let pos = text.find(needle.as_str()).expect("summary text present");
    let mut bytes = text.into_bytes();
    bytes[pos] = if bytes[pos] == b'X' { b'Y' } else { b'X' };
    let tampered = String::from_utf8(bytes).unwrap();
    let loaded = load(&tampered).unwrap();
    assert!(matches!(loaded.digest, DigestCheck::Mismatch { .. }));
    // The CLI warns about it when diffing.
    let dir = TempDir::new("tamper");
    let t = dir.join("tampered.json");
    std::fs::write(&t, &tampered).unwrap();
    let out = dockaudit(&["diff", &path.to_string_lossy(), &t.to_string_lossy()]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("modified after it was written"));
}

#[test]
fn diff_reports_regressions_at_container_level() {
    let base = std::fs::read_to_string(fixture("reports/v1.json")).unwrap();
    let old: Report = serde_json::from_str(&base).unwrap();
    let mut new = old.clone();
    let idx = new
        .results
        .iter()
        .position(|r| r.status == Status::Pass)
        .expect("a passing check");
    let id = new.results[idx].id.clone();
    new.results[idx].status = Status::Fail;
    new.results[idx].findings.push(dockaudit_shared::report::Finding {
        target: dockaudit_shared::report::Target::new(
            dockaudit_shared::report::TargetKind::Container,
            "abc",
            "web-frontend",
        ),
        message: "became an offender".into(),
        observed: "x".into(),
        expected: "y".into(),
        remediation: "z".into(),
    });
    new.refresh_summary();
    let dir = TempDir::new("diff");
    let (a, b) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&a, dockaudit_shared::digest::seal(&old).unwrap().0).unwrap();
    std::fs::write(&b, dockaudit_shared::digest::seal(&new).unwrap().0).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "diff",
        &a.to_string_lossy(),
        &b.to_string_lossy(),
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["regressed"][0]["id"], serde_json::Value::String(id.clone()));
    assert_eq!(json["regressed"][0]["new_targets"][0]["name"], "web-frontend");
    let out = dockaudit(&[
        "diff",
        &a.to_string_lossy(),
        &b.to_string_lossy(),
        "--fail-on-regression",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("web-frontend"));
}

#[test]
fn malformed_inputs_exit_2_with_a_specific_message() {
    let dir = TempDir::new("bad");
    let cases = [
        ("garbage.json", "this is not json", "not JSON"),
        ("truncated.json", "{\"schema_version\": 1, \"results\": [", "truncated"),
        ("array.json", "[]", "array"),
    ];
    for (name, content, needle) in cases {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        let out = dockaudit(&["diff", &p.to_string_lossy(), &p.to_string_lossy()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn inputs_over_their_size_limit_are_refused_naming_the_limit() {
    let dir = TempDir::new("limits");
    let big = dir.path().join("big-report.json");
    // 2 MiB of a JSON string: far past a 1 MB limit, never parsed.
    std::fs::write(&big, format!("\"{}\"", "a".repeat(2 << 20))).unwrap();
    let run = |env_value: &str, args: &[&str]| {
        std::process::Command::new(dockaudit_tests::dockaudit_bin())
            .args(args)
            .env("NO_COLOR", "1")
            .env("DOCKAUDIT_MAX_INPUT_MB", env_value)
            .output()
            .expect("dockaudit runs")
    };
    let path = big.to_str().unwrap();
    for args in [vec!["convert", path, "--to", "csv"], vec!["scan", "--facts-in", path]] {
        let out = run("1", &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("limit") && stderr.contains("DOCKAUDIT_MAX_INPUT_MB"),
            "{args:?}: {stderr}"
        );
    }
    // Raised, the same file is read and fails for what it is (not a report), not for its size.
    let out = run("16", &["convert", path, "--to", "csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("DOCKAUDIT_MAX_INPUT_MB"), "{stderr}");
    // A setting that is not a whole number of MB is an error too.
    let out = run("lots", &["convert", path, "--to", "csv"]);
    assert_eq!(out.status.code(), Some(2));
}
