//! `dockaudit signoff sign|verify|apply` on reports and sign-offs written to disk, signed with a
//! key made by the real `ssh-keygen`.

use std::process::Output;

use dockaudit_shared::digest;
use dockaudit_shared::report::{Report, Status, TargetKind};
use dockaudit_shared::signoff::{
    BoundReport, Decision, DecisionKind, OverallDecision, Reviewer, Signature, Signoff, TargetRef,
};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::{dockaudit, workspace_root, TempDir};

/// Monday's report sealed, and its digest.
fn monday() -> (String, String) {
    let (text, d) = digest::seal(&fixtures::monday()).unwrap();
    (text, d)
}

fn container(name: &str) -> Option<TargetRef> {
    Some(TargetRef {
        kind: TargetKind::Container,
        key: name.into(),
        name: String::new(),
    })
}

fn decision(check: &str, target: Option<TargetRef>, kind: DecisionKind, expires: Option<&str>) -> Decision {
    let mut d = Decision::new(check, target, kind, &format!("{check}: agreed with the platform team"));
    d.expires = expires.map(str::to_string);
    d.recorded_at = Some("2026-01-07T09:00:00Z".into());
    d
}

/// A sign-off of `report` (digest `d`) with `decisions` and the reviewer's statement, sealed: what
/// the viewer exports, before `dockaudit signoff sign`.
fn signed(report: &Report, d: &str, decisions: Vec<Decision>) -> String {
    let mut s = Signoff::new(BoundReport::of(report, d));
    for dec in decisions {
        s.record(dec);
    }
    s.signature = Some(Signature {
        reviewer: Reviewer {
            name: "Ada Reviewer".into(),
            role: "Security lead".into(),
            email: Some("ada@example.com".into()),
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::ApprovedWithExceptions,
        comment: "Memory limits follow in Q2.".into(),
    });
    s.seal().0
}

/// Decisions that settle every failure of Monday's report.
fn settling() -> Vec<Decision> {
    vec![
        decision("2.2", None, DecisionKind::CompensatingControl, None),
        decision("5.11", container("web"), DecisionKind::RiskAccepted, Some("2099-12-31")),
        decision("5.11", container("db"), DecisionKind::FalsePositive, None),
        decision("5.13", None, DecisionKind::RiskAccepted, None),
    ]
}

struct Case {
    dir: TempDir,
}

impl Case {
    /// The report and the sign-off, signed by Ada's key (listed in `allowed_signers`).
    fn new(report: &str, signoff: &str) -> Self {
        let case = Case::unsigned(report, signoff);
        case.sign();
        case
    }

    /// The files as given, and Ada's key pair and `allowed_signers` beside them.
    fn unsigned(report: &str, signoff: &str) -> Self {
        let dir = TempDir::new("signoff-cli");
        std::fs::write(dir.join("report.json"), report).unwrap();
        std::fs::write(dir.join("signoff.json"), signoff).unwrap();
        let key = dir.join("ada");
        let st = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f"])
            .arg(&key)
            .status()
            .expect("ssh-keygen runs");
        assert!(st.success());
        let public = std::fs::read_to_string(dir.join("ada.pub")).unwrap();
        std::fs::write(dir.join("allowed_signers"), format!("ada@example.com {public}")).unwrap();
        Case { dir }
    }

    fn sign(&self) {
        let (s, k) = (self.path("signoff.json"), self.path("ada"));
        let o = dockaudit(&["signoff", "sign", &s, "--key", &k]);
        assert_eq!(code(&o), 0, "{}", out(&o));
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    fn verify(&self, extra: &[&str]) -> Output {
        let (r, s) = (self.path("report.json"), self.path("signoff.json"));
        let a = self.path("allowed_signers");
        let mut args = vec![
            "signoff",
            "verify",
            r.as_str(),
            s.as_str(),
            "--allowed-signers",
            a.as_str(),
        ];
        args.extend_from_slice(extra);
        dockaudit(&args)
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn out(o: &Output) -> String {
    format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_matching_sign_off_that_settles_every_failure_is_valid() {
    let (text, d) = monday();
    let case = Case::new(&text, &signed(&fixtures::monday(), &d, settling()));
    let o = case.verify(&[]);
    let text = out(&o);
    assert_eq!(code(&o), 0, "{text}");
    for part in [
        "(intact)",
        "statement: Ada Reviewer (Security lead, ada@example.com)",
        "approved with exceptions",
        "4 applied, 0 expired",
        "Score: raw",
        "VALID — signed by ada@example.com (SHA256:",
        "; no effective failure remains",
    ] {
        assert!(text.contains(part), "{part:?} missing:\n{text}");
    }
    let o = case.verify(&["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["valid"], true);
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["outcome"], "VALID");
    assert_eq!(json["signoff_signature"]["state"], "verified");
    assert_eq!(json["signoff_signature"]["principal"], "ada@example.com");
    assert_eq!(json["report_digest"], d.as_str());
    assert_eq!(json["decisions"].as_array().map(Vec::len), Some(4));
}

#[test]
fn one_accepted_container_of_two_leaves_the_check_failing() {
    let (text, d) = monday();
    let mut decisions = settling();
    decisions.remove(2);
    let case = Case::new(&text, &signed(&fixtures::monday(), &d, decisions));
    let o = case.verify(&[]);
    let text = out(&o);
    assert_eq!(code(&o), 1, "{text}");
    assert!(text.contains("5.11 fail — undecided: container db"), "{text}");
    assert!(text.contains("VALID — signed by ada@example.com"), "{text}");
    assert!(text.contains("; 1 effective failure(s) remain (exit 1)"), "{text}");
}

#[test]
fn a_report_with_one_byte_changed_is_invalid() {
    let (text, d) = monday();
    let signoff = signed(&fixtures::monday(), &d, settling());
    // "node-1" → "node-2": one byte.
    let at = text.find("node-1").unwrap() + 5;
    let mut bytes = text.into_bytes();
    bytes[at] = b'2';
    let case = Case::new(&String::from_utf8(bytes).unwrap(), &signoff);
    let o = case.verify(&[]);
    let text = out(&o);
    assert_eq!(code(&o), 7, "{text}");
    assert!(text.contains("REPORT-MISMATCH"), "{text}");
    assert!(!text.contains("VALID —"), "{text}");
    assert!(text.contains("The report was changed after it was written"), "{text}");
    assert!(text.contains(&format!("bound to report {d}")), "{text}");
}

#[test]
fn a_sign_off_for_another_report_or_edited_after_export_is_invalid() {
    let (text, d) = monday();
    let tuesday = fixtures::sealed(&fixtures::tuesday());
    let case = Case::new(&tuesday, &signed(&fixtures::monday(), &d, settling()));
    let o = case.verify(&[]);
    assert_eq!(code(&o), 7, "{}", out(&o));
    assert!(out(&o).contains(&format!(
        "The sign-off is bound to report {d}, but this report is jcs-sha256:"
    )));

    // Edited after signing (the digest resealed, as a forger would): the signature breaks.
    let case = Case::new(&text, &signed(&fixtures::monday(), &d, settling()));
    let signed_text = std::fs::read_to_string(case.dir.join("signoff.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&signed_text.replace("Ada Reviewer", "Eve Reviewer")).unwrap();
    v.as_object_mut().unwrap().remove("digest");
    std::fs::write(case.dir.join("signoff.json"), digest::seal_value(v).unwrap().0).unwrap();
    let o = case.verify(&[]);
    assert_eq!(code(&o), 4, "{}", out(&o));
    assert!(out(&o).contains("changed after it was signed"), "{}", out(&o));

    // A draft is not a sign-off.
    let mut draft = Signoff::new(BoundReport::of(&fixtures::monday(), &d));
    draft.record(decision("5.13", None, DecisionKind::RiskAccepted, None));
    let case = Case::unsigned(&text, &draft.seal().0);
    let o = case.verify(&[]);
    assert_eq!(code(&o), 3);
    assert!(out(&o).contains("UNSIGNED"), "{}", out(&o));
    // …and cannot be signed before the reviewer's statement is in it.
    let (s, k) = (case.path("signoff.json"), case.path("ada"));
    let o = dockaudit(&["signoff", "sign", &s, "--key", &k]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("no reviewer statement"), "{}", out(&o));
}

#[test]
fn an_expired_decision_is_listed_and_no_longer_applies() {
    let (text, d) = monday();
    let mut decisions = settling();
    decisions[3] = decision("5.13", None, DecisionKind::RiskAccepted, Some("2026-01-31"));
    let case = Case::new(&text, &signed(&fixtures::monday(), &d, decisions));
    let o = case.verify(&[]);
    let text = out(&o);
    assert_eq!(code(&o), 1, "{text}");
    assert!(text.contains("1 expired"), "{text}");
    assert!(text.contains("Expired decisions no longer apply:"), "{text}");
    assert!(text.contains("5.13 · whole check: expired on 2026-01-31"), "{text}");
    assert!(text.contains("- 5.13 fail"), "{text}");
}

#[test]
fn malformed_sign_offs_are_refused_with_the_reason() {
    let (text, d) = monday();
    let good = signed(&fixtures::monday(), &d, settling());
    for (bad, expected) in [
        (good[..good.len() / 2].to_string(), "truncated"),
        ("{\"format\": \"dockaudit-signoff\", ".to_string() + "}", "not JSON"),
        (text.clone(), "This is a dockaudit report, not a sign-off"),
        (
            good.replace("\"5.13: agreed with the platform team\"", "\"\""),
            "Decision 4 (5.13 · whole check) is not valid: A justification is required",
        ),
        (
            good.replace("2099-12-31", "2099-02-30"),
            "\"2099-02-30\" is not a valid date",
        ),
        (
            good.replace("\"kind\": \"risk_accepted\"", "\"kind\": \"waived\""),
            "unknown variant `waived`",
        ),
    ] {
        let case = Case::unsigned(&text, &bad);
        let o = case.verify(&[]);
        assert_eq!(code(&o), 2, "{}", out(&o));
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(err.contains(expected), "{expected:?} missing from: {err}");
        assert!(err.contains("signoff.json"), "the message names the file: {err}");
    }
}

#[test]
fn apply_writes_the_effective_report_with_a_new_digest() {
    let (text, d) = monday();
    let mut decisions = settling();
    // Expired after the signing day, before today.
    decisions[3] = decision("5.13", None, DecisionKind::RiskAccepted, Some("2026-01-31"));
    let signoff = signed(&fixtures::monday(), &d, decisions);
    let case = Case::new(&text, &signoff);
    let output = case.path("effective.json");
    let (r, s, a) = (
        case.path("report.json"),
        case.path("signoff.json"),
        case.path("allowed_signers"),
    );
    let o = dockaudit(&["signoff", "apply", &r, &s, "--allowed-signers", &a, "-o", &output]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let written = std::fs::read_to_string(&output).unwrap();
    let loaded = dockaudit_shared::load::load(&written).unwrap();
    assert!(loaded.digest.is_valid());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let rep = &loaded.report;
    assert_eq!(rep.result("2.2").unwrap().status, Status::Info);
    assert_eq!(rep.result("5.11").unwrap().status, Status::Info);
    assert!(rep
        .result("5.11")
        .unwrap()
        .summary
        .contains("risk accepted for container web until 2099-12-31"));
    // The expired exception does not apply.
    assert_eq!(rep.result("5.13").unwrap().status, Status::Fail);
    let derived = rep.derived_from.as_ref().unwrap();
    assert_eq!(derived.digest.as_deref(), Some(d.as_str()));
    assert_eq!(derived.details["signer_principal"], "ada@example.com");
    let applied = rep.signoff.as_ref().unwrap();
    assert_eq!(applied.report_digest, d);
    assert_eq!(applied.signature.reviewer.name, "Ada Reviewer");
    assert_eq!(applied.raw_summary.counts.fail, 3);
    assert_eq!(rep.summary.counts.fail, 1);
    // It matches the checked-in report schema.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("shared/schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let value: serde_json::Value = serde_json::from_str(&written).unwrap();
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    // The sign-off is bound to the original: verifying it against the applied report fails.
    let o = dockaudit(&["signoff", "verify", &output, &s, "--allowed-signers", &a]);
    assert_eq!(code(&o), 7, "{}", out(&o));
    // The input report is never overwritten.
    let o = dockaudit(&["signoff", "apply", &r, &s, "--allowed-signers", &a, "-o", &r]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("which this command reads"), "{}", out(&o));
    assert_eq!(std::fs::read_to_string(&r).unwrap(), text);
    // A tampered report is not applied.
    std::fs::write(case.dir.join("report.json"), text.replace("node-1", "node-9")).unwrap();
    let o = dockaudit(&["signoff", "apply", &r, &s, "--allowed-signers", &a, "-o", &output]);
    assert_eq!(code(&o), 7, "{}", out(&o));
}

#[test]
fn sign_offs_match_the_checked_in_schema() {
    let (_, d) = monday();
    let case = Case::new(&monday().0, &signed(&fixtures::monday(), &d, settling()));
    let signoff: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.dir.join("signoff.json")).unwrap()).unwrap();
    assert!(signoff["ssh_signature"]["signature"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN SSH SIGNATURE-----"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("shared/schemas/signoff.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&signoff).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut bad = signoff.clone();
    bad["decisions"][0]["kind"] = "waived".into();
    assert!(!validator.is_valid(&bad));
}
