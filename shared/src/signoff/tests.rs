//! The sign-off rules end to end: binding, expiry, narrowing, verification, carry-forward, loading.

use super::apply::apply;
use super::carry::{carry_forward, CarryError};
use super::effective::{evaluate, DecisionStatus, EffectiveStatus, SignoffError};
use super::load::{load_signoff, SignoffLoadError};
use super::signing::{check_signing, SigningError};
use super::verify;
use super::*;
use crate::digest::{self, DigestCheck};
use crate::report::{Finding, Report, Status, Target, TargetKind};
use crate::test_support::report_with;
use serde_json::Value;

fn container(name: &str) -> Finding {
    Finding {
        target: Target::new(TargetKind::Container, format!("id-{name}"), name),
        message: format!("{name} has no memory limit"),
        observed: "Memory=0".into(),
        expected: "Memory>0".into(),
        remediation: String::new(),
    }
}

fn web() -> Option<TargetRef> {
    Some(TargetRef::of(&container("web").target))
}

fn db() -> Option<TargetRef> {
    Some(TargetRef::of(&container("db").target))
}

/// 5.11 fails on web and db, 5.13 fails on web, 5.9 is manual with a port finding on web, 2.2
/// fails without findings, 5.4 passes.
fn report() -> (Report, String) {
    let r = report_with(vec![
        ("2.2", Status::Fail, vec![]),
        ("5.4", Status::Pass, vec![]),
        ("5.9", Status::Manual, vec![container("web")]),
        ("5.11", Status::Fail, vec![container("web"), container("db")]),
        ("5.13", Status::Fail, vec![container("web")]),
    ]);
    let (text, d) = digest::seal(&r).unwrap();
    let sealed: Report = serde_json::from_str(&text).unwrap();
    (sealed, d)
}

fn signoff(digest: &str, r: &Report, decisions: Vec<Decision>) -> Signoff {
    let mut s = Signoff::new(BoundReport::of(r, digest));
    for d in decisions {
        s.record(d);
    }
    s
}

fn decision(check: &str, target: Option<TargetRef>, kind: DecisionKind) -> Decision {
    let mut d = Decision::new(check, target, kind, "reviewed with the team");
    if kind == DecisionKind::RemediationPlanned {
        d.due = Some("2026-03-31".into());
    }
    d
}

fn expiring(mut d: Decision, on: &str) -> Decision {
    d.expires = Some(on.into());
    d
}

fn effective(eval: &effective::Evaluation, id: &str) -> EffectiveStatus {
    eval.result(id).unwrap().effective
}

#[test]
fn a_decision_for_one_target_leaves_the_other_offender_failing() {
    let (r, d) = report();
    let s = signoff(&d, &r, vec![decision("5.11", web(), DecisionKind::RiskAccepted)]);
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    let e = eval.result("5.11").unwrap();
    assert_eq!(e.effective, EffectiveStatus::Unchanged(Status::Fail));
    assert_eq!(e.open_targets.len(), 1);
    assert_eq!(e.open_targets[0].name, "db");
    assert!(e.is_open());
    assert_eq!(eval.decisions[0].status, DecisionStatus::Applied);

    // Covering db too settles it: an exception is `info`, not scored.
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.11", web(), DecisionKind::RiskAccepted),
            decision("5.11", db(), DecisionKind::CompensatingControl),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.11"), EffectiveStatus::Excepted);
    assert_eq!(effective(&eval, "5.11").status(), Status::Info);
    // Raw: 1 pass of 4 scored; effective: 1 pass of 3.
    assert_eq!(eval.raw.score.value, Some(25.0));
    assert_eq!(eval.effective.score.value, Some(33.3));
    assert_eq!(eval.raw.counts.fail, 3);
    assert_eq!(eval.effective.counts.fail, 2);
}

#[test]
fn whole_check_decisions_cover_every_offender_and_targets_take_precedence() {
    let (r, d) = report();
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.11", None, DecisionKind::FalsePositive),
            decision("2.2", None, DecisionKind::FalsePositive),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.11"), EffectiveStatus::FalsePositive);
    assert_eq!(effective(&eval, "5.11").status(), Status::Pass);
    // A check without findings is settled by a whole-check decision.
    assert_eq!(effective(&eval, "2.2"), EffectiveStatus::FalsePositive);
    assert_eq!(eval.effective.score.value, Some(75.0));

    // A target-specific exception next to a whole-check false positive makes it excepted.
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.11", None, DecisionKind::FalsePositive),
            decision("5.11", db(), DecisionKind::RiskAccepted),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.11"), EffectiveStatus::Excepted);
}

#[test]
fn expiry_is_judged_against_today_not_the_signing_day() {
    let (r, d) = report();
    let s = signoff(
        &d,
        &r,
        vec![expiring(
            decision("5.13", None, DecisionKind::RiskAccepted),
            "2026-01-31",
        )],
    );
    // The expiry day itself still counts.
    for today in ["2026-01-01", "2026-01-31"] {
        let eval = evaluate(&r, &d, &s, today).unwrap();
        assert_eq!(effective(&eval, "5.13"), EffectiveStatus::Excepted, "{today}");
        assert_eq!(eval.lapsed().count(), 0);
    }
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.13"), EffectiveStatus::Unchanged(Status::Fail));
    assert_eq!(eval.decisions[0].status, DecisionStatus::Expired);
    assert!(
        eval.decisions[0].note.contains("2026-01-31"),
        "{}",
        eval.decisions[0].note
    );
    assert_eq!(eval.lapsed().collect::<Vec<_>>(), [0]);
    assert!(eval.failures().any(|f| f.id == "5.13"));
}

#[test]
fn a_planned_remediation_lapses_after_its_due_date() {
    let (r, d) = report();
    let s = signoff(&d, &r, vec![decision("5.13", web(), DecisionKind::RemediationPlanned)]);
    let eval = evaluate(&r, &d, &s, "2026-03-31").unwrap();
    assert_eq!(effective(&eval, "5.13"), EffectiveStatus::Excepted);
    let eval = evaluate(&r, &d, &s, "2026-04-01").unwrap();
    assert_eq!(effective(&eval, "5.13"), EffectiveStatus::Unchanged(Status::Fail));
    assert_eq!(eval.decisions[0].status, DecisionStatus::Overdue);
}

#[test]
fn manual_checks_are_verified_and_verifications_do_not_settle_automatic_failures() {
    let (r, d) = report();
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.9", None, DecisionKind::VerifiedPass),
            decision("5.13", None, DecisionKind::VerifiedPass),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.9"), EffectiveStatus::VerifiedPass);
    assert!(!eval.result("5.9").unwrap().is_open());
    assert_eq!(effective(&eval, "5.13"), EffectiveStatus::Unchanged(Status::Fail));
    assert_eq!(eval.decisions[1].status, DecisionStatus::Unsuited);

    // A verified failure of one target fails the whole manual check.
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.9", None, DecisionKind::VerifiedPass),
            decision("5.9", web(), DecisionKind::VerifiedFail),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    assert_eq!(effective(&eval, "5.9"), EffectiveStatus::VerifiedFail);
    assert_eq!(eval.effective.counts.fail, 4);
    assert_eq!(eval.effective.counts.manual, 0);
    // Open items: failed checks without decisions; 5.9 is decided.
    let open: Vec<&str> = eval.open().map(|e| e.id.as_str()).collect();
    assert_eq!(open, ["2.2", "5.11", "5.13"]);
}

#[test]
fn decisions_about_passing_checks_or_missing_targets_are_reported_not_applied() {
    let (r, d) = report();
    let gone = Some(TargetRef {
        kind: TargetKind::Container,
        key: "old-batch".into(),
        name: String::new(),
    });
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.4", None, DecisionKind::RiskAccepted),
            decision("5.11", gone, DecisionKind::RiskAccepted),
            decision("9.9", None, DecisionKind::RiskAccepted),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-02-01").unwrap();
    let states: Vec<DecisionStatus> = eval.decisions.iter().map(|s| s.status).collect();
    assert_eq!(
        states,
        [
            DecisionStatus::NotNeeded,
            DecisionStatus::Obsolete,
            DecisionStatus::Obsolete
        ]
    );
    assert_eq!(eval.effective, eval.raw);
}

#[test]
fn a_sign_off_for_another_report_is_refused_naming_both_digests() {
    let (r, d) = report();
    let s = signoff(&d, &r, vec![decision("5.13", None, DecisionKind::RiskAccepted)]);
    let other = format!("sha256:{}", "0".repeat(64));
    let err = evaluate(&r, &other, &s, "2026-02-01").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, SignoffError::Binding { .. }));
    assert!(text.contains(&d) && text.contains(&other), "{text}");
    assert!(matches!(
        evaluate(&r, &d, &s, "2026-2-1"),
        Err(SignoffError::BadToday(_))
    ));
}

#[test]
fn recording_replaces_the_same_scope_and_voids_a_signature() {
    let (r, d) = report();
    let mut s = signoff(&d, &r, vec![decision("5.11", web(), DecisionKind::RiskAccepted)]);
    s.signature = Some(signature());
    assert!(s.record(decision("5.11", web(), DecisionKind::FalsePositive)));
    assert_eq!(s.decisions.len(), 1);
    assert_eq!(s.decisions[0].kind, DecisionKind::FalsePositive);
    assert!(s.signature.is_none());
    assert!(!s.record(decision("5.11", None, DecisionKind::FalsePositive)));
    assert_eq!(s.decisions.len(), 2);
    s.signature = Some(signature());
    assert!(s.remove("5.11", web().as_ref()));
    assert_eq!(s.decisions.len(), 1);
    assert!(!s.remove("5.11", web().as_ref()));
}

fn signature() -> Signature {
    Signature {
        reviewer: Reviewer {
            name: "Ada Reviewer".into(),
            role: "Security lead".into(),
            email: Some("ada@example.com".into()),
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::ApprovedWithExceptions,
        comment: "Exceptions reviewed.".into(),
    }
}

#[test]
fn decisions_need_a_justification_and_valid_dates() {
    let today = Date::parse("2026-02-01").unwrap();
    let mut d = decision("5.11", None, DecisionKind::RiskAccepted);
    assert!(d.validate_new(today).is_ok());
    d.justification = " \n".into();
    assert!(matches!(d.validate(), Err(DecisionError::NoJustification(_))));
    let mut d = decision("5.11", None, DecisionKind::RemediationPlanned);
    d.due = None;
    assert_eq!(d.validate(), Err(DecisionError::NoDueDate));
    d.due = Some("2026-02-30".into());
    assert!(matches!(d.validate(), Err(DecisionError::BadDate { field: "due", .. })));
    d.due = Some("2026-01-31".into());
    assert!(d.validate().is_ok(), "old sign-offs keep past dates");
    assert!(matches!(d.validate_new(today), Err(DecisionError::InThePast { .. })));
    let mut d = decision("5.11", None, DecisionKind::FalsePositive);
    d.due = Some("2026-03-01".into());
    assert!(matches!(d.validate(), Err(DecisionError::DueNotAllowed(_))));
    let mut sig = signature();
    sig.reviewer.email = Some("ada at example".into());
    assert!(matches!(sig.validate(), Err(SignatureError::BadEmail(_))));
    sig.reviewer.email = None;
    sig.signed_at = "yesterday".into();
    assert!(matches!(sig.validate(), Err(SignatureError::BadTime(_))));
}

#[test]
fn carry_forward_offers_matching_decisions_and_lists_obsolete_ones() {
    let (old_report, old_digest) = report();
    let mut old = signoff(
        &old_digest,
        &old_report,
        vec![
            decision("5.11", web(), DecisionKind::RiskAccepted),
            decision("5.11", db(), DecisionKind::CompensatingControl),
            decision("5.13", None, DecisionKind::RemediationPlanned),
            expiring(decision("2.2", None, DecisionKind::RiskAccepted), "2026-01-10"),
            decision("5.9", None, DecisionKind::VerifiedPass),
        ],
    );
    old.signature = Some(signature());
    // The newer run: web is gone from 5.11 (cache is new), 5.13 still fails, 5.9 passes now.
    let mut newer = report_with(vec![
        ("2.2", Status::Fail, vec![]),
        ("5.9", Status::Pass, vec![]),
        ("5.11", Status::Fail, vec![container("db"), container("cache")]),
        ("5.13", Status::Fail, vec![container("web")]),
    ]);
    newer.run.started_at = "2026-01-20T00:00:00Z".into();
    let (_, new_digest) = digest::seal(&newer).unwrap();

    let cf = carry_forward(&old, &newer, &new_digest, "2026-01-20").unwrap();
    let offered: Vec<String> = cf.offers.iter().map(|o| o.decision.scope_label()).collect();
    assert_eq!(offered, ["5.11 · container db", "5.13 · whole check"]);
    assert_eq!(cf.offers[0].decision.justification, "reviewed with the team");
    assert_eq!(cf.obsolete.len(), 1);
    assert_eq!(cf.obsolete[0].decision.scope_label(), "5.11 · container web");
    assert!(cf.obsolete[0].reason.contains("no longer"), "{}", cf.obsolete[0].reason);
    assert_eq!(cf.not_needed.len(), 1);
    assert_eq!(cf.lapsed.len(), 1);

    // Nothing is applied: the old sign-off does not bind the newer report.
    assert!(evaluate(&newer, &new_digest, &old, "2026-01-20").is_err());
    assert_eq!(
        carry_forward(&old, &old_report, &old_digest, "2026-01-20"),
        Err(CarryError::SameReport)
    );
    let mut elsewhere = newer.clone();
    elsewhere.host.hostname = Some("host-b".into());
    assert!(matches!(
        carry_forward(&old, &elsewhere, &new_digest, "2026-01-20"),
        Err(CarryError::OtherHost { .. })
    ));
    let mut older = newer.clone();
    older.run.started_at = "2025-12-01T00:00:00Z".into();
    assert!(matches!(
        carry_forward(&old, &older, &new_digest, "2026-01-20"),
        Err(CarryError::NotNewer { .. })
    ));
}

#[test]
fn a_sealed_sign_off_loads_back_and_edits_are_detected() {
    let (r, d) = report();
    let mut s = signoff(
        &d,
        &r,
        vec![expiring(
            decision("5.11", web(), DecisionKind::RiskAccepted),
            "2026-06-30",
        )],
    );
    s.signature = Some(signature());
    let (text, seal) = s.seal();
    let loaded = load_signoff(&text).unwrap();
    assert_eq!(loaded.digest, DigestCheck::Valid(seal.clone()));
    assert_eq!(loaded.signoff.decisions, s.decisions);
    let edited = text.replace("reviewed with the team", "reviewed with the tram");
    assert!(matches!(
        load_signoff(&edited).unwrap().digest,
        DigestCheck::Mismatch { .. }
    ));
}

#[test]
fn malformed_sign_offs_get_specific_errors() {
    let (r, d) = report();
    let s = signoff(&d, &r, vec![decision("5.11", web(), DecisionKind::RiskAccepted)]);
    let (text, _) = s.seal();
    let err = |t: &str| load_signoff(t).unwrap_err();
    assert_eq!(err(""), SignoffLoadError::Empty);
    assert!(matches!(
        err(&text[..text.len() / 2]),
        SignoffLoadError::Truncated { .. }
    ));
    assert!(matches!(err("{,}"), SignoffLoadError::NotJson { .. }));
    let (report_text, _) = digest::seal(&r).unwrap();
    assert_eq!(err(&report_text), SignoffLoadError::IsAReport);
    assert!(matches!(err("[1]"), SignoffLoadError::NotASignoff { .. }));
    let newer = text.replacen("\"schema_version\": 2", "\"schema_version\": 7", 1);
    assert!(matches!(err(&newer), SignoffLoadError::NewerSchema { found: 7, .. }));
    let no_reason = text.replace("\"reviewed with the team\"", "\"\"");
    let e = err(&no_reason);
    assert!(matches!(e, SignoffLoadError::BadDecision { number: 1, .. }), "{e}");
    assert!(e.to_string().contains("5.11 · container web"), "{e}");
    let bad_date = text.replace(
        "\"justification\"",
        "\"expires\": \"2026-06-31\",\n      \"justification\"",
    );
    assert!(err(&bad_date).to_string().contains("2026-06-31"), "{}", err(&bad_date));
    let unknown = text.replace("\"justification\"", "\"why\": 1,\n      \"justification\"");
    let e = err(&unknown).to_string();
    assert!(e.contains("decisions[0]") && e.contains("why"), "{e}");
    let dup = {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let first = v["decisions"][0].clone();
        v["decisions"].as_array_mut().unwrap().push(first);
        v.to_string()
    };
    assert!(matches!(err(&dup), SignoffLoadError::Duplicate { .. }));
    let bad_binding = text.replace(&d, "sha256:abc");
    assert!(err(&bad_binding).to_string().contains("report.digest"));

    // Two members with one name: the second copy could hide from one reader.
    let shadow = text.replacen(
        "\"kind\": \"risk_accepted\"",
        "\"kind\": \"risk_accepted\", \"kind\": \"false_positive\"",
        1,
    );
    let e = err(&shadow);
    assert!(matches!(e, SignoffLoadError::DuplicateKey(_)), "{e:?}");
    assert!(e.to_string().contains("\"kind\""), "{e}");

    // Decisions are unique by check, target kind and key, whatever their display name says.
    let renamed = {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut second = v["decisions"][0].clone();
        second["target"]["name"] = "another label".into();
        v["decisions"].as_array_mut().unwrap().push(second);
        v.to_string()
    };
    assert!(matches!(err(&renamed), SignoffLoadError::Duplicate { .. }));

    // A statement dated after a decision lapsed.
    let mut late = s.clone();
    late.decisions[0].expires = Some("2026-01-31".into());
    late.signature = Some(signature());
    late.signature.as_mut().unwrap().signed_at = "2026-02-01T00:00:00Z".into();
    let e = err(&late.seal().0);
    assert!(
        matches!(e, SignoffLoadError::SignedAfterLapse { number: 1, .. }),
        "{e:?}"
    );
    late.signature.as_mut().unwrap().signed_at = "2026-01-31T23:00:00Z".into();
    assert!(load_signoff(&late.seal().0).is_ok());

    // Version 1 has no SSH signature; one claiming to is refused.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["schema_version"] = 1.into();
    assert!(load_signoff(&v.to_string()).is_ok());
    v["ssh_signature"] = serde_json::json!({"public_key": "x", "signature": "y"});
    assert_eq!(err(&v.to_string()), SignoffLoadError::SignatureInV1);
}

#[test]
fn applying_writes_effective_statuses_and_records_the_original() {
    let (r, d) = report();
    let mut s = signoff(
        &d,
        &r,
        vec![
            decision("5.13", None, DecisionKind::RiskAccepted),
            decision("2.2", None, DecisionKind::FalsePositive),
            expiring(decision("5.11", None, DecisionKind::RiskAccepted), "2026-01-01"),
        ],
    );
    assert_eq!(
        apply(&r, &d, &s, "sha256:x", "2026-02-01"),
        Err(SignoffError::NotSigned)
    );
    s.signature = Some(signature());
    let (_, sd) = s.seal();
    let out = apply(&r, &d, &s, &sd, "2026-02-01").unwrap();
    assert_eq!(out.result("5.13").unwrap().status, Status::Info);
    assert!(out
        .result("5.13")
        .unwrap()
        .summary
        .starts_with("Excepted by sign-off (risk accepted"));
    assert_eq!(out.result("2.2").unwrap().status, Status::Pass);
    assert_eq!(out.result("5.11").unwrap().status, Status::Fail);
    assert_eq!(out.derived_from.as_ref().unwrap().digest.as_deref(), Some(d.as_str()));
    let applied = out.signoff.as_ref().unwrap();
    assert_eq!(applied.changes.len(), 2);
    assert_eq!(applied.decisions[2].status, DecisionStatus::Expired);
    assert_eq!(applied.raw_summary, r.summary);
    assert_eq!(out.summary.counts.fail, 1);
    // The applied report round-trips through the loader with its own digest.
    let (text, new_digest) = digest::seal(&out).unwrap();
    assert_ne!(new_digest, d);
    let loaded = crate::load::load(&text).unwrap();
    assert!(loaded.digest.is_valid());
    assert!(
        !loaded.warnings.iter().any(|w| w.contains("summary")),
        "{:?}",
        loaded.warnings
    );
    assert_eq!(loaded.report.signoff, out.signoff);
}

#[test]
fn decisions_are_counted_and_paired_with_where_they_stand() {
    let (r, d) = report();
    let s = signoff(
        &d,
        &r,
        vec![
            decision("5.11", web(), DecisionKind::RiskAccepted),
            expiring(decision("5.13", None, DecisionKind::RiskAccepted), "2026-01-31"),
            decision("5.11", db(), DecisionKind::RemediationPlanned),
            decision("5.4", None, DecisionKind::RiskAccepted),
        ],
    );
    let eval = evaluate(&r, &d, &s, "2026-04-01").unwrap();
    assert_eq!(eval.count(DecisionStatus::Applied), 1);
    assert_eq!(eval.count(DecisionStatus::Expired), 1);
    assert_eq!(eval.count(DecisionStatus::Overdue), 1);
    assert_eq!(eval.count(DecisionStatus::NotNeeded), 1);
    assert_eq!(eval.lapsed().count(), 2);
    let pairs: Vec<(&str, DecisionStatus)> = eval
        .with_states(&s.decisions)
        .map(|(d, st)| (d.check.as_str(), st.status))
        .collect();
    assert_eq!(pairs[1], ("5.13", DecisionStatus::Expired));
    let not_applied: Vec<&str> = eval.not_applied(&s.decisions).map(|(d, _)| d.check.as_str()).collect();
    assert_eq!(not_applied, ["5.13", "5.11", "5.4"]);
    assert_eq!(eval.result("5.11").unwrap().open_target_labels(), ["container db"]);
    let manual: Vec<&str> = eval.open_manual().map(|e| e.id.as_str()).collect();
    assert_eq!(manual, ["5.9"]);
}

mod outcomes {
    //! One test per outcome state of `verify`, and the forged sign-off of issue 11.
    use super::*;
    use crate::load::{load, Loaded};
    use crate::sshsig::{self, AllowedSigners, SignatureState, NS_REPORT, NS_SIGNOFF};
    use ssh_key::private::{Ed25519Keypair, KeypairData};
    use ssh_key::PrivateKey;

    const NOW: i64 = 1_800_000_000; // 2027-01-15

    fn key(seed: u8) -> PrivateKey {
        PrivateKey::new(KeypairData::Ed25519(Ed25519Keypair::from_seed(&[seed; 32])), "k").unwrap()
    }

    fn allowed(entries: &[(&str, &PrivateKey)]) -> AllowedSigners {
        let text: String = entries
            .iter()
            .map(|(p, k)| format!("{p} {}\n", k.public_key().to_openssh().unwrap()))
            .collect();
        AllowedSigners::parse(&text).unwrap()
    }

    /// The report (signed by `collector` when given) as loaded from its file.
    fn report_file(collector: Option<&PrivateKey>) -> (Loaded, String) {
        let (r, _) = report();
        let mut r = r;
        r.digest = None;
        r.run.finished_at = "2026-01-05T10:01:00Z".into();
        let text = match collector {
            Some(k) => {
                sshsig::sign_document(serde_json::to_value(&r).unwrap(), k, NS_REPORT)
                    .unwrap()
                    .0
            }
            None => digest::seal(&r).unwrap().0,
        };
        (load(&text).unwrap(), text)
    }

    fn signed_signoff(report: &Loaded, reviewer: &PrivateKey) -> String {
        let mut s = Signoff::new(BoundReport::of(&report.report, report.digest.computed()));
        s.record(decision("5.11", None, DecisionKind::RiskAccepted));
        s.signature = Some(signature());
        let mut v = serde_json::to_value(&s).unwrap();
        v.as_object_mut().unwrap().remove("digest");
        sshsig::sign_document(v, reviewer, NS_SIGNOFF).unwrap().0
    }

    fn judge(report: &Loaded, signoff_text: &str, allowed: &AllowedSigners) -> verify::Verdict {
        verify::verify(report, &load_signoff(signoff_text).unwrap(), allowed, NOW)
    }

    #[test]
    fn valid_only_with_a_verified_signature_by_an_allowed_principal() {
        let (alice, collector) = (key(1), key(9));
        let (report, _) = report_file(Some(&collector));
        let text = signed_signoff(&report, &alice);
        let v = judge(
            &report,
            &text,
            &allowed(&[("alice@example.org", &alice), ("ci", &collector)]),
        );
        assert_eq!(v.outcome, verify::Outcome::Valid, "{:?}", v.problems);
        assert!(v.why().contains("signed by alice@example.org (SHA256:"), "{}", v.why());
        assert!(v.report_signature.is_verified());
        // The sign-off recorded who signed the report.
        let s = load_signoff(&text).unwrap();
        assert_eq!(
            s.signoff.report.signer,
            report.report.ssh_signature.as_ref().unwrap().fingerprint()
        );
        assert_eq!(s.signoff.schema_version, 2);
    }

    #[test]
    fn unsigned() {
        let (report, _) = report_file(None);
        let mut s = Signoff::new(BoundReport::of(&report.report, report.digest.computed()));
        s.signature = Some(signature());
        let v = judge(&report, &s.seal().0, &AllowedSigners::default());
        assert_eq!(v.outcome, verify::Outcome::Unsigned);
        assert_eq!(v.outcome.exit_code(), 3);
        // A draft without even a statement is unsigned as well.
        s.signature = None;
        let v = judge(&report, &s.seal().0, &AllowedSigners::default());
        assert_eq!(
            (v.outcome, &v.problems[..]),
            (verify::Outcome::Unsigned, &[verify::Problem::Unsigned][..])
        );
    }

    #[test]
    fn the_forged_signoff_of_issue_11_never_verifies() {
        // Hand-written from the README: reviewer "CISO", signed in 2099, every failure a false positive.
        let (report, _) = report_file(None);
        let forged = format!(
            r#"{{"format": "dockaudit-signoff", "schema_version": 1,
                "report": {{"digest": "{}", "run_id": "r", "started_at": "2026-01-05T10:00:00Z"}},
                "decisions": [{{"check": "5.11", "kind": "false_positive", "justification": "fine"}},
                              {{"check": "5.13", "kind": "false_positive", "justification": "fine"}},
                              {{"check": "2.2", "kind": "false_positive", "justification": "fine"}}],
                "signature": {{"reviewer": {{"name": "CISO", "role": "CISO"}}, "signed_at": "2099-01-01T00:00:00Z",
                               "decision": "approved"}}}}"#,
            report.digest.computed()
        );
        let (_, sealed) = digest::seal_value(serde_json::from_str(&forged).unwrap())
            .map(|(t, d)| (d, t))
            .unwrap();
        let v = judge(&report, &sealed, &allowed(&[("alice", &key(1))]));
        assert_eq!(v.outcome, verify::Outcome::Unsigned, "{:?}", v.problems);
        // Signed by a key that is not in allowed_signers, in version 2 with a real signature:
        let mallory = key(6);
        let mut v2: Value = serde_json::from_str(&sealed).unwrap();
        v2["schema_version"] = 2.into();
        v2["signature"]["signed_at"] = "2026-06-01T00:00:00Z".into();
        v2.as_object_mut().unwrap().remove("digest");
        let text = sshsig::sign_document(v2.clone(), &mallory, NS_SIGNOFF).unwrap().0;
        let v = judge(&report, &text, &allowed(&[("alice", &key(1))]));
        assert_eq!(v.outcome, verify::Outcome::SignerNotAllowed, "{:?}", v.problems);
        assert_eq!(v.outcome.exit_code(), 5);
        // …and signed "in 2099" even by an allowed key: refused as invalid.
        v2["signature"]["signed_at"] = "2099-01-01T00:00:00Z".into();
        let text = sshsig::sign_document(v2, &key(1), NS_SIGNOFF).unwrap().0;
        let v = judge(&report, &text, &allowed(&[("alice", &key(1))]));
        assert_eq!(v.outcome, verify::Outcome::SignatureInvalid, "{:?}", v.problems);
        assert!(v.why().contains("future"), "{}", v.why());
    }

    #[test]
    fn signature_invalid_after_one_changed_value() {
        let alice = key(1);
        let (report, _) = report_file(None);
        let text = signed_signoff(&report, &alice);
        // Change the justification and reseal the digest, as a forger would.
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["decisions"][0]["justification"] = "changed".into();
        let (text, _) = digest::seal_value(v).unwrap();
        let v = judge(&report, &text, &allowed(&[("alice", &alice)]));
        assert_eq!(v.outcome, verify::Outcome::SignatureInvalid);
        assert_eq!(v.signoff_signature.state(), SignatureState::Invalid);
        assert_eq!(v.outcome.exit_code(), 4);
    }

    #[test]
    fn an_edited_digest_alone_is_invalid_too() {
        let alice = key(1);
        let (report, _) = report_file(None);
        let text = signed_signoff(&report, &alice);
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["digest"] = format!("jcs-sha256:{}", "0".repeat(64)).into();
        let v = judge(&report, &v.to_string(), &allowed(&[("alice", &alice)]));
        assert_eq!(v.outcome, verify::Outcome::SignatureInvalid);
        assert!(
            matches!(v.problems[..], [verify::Problem::SignoffChanged { .. }]),
            "{:?}",
            v.problems
        );
    }

    #[test]
    fn outside_the_validity_window() {
        let alice = key(1);
        let (report, _) = report_file(None);
        let text = signed_signoff(&report, &alice);
        let a = AllowedSigners::parse(&format!(
            "alice valid-before=\"20250101\" {}",
            alice.public_key().to_openssh().unwrap()
        ))
        .unwrap();
        let v = judge(&report, &text, &a);
        assert_eq!(v.outcome, verify::Outcome::OutsideValidity);
        assert_eq!(v.outcome.exit_code(), 6);
    }

    #[test]
    fn report_mismatch() {
        let alice = key(1);
        let (report, text) = report_file(None);
        let signoff = signed_signoff(&report, &alice);
        let a = allowed(&[("alice", &alice)]);
        // One changed byte of the report.
        let changed = load(&text.replacen("host-a", "host-b", 1)).unwrap();
        let v = judge(&changed, &signoff, &a);
        assert_eq!(v.outcome, verify::Outcome::ReportMismatch);
        assert_eq!(v.outcome.exit_code(), 7);
        assert!(
            matches!(v.problems[0], verify::Problem::ReportChanged { .. }),
            "{:?}",
            v.problems
        );
        // Another report altogether.
        let (signed_report, _) = report_file(Some(&key(9)));
        let v = judge(&signed_report, &signoff, &a);
        assert_eq!(v.outcome, verify::Outcome::ReportMismatch);
        assert!(
            matches!(v.problems[0], verify::Problem::OtherReport { .. }),
            "{:?}",
            v.problems
        );
    }

    #[test]
    fn a_report_on_its_own() {
        let collector = key(9);
        let a = allowed(&[("ci@example.org", &collector)]);
        let (signed, text) = report_file(Some(&collector));
        let v = verify::verify_report(&signed, &a, NOW);
        assert_eq!(v.outcome, verify::Outcome::Valid, "{}", v.why);
        assert!(v.why.contains("ci@example.org"));
        let (unsigned, _) = report_file(None);
        assert_eq!(
            verify::verify_report(&unsigned, &a, NOW).outcome,
            verify::Outcome::Unsigned
        );
        assert_eq!(
            verify::verify_report(&signed, &AllowedSigners::default(), NOW).outcome,
            verify::Outcome::SignerNotAllowed
        );
        // A changed byte in a signed report breaks the signature first.
        let changed = load(&text.replacen("host-a", "host-b", 1)).unwrap();
        assert_eq!(
            verify::verify_report(&changed, &a, NOW).outcome,
            verify::Outcome::SignatureInvalid
        );
        // Changing it back and resealing the digest of an unsigned report is a digest mismatch.
        let (_, plain) = report_file(None);
        let changed = load(&plain.replacen("host-a", "host-b", 1)).unwrap();
        assert_eq!(
            verify::verify_report(&changed, &a, NOW).outcome,
            verify::Outcome::ReportMismatch
        );
    }

    #[test]
    fn every_outcome_has_its_own_exit_code() {
        let mut codes: Vec<u8> = verify::Outcome::ALL.iter().map(|o| o.exit_code()).collect();
        codes.dedup();
        assert_eq!(codes, [0, 3, 4, 5, 6, 7]);
    }
}

#[test]
fn signing_needs_a_sealed_report_and_every_open_item_decided() {
    let (r, d) = report();
    let sealed = DigestCheck::Valid(d.clone());
    let judge = |decisions: Vec<Decision>| evaluate(&r, &d, &signoff(&d, &r, decisions), "2026-02-01").unwrap();
    let undecided = judge(vec![decision("5.11", None, DecisionKind::RiskAccepted)]);
    assert_eq!(check_signing(&sealed, &undecided, OverallDecision::Rejected), Ok(()));
    let err = check_signing(&sealed, &undecided, OverallDecision::ApprovedWithExceptions).unwrap_err();
    assert_eq!(
        err,
        SigningError::Undecided {
            decision: OverallDecision::ApprovedWithExceptions,
            open: 3,
            failing: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "\"approved with exceptions\" needs every failed and manual check decided: 3 still open, 2 failing after the decisions. Decide them or sign as \"rejected\"."
    );

    let all = |first: DecisionKind| {
        judge(vec![
            decision("2.2", None, first),
            decision("5.9", None, DecisionKind::VerifiedPass),
            decision("5.11", None, DecisionKind::FalsePositive),
            decision("5.13", None, DecisionKind::FalsePositive),
        ])
    };
    let excepted = all(DecisionKind::RiskAccepted);
    assert_eq!(
        check_signing(&sealed, &excepted, OverallDecision::ApprovedWithExceptions),
        Ok(())
    );
    let err = check_signing(&sealed, &excepted, OverallDecision::Approved).unwrap_err();
    assert_eq!(err, SigningError::Excepted { excepted: 1 });
    assert!(err.to_string().contains("approved with exceptions"), "{err}");
    let clean = all(DecisionKind::FalsePositive);
    assert_eq!(check_signing(&sealed, &clean, OverallDecision::Approved), Ok(()));

    let changed = DigestCheck::Mismatch {
        stored: d.clone(),
        computed: d.clone(),
    };
    assert_eq!(
        check_signing(&changed, &clean, OverallDecision::Rejected),
        Err(SigningError::ReportChanged)
    );
    let unsealed = DigestCheck::Missing { computed: d };
    assert_eq!(
        check_signing(&unsealed, &clean, OverallDecision::Approved),
        Err(SigningError::ReportUnsealed)
    );
}
