//! SSH signatures on reports and sign-offs, in OpenSSH's SSHSIG format (what `ssh-keygen -Y sign`
//! writes and git uses for SSH-signed commits), so an auditor can check them with stock OpenSSH.
//!
//! A signed document carries an [`SshSignature`] in its top-level `ssh_signature` member: the
//! signer's public key and the armoured signature over [`crate::digest::signed_bytes`] (the RFC 8785
//! form of the document without `digest` and `ssh_signature`) in the namespace [`NS_REPORT`] or
//! [`NS_SIGNOFF`]. [`check`] answers the auditor's question with one [`SignatureStatus`]: verified by
//! an allowed principal, unsigned, invalid, signer not allowed, or outside the key's validity window.
//! The validity window is judged at the document's own signing time (`signed_at` of a sign-off,
//! `run.finished_at` of a report), as git does for commits; a signing time in the future is refused.
//!
//! Verification is pure and needs no randomness, so the viewer runs this same code in wasm.

pub mod allowed_signers;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ssh_key::{HashAlg, PublicKey, SshSig};

pub use allowed_signers::{AllowedSigners, AllowedSignersError, Entry};

use crate::digest;

/// SSHSIG namespace of a report signature (`dockaudit scan --sign-key`).
pub const NS_REPORT: &str = "dockaudit-report";
/// SSHSIG namespace of a sign-off signature (`dockaudit signoff sign`).
pub const NS_SIGNOFF: &str = "dockaudit-signoff";

/// The cryptographic signature of a document, stored in its top-level `ssh_signature` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SshSignature {
    /// The signer's public key in OpenSSH format (`ssh-ed25519 AAAA… comment`); must be the key
    /// inside `signature`.
    pub public_key: String,
    /// The armoured SSHSIG (`-----BEGIN SSH SIGNATURE-----` …) over the document's signed bytes.
    pub signature: String,
}

impl SshSignature {
    /// The key's SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`), if the key can be read.
    pub fn fingerprint(&self) -> Option<String> {
        PublicKey::from_openssh(&self.public_key)
            .ok()
            .map(|k| k.fingerprint(HashAlg::Sha256).to_string())
    }
}

/// What an auditor can conclude about a document's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureStatus {
    /// A valid signature by a key the allowed signers list for this namespace, at a time in its window.
    Verified { principal: String, fingerprint: String },
    /// No SSH signature.
    Unsigned,
    /// The signature does not verify over this content (or cannot be read).
    Invalid { reason: String },
    /// The signature verifies, but its key is not allowed to sign this kind of document.
    NotAllowed { fingerprint: String, reason: String },
    /// The key is allowed, but not at the document's signing time.
    OutsideValidity {
        principal: String,
        fingerprint: String,
        reason: String,
    },
}

/// [`SignatureStatus`] without its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureState {
    Verified,
    Unsigned,
    Invalid,
    NotAllowed,
    OutsideValidity,
}

impl SignatureState {
    /// `verified`, `unsigned`, `invalid`, `not_allowed`, `outside_validity` (test attributes, CSS).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureState::Verified => "verified",
            SignatureState::Unsigned => "unsigned",
            SignatureState::Invalid => "invalid",
            SignatureState::NotAllowed => "not_allowed",
            SignatureState::OutsideValidity => "outside_validity",
        }
    }
}

impl SignatureStatus {
    pub fn state(&self) -> SignatureState {
        match self {
            SignatureStatus::Verified { .. } => SignatureState::Verified,
            SignatureStatus::Unsigned => SignatureState::Unsigned,
            SignatureStatus::Invalid { .. } => SignatureState::Invalid,
            SignatureStatus::NotAllowed { .. } => SignatureState::NotAllowed,
            SignatureStatus::OutsideValidity { .. } => SignatureState::OutsideValidity,
        }
    }

    pub fn is_verified(&self) -> bool {
        matches!(self, SignatureStatus::Verified { .. })
    }

    /// The signing key's fingerprint, when the signature could be read.
    pub fn fingerprint(&self) -> Option<&str> {
        match self {
            SignatureStatus::Verified { fingerprint, .. }
            | SignatureStatus::NotAllowed { fingerprint, .. }
            | SignatureStatus::OutsideValidity { fingerprint, .. } => Some(fingerprint),
            SignatureStatus::Unsigned | SignatureStatus::Invalid { .. } => None,
        }
    }

    /// One line for people: "signed by alice@example.org (SHA256:…), verified against your allowed
    /// signers", "unsigned", "signature INVALID: …", "signer NOT ALLOWED: …".
    pub fn describe(&self) -> String {
        match self {
            SignatureStatus::Verified { principal, fingerprint } => {
                format!("signed by {principal} ({fingerprint}), verified against the allowed signers")
            }
            SignatureStatus::Unsigned => "unsigned: it carries no SSH signature".into(),
            SignatureStatus::Invalid { reason } => format!("signature INVALID: {reason}"),
            SignatureStatus::NotAllowed { fingerprint, reason } if reason == NO_ALLOWED_SIGNERS => {
                format!("signed with key {fingerprint}, NOT VERIFIED: {reason}")
            }
            SignatureStatus::NotAllowed { fingerprint, reason } => {
                format!("signer NOT ALLOWED: key {fingerprint} {reason}")
            }
            SignatureStatus::OutsideValidity {
                principal,
                fingerprint,
                reason,
            } => format!("signature by {principal} ({fingerprint}) OUTSIDE the key's validity: {reason}"),
        }
    }
}

/// Checks the `ssh_signature` of a parsed document (`value`, as read from the file) in `namespace`,
/// signed at `signed_at` (RFC 3339, from the signed content), against `allowed`; `now` (Unix
/// seconds) refuses a signing time in the future.
pub fn check(
    value: &Value,
    namespace: &str,
    signed_at: Option<&str>,
    allowed: &AllowedSigners,
    now: i64,
) -> SignatureStatus {
    let Some(member) = value.get(digest::SIGNATURE_MEMBER) else {
        return SignatureStatus::Unsigned;
    };
    let sig = match SshSignature::deserialize(member) {
        Ok(sig) => sig,
        Err(e) => {
            return SignatureStatus::Invalid {
                reason: format!("the ssh_signature member cannot be read ({e})"),
            }
        }
    };
    check_bytes(&sig, &digest::signed_bytes(value), namespace, signed_at, allowed, now)
}

/// [`check`] over explicit bytes.
/// A report's collector signature (namespace `dockaudit-report`, signed at the run's end,
/// `run.finished_at`) over its signed bytes, checked against `allowed` at Unix time `now`.
pub fn report_signature_status(
    report: &crate::report::Report,
    signed_bytes: Option<&[u8]>,
    allowed: &AllowedSigners,
    now: i64,
) -> SignatureStatus {
    match (&report.ssh_signature, signed_bytes) {
        (Some(sig), Some(bytes)) => check_bytes(sig, bytes, NS_REPORT, Some(&report.run.finished_at), allowed, now),
        _ => SignatureStatus::Unsigned,
    }
}

/// Why a signature is not verified when nobody's keys were given to check it against.
const NO_ALLOWED_SIGNERS: &str = "no allowed_signers were given to check it against";

pub fn check_bytes(
    sig: &SshSignature,
    msg: &[u8],
    namespace: &str,
    signed_at: Option<&str>,
    allowed: &AllowedSigners,
    now: i64,
) -> SignatureStatus {
    let key = match verify_bytes(sig, msg, namespace) {
        Ok(key) => key,
        Err(reason) => return SignatureStatus::Invalid { reason },
    };
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    let when = match signed_at.map(crate::signoff::date::timestamp_seconds) {
        Some(Ok(t)) => t,
        Some(Err(e)) => return SignatureStatus::Invalid { reason: e.to_string() },
        None => {
            return SignatureStatus::Invalid {
                reason: "the document names no signing time".into(),
            }
        }
    };
    if when > now + CLOCK_SKEW {
        return SignatureStatus::Invalid {
            reason: format!(
                "it claims to be signed at {}, which is in the future",
                signed_at.unwrap_or_default()
            ),
        };
    }
    let entries: Vec<&Entry> = allowed.for_key(key.key_data()).collect();
    if entries.is_empty() {
        return SignatureStatus::NotAllowed {
            fingerprint,
            reason: if allowed.is_empty() {
                NO_ALLOWED_SIGNERS.into()
            } else {
                "is not in the allowed signers".into()
            },
        };
    }
    let in_namespace: Vec<&Entry> = entries.into_iter().filter(|e| e.allows_namespace(namespace)).collect();
    let Some(first) = in_namespace.first() else {
        return SignatureStatus::NotAllowed {
            fingerprint,
            reason: format!("is in the allowed signers, but not for namespace {namespace}"),
        };
    };
    match in_namespace
        .iter()
        .find(|e| e.valid_after.is_none_or(|a| when >= a) && e.valid_before.is_none_or(|b| when <= b))
    {
        Some(e) => SignatureStatus::Verified {
            principal: e.principal(),
            fingerprint,
        },
        None => SignatureStatus::OutsideValidity {
            principal: first.principal(),
            fingerprint,
            reason: format!(
                "signed at {}, but allowed_signers line {} limits the key to {}",
                signed_at.unwrap_or_default(),
                first.line,
                window(first)
            ),
        },
    }
}

/// A minute of clock difference between signer and verifier is tolerated.
const CLOCK_SKEW: i64 = 60;

fn window(e: &Entry) -> String {
    match (e.valid_after, e.valid_before) {
        (Some(a), Some(b)) => format!("{} to {}", utc(a), utc(b)),
        (Some(a), None) => format!("after {}", utc(a)),
        (None, Some(b)) => format!("before {}", utc(b)),
        (None, None) => "no window".into(),
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS UTC`.
fn utc(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Verifies the signature over `msg` in `namespace`; returns the signing key.
pub fn verify_bytes(sig: &SshSignature, msg: &[u8], namespace: &str) -> Result<PublicKey, String> {
    let stored = PublicKey::from_openssh(sig.public_key.trim())
        .map_err(|e| format!("the stored public key cannot be read ({e})"))?;
    let sshsig =
        SshSig::from_pem(sig.signature.trim()).map_err(|e| format!("the signature is not an SSH signature ({e})"))?;
    if sshsig.public_key() != stored.key_data() {
        return Err("the stored public key is not the key that made the signature".into());
    }
    if sshsig.namespace() != namespace {
        return Err(format!(
            "it was made for namespace \"{}\", not \"{namespace}\"",
            sshsig.namespace().escape_debug()
        ));
    }
    stored
        .verify(namespace, msg, &sshsig)
        .map_err(|_| "it does not match the content: the document was changed after it was signed".to_string())?;
    Ok(stored)
}

/// Why a document could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    #[error(
        "the private key is encrypted; sign through ssh-agent instead (--agent) or with a key without a passphrase"
    )]
    Encrypted,
    #[error("cannot sign with this key: {0}")]
    Key(String),
}

/// Signs `msg` in `namespace` with an unencrypted private key, as `ssh-keygen -Y sign` does
/// (SHA-512). Deterministic for Ed25519, ECDSA (RFC 6979) and RSA: no randomness needed.
pub fn sign(key: &ssh_key::PrivateKey, namespace: &str, msg: &[u8]) -> Result<SshSignature, SignError> {
    if key.is_encrypted() {
        return Err(SignError::Encrypted);
    }
    let sig = key
        .sign(namespace, HashAlg::Sha512, msg)
        .map_err(|e| SignError::Key(e.to_string()))?;
    from_parts(key.public_key(), &sig)
}

/// Builds the stored form from a public key and a signature made elsewhere (e.g. `ssh-keygen`).
pub fn from_parts(key: &PublicKey, sig: &SshSig) -> Result<SshSignature, SignError> {
    let pem = sig
        .to_pem(ssh_key::LineEnding::LF)
        .map_err(|e| SignError::Key(e.to_string()))?;
    let public_key = key.to_openssh().map_err(|e| SignError::Key(e.to_string()))?;
    Ok(SshSignature {
        public_key,
        signature: pem,
    })
}

/// Reads an armoured signature made by another tool (`ssh-keygen -Y sign`) into the stored form.
pub fn from_armored(pem: &str) -> Result<SshSignature, SignError> {
    let sig = SshSig::from_pem(pem.trim()).map_err(|e| SignError::Key(e.to_string()))?;
    let key = PublicKey::new(sig.public_key().clone(), "");
    from_parts(&key, &sig)
}

/// Signs a document (its JSON) with `key` in `namespace` and reseals it: returns the pretty JSON
/// text and the new digest.
pub fn sign_document(value: Value, key: &ssh_key::PrivateKey, namespace: &str) -> Result<(String, String), SignError> {
    let sig = sign(key, namespace, &digest::signed_bytes(&value))?;
    attach(value, &sig).map_err(|e| SignError::Key(e.to_string()))
}

/// Puts `sig` into a document's JSON (replacing any earlier one) and reseals it; returns the pretty
/// JSON text and the new digest.
pub fn attach(mut value: Value, sig: &SshSignature) -> Result<(String, String), serde_json::Error> {
    if let Value::Object(map) = &mut value {
        map.insert(digest::SIGNATURE_MEMBER.into(), serde_json::to_value(sig)?);
    }
    digest::seal_value(value)
}

#[cfg(test)]
mod tests;
