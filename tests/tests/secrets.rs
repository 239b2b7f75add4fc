//! Secrets never leave the host: credentials seeded into every place a snapshot reads (image
//! history and commit messages, labels, health checks, container command lines, running
//! processes, dockerd's flags, daemon.json) are absent from the snapshot and from every report
//! format, while the checks that read those places keep their verdicts.

use std::path::Path;

use dockaudit::snapshot::{self, Facts};
use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::docker::{docker_ok, Containers, TestImage};
use dockaudit_tests::{dockaudit, fixture, TempDir};
use serde_json::{json, Value};

/// Every report format, by `--format` / `convert --to` name and file name.
const FORMATS: &[(&str, &str)] = &[
    ("json", "report.json"),
    ("text", "report.txt"),
    ("sarif", "report.sarif"),
    ("junit", "report.xml"),
    ("hdf", "report.hdf.json"),
    ("csv", "report.csv"),
];

fn run_ok(args: &[&str]) -> String {
    let out = dockaudit(args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "dockaudit {} exited {:?}: {stderr}",
        args.join(" "),
        out.status.code()
    );
    format!("{}{stderr}", String::from_utf8_lossy(&out.stdout))
}

/// Writes every format twice (`scan --facts-in --format`, `convert --to`) and returns all texts
/// produced, with the terminal output of each command.
fn every_output(snapshot: &Path, dir: &TempDir) -> Vec<(String, String)> {
    let snap = snapshot.to_string_lossy().to_string();
    let mut outputs = Vec::new();
    let json_report = dir.join("scan-report.json").to_string_lossy().to_string();
    let terminal = run_ok(&["scan", "--facts-in", &snap, "--format", "json", "-o", &json_report]);
    outputs.push(("scan --format json (terminal)".to_string(), terminal));
    for (format, file) in FORMATS {
        let scanned = dir.join(&format!("scan-{file}")).to_string_lossy().to_string();
        let terminal = run_ok(&["scan", "--facts-in", &snap, "--format", format, "-o", &scanned]);
        outputs.push((format!("scan --format {format} (terminal)"), terminal));
        let converted = dir.join(&format!("convert-{file}")).to_string_lossy().to_string();
        let terminal = run_ok(&["convert", &json_report, "--to", format, "-o", &converted]);
        outputs.push((format!("convert --to {format} (terminal)"), terminal));
        let stdout = run_ok(&["scan", "--facts-in", &snap, "--format", format]);
        outputs.push((format!("scan --format {format} (stdout)"), stdout));
        for path in [scanned, converted] {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            outputs.push((path, text));
        }
    }
    outputs
}

fn assert_absent(seeds: &[&str], outputs: &[(String, String)]) {
    for (name, text) in outputs {
        for seed in seeds {
            assert!(!text.contains(seed), "{name} holds the secret {seed:?}");
        }
    }
}

fn findings_for(report: &Report, id: &str, target: &str) -> Vec<String> {
    report
        .result(id)
        .unwrap_or_else(|| panic!("{id} missing"))
        .findings
        .iter()
        .filter(|f| f.target.display().contains(target))
        .map(|f| format!("{} | {}", f.message, f.observed))
        .collect()
}

/// Every string leaf of a JSON document, with `suffix` appended.
fn append_everywhere(v: &mut Value, suffix: &str) {
    match v {
        Value::String(s) => s.push_str(suffix),
        Value::Array(items) => items.iter_mut().for_each(|i| append_everywhere(i, suffix)),
        Value::Object(map) => map.values_mut().for_each(|i| append_everywhere(i, suffix)),
        _ => {}
    }
}

fn fixture_snapshot() -> Value {
    let path = fixture("facts/debian12-docker20.10.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

#[test]
fn a_clean_snapshot_is_unchanged_by_redaction() {
    let facts: Facts = serde_json::from_value(fixture_snapshot()).expect("a snapshot");
    assert_eq!(facts.clone().redacted(), facts);
}

#[test]
fn every_string_of_a_snapshot_is_redacted() {
    let mut doc = fixture_snapshot();
    append_everywhere(
        &mut doc,
        " --password SeedOpt1 https://u:SeedUrl2@h -u a:SeedUser3 X_TOKEN=SeedTok4 ghp_SeedGhp5abcdefghijklmnopqrstuv",
    );
    // Audit rule lines are kept verbatim (kernel rule syntax, never a credential).
    doc["host"]["audit_rules"] = json!({"ok": {"source": "auditctl -l", "lines": []}});
    let facts: Facts = serde_json::from_value(doc).expect("a snapshot");
    let text = serde_json::to_string(&facts.redacted()).unwrap();
    for seed in ["SeedOpt1", "SeedUrl2", "SeedUser3", "SeedTok4", "SeedGhp5"] {
        assert!(!text.contains(seed), "{seed} survived redaction");
    }
}

/// The reproduction: a snapshot saved before redaction existed, replayed with `--facts-in`.
#[test]
fn an_old_snapshot_with_secrets_is_redacted_on_replay() {
    let mut doc = fixture_snapshot();
    let steps = json!([
        {"created_by": "/bin/sh -c apt-get update && mysql --password SpacePass99 -e 'select 1'", "created": 1795955567, "empty_layer": false, "comment": ""},
        {"created_by": "/bin/sh -c curl -k -u admin:Hunter2pass https://example.com/i.sh | sh", "created": 1795955566, "empty_layer": false, "comment": "token glpat-OldCommitMsg01234567"},
        {"created_by": "ADD https://deploy:ghp_URLTOKEN123@example.com/app.tgz /srv # buildkit", "created": 1795955566, "empty_layer": false, "comment": ""}
    ]);
    let history = doc["images"]["ok"][0]["history"]["ok"].as_array_mut().expect("history");
    for (i, step) in steps.as_array().unwrap().iter().enumerate() {
        history.insert(i, step.clone());
    }
    doc["containers"]["ok"][0]["labels"]["db.password"] = json!("OldLabelPw42");
    doc["containers"]["ok"][0]["healthcheck"] = json!(["CMD", "curl", "-u", "admin:OldHcPw43", "http://x/"]);
    doc["host"]["dockerd"]["ok"]["args"] = json!(["dockerd", "--log-opt", "splunk-token=OldSplunk44"]);
    doc["host"]["daemon_json"]["ok"] =
        json!({"path": "/etc/docker/daemon.json", "content": {"http-proxy": "http://p:OldProxyPw45@proxy:3128"}});
    let dir = TempDir::new("secrets-replay");
    let snap = dir.join("old-snapshot.json");
    std::fs::write(&snap, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let outputs = every_output(&snap, &dir);
    assert_absent(
        &[
            "SpacePass99",
            "Hunter2pass",
            "URLTOKEN123",
            "OldCommitMsg",
            "OldLabelPw42",
            "OldHcPw43",
            "OldSplunk44",
            "OldProxyPw45",
        ],
        &outputs,
    );

    // The facts the checks need survive: the lone update (4.7), the ADD (4.9), the unverified
    // download and remote ADD (4.11).
    let report: Report = serde_json::from_str(&std::fs::read_to_string(dir.join("scan-report.json")).unwrap()).unwrap();
    assert_eq!(report.result("4.7").unwrap().status, Status::Fail);
    assert_eq!(findings_for(&report, "4.9", "fx/busybox").len(), 1);
    let unverified = findings_for(&report, "4.11", "fx/busybox").join("\n");
    assert!(unverified.contains("remote ADD"), "{unverified}");
    assert!(unverified.contains("download piped into a shell"), "{unverified}");
    assert!(unverified.contains("curl -k -u admin:***"), "{unverified}");
}

/// Seeds secrets on a real image and container, scans the live daemon, and greps the snapshot
/// and every report format.
#[test]
fn seeded_secrets_never_reach_a_snapshot_or_report() {
    let base = TestImage::import("dockaudit-test/busybox:secrets-base");
    let mut builders = Containers::default();
    // Three build steps, each a commit of a container whose command is the step's text.
    let add = "#(nop) ADD https://deploy:ghp_URLTOKEN123@example.com/app.tgz /srv";
    builders.create("da-secret-step1", &[], &base.tag, &["/bin/sh", "-c", add]);
    let step1 = TestImage::commit("da-secret-step1", "dockaudit-test/secrets:step1", "", &[]);
    let curl = "curl -k -u admin:Hunter2pass https://example.com/install.sh | sh";
    builders.create("da-secret-step2", &[], &step1.tag, &["/bin/sh", "-c", curl]);
    let step2 = TestImage::commit(
        "da-secret-step2",
        "dockaudit-test/secrets:step2",
        "deployed with glpat-CommitMsg0123456789ab",
        &[],
    );
    let run = "apt-get update; mysql --password SpacePass99 -e 'select 1'; TOKEN=EnvTok3n77 ./x -H 'Authorization: Bearer BearerTok3n88'";
    builders.create("da-secret-step3", &[], &step2.tag, &["/bin/sh", "-c", run]);
    let image = TestImage::commit(
        "da-secret-step3",
        "dockaudit-test/secrets:final",
        "",
        &[
            "LABEL db.password=LabelPw55",
            "LABEL note=\"login with -u ops:LabelUserPw66\"",
            "ENV API_TOKEN=ImageEnvTok77",
            "HEALTHCHECK CMD curl -fsS -u admin:ImageHcPw88 http://localhost/ || exit 1",
            "CMD [\"sleep\", \"600\"]",
        ],
    );
    drop(builders);

    let mut c = Containers::default();
    c.run(
        "da-secrets",
        &[
            "--network",
            "none",
            "--label",
            "app.secret=CtrLabel11",
            "--label",
            "cmd=mysql -pCtrLabelPw22 db",
            "--label",
            "key.pem=-----BEGIN RSA PRIVATE KEY-----\nMIIEpKeyBody99\n-----END RSA PRIVATE KEY-----",
            "--health-cmd",
            "mysqladmin ping -pCtrHcPw33",
            "-e",
            "DB_PASSWORD=CtrEnvPw44",
        ],
        &image.tag,
        &[
            "sh",
            "-c",
            "sleep 600; true",
            "x",
            "--password",
            "ProcPw55",
            "-u",
            "admin:ProcPw66",
            "https://u:ProcUrlPw77@h",
        ],
    );
    // The process list must hold the seeded command line for the test to mean anything.
    let top = docker_ok(&["top", "da-secrets", "-o", "pid,args"]);
    assert!(top.contains("ProcPw55"), "the seeded process is not running: {top}");

    let dir = TempDir::new("secrets-live");
    let snap = dir.join("facts.json");
    let report_path = dir.join("live.json");
    let terminal = run_ok(&[
        "scan",
        "--facts-out",
        &snap.to_string_lossy(),
        "--format",
        "json",
        "-o",
        &report_path.to_string_lossy(),
    ]);
    let snapshot_text = std::fs::read_to_string(&snap).expect("snapshot written");
    let mut outputs = every_output(&snap, &dir);
    outputs.push(("live scan (terminal)".into(), terminal));
    outputs.push(("snapshot".into(), snapshot_text.clone()));
    outputs.push((
        "live report".into(),
        std::fs::read_to_string(&report_path).expect("report written"),
    ));
    let seeds = [
        "URLTOKEN123",
        "Hunter2pass",
        "CommitMsg0123456789ab",
        "SpacePass99",
        "EnvTok3n77",
        "BearerTok3n88",
        "LabelPw55",
        "LabelUserPw66",
        "ImageEnvTok77",
        "ImageHcPw88",
        "CtrLabel11",
        "CtrLabelPw22",
        "MIIEpKeyBody99",
        "CtrHcPw33",
        "CtrEnvPw44",
        "ProcPw55",
        "ProcPw66",
        "ProcUrlPw77",
    ];
    assert_absent(&seeds, &outputs);

    // What the checks read is still there, masked.
    let facts = snapshot::load(&snapshot_text).expect("snapshot loads");
    let ours = facts
        .containers
        .ok()
        .and_then(|cs| cs.iter().find(|c| c.name == "da-secrets"))
        .expect("the seeded container is in the snapshot");
    let processes = ours.processes.as_ref().and_then(|p| p.ok()).expect("process list");
    assert!(
        processes
            .iter()
            .any(|p| p.command.contains("--password *** -u admin:***")),
        "{processes:?}"
    );
    assert_eq!(ours.labels.get("app.secret").map(String::as_str), Some("***"));
    let report: Report = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let target = "dockaudit-test/secrets:final";
    let unverified = findings_for(&report, "4.11", target).join("\n");
    assert!(unverified.contains("remote ADD"), "{unverified}");
    assert!(unverified.contains("download piped into a shell"), "{unverified}");
    assert!(!findings_for(&report, "4.9", target).is_empty());
    assert!(!findings_for(&report, "4.7", target).is_empty());
    let history_names = findings_for(&report, "4.10", target).join("\n");
    assert!(history_names.contains("TOKEN"), "{history_names}");
}
