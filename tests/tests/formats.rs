//! Interchange formats end to end: SARIF, JUnit XML, HDF and CSV from `dockaudit convert` and
//! `dockaudit scan --format`, checked against golden files, against the published schemas (SARIF
//! 2.1.0 and HDF with a draft-07 validator, formats included), and read back by real consumers:
//! `xmllint --schema` with `tests/fixtures/schemas/junit.xsd`, Python's XML parser and Python's
//! `csv` module. Hostile strings must come through every format escaped, and unchanged wherever
//! the format can carry them.
//!
//! Regenerate the golden files after an intended change with
//! `DOCKAUDIT_BLESS=1 cargo test -p dockaudit-tests --test formats`, and review the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use dockaudit_shared::convert::{self, Format};
use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::report::{CollectionError, Finding, Report, Status, Target, TargetKind};
use dockaudit_tests::docker::{docker_ok, Containers, TestImage};
use dockaudit_tests::{dockaudit, fixture, workspace_root, TempDir};
use serde_json::Value;

/// Digest of `tests/fixtures/reports/v1.json`, the report the golden files are made from.
const V1_DIGEST: &str = "sha256:15fd0d28a8844ab0cbeb997df07710d52e0f43a5358065c89c8b2cdf013ba0a8";

// ---------------------------------------------------------------------------------------------
// Fixtures

fn v1() -> Report {
    let text = std::fs::read_to_string(fixture("reports/v1.json")).expect("v1 fixture");
    let loaded = dockaudit_shared::load::load(&text).expect("v1 loads");
    assert_eq!(
        loaded.digest,
        DigestCheck::Valid(V1_DIGEST.into()),
        "tests/fixtures/reports/v1.json changed; re-bless the golden files if that was intended"
    );
    loaded.report
}

/// v1 with the statuses it lacks (error with a collection error, skipped, info) so every mapping
/// is in a golden file.
fn every_status() -> Report {
    let mut r = v1();
    for res in &mut r.results {
        match res.id.as_str() {
            "2.3" => {
                res.status = Status::Error;
                res.summary = "The daemon's log level could not be read: /etc/docker/daemon.json is unreadable.".into();
                res.findings.clear();
            }
            "2.4" => {
                res.status = Status::Skipped;
                res.summary = "Not selected (--skip 2.4).".into();
                res.findings.clear();
            }
            "5.1" => {
                res.status = Status::Info;
                res.summary = "Swarm state reported without a verdict.".into();
                res.findings = vec![Finding {
                    target: Target::new(TargetKind::Swarm, "swarm", "swarm mode"),
                    message: "Swarm.LocalNodeState is inactive".into(),
                    observed: "inactive".into(),
                    expected: String::new(),
                    remediation: String::new(),
                }];
            }
            _ => {}
        }
    }
    r.errors.push(CollectionError {
        source: "/etc/docker/daemon.json".into(),
        reason: "permission denied".into(),
        affects: vec!["2.3".into()],
    });
    r.refresh_summary();
    r
}

/// Strings that break naive writers: quotes, markup, entities, line breaks, tabs, non-ASCII and
/// bidi controls, formula starters, C0 controls XML cannot carry, and a very long value.
fn hostile_strings() -> Vec<String> {
    vec![
        r#"web "double" and 'single' quotes"#.to_string(),
        "<script>alert('x')</script> & &amp; ]]> <![CDATA[ x".to_string(),
        "line one\nline two\r\nline three\ttabbed".to_string(),
        "ünïcødé 日本語 🐳 \u{202e}evil".to_string(),
        "comma, separated, \"and quoted\"".to_string(),
        "=HYPERLINK(\"http://example.invalid\",\"click\")".to_string(),
        "bell\u{7} escape\u{1b}[31m nul\u{0} del\u{7f}".to_string(),
        format!("{}end", "long <&\"\n".repeat(8_000)),
    ]
}

/// A report whose host, run, tool, titles, summaries, findings and errors carry hostile strings.
fn hostile() -> Report {
    let h = hostile_strings();
    let mut r = v1();
    r.host.hostname = Some(h[1].clone());
    r.host.docker.server_version = Some(h[3].clone());
    r.run.id = h[0].clone();
    r.run.command_line = vec!["dockaudit".into(), "scan".into(), h[2].clone()];
    r.tool.version = h[5].clone();
    for res in &mut r.results {
        if res.id == "5.5" {
            res.title = h[1].clone();
            res.summary = h[2].clone();
            res.remediation = h[4].clone();
            res.findings = h
                .iter()
                .map(|s| Finding {
                    target: Target::new(TargetKind::Container, s.clone(), s.clone()),
                    message: s.clone(),
                    observed: s.clone(),
                    expected: s.clone(),
                    remediation: s.clone(),
                })
                .collect();
        }
        if res.id == "3.1" {
            res.status = Status::Fail;
            res.findings = vec![Finding {
                target: Target::new(TargetKind::File, "/etc/dock er/<x>&\"y\"", "/etc/dock er/<x>&\"y\""),
                message: h[3].clone(),
                observed: h[6].clone(),
                expected: h[0].clone(),
                remediation: h[4].clone(),
            }];
        }
    }
    r.errors.push(CollectionError {
        source: h[1].clone(),
        reason: h[2].clone(),
        affects: vec!["5.5".into()],
    });
    r.refresh_summary();
    r
}

// ---------------------------------------------------------------------------------------------
// Schemas, golden files and consumers

fn schema(name: &str) -> Value {
    let copy = fixture(&format!("schemas/{name}"));
    let text = std::fs::read_to_string(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
    // The copy must stay the published file (kept beside the project in ../shared/schemas/).
    let published = workspace_root().join("../shared/schemas").join(name);
    if let Ok(original) = std::fs::read_to_string(&published) {
        assert!(
            original == text,
            "{} differs from {}; copy it again",
            copy.display(),
            published.display()
        );
    }
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Every error of `instance` against a draft-07 schema, formats (uri, date-time, …) included.
fn schema_errors(schema_file: &str, instance: &Value) -> Vec<String> {
    let schema = schema(schema_file);
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    validator
        .iter_errors(instance)
        .take(20)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn assert_schema_valid(schema_file: &str, instance: &Value, what: &str) {
    let errors = schema_errors(schema_file, instance);
    assert!(
        errors.is_empty(),
        "{what} is not valid against {schema_file}: {errors:#?}"
    );
}

fn golden_path(name: &str) -> PathBuf {
    fixture(&format!("golden/{name}"))
}

/// Compares `actual` with the golden file (JSON as values, so key order does not matter), or
/// writes it when `DOCKAUDIT_BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("DOCKAUDIT_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with DOCKAUDIT_BLESS=1 cargo test -p dockaudit-tests --test formats",
            path.display()
        )
    });
    let is_json = name.ends_with(".json") || name.ends_with(".sarif");
    if is_json {
        let want: Value = serde_json::from_str(&expected).expect("golden JSON");
        let got: Value = serde_json::from_str(actual).expect("output JSON");
        if want != got {
            panic!(
                "{name} differs from its golden file at {}; bless it if the change is intended",
                first_json_difference(&want, &got, "")
            );
        }
    } else if expected != actual {
        let line = expected
            .split('\n')
            .zip(actual.split('\n'))
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.split('\n').count().min(actual.split('\n').count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  golden: {:?}\n  actual: {:?}\nbless it if the change is intended",
            line + 1,
            expected.split('\n').nth(line).unwrap_or("<end>"),
            actual.split('\n').nth(line).unwrap_or("<end>")
        );
    }
}

fn first_json_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) if p == q => {}
                    (Some(p), Some(q)) => return first_json_difference(p, q, &format!("{at}/{k}")),
                    _ => return format!("{at}/{k} (present on one side only)"),
                }
            }
            at.to_string()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find(|(_, (p, q))| p != q)
            .map(|(i, (p, q))| first_json_difference(p, q, &format!("{at}/{i}")))
            .unwrap_or_else(|| at.to_string()),
        _ => format!("{at}: golden {a} vs actual {b}"),
    }
}

/// Runs a Python 3 script with the given arguments and parses the JSON it prints.
fn python(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (part of the machine image; Debian: apt-get install python3)");
    assert!(
        out.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python prints JSON")
}

/// The JUnit document as Python's XML parser reads it: suites with their attributes and cases.
fn read_junit(path: &Path) -> Value {
    const SCRIPT: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
def case(c):
    out = {"attrs": dict(c.attrib), "outcome": None, "message": None, "type": None, "text": None, "system_out": None}
    for tag in ("failure", "error", "skipped"):
        e = c.find(tag)
        if e is not None:
            out.update(outcome=tag, message=e.get("message"), type=e.get("type"), text=e.text)
    so = c.find("system-out")
    if so is not None:
        out["system_out"] = so.text
    return out
suites = [{"attrs": dict(s.attrib),
           "properties": {p.get("name"): p.get("value") for p in s.iter("property")},
           "cases": [case(c) for c in s.findall("testcase")]} for s in root.findall("testsuite")]
print(json.dumps({"tag": root.tag, "attrs": dict(root.attrib), "suites": suites}))
"#;
    python(SCRIPT, &[path])
}

/// The CSV as Python's `csv` module reads it (RFC 4180 dialect, newline handling left to csv).
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    const SCRIPT: &str = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(json.dumps(list(csv.reader(f, strict=True))))
"#;
    serde_json::from_value(python(SCRIPT, &[path])).expect("rows of strings")
}

/// Validates with `xmllint --schema` (Debian: libxml2-utils).
fn xmllint(path: &Path) {
    let xsd = fixture("schemas/junit.xsd");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(path)
        .output()
        .expect("xmllint runs (Debian: apt-get install libxml2-utils; scripts/setup.sh test installs it)");
    assert!(
        out.status.success(),
        "xmllint rejects {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What an XML parser gives back for a string: XML 1.0 cannot carry most C0 controls, U+FFFE or
/// U+FFFF, so the writer spells them `\u{..}`.
fn xml_visible(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => c.to_string(),
            c => format!("\\u{{{:x}}}", u32::from(c)),
        })
        .collect()
}

/// What a spreadsheet cell holds: formula-like text is prefixed with `'`.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn write(dir: &TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

// ---------------------------------------------------------------------------------------------
// Golden files

#[test]
fn convert_cli_output_matches_the_golden_files() {
    let dir = TempDir::new("formats-golden");
    let v1_path = fixture("reports/v1.json");
    let report = v1();
    for (format, golden) in [
        ("sarif", "v1.sarif"),
        ("junit", "v1.junit.xml"),
        ("hdf", "v1.hdf.json"),
        ("csv", "v1.csv"),
    ] {
        let out_path = dir.join(golden);
        let out = dockaudit(&[
            "convert",
            &v1_path.to_string_lossy(),
            "--to",
            format,
            "-o",
            &out_path.to_string_lossy(),
        ]);
        assert!(
            out.status.success(),
            "convert --to {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "-o writes nothing to stdout");
        let text = std::fs::read_to_string(&out_path).unwrap();
        // The CLI writes exactly what the shared converter (and so the viewer) produces.
        let library = Format::parse(format).unwrap().render(&report);
        assert!(text == library, "{format}: the CLI and the library differ");
        assert_golden(golden, &text);
    }
}

#[test]
fn every_status_matches_the_golden_files() {
    let r = every_status();
    for f in Format::ALL {
        let name = format!("every-status.{}", f.file_extension());
        assert_golden(&name, &f.render(&r));
    }
}

#[test]
fn convert_to_json_reseals_and_stdout_is_the_default() {
    let v1_path = fixture("reports/v1.json");
    let out = dockaudit(&["convert", &v1_path.to_string_lossy(), "--to", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let loaded = dockaudit_shared::load::load(&String::from_utf8_lossy(&out.stdout)).unwrap();
    assert!(loaded.digest.is_valid());
    // Resealed under the current rule (RFC 8785); the content is v1's.
    assert!(loaded.digest.computed().starts_with("jcs-sha256:"));
    assert_eq!(
        loaded.report,
        dockaudit_shared::Report {
            digest: loaded.report.digest.clone(),
            ..v1()
        }
    );

    let out = dockaudit(&["convert", &v1_path.to_string_lossy(), "--to", "text"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("CIS Docker Benchmark 1.6.0 on vm"));
}

#[test]
fn convert_reads_docker_bench_logs_and_refuses_bad_input() {
    let log = fixture("dbs/docker-bench-log.json");
    let out = dockaudit(&["convert", &log.to_string_lossy(), "--to", "sarif"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_schema_valid(
        "sarif-schema-2.1.0.json",
        &json(&String::from_utf8_lossy(&out.stdout)),
        "SARIF of a docker-bench-security log",
    );

    let dir = TempDir::new("formats-bad");
    let bad = write(&dir, "bad.json", "{ not json");
    let out = dockaudit(&["convert", &bad.to_string_lossy(), "--to", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("bad.json"), "{stderr}");
    let missing = dockaudit(&["convert", "/nonexistent/report.json", "--to", "hdf"]);
    assert_eq!(missing.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------------
// SARIF

#[test]
fn sarif_is_valid_and_complete() {
    for (what, r) in [("v1", v1()), ("every status", every_status()), ("hostile", hostile())] {
        let sarif = json(&Format::Sarif.render(&r));
        assert_schema_valid("sarif-schema-2.1.0.json", &sarif, &format!("SARIF of {what}"));
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 117, "{what}: a rule per check");
        for rule in rules {
            // GitHub code scanning ranks alerts by this number, given as a string.
            let score: f64 = rule
                .pointer("/properties/security-severity")
                .and_then(Value::as_str)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("{what}: rule {} lacks security-severity", rule["id"]));
            assert!((0.1..=10.0).contains(&score), "{what}: rule {}", rule["id"]);
            for field in [
                "/shortDescription/text",
                "/fullDescription/text",
                "/help/text",
                "/defaultConfiguration/level",
            ] {
                assert!(
                    rule.pointer(field)
                        .and_then(Value::as_str)
                        .is_some_and(|s| !s.is_empty()),
                    "{what}: rule {} lacks {field}",
                    rule["id"]
                );
            }
        }
        assert_eq!(run["tool"]["driver"]["version"], Value::String(r.tool.version.clone()));
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);

        // One result per offending target, never for pass / not applicable / skipped.
        let mut expected = 0;
        for res in &r.results {
            let n = match res.status {
                Status::Pass | Status::NotApplicable | Status::Skipped => 0,
                _ => {
                    let targets: BTreeSet<(TargetKind, &str)> =
                        res.findings.iter().map(|f| (f.target.kind, f.target.key())).collect();
                    targets.len().max(1)
                }
            };
            expected += n;
        }
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), expected, "{what}: result count");
        for x in results {
            let id = x["ruleId"].as_str().unwrap();
            let status = r.result(id).unwrap().status;
            let level = match status {
                Status::Fail | Status::Error => "error",
                Status::Warn => "warning",
                _ => "note",
            };
            assert_eq!(x["level"], level, "{what}: {id}");
            let fp = x["partialFingerprints"][convert::sarif::FINGERPRINT_KEY]
                .as_str()
                .unwrap();
            assert_eq!(fp.len(), 64);
            let loc = &x["locations"][0];
            assert!(
                loc["physicalLocation"]["artifactLocation"]["uri"].is_string(),
                "{what}: {id} has a location"
            );
            assert!(loc["logicalLocations"][0]["name"].is_string());
        }
        // Fingerprints are unique within a run: one alert per check and target.
        let fps: BTreeSet<(&str, &str)> = results
            .iter()
            .map(|x| {
                (
                    x["ruleId"].as_str().unwrap(),
                    x["partialFingerprints"][convert::sarif::FINGERPRINT_KEY]
                        .as_str()
                        .unwrap(),
                )
            })
            .collect();
        assert_eq!(fps.len(), results.len(), "{what}: duplicate fingerprints");
    }
    // The validator is strict: formats count, so a bad URI or time would be caught.
    let mut broken = json(&Format::Sarif.render(&v1()));
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::String("docker/container/a b".into());
    broken["runs"][0]["invocations"][0]["startTimeUtc"] = Value::String("yesterday".into());
    broken["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    assert_eq!(
        schema_errors("sarif-schema-2.1.0.json", &broken).len(),
        3,
        "the validator checks formats"
    );

    let sarif = json(&Format::Sarif.render(&every_status()));
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0]["message"]["text"],
        "could not read /etc/docker/daemon.json: permission denied"
    );
}

// ---------------------------------------------------------------------------------------------
// HDF

#[test]
fn hdf_is_valid_and_complete() {
    for (what, r) in [("v1", v1()), ("every status", every_status()), ("hostile", hostile())] {
        let hdf = json(&Format::Hdf.render(&r));
        assert_schema_valid("hdf-exec-json.schema.json", &hdf, &format!("HDF of {what}"));
        let profile = &hdf["profiles"][0];
        assert_eq!(profile["status"], "loaded");
        let controls = profile["controls"].as_array().unwrap();
        assert_eq!(controls.len(), r.results.len());
        let grouped: usize = profile["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["controls"].as_array().unwrap().len())
            .sum();
        assert_eq!(grouped, 117, "{what}: every control in one group");
        for (c, res) in controls.iter().zip(&r.results) {
            assert_eq!(c["id"], Value::String(res.id.clone()));
            assert_eq!(c["tags"]["cis_level"], res.level);
            let impact = c["impact"].as_f64().unwrap();
            let severity = dockaudit_shared::catalog::severity::of(&res.id);
            let want = match (res.status, severity, res.level) {
                (Status::NotApplicable, _, _) => 0.0,
                (_, Some(s), _) => s.hdf_impact(),
                (_, None, 1) => 0.7,
                _ => 0.5,
            };
            assert_eq!(
                c["tags"]["severity"].as_str(),
                severity.map(|s| s.as_str()),
                "{what}: {}",
                res.id
            );
            assert_eq!(impact, want, "{what}: impact of {}", res.id);
            let statuses: Vec<&str> = c["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["status"].as_str().unwrap())
                .collect();
            let ok = match res.status {
                Status::Pass => statuses == ["passed"],
                Status::Fail | Status::Warn => {
                    statuses.len() == res.findings.len().max(1) && statuses.iter().all(|s| *s == "failed")
                }
                Status::Error => statuses == ["error"],
                _ => statuses == ["skipped"],
            };
            assert!(ok, "{what}: {} ({}) gave {statuses:?}", res.id, res.status);
            if res.status == Status::Fail {
                let labels: BTreeSet<&str> = c["descriptions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["label"].as_str().unwrap())
                    .collect();
                for l in ["default", "check", "fix"] {
                    assert!(labels.contains(l), "{what}: {} lacks description {l}", res.id);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit

#[test]
fn junit_is_schema_valid_and_counts_agree() {
    let dir = TempDir::new("formats-junit");
    for (what, r) in [("v1", v1()), ("every-status", every_status()), ("hostile", hostile())] {
        let path = write(&dir, &format!("{what}.junit.xml"), &Format::Junit.render(&r));
        xmllint(&path);
        let doc = read_junit(&path);
        assert_eq!(doc["tag"], "testsuites");
        let mut total = BTreeMap::<&str, usize>::new();
        let mut cases = 0;
        for suite in doc["suites"].as_array().unwrap() {
            let mut counts = BTreeMap::<&str, usize>::new();
            for case in suite["cases"].as_array().unwrap() {
                cases += 1;
                *counts.entry("tests").or_default() += 1;
                let key = match case["outcome"].as_str() {
                    Some("failure") => "failures",
                    Some("error") => "errors",
                    Some("skipped") => "skipped",
                    _ => continue,
                };
                *counts.entry(key).or_default() += 1;
            }
            for key in ["tests", "failures", "errors", "skipped"] {
                let attr: usize = suite["attrs"][key].as_str().unwrap().parse().unwrap();
                assert_eq!(
                    attr,
                    counts.get(key).copied().unwrap_or(0),
                    "{what}: {key} of {}",
                    suite["attrs"]["name"]
                );
                *total.entry(key).or_default() += attr;
            }
        }
        assert_eq!(cases, r.results.len());
        for key in ["tests", "failures", "errors", "skipped"] {
            let attr: usize = doc["attrs"][key].as_str().unwrap().parse().unwrap();
            assert_eq!(attr, total[key], "{what}: testsuites {key}");
        }
        // Outcome per status, and the check's time.
        let by_name: BTreeMap<String, &Value> = doc["suites"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["cases"].as_array().unwrap())
            .map(|c| (c["attrs"]["name"].as_str().unwrap().to_string(), c))
            .collect();
        for res in &r.results {
            let name = xml_visible(&format!("{} {}", res.id, res.title));
            let case = by_name
                .get(&name)
                .unwrap_or_else(|| panic!("{what}: no test case {name:?}"));
            let outcome = case["outcome"].as_str();
            let want = match res.status {
                Status::Pass => None,
                Status::Fail | Status::Warn => Some("failure"),
                Status::Error => Some("error"),
                _ => Some("skipped"),
            };
            assert_eq!(outcome, want, "{what}: {}", res.id);
            let time: f64 = case["attrs"]["time"].as_str().unwrap().parse().unwrap();
            assert!(
                (time * 1e6 - res.duration_us as f64).abs() < 0.5,
                "{what}: time of {}",
                res.id
            );
            if matches!(res.status, Status::Fail | Status::Warn) {
                let text = case["text"].as_str().unwrap();
                for f in &res.findings {
                    assert!(
                        text.contains(&xml_visible(&f.message)),
                        "{what}: {} lacks {:?}",
                        res.id,
                        f.message
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_is_read_back_by_pythons_csv_module() {
    let dir = TempDir::new("formats-csv");
    for (what, r) in [("v1", v1()), ("every-status", every_status()), ("hostile", hostile())] {
        let text = Format::Csv.render(&r);
        assert!(text.ends_with("\r\n"), "{what}: CRLF line ends");
        let path = write(&dir, &format!("{what}.csv"), &text);
        let rows = read_csv(&path);
        assert_eq!(rows[0], convert::csv::HEADER.map(str::to_string).to_vec());
        let expected: usize = r.results.iter().map(|x| x.findings.len().max(1)).sum();
        assert_eq!(rows.len() - 1, expected, "{what}: one row per finding or bare check");
        let mut i = 1;
        for res in &r.results {
            if res.findings.is_empty() {
                assert_eq!(rows[i][1], csv_cell(&res.id));
                assert_eq!(rows[i][5], severity_cell(&res.id));
                assert_eq!(rows[i][6], res.status.as_str());
                i += 1;
            }
            for f in &res.findings {
                let row = &rows[i];
                assert_eq!(row.len(), 16, "{what}: row {i}");
                assert_eq!(row[0], csv_cell(r.host.hostname.as_deref().unwrap_or_default()));
                assert_eq!(row[1], res.id);
                assert_eq!(row[5], severity_cell(&res.id));
                assert_eq!(row[8], csv_cell(&res.summary));
                assert_eq!(row[9], f.target.kind.as_str());
                assert_eq!(row[10], csv_cell(&f.target.id));
                assert_eq!(row[11], csv_cell(&f.target.name));
                assert_eq!(row[12], csv_cell(&f.message));
                assert_eq!(row[13], csv_cell(&f.observed));
                assert_eq!(row[14], csv_cell(&f.expected));
                i += 1;
            }
        }
    }
}

/// The CSV's severity cell: the catalogue's, empty for ids it does not know.
fn severity_cell(id: &str) -> String {
    dockaudit_shared::catalog::severity::of(id).map_or(String::new(), |s| s.as_str().to_string())
}

// ---------------------------------------------------------------------------------------------
// Hostile strings

#[test]
fn hostile_strings_survive_every_format() {
    let r = hostile();
    let strings = hostile_strings();
    let dir = TempDir::new("formats-hostile");

    // SARIF: JSON carries every string exactly; URIs are percent-encoded (checked by the schema's
    // uri-reference format).
    let sarif = json(&Format::Sarif.render(&r));
    assert_schema_valid("sarif-schema-2.1.0.json", &sarif, "hostile SARIF");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for s in &strings {
        let hit = results
            .iter()
            .find(|x| x["ruleId"] == "5.5" && x["properties"]["target"]["name"] == Value::String(s.clone()))
            .unwrap_or_else(|| panic!("no SARIF result for {:?}", &s[..s.len().min(40)]));
        assert!(hit["message"]["text"].as_str().unwrap().contains(s.as_str()));
        assert_eq!(
            hit["partialFingerprints"][convert::sarif::FINGERPRINT_KEY],
            Value::String(convert::fingerprint("5.5", TargetKind::Container, s))
        );
        let uri = hit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.bytes().all(|b| b.is_ascii_graphic()), "URI is encoded: {uri:.60}");
    }
    let file = results.iter().find(|x| x["ruleId"] == "3.1").unwrap();
    assert_eq!(
        file["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "etc/dock%20er/%3Cx%3E%26%22y%22"
    );
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["machine"],
        Value::String(strings[1].clone())
    );

    // HDF: the same, through Heimdall's fields.
    let hdf = json(&Format::Hdf.render(&r));
    assert_schema_valid("hdf-exec-json.schema.json", &hdf, "hostile HDF");
    let control = hdf["profiles"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "5.5")
        .unwrap();
    assert_eq!(control["title"], Value::String(strings[1].clone()));
    let ids: Vec<&str> = control["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["resource_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, strings.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(hdf["platform"]["target_id"], Value::String(strings[1].clone()));

    // JUnit: well-formed, schema-valid, and attributes and text read back exactly (characters XML
    // cannot carry at all come back spelled out).
    let path = write(&dir, "hostile.junit.xml", &Format::Junit.render(&r));
    xmllint(&path);
    let doc = read_junit(&path);
    let suite = doc["suites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["attrs"]["name"] == "5 Container Runtime Configuration")
        .unwrap();
    assert_eq!(suite["attrs"]["hostname"], Value::String(strings[1].clone()));
    assert_eq!(
        suite["properties"]["dockaudit.run_id"],
        Value::String(strings[0].clone())
    );
    assert_eq!(
        suite["properties"]["dockaudit.version"],
        Value::String(strings[5].clone())
    );
    let case = suite["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["attrs"]["name"] == Value::String(format!("5.5 {}", strings[1])))
        .expect("the 5.5 test case under its hostile title");
    assert_eq!(case["outcome"], "failure");
    assert_eq!(
        case["message"],
        Value::String(strings[2].clone()),
        "newlines in attributes survive"
    );
    let text = case["text"].as_str().unwrap();
    for s in &strings {
        assert!(
            text.contains(&xml_visible(s)),
            "JUnit text lacks {:?}",
            &s[..s.len().min(40)]
        );
    }
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(!raw.contains("<script>"), "markup is escaped");
    assert!(raw.is_char_boundary(raw.len()) && !raw.contains('\u{0}') && !raw.contains('\u{7}'));

    // CSV: every field reads back; formula-like cells carry the guard.
    let path = write(&dir, "hostile.csv", &Format::Csv.render(&r));
    let rows = read_csv(&path);
    let names: Vec<&str> = rows
        .iter()
        .filter(|row| row[1] == "5.5")
        .map(|row| row[10].as_str())
        .collect();
    let want: Vec<String> = strings.iter().map(|s| csv_cell(s)).collect();
    assert_eq!(names, want.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        csv_cell(&strings[5]),
        format!("'{}", strings[5]),
        "the formula is guarded"
    );
    for row in rows.iter().filter(|row| row[1] == "5.5") {
        assert_eq!(row[0], strings[1]);
        assert_eq!(row[2], strings[1]);
        assert_eq!(row[11], row[10], "message equals the name in this fixture");
    }
}

// ---------------------------------------------------------------------------------------------
// Live: fingerprints across scans of a real host

/// Removes a container by name when dropped (for a container the test renamed).
struct RemoveOnDrop(String);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = dockaudit_tests::docker::docker(&["rm", "-f", "-v", &self.0]);
    }
}

/// `dockaudit scan --format sarif` of section 5 over the test's containers; returns
/// (rule id, container name) → fingerprint.
fn scan_fingerprints(prefix: &str) -> BTreeMap<(String, String), String> {
    let out = dockaudit(&[
        "scan",
        "--format",
        "sarif",
        "--check",
        "5",
        "--include-container",
        &format!("^{prefix}"),
        "--no-progress",
    ]);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "scan exited {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif = json(&String::from_utf8_lossy(&out.stdout));
    assert_schema_valid("sarif-schema-2.1.0.json", &sarif, "SARIF of a live scan");
    let mut map = BTreeMap::new();
    for x in sarif["runs"][0]["results"].as_array().unwrap() {
        let target = &x["properties"]["target"];
        if target["kind"] != "container" {
            continue;
        }
        let key = (
            x["ruleId"].as_str().unwrap().to_string(),
            target["name"].as_str().unwrap().to_string(),
        );
        let fp = x["partialFingerprints"][convert::sarif::FINGERPRINT_KEY]
            .as_str()
            .unwrap()
            .to_string();
        assert!(map.insert(key, fp).is_none(), "one result per check and container");
    }
    map
}

#[test]
fn fingerprints_are_stable_across_scans_and_follow_renames() {
    let image = TestImage::import("dockaudit-test/busybox:formats");
    let prefix = format!("dafmt{}-", std::process::id());
    let (web, db, renamed) = (
        format!("{prefix}web"),
        format!("{prefix}db"),
        format!("{prefix}web-renamed"),
    );
    let mut c = Containers::default();
    c.create(&web, &["--cap-add", "SYS_ADMIN"], &image.tag, &["true"]);
    c.create(&db, &["-p", "80:8080"], &image.tag, &["true"]);

    let first = scan_fingerprints(&prefix);
    let second = scan_fingerprints(&prefix);
    assert!(!first.is_empty());
    assert_eq!(first, second, "two scans of the same host give the same fingerprints");
    for ((rule, name), fp) in &first {
        assert_eq!(fp, &convert::fingerprint(rule, TargetKind::Container, name));
    }
    let web_rules: BTreeSet<&String> = first.keys().filter(|(_, n)| *n == web).map(|(r, _)| r).collect();
    assert!(web_rules.contains(&"5.4".to_string()), "5.4 names web: {web_rules:?}");

    docker_ok(&["rename", &web, &renamed]);
    c.forget(&web);
    let _guard = RemoveOnDrop(renamed.clone());
    let third = scan_fingerprints(&prefix);
    for ((rule, name), fp) in &first {
        if *name == db {
            assert_eq!(
                third.get(&(rule.clone(), name.clone())),
                Some(fp),
                "db's {rule} is unchanged"
            );
        } else {
            let after = third
                .get(&(rule.clone(), renamed.clone()))
                .unwrap_or_else(|| panic!("{rule} no longer names the renamed container"));
            assert_ne!(after, fp, "renaming a container changes its fingerprint for {rule}");
            assert!(!third.contains_key(&(rule.clone(), web.clone())));
        }
    }
}

#[test]
fn scan_writes_every_interchange_format() {
    let image = TestImage::import("dockaudit-test/busybox:formats-scan");
    let prefix = format!("dafmtscan{}-", std::process::id());
    let mut c = Containers::default();
    c.create(&format!("{prefix}app"), &["--privileged"], &image.tag, &["true"]);
    let dir = TempDir::new("formats-scan");
    for f in Format::ALL {
        let out_path = dir.join(&format!("scan.{}", f.file_extension()));
        let json_path = dir.join(&format!("scan-{}.json", f.as_str()));
        let out = dockaudit(&[
            "scan",
            "--format",
            f.as_str(),
            "--check",
            "5",
            "--include-container",
            &format!("^{prefix}"),
            "--no-progress",
            "-o",
            &out_path.to_string_lossy(),
            "--json-out",
            &json_path.to_string_lossy(),
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&out_path).unwrap();
        let report = dockaudit_shared::load::load(&std::fs::read_to_string(&json_path).unwrap())
            .unwrap()
            .report;
        assert!(
            text == f.render(&report),
            "scan --format {} differs from converting its --json-out report",
            f.as_str()
        );
        match f {
            Format::Sarif => assert_schema_valid("sarif-schema-2.1.0.json", &json(&text), "scan SARIF"),
            Format::Hdf => assert_schema_valid("hdf-exec-json.schema.json", &json(&text), "scan HDF"),
            Format::Junit => xmllint(&out_path),
            Format::Csv => assert!(read_csv(&out_path).len() > 117),
        }
    }
}
