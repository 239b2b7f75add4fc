//! Every command the CLI has, fed hostile reports, logs, snapshots, sign-offs and file names,
//! prints no raw control character on standard output or standard error (issue 15, "The
//! terminal"). The commands run in text mode, once with plain pipes and once on a
//! pseudo-terminal with colour on, where the styler's own SGR codes are the only escapes allowed.
//!
//! To cover another command, add one line to [`CASES`]; placeholders name the hostile inputs.

use std::path::PathBuf;
use std::process::{Command, Output};

use dockaudit_shared::report::{CollectionError, Finding, Report, Target, TargetKind};
use dockaudit_shared::signoff::{
    BoundReport, Decision, DecisionKind, OverallDecision, Reviewer, Signature, Signoff, TargetRef,
};
use dockaudit_shared::{digest, test_support as samples};
use dockaudit_tests::{dockaudit_bin, fixture, TempDir};
use serde_json::{json, Value};

/// A terminal retitle and screen clear (the reproduction), a C1 CSI, a bidi override, a
/// line separator, zero-width space, a fake newline-led line, carriage return, NUL and DEL.
const HOSTILE: &str = "pwned\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}\u{2028}\u{200b}\r\nVALID — fake\x1b[8m\0\x7f";

/// `(arguments, whether the output must show the hostile text, escaped)`. Placeholders:
/// `{facts}` a snapshot whose containers, labels, images, history and host carry [`HOSTILE`];
/// `{report}`/`{report2}` sealed reports carrying it in every text field; `{named}` a tampered
/// report under a hostile file name; `{log}` a docker-bench-security log carrying it;
/// `{signoff}` a signed sign-off of `{report}` carrying it; `{allowed}` an empty allowed_signers
/// file; `{badjson}` a report whose
/// error message quotes it; `{badfacts}` a snapshot that fails to load; `{missing}` a missing
/// file with a hostile name; `{hostile}` the text itself; `{out}` a scratch directory.
const CASES: &[(&str, bool)] = &[
    ("scan --facts-in {facts}", true),
    (
        "scan --facts-in {facts} --fail-on never -o {out}/scan.txt --json-out {out}/scan.json",
        false,
    ),
    ("scan --facts-in {facts} --check {hostile}", true),
    ("scan --facts-in {badfacts}", true),
    ("import {log} -o {out}/imported.json", true),
    ("import {report}", false),
    ("convert {report} --to text", true),
    ("convert {log} --to text", true),
    ("convert {named} --to text", true),
    ("convert {named} --to csv -o {out}/named.csv", true),
    ("convert {badjson} --to text", true),
    ("convert {missing} --to text", true),
    ("diff {report} {report2}", true),
    ("diff {log} {report}", true),
    ("diff {named} {report}", true),
    ("diff {report} {report} {hostile}", true),
    ("checks", false),
    ("explain 5.4", false),
    ("explain {hostile}", true),
    (
        "signoff apply {report} {signoff} --allowed-signers {allowed} -o {out}/applied.json",
        false,
    ),
    (
        "signoff apply {report} {signoff} --allowed-signers {allowed} -o {report}",
        false,
    ),
    ("signoff verify {report} {signoff} --allowed-signers {allowed}", true),
];

/// The SGR codes `dockaudit`'s styler emits; nothing else may reach a colour terminal.
const STYLER_CODES: [&str; 9] = ["0", "1", "2", "32", "1;31", "33", "36", "35", "1;35"];

#[test]
fn no_output_path_prints_raw_control_characters() {
    let inputs = Inputs::new();
    for (args, shows) in CASES {
        let argv = inputs.argv(args);
        let out = Command::new(dockaudit_bin())
            .args(&argv)
            .env("NO_COLOR", "1")
            .output()
            .expect("dockaudit runs");
        check_run(args, &out);
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert_terminal_safe(&format!("{args} ({stream})"), bytes);
        }
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        if *shows {
            assert!(
                String::from_utf8_lossy(&all).contains("pwned"),
                "{args}: the hostile input was not exercised:\n{}",
                String::from_utf8_lossy(&all)
            );
        }
    }
}

/// The same commands on a pseudo-terminal (`script` from util-linux), where text output is in
/// colour: only the styler's SGR codes may appear.
#[test]
fn on_a_colour_terminal_only_the_stylers_codes_appear() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let inputs = Inputs::new();
    let mut coloured = 0;
    for (args, _) in CASES {
        let line = inputs
            .argv(args)
            .iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ");
        let command = format!("{} {line}", shell_quote(&dockaudit_bin().to_string_lossy()));
        let out = Command::new("script")
            .args(["--quiet", "--return", "--command", &command, "/dev/null"])
            .env_remove("NO_COLOR")
            .env("TERM", "xterm-256color")
            .output()
            .expect("script runs");
        check_run(args, &out);
        // The terminal turns each "\n" into "\r\n"; the styler's codes are allowed.
        let mut text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        if text.contains("\x1b[") {
            coloured += 1;
        }
        for code in STYLER_CODES {
            text = text.replace(&format!("\x1b[{code}m"), "");
        }
        assert_terminal_safe(&format!("{args} (terminal)"), text.as_bytes());
    }
    assert!(coloured >= 3, "colour output was exercised ({coloured} commands)");
}

/// The command ran to an exit code (0, 1 or 2) without panicking.
fn check_run(args: &str, out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{args}: {err}");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{args}: {:?}\n{err}",
        out.status
    );
}

/// No C0 control but newline, no DEL, no C1 control, and none of the invisible characters that
/// reorder or hide text.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let bad_byte = bytes.iter().enumerate().find(|(i, &b)| {
        (b < 0x20 && b != b'\n') || b == 0x7f || (b == 0xc2 && matches!(bytes.get(i + 1), Some(0x80..=0x9f)))
    });
    let text = String::from_utf8_lossy(bytes);
    assert!(
        bad_byte.is_none(),
        "{what}: raw control byte {:#04x} at {}:\n{text}",
        bad_byte.map_or(0, |(_, b)| *b),
        bad_byte.map_or(0, |(i, _)| i)
    );
    let invisible = text.chars().find(
        |c| matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'),
    );
    assert!(invisible.is_none(), "{what}: raw {invisible:?} in:\n{text}");
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The hostile files, written once per test into a scratch directory (removed on drop).
struct Inputs {
    _dir: TempDir,
    places: Vec<(&'static str, PathBuf)>,
}

impl Inputs {
    fn new() -> Self {
        let dir = TempDir::new("terminal");
        let out = dir.join("out");
        std::fs::create_dir_all(&out).unwrap();
        let report = hostile_report();
        let (sealed, report_digest) = digest::seal(&report).unwrap();
        let mut other = report.clone();
        other.run.id = format!("second{HOSTILE}");
        other.results.retain(|r| r.id != "5.5");
        // A status no reader knows: the load error quotes it.
        let mut bad_status: Value = serde_json::from_str(&sealed).unwrap();
        bad_status["results"][0]["status"] = Value::String(HOSTILE.into());
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let places = vec![
            ("{facts}", write("facts.json", &hostile_facts().to_string())),
            ("{report}", write("report.json", &sealed)),
            ("{report2}", write("report2.json", &digest::seal(&other).unwrap().0)),
            // The stored digest no longer matches: the warning names this file.
            (
                "{named}",
                write(
                    &format!("r{HOSTILE}.json").replace('\0', ""),
                    &sealed.replacen("pwned", "PWNED", 1),
                ),
            ),
            ("{log}", write("log.json", &hostile_log().to_string())),
            (
                "{signoff}",
                write("signoff.json", &hostile_signoff(&report, &report_digest)),
            ),
            ("{badjson}", write("bad.json", &bad_status.to_string())),
            // Nobody is allowed: the sign-off is reported, never accepted.
            ("{allowed}", write("allowed_signers", "")),
            (
                "{badfacts}",
                write(
                    "badfacts.json",
                    &json!({ "facts_version": 1, "collection": HOSTILE }).to_string(),
                ),
            ),
            (
                "{missing}",
                dir.join(&format!("missing{HOSTILE}.json").replace('\0', "")),
            ),
            ("{out}", out),
        ];
        Inputs { _dir: dir, places }
    }

    fn argv(&self, args: &str) -> Vec<String> {
        args.split_whitespace()
            .map(|word| {
                let mut word = word.replace("{hostile}", &HOSTILE.replace('\0', ""));
                for (name, path) in &self.places {
                    word = word.replace(name, &path.to_string_lossy());
                }
                assert!(!word.contains('{'), "unknown placeholder in {word}");
                word
            })
            .collect()
    }
}

/// A report with [`HOSTILE`] in every free-text field, host, run, check and finding.
fn hostile_report() -> Report {
    let mut r = samples::hostile();
    // One result per check: readers refuse a report that repeats one (it could hide a failure).
    let mut seen = std::collections::BTreeSet::new();
    r.results.retain(|result| seen.insert(result.id.clone()));
    r.host.hostname = Some(format!("host{HOSTILE}"));
    r.run.id = format!("run{HOSTILE}");
    r.tool.version = HOSTILE.into();
    r.benchmark.version = HOSTILE.into();
    for (i, result) in r.results.iter_mut().enumerate() {
        result.title = format!("{}{HOSTILE}", result.title);
        result.summary = format!("summary{HOSTILE}");
        result.findings.push(Finding {
            target: Target::new(
                TargetKind::Container,
                format!("id{i}{HOSTILE}"),
                format!("c{i}{HOSTILE}"),
            ),
            message: HOSTILE.into(),
            observed: HOSTILE.into(),
            expected: HOSTILE.into(),
            remediation: HOSTILE.into(),
        });
    }
    r.errors.push(CollectionError {
        source: format!("/etc/docker/daemon.json{HOSTILE}"),
        reason: HOSTILE.into(),
        affects: vec!["2.2".into()],
    });
    r.refresh_summary();
    r
}

/// The checked-in snapshot with [`HOSTILE`] in container names, images, labels, mounts, image
/// history, tags, the host name, the engine version and the reasons two facts are missing.
fn hostile_facts() -> Value {
    let text = std::fs::read_to_string(fixture("facts/debian12-docker20.10.json")).unwrap();
    let mut facts: Value = serde_json::from_str(&text).unwrap();
    let h = |s: &str| Value::String(format!("{s}{HOSTILE}"));
    for c in facts["containers"]["ok"].as_array_mut().unwrap() {
        c["name"] = h(c["name"].as_str().unwrap_or(""));
        c["image"] = h(c["image"].as_str().unwrap_or(""));
        c["labels"][format!("label{HOSTILE}")] = h("value");
        c["host_config"]["security_opt"].as_array_mut().unwrap().push(h("opt"));
        for m in c["mounts"].as_array_mut().unwrap() {
            m["source"] = h(m["source"].as_str().unwrap_or(""));
        }
    }
    for i in facts["images"]["ok"].as_array_mut().unwrap() {
        i["repo_tags"].as_array_mut().unwrap().push(h("tag"));
        i["labels"][format!("label{HOSTILE}")] = h("value");
        for step in i["history"]["ok"].as_array_mut().unwrap() {
            step["created_by"] = h("/bin/sh -c #(nop) ADD ");
            step["comment"] = h("comment");
        }
    }
    facts["host"]["hostname"] = h("host");
    facts["info"]["ok"]["name"] = h("name");
    facts["version"]["ok"]["version"] = h("20.10.24");
    let unavailable =
        json!({ "unavailable": { "source": format!("source{HOSTILE}"), "reason": format!("reason{HOSTILE}") } });
    facts["host"]["daemon_json"] = unavailable.clone();
    facts["host"]["audit_rules"] = unavailable;
    facts
}

/// The checked-in docker-bench-security log with [`HOSTILE`] in every description, detail,
/// remediation and item, and a result word nobody knows.
fn hostile_log() -> Value {
    let text = std::fs::read_to_string(fixture("dbs/docker-bench-log.json")).unwrap();
    let mut log: Value = serde_json::from_str(&text).unwrap();
    for section in log["tests"].as_array_mut().unwrap() {
        for r in section["results"].as_array_mut().unwrap() {
            for field in ["desc", "details", "remediation"] {
                r[field] = Value::String(format!("{}{HOSTILE}", r[field].as_str().unwrap_or("")));
            }
            r["items"] = json!([format!("item{HOSTILE}")]);
        }
        section["results"]
            .as_array_mut()
            .unwrap()
            .push(json!({ "id": format!("9.9{HOSTILE}"), "desc": HOSTILE, "result": format!("MAYBE{HOSTILE}") }));
    }
    log["dockerbenchsecurity"] = Value::String(format!("1.6.0{HOSTILE}"));
    log
}

/// A signed sign-off of `report` whose reviewer, comment and justifications carry [`HOSTILE`].
fn hostile_signoff(report: &Report, report_digest: &str) -> String {
    let mut s = Signoff::new(BoundReport::of(report, report_digest));
    let target = TargetRef {
        kind: TargetKind::Container,
        key: format!("id0{HOSTILE}"),
        name: String::new(),
    };
    let mut d = Decision::new("5.5", Some(target), DecisionKind::RiskAccepted, HOSTILE);
    d.recorded_at = Some("2026-01-07T09:00:00Z".into());
    s.record(d);
    s.signature = Some(Signature {
        reviewer: Reviewer {
            name: format!("Ada{HOSTILE}"),
            role: HOSTILE.into(),
            email: Some(HOSTILE.into()),
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::ApprovedWithExceptions,
        comment: format!("ok\n\nVALID — no effective failure remains\n\x1b[8m{HOSTILE}"),
    });
    s.seal().0
}
