//! SSH signatures in the real viewer (headless Chromium over WebDriver): a report signed by the
//! collector's key and a sign-off signed by the reviewer's key, both made by the real `ssh-keygen`,
//! verified in wasm against an allowed_signers file loaded in the page; then one changed byte of
//! the sign-off shows "invalid".

use std::path::Path;
use std::process::Command;

use dockaudit_shared::digest;
use dockaudit_shared::signoff::{BoundReport, OverallDecision, Reviewer, Signature, Signoff};
use dockaudit_shared::sshsig::{self, NS_REPORT, NS_SIGNOFF};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::TempDir;
use serde_json::Value;
use support::{css, with_session, Session};

mod support;

/// A key pair made by ssh-keygen; returns the private key's path.
fn keygen(dir: &TempDir, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen runs");
    assert!(st.success());
    path
}

/// Signs a document with `ssh-keygen -Y sign` over its documented bytes and puts the signature in.
fn sign_with_ssh_keygen(dir: &TempDir, key: &Path, namespace: &str, mut value: Value) -> String {
    value.as_object_mut().unwrap().remove("digest");
    let bytes = dir.join(&format!("{namespace}.bytes"));
    std::fs::write(&bytes, digest::signed_bytes(&value)).unwrap();
    let st = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", namespace, "-f"])
        .arg(key)
        .arg(&bytes)
        .status()
        .unwrap();
    assert!(st.success());
    let armour = std::fs::read_to_string(dir.join(&format!("{namespace}.bytes.sig"))).unwrap();
    let sig = sshsig::from_armored(&armour).unwrap();
    sshsig::attach(value, &sig).unwrap().0
}

impl Session {
    async fn wait_state(&self, testid: &str, state: &str) -> fantoccini::elements::Element {
        let selector = format!("[data-testid={testid}][data-state={state}]");
        self.eventually(&selector, || async { self.client.find(css(&selector)).await.ok() })
            .await
    }
}

#[tokio::test]
async fn a_signed_report_and_sign_off_verify_in_the_browser_and_one_changed_byte_is_invalid() {
    let dir = TempDir::new("viewer-signatures");
    let (ci, ada) = (keygen(&dir, "ci"), keygen(&dir, "ada"));
    let public = |k: &Path| std::fs::read_to_string(k.with_extension("pub")).unwrap();
    let allowed = dir.join("allowed_signers");
    std::fs::write(
        &allowed,
        format!(
            "ada@example.org namespaces=\"dockaudit-signoff\" {}ci@example.org namespaces=\"dockaudit-report\" {}",
            public(&ada),
            public(&ci)
        ),
    )
    .unwrap();

    let report_text = sign_with_ssh_keygen(&dir, &ci, NS_REPORT, serde_json::to_value(fixtures::monday()).unwrap());
    let report = dockaudit_shared::load::load(&report_text).unwrap();
    let mut so = Signoff::new(BoundReport::of(&report.report, report.digest.computed()));
    so.signature = Some(Signature {
        reviewer: Reviewer {
            name: "Ada Reviewer".into(),
            role: "Security lead".into(),
            email: None,
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::Rejected,
        comment: "Too many open items.".into(),
    });
    let signoff_text = sign_with_ssh_keygen(&dir, &ada, NS_SIGNOFF, serde_json::to_value(&so).unwrap());
    // One changed byte in what the reviewer signed.
    let tampered = dir.join("signoff-tampered.json");
    std::fs::write(&tampered, signoff_text.replacen("Too many", "Too manx", 1)).unwrap();

    let files = [("signed.json", report_text), ("signoff.json", signoff_text)];
    with_session("signatures", &files, |s| {
        let (allowed, tampered) = (allowed.clone(), tampered.clone());
        Box::pin(async move {
            s.open("report=reports/signed.json&view=signoff&signoff=reports/signoff.json")
                .await;
            // Before allowed signers are loaded nothing shows as signed by anyone.
            let e = s.wait_state("signoff-signature", "not_allowed").await;
            assert!(!e.text().await.unwrap().contains("signed by"));
            s.find("[data-testid=allowed-import-input]")
                .await
                .send_keys(&allowed.display().to_string())
                .await
                .expect("choose file");
            let e = s.wait_state("signoff-signature", "verified").await;
            assert_eq!(
                e.attr("data-principal").await.unwrap().as_deref(),
                Some("ada@example.org")
            );
            let text = e.text().await.unwrap();
            assert!(text.contains("signed by ada@example.org (SHA256:"), "{text}");
            let e = s.wait_state("report-signature", "verified").await;
            assert_eq!(
                e.attr("data-principal").await.unwrap().as_deref(),
                Some("ci@example.org")
            );
            let principals = s.find("[data-testid=allowed-signers]").await;
            assert!(principals
                .text()
                .await
                .unwrap()
                .contains("ada@example.org, ci@example.org"));

            // The evidence view prints the status and the fingerprint.
            s.click("[data-testid=signoff-evidence]").await;
            s.wait_state("ev-signoff-signature", "verified").await;
            let fp = s
                .find("[data-testid=ev-signoff-fingerprint]")
                .await
                .text()
                .await
                .unwrap();
            assert!(fp.starts_with("SHA256:"), "{fp}");
            s.wait_state("ev-report-signature", "verified").await;

            // One changed byte of the sign-off: imported, and shown as invalid.
            s.open("report=reports/signed.json&view=signoff").await;
            s.find("[data-testid=signoff-import-input]")
                .await
                .send_keys(&tampered.display().to_string())
                .await
                .expect("choose file");
            let e = s.wait_state("signoff-signature", "invalid").await;
            assert!(e.text().await.unwrap().contains("INVALID"));
            // The allowed signers were kept in the browser across the reload.
            let kept = s.find("[data-testid=allowed-signers]").await.text().await.unwrap();
            assert!(kept.contains("ada@example.org"), "{kept}");
        })
    })
    .await;
}
