//! Sign-off in the real viewer (headless Chromium over WebDriver), and the evidence view printed
//! to PDF by Chromium itself and read back with `pdftotext` (Debian's poppler-utils).
//!
//! Like `viewer_browser.rs`, each test serves `viewer/dist` and reports generated in code, starts
//! its own chromedriver with a fresh profile (downloads go to a scratch directory), and asserts on
//! `data-testid` attributes. A missing browser or `pdftotext` fails the tests.

use dockaudit_shared::report::{Report, TargetKind};
use dockaudit_shared::signoff::effective::evaluate;
use dockaudit_shared::signoff::load::load_signoff;
use dockaudit_shared::signoff::{
    BoundReport, Decision, DecisionKind, OverallDecision, Reviewer, Signature, Signoff, TargetRef,
};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::browser;
use dockaudit_tests::browser::pdf::{require_poppler, Printed};
use dockaudit_tests::browser::reports::{digest_of, manual_id, signable};
use dockaudit_tests::TempDir;
use support::{with_session, Session};

mod support;

impl Session {
    /// Records a decision from the open check detail.
    async fn record(
        &self,
        scope: &str,
        kind: DecisionKind,
        justification: &str,
        expires: Option<&str>,
        due: Option<&str>,
    ) {
        self.click(&format!("[data-testid=decision-scope] option[value='{scope}']"))
            .await;
        self.click(&format!(
            "[data-testid=decision-kind] option[value='{}']",
            kind.as_str()
        ))
        .await;
        self.type_into("[data-testid=decision-justification]", justification)
            .await;
        if let Some(d) = due {
            self.set_date("[data-testid=decision-due]", d).await;
        }
        if let Some(e) = expires {
            self.set_date("[data-testid=decision-expires]", e).await;
        }
        let before = self.count("[data-testid=decision-item]").await;
        self.click("[data-testid=decision-record]").await;
        self.wait_count("[data-testid=decision-item]", before + 1).await;
    }

    async fn open_check(&self, id: &str) {
        self.click(&format!("[data-testid=check-row][data-check-id='{id}']"))
            .await;
        self.find(&format!(
            "[data-testid=check-detail][data-check-id='{id}'] [data-testid=decision-panel]"
        ))
        .await;
    }
}

fn container(name: &str) -> Option<TargetRef> {
    Some(TargetRef {
        kind: TargetKind::Container,
        key: name.into(),
        name: String::new(),
    })
}

#[tokio::test]
async fn decisions_survive_a_reload_export_clear_import_and_another_report_is_refused() {
    let monday = fixtures::sealed(&fixtures::monday());
    let tuesday = fixtures::sealed(&fixtures::tuesday());
    let (monday_digest, tuesday_digest) = (digest_of(&monday), digest_of(&tuesday));
    let manual = manual_id();
    let files = [("monday.json", monday.clone()), ("tuesday.json", tuesday)];
    with_session("signoff", &files, |s| {
        Box::pin(async move {
            s.open("report=reports/monday.json&check=5.11").await;
            s.find("[data-testid=decision-panel]").await;
            // A justification is required.
            s.click("[data-testid=decision-record]").await;
            s.wait_contains("[data-testid=decision-error]", "justification is required")
                .await;

            // One of two offending containers accepted: the check stays failed.
            s.record(
                "0",
                DecisionKind::RiskAccepted,
                "web is a demo; the VM caps memory",
                Some("2099-12-31"),
                None,
            )
            .await;
            s.wait_attr("[data-testid=effective-status]", "data-effective", "fail")
                .await;
            s.wait_contains("[data-testid=effective-status]", "container db").await;
            assert_eq!(
                s.texts("[data-testid=decision-justification-text]").await,
                ["web is a demo; the VM caps memory"]
            );

            // The whole of 5.13, with a planned fix.
            s.open_check("5.13").await;
            s.record(
                "",
                DecisionKind::RemediationPlanned,
                "read-only rootfs in the next release",
                None,
                Some("2099-06-30"),
            )
            .await;
            s.wait_attr("[data-testid=effective-status]", "data-effective", "excepted")
                .await;

            // A manual check verified.
            s.open_check(manual).await;
            s.record(
                "",
                DecisionKind::VerifiedPass,
                "checked on the host by hand",
                None,
                None,
            )
            .await;
            s.wait_attr("[data-testid=effective-status]", "data-effective", "verified_pass")
                .await;

            // Reload: nothing lost.
            s.client.refresh().await.expect("reload");
            s.find(&format!(
                "[data-testid=check-detail][data-check-id='{manual}'] [data-testid=decision-item]"
            ))
            .await;
            s.click("[data-testid=mode-signoff]").await;
            s.find("[data-testid=signoff-view]").await;
            assert!(s
                .texts("[data-testid=open-item]")
                .await
                .iter()
                .any(|t| t.contains("5.11") && t.contains("undecided: container db")));
            s.click("[data-testid=step-review]").await;
            s.wait_count("[data-testid=summary-excepted]", 2).await;
            assert_eq!(s.count("[data-testid=summary-approved]").await, 1);
            // Scores raw and effective, as the shared evaluation computes them.
            let report = fixtures::monday();
            let mut expected = Signoff::new(BoundReport::of(&report, &monday_digest));
            expected.record(Decision::new("5.11", container("web"), DecisionKind::RiskAccepted, "x"));
            let mut planned = Decision::new("5.13", None, DecisionKind::RemediationPlanned, "x");
            planned.due = Some("2099-06-30".into());
            expected.record(planned);
            expected.record(Decision::new(manual, None, DecisionKind::VerifiedPass, "x"));
            let eval = evaluate(&report, &monday_digest, &expected, "2026-01-07").unwrap();
            assert_eq!(
                s.trimmed_text("[data-testid=raw-score]").await,
                eval.raw.score.display()
            );
            assert_eq!(
                s.trimmed_text("[data-testid=effective-score]").await,
                eval.effective.score.display()
            );
            assert_ne!(eval.raw.score, eval.effective.score);

            // Export.
            s.click("[data-testid=signoff-export]").await;
            let file = s.rig.downloads.join("signoff-node-1-2026-01-05.json");
            let exported = s
                .eventually("the exported sign-off", || async {
                    std::fs::read_to_string(&file).ok().filter(|t| t.ends_with('\n'))
                })
                .await;
            let loaded = load_signoff(&exported).expect("the export loads");
            assert!(loaded.digest.is_valid());
            assert_eq!(loaded.signoff.report.digest, monday_digest);
            assert_eq!(loaded.signoff.decisions.len(), 3);
            s.wait_contains(
                "[data-testid=signoff-message]",
                "Exported the sign-off as signoff-node-1-2026-01-05.json",
            )
            .await;

            // Clear: gone, also after a reload.
            s.click("[data-testid=signoff-clear]").await;
            s.wait_count("[data-testid=summary-excepted]", 0).await;
            assert_eq!(
                s.trimmed_text("[data-testid=effective-score]").await,
                eval.raw.score.display()
            );
            s.client.refresh().await.expect("reload");
            s.find("[data-testid=signoff-view]").await;
            s.click("[data-testid=step-review]").await;
            s.wait_count("[data-testid=summary-excepted]", 0).await;

            // Import: applied.
            s.pick("[data-testid=signoff-import-input]", &file).await;
            s.wait_contains(
                "[data-testid=signoff-message]",
                "Imported signoff-node-1-2026-01-05.json: 3 decision(s)",
            )
            .await;
            s.wait_count("[data-testid=summary-excepted]", 2).await;
            assert_eq!(
                s.trimmed_text("[data-testid=effective-score]").await,
                eval.effective.score.display()
            );

            // The same file against Tuesday's report: refused, naming both digests; matching
            // decisions offered for re-approval, none applied.
            s.open("report=reports/tuesday.json&view=signoff").await;
            s.find("[data-testid=signoff-view]").await;
            s.click("[data-testid=step-review]").await;
            s.pick("[data-testid=signoff-import-input]", &file).await;
            s.wait_attr("[data-testid=signoff-message]", "data-kind", "error").await;
            let message = s.trimmed_text("[data-testid=signoff-message]").await;
            assert!(
                message.contains(&monday_digest) && message.contains(&tuesday_digest),
                "{message}"
            );
            assert!(message.contains("not applied"), "{message}");
            assert_eq!(s.count("[data-testid=summary-excepted]").await, 0);
            s.wait_count("[data-testid=carry-offer]", 2).await;
            assert!(s
                .texts("[data-testid=carry-justification]")
                .await
                .contains(&"read-only rootfs in the next release".to_string()));
            let obsolete = s.texts("[data-testid=carry-obsolete]").await;
            assert_eq!(obsolete.len(), 1);
            assert!(obsolete[0].contains("5.11 · container web"), "{obsolete:?}");
            s.click("[data-testid=carry-offer][data-check-id='5.13'] [data-testid=carry-reapprove]")
                .await;
            s.wait_count("[data-testid=carry-taken]", 1).await;
            s.wait_count("[data-testid=summary-excepted]", 1).await;
        })
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_signs_and_the_evidence_view_shows_every_decision() {
    let text = fixtures::sealed(&signable());
    let d = digest_of(&text);
    let manual = manual_id();
    with_session("signoff", &[("signable.json", text)], |s| {
        Box::pin(async move {
            s.open("report=reports/signable.json&view=signoff").await;
            s.wait_count("[data-testid=open-item]", 2).await;
            s.click("[data-testid=open-item][data-check-id='5.11'] button").await;
            s.find("[data-testid=check-detail][data-check-id='5.11'] [data-testid=decision-panel]")
                .await;
            s.record(
                "0",
                DecisionKind::RiskAccepted,
                "web: accepted until the Q3 migration",
                Some("2099-09-30"),
                None,
            )
            .await;
            s.record(
                "1",
                DecisionKind::FalsePositive,
                "db: limit set by the orchestrator",
                None,
                None,
            )
            .await;
            s.wait_attr("[data-testid=effective-status]", "data-effective", "excepted")
                .await;
            s.open_check(manual).await;
            s.record("", DecisionKind::VerifiedPass, "verified on the host", None, None)
                .await;

            s.click("[data-testid=mode-signoff]").await;
            s.wait_count("[data-testid=open-item]", 0).await;
            // "approved" is refused while an exception stands.
            s.click("[data-testid=signer-decision] option[value=approved]").await;
            s.wait_contains("[data-testid=sign-hint]", "approved with exceptions")
                .await;
            s.click("[data-testid=signer-decision] option[value=approved_with_exceptions]")
                .await;
            s.type_into("[data-testid=signer-name]", "Ada Reviewer").await;
            s.type_into("[data-testid=signer-role]", "Security lead").await;
            s.type_into("[data-testid=signer-email]", "ada@example.com").await;
            s.type_into("[data-testid=signer-comment]", "Memory limits for web follow in Q3.")
                .await;
            s.click("[data-testid=signer-submit]").await;
            s.wait_contains(
                "[data-testid=signature-block]",
                "approved with exceptions by Ada Reviewer (Security lead, ada@example.com)",
            )
            .await;

            s.click("[data-testid=signoff-evidence]").await;
            s.find("[data-testid=evidence-view]").await;
            assert!(s.query().await.contains("view=evidence"));
            assert_eq!(s.trimmed_text("[data-testid=ev-report-digest]").await, d);
            assert_eq!(s.trimmed_text("[data-testid=ev-reviewer]").await, "Ada Reviewer");
            assert_eq!(
                s.trimmed_text("[data-testid=ev-decision-overall]").await,
                "approved with exceptions"
            );
            assert!(s
                .trimmed_text("[data-testid=ev-signoff-digest]")
                .await
                .starts_with("jcs-sha256:"));
            assert_eq!(s.count("[data-testid=ev-check]").await, 2);
            let justifications = s.texts("[data-testid=ev-justification]").await;
            for j in [
                "web: accepted until the Q3 migration",
                "db: limit set by the orchestrator",
                "verified on the host",
            ] {
                assert!(
                    justifications.contains(&j.to_string()),
                    "{j} missing from {justifications:?}"
                );
            }
            assert_eq!(
                s.trimmed_text("[data-check-id='5.11'] [data-testid=ev-effective]")
                    .await,
                "excepted"
            );
            assert_eq!(s.trimmed_text("[data-testid=ev-effective-score]").await, "100.0");
            // Changing a decision after signing removes the signature.
            s.click("[data-testid=mode-report]").await;
            s.open_check("5.11").await;
            s.click("[data-testid=decision-item][data-scope=db] [data-testid=decision-remove]")
                .await;
            s.click("[data-testid=mode-signoff]").await;
            s.wait_contains("[data-testid=signoff-message]", "sign again").await;
            // db is open again: the flow is back at Decide, its form open.
            s.find("[data-testid=signoff-view][data-step=decide]").await;
            s.find("[data-testid=open-item][data-check-id='5.11'] [data-testid=decision-form]")
                .await;
        })
    })
    .await;
}

/// A signed sign-off of Monday's report, with an exception, a false positive and an expired one.
fn signed_monday(report: &Report, d: &str) -> String {
    let mut s = Signoff::new(BoundReport::of(report, d));
    let mut web = Decision::new(
        "5.11",
        container("web"),
        DecisionKind::RiskAccepted,
        "Web tier memory is capped by the VM",
    );
    web.expires = Some("2099-12-31".into());
    s.record(web);
    s.record(Decision::new(
        "5.11",
        container("db"),
        DecisionKind::FalsePositive,
        "db sets its limit through cgroups",
    ));
    let mut old = Decision::new(
        "2.2",
        None,
        DecisionKind::CompensatingControl,
        "Host firewall isolates bridges",
    );
    // Valid when signed (2026-01-07), lapsed by the time anyone looks (a sign-off signed after a
    // decision's expiry is refused).
    old.expires = Some("2026-06-30".into());
    s.record(old);
    s.signature = Some(Signature {
        reviewer: Reviewer {
            name: "Grace Auditor-Reviewer".into(),
            role: "Compliance officer".into(),
            email: None,
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::Rejected,
        comment: "Inter-container traffic must be restricted first.".into(),
    });
    s.seal().0
}

#[tokio::test]
async fn a_linked_sign_off_is_shown_in_the_evidence_view_of_a_fresh_browser() {
    let report = fixtures::monday();
    let text = fixtures::sealed(&report);
    let d = digest_of(&text);
    let signoff = signed_monday(&report, &d);
    with_session("signoff", &[("monday.json", text), ("signoff.json", signoff)], |s| {
        Box::pin(async move {
            s.open("report=reports/monday.json&view=evidence&signoff=reports/signoff.json")
                .await;
            s.wait_contains("[data-testid=ev-reviewer]", "Grace Auditor-Reviewer")
                .await;
            assert_eq!(s.trimmed_text("[data-testid=ev-decision-overall]").await, "rejected");
            assert_eq!(
                s.trimmed_text("[data-check-id='5.11'] [data-testid=ev-effective]")
                    .await,
                "excepted"
            );
            assert_eq!(
                s.trimmed_text("[data-check-id='2.2'] [data-testid=ev-effective]").await,
                "fail"
            );
            assert_eq!(
                s.count("[data-check-id='2.2'] [data-testid=ev-decision][data-state=expired]")
                    .await,
                1
            );
            assert_eq!(s.count("[data-testid=ev-not-applied]").await, 1);
            // Imported once: the link no longer names it, and it is kept in this browser.
            s.eventually("the link to drop the sign-off", || async {
                (!s.query().await.contains("signoff=")).then_some(())
            })
            .await;
            s.client.refresh().await.expect("reload");
            s.wait_contains("[data-testid=ev-reviewer]", "Grace Auditor-Reviewer")
                .await;
        })
    })
    .await;
}

#[test]
fn the_evidence_view_prints_to_pdf_with_the_decisions() {
    browser::require_browser();
    require_poppler();
    let _one_at_a_time = browser::browser_lock();
    let report = fixtures::monday();
    let text = fixtures::sealed(&report);
    let d = digest_of(&text);
    let reports = TempDir::new("signoff-pdf-reports");
    std::fs::write(reports.join("monday.json"), &text).unwrap();
    std::fs::write(reports.join("signoff.json"), signed_monday(&report, &d)).unwrap();
    let server = browser::serve(&browser::viewer_dist(), reports.path()).unwrap();
    let url = server.url("?report=reports/monday.json&view=evidence&signoff=reports/signoff.json");
    let content = Printed::print(&url, "signoff-pdf").text();
    // pdftotext may break long lines; compare with whitespace removed where it matters.
    let flat: String = content.split_whitespace().collect();
    for part in [
        "Compliance sign-off evidence",
        "node-1",
        "Grace Auditor-Reviewer",
        "Compliance officer",
        "rejected",
        "Web tier memory is capped by the VM",
        "db sets its limit through cgroups",
        "Host firewall isolates bridges",
        "expired on 2026-06-30",
        "5.11",
        "web has no memory limit",
    ] {
        let squashed: String = part.split_whitespace().collect();
        assert!(
            flat.contains(&squashed),
            "{part:?} missing from the PDF text:\n{content}"
        );
    }
    assert!(
        flat.contains(&d),
        "the report digest {d} is missing from the PDF text:\n{content}"
    );
    // No controls on paper.
    for control in ["Record decision", "Print or save as PDF", "Open reports", "Dark theme"] {
        assert!(!content.contains(control), "{control:?} printed:\n{content}");
    }
    drop(server);
}
