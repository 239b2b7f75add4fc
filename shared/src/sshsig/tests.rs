//! Every signature outcome, with keys made from fixed seeds (no randomness, no files).

use serde_json::json;
use ssh_key::private::{Ed25519Keypair, KeypairData};
use ssh_key::PrivateKey;

use super::*;

const NOW: i64 = 1_800_000_000; // 2027-01-15
const SIGNED_AT: &str = "2026-06-01T12:00:00Z";

fn key(seed: u8) -> PrivateKey {
    let pair = Ed25519Keypair::from_seed(&[seed; 32]);
    PrivateKey::new(KeypairData::Ed25519(pair), "test").unwrap()
}

fn allowed(line: &str, k: &PrivateKey) -> AllowedSigners {
    AllowedSigners::parse(&format!("{line} {}", k.public_key().to_openssh().unwrap())).unwrap()
}

fn signed_doc(k: &PrivateKey, ns: &str) -> Value {
    let mut doc = json!({"format": "x", "signed_at": SIGNED_AT, "n": 100.0});
    let sig = sign(k, ns, &digest::signed_bytes(&doc)).unwrap();
    doc["ssh_signature"] = serde_json::to_value(sig).unwrap();
    doc
}

fn status(doc: &Value, ns: &str, allowed: &AllowedSigners) -> SignatureStatus {
    check(doc, ns, Some(SIGNED_AT), allowed, NOW)
}

#[test]
fn a_signature_by_an_allowed_key_is_verified() {
    let k = key(1);
    let s = status(
        &signed_doc(&k, NS_SIGNOFF),
        NS_SIGNOFF,
        &allowed("alice@example.org", &k),
    );
    let fp = k.public_key().fingerprint(HashAlg::Sha256).to_string();
    assert_eq!(
        s,
        SignatureStatus::Verified {
            principal: "alice@example.org".into(),
            fingerprint: fp.clone()
        }
    );
    assert!(
        s.describe().starts_with("signed by alice@example.org (SHA256:"),
        "{}",
        s.describe()
    );
    // The digest member does not take part.
    let mut doc = signed_doc(&k, NS_SIGNOFF);
    doc["digest"] = json!("anything");
    assert!(status(&doc, NS_SIGNOFF, &allowed("a", &k)).is_verified());
}

#[test]
fn unsigned() {
    assert_eq!(
        status(&json!({"a": 1}), NS_SIGNOFF, &AllowedSigners::default()),
        SignatureStatus::Unsigned
    );
}

#[test]
fn one_changed_value_invalidates() {
    let k = key(1);
    let mut doc = signed_doc(&k, NS_SIGNOFF);
    doc["n"] = json!(100.5);
    let s = status(&doc, NS_SIGNOFF, &allowed("alice", &k));
    assert_eq!(s.state(), SignatureState::Invalid, "{s:?}");
    assert!(s.describe().contains("changed after it was signed"), "{}", s.describe());
}

#[test]
fn the_namespace_is_part_of_the_signature() {
    let k = key(1);
    let s = status(&signed_doc(&k, NS_REPORT), NS_SIGNOFF, &allowed("alice", &k));
    assert_eq!(s.state(), SignatureState::Invalid);
    assert!(s.describe().contains("dockaudit-report"), "{}", s.describe());
}

#[test]
fn a_swapped_public_key_is_invalid() {
    let (k, other) = (key(1), key(2));
    let mut doc = signed_doc(&k, NS_SIGNOFF);
    doc["ssh_signature"]["public_key"] = json!(other.public_key().to_openssh().unwrap());
    let s = status(&doc, NS_SIGNOFF, &allowed("bob", &other));
    assert_eq!(s.state(), SignatureState::Invalid, "{s:?}");
}

#[test]
fn a_key_not_listed_is_not_allowed() {
    let (k, other) = (key(1), key(2));
    let s = status(&signed_doc(&k, NS_SIGNOFF), NS_SIGNOFF, &allowed("bob", &other));
    assert_eq!(s.state(), SignatureState::NotAllowed);
    assert!(s.fingerprint().is_some());
    let s = status(&signed_doc(&k, NS_SIGNOFF), NS_SIGNOFF, &AllowedSigners::default());
    assert!(s.describe().contains("no allowed_signers"), "{}", s.describe());
    let s = status(
        &signed_doc(&k, NS_SIGNOFF),
        NS_SIGNOFF,
        &allowed("alice namespaces=\"dockaudit-report\"", &k),
    );
    assert_eq!(s.state(), SignatureState::NotAllowed);
    assert!(s.describe().contains("namespace"), "{}", s.describe());
}

#[test]
fn the_validity_window_is_judged_at_the_signing_time() {
    let k = key(1);
    let doc = signed_doc(&k, NS_SIGNOFF);
    for line in [
        "alice valid-after=\"20260701\"",
        "alice valid-before=\"20260531235959Z\"",
    ] {
        let s = status(&doc, NS_SIGNOFF, &allowed(line, &k));
        assert_eq!(s.state(), SignatureState::OutsideValidity, "{line}: {s:?}");
        assert!(s.describe().contains("2026-06-01T12:00:00Z"), "{}", s.describe());
    }
    let s = status(
        &doc,
        NS_SIGNOFF,
        &allowed("alice valid-after=\"20260101\",valid-before=\"20270101\"", &k),
    );
    assert!(s.is_verified(), "{s:?}");
}

#[test]
fn a_signing_time_in_the_future_is_refused() {
    let k = key(1);
    let s = check(
        &signed_doc(&k, NS_SIGNOFF),
        NS_SIGNOFF,
        Some("2099-01-01T00:00:00Z"),
        &allowed("alice", &k),
        NOW,
    );
    assert_eq!(s.state(), SignatureState::Invalid);
    assert!(s.describe().contains("future"), "{}", s.describe());
}

#[test]
fn garbage_in_the_signature_member_is_invalid() {
    for bad in [json!("x"), json!({"public_key": "x", "signature": "y"})] {
        let doc = json!({"ssh_signature": bad});
        assert_eq!(
            status(&doc, NS_SIGNOFF, &AllowedSigners::default()).state(),
            SignatureState::Invalid
        );
    }
}

#[test]
fn attach_replaces_and_reseals() {
    let k = key(1);
    let doc = json!({"a": 1, "signed_at": SIGNED_AT});
    let sig = sign(&k, NS_REPORT, &digest::signed_bytes(&doc)).unwrap();
    let (text, d) = attach(doc, &sig).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(digest::verify(&v), digest::DigestCheck::Valid(d));
    assert!(status(&v, NS_REPORT, &allowed("a", &k)).is_verified());
    let again = from_armored(&sig.signature).unwrap();
    assert_eq!(again.signature, sig.signature);
}

#[test]
fn without_allowed_signers_a_signature_reads_as_not_verified() {
    let status = SignatureStatus::NotAllowed {
        fingerprint: "SHA256:abc".into(),
        reason: super::NO_ALLOWED_SIGNERS.into(),
    };
    assert_eq!(
        status.describe(),
        "signed with key SHA256:abc, NOT VERIFIED: no allowed_signers were given to check it against"
    );
    assert!(!status.describe().contains("VALID —"));
}
