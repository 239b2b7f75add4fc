//! Reading a sign-off file, with an error that says exactly what is wrong with it.
//!
//! Like [`crate::load`] for reports: the text is parsed as JSON first (so truncation and syntax
//! errors get their line and column), then recognised (a report given in place of a sign-off is
//! named as such), version-checked, parsed into the typed [`Signoff`] with the failing member
//! located, and finally checked field by field (dates, justifications, duplicates, a signing time
//! after a decision lapsed). Duplicate object keys are refused ([`crate::json`]). The file's own
//! digest is verified over the JSON as written and returned for the caller to judge, with the JSON
//! itself, over which an SSH signature is checked ([`crate::sshsig::check`]).

use std::collections::BTreeSet;

use crate::report::TargetKind;

use serde::Deserialize;
use serde_json::Value;

use super::{Date, Decision, DecisionError, Signature, SignatureError, Signoff, SIGNOFF_SCHEMA_VERSION};
use crate::digest::{self, DigestCheck};
use crate::sshsig::{self, AllowedSigners, SignatureStatus};

/// A sign-off that was read successfully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSignoff {
    pub signoff: Signoff,
    /// The file's digest checked against its content.
    pub digest: DigestCheck,
    /// The JSON as read, which the SSH signature covers.
    pub value: Value,
}

impl LoadedSignoff {
    /// The digest of the file's content (whatever it claims).
    pub fn content_digest(&self) -> &str {
        self.digest.computed()
    }

    /// The exact bytes the reviewer's SSH signature covers (`dockaudit signoff canonical`).
    pub fn signed_bytes(&self) -> Vec<u8> {
        digest::signed_bytes(&self.value)
    }

    /// The SSH signature checked against `allowed` at Unix time `now`: signed at the statement's
    /// `signed_at`, in namespace `dockaudit-signoff`. A version 1 sign-off is always unsigned.
    pub fn signature_status(&self, allowed: &AllowedSigners, now: i64) -> SignatureStatus {
        let signed_at = self.signoff.signature.as_ref().map(|s| s.signed_at.as_str());
        if self.signoff.ssh_signature.is_some() && signed_at.is_none() {
            return SignatureStatus::Invalid {
                reason: "the SSH signature covers no reviewer statement (signature.signed_at is missing)".into(),
            };
        }
        sshsig::check(&self.value, sshsig::NS_SIGNOFF, signed_at, allowed, now)
    }
}

/// Why a sign-off file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignoffLoadError {
    #[error("The sign-off file is empty.")]
    Empty,
    #[error("The sign-off file is not JSON: {detail} at line {line}, column {column}.")]
    NotJson { line: usize, column: usize, detail: String },
    #[error("The sign-off file ends early at line {line}, column {column}; it is probably truncated.")]
    Truncated { line: usize, column: usize },
    #[error("This is a dockaudit report, not a sign-off. Open it as a report; a sign-off is the JSON exported from the viewer's sign-off mode.")]
    IsAReport,
    #[error("This is not a dockaudit sign-off: {found}.")]
    NotASignoff { found: String },
    #[error(
        "This sign-off was written by a newer dockaudit (sign-off schema {found}); this program reads versions up to {supported}. Upgrade dockaudit to read it."
    )]
    NewerSchema { found: u64, supported: u32 },
    #[error("This sign-off does not match its format: {detail}.")]
    Invalid { detail: String },
    #[error("Decision {number} ({scope}) is not valid: {error}")]
    BadDecision {
        /// 1-based position in the file.
        number: usize,
        scope: String,
        error: DecisionError,
    },
    #[error("The signature is not valid: {0}")]
    BadSignature(SignatureError),
    #[error("There are two decisions for {scope}; keep one.")]
    Duplicate { scope: String },
    #[error("The sign-off holds two members named {0} in one object; a file with a hidden second copy is refused.")]
    DuplicateKey(String),
    #[error(
        "A version 1 sign-off cannot carry an SSH signature; signed sign-offs are version {SIGNOFF_SCHEMA_VERSION}."
    )]
    SignatureInV1,
    #[error("The signature ({signed_at}) is dated after decision {number} ({scope}) lapsed on {lapsed}: a lapsed decision cannot be signed.")]
    SignedAfterLapse {
        signed_at: String,
        number: usize,
        scope: String,
        lapsed: String,
    },
}

/// Reads a sign-off from its text.
pub fn load_signoff(text: &str) -> Result<LoadedSignoff, SignoffLoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SignoffLoadError::Empty);
    }
    let value: Value = crate::json::parse(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if crate::json::is_duplicate_key(&e) {
            let full = e.to_string();
            let name = full.split('"').nth(1).unwrap_or_default();
            return SignoffLoadError::DuplicateKey(format!("\"{name}\" (line {line}, column {column})"));
        }
        if e.classify() == serde_json::error::Category::Eof {
            return SignoffLoadError::Truncated { line, column };
        }
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let detail = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        SignoffLoadError::NotJson { line, column, detail }
    })?;
    recognise(&value)?;
    let signoff = Signoff::deserialize(&value).map_err(|e| invalid(locate(&value, &e)))?;
    check(&signoff)?;
    Ok(LoadedSignoff {
        digest: digest::verify(&value),
        signoff,
        value,
    })
}

fn invalid(detail: impl Into<String>) -> SignoffLoadError {
    SignoffLoadError::Invalid { detail: detail.into() }
}

/// Decides whether the JSON is a sign-off at all, and of a version this build reads.
fn recognise(value: &Value) -> Result<(), SignoffLoadError> {
    let Some(obj) = value.as_object() else {
        return Err(SignoffLoadError::NotASignoff {
            found: format!("the file holds {}, not an object", kind_of(value)),
        });
    };
    match obj.get("format").and_then(Value::as_str) {
        Some("dockaudit-signoff") => {}
        Some(other) => {
            return Err(SignoffLoadError::NotASignoff {
                found: format!("its format is \"{other}\", not \"dockaudit-signoff\""),
            })
        }
        None if obj.contains_key("results") && obj.contains_key("schema_version") => {
            return Err(SignoffLoadError::IsAReport)
        }
        None if obj.contains_key("dockerbenchsecurity") => {
            return Err(SignoffLoadError::NotASignoff {
                found: "it is a docker-bench-security log".into(),
            })
        }
        None => {
            return Err(SignoffLoadError::NotASignoff {
                found: "it has no \"format\": \"dockaudit-signoff\" member".into(),
            })
        }
    }
    match obj.get("schema_version") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) if v > u64::from(SIGNOFF_SCHEMA_VERSION) => Err(SignoffLoadError::NewerSchema {
                found: v,
                supported: SIGNOFF_SCHEMA_VERSION,
            }),
            Some(0) | None => Err(invalid(format!(
                "schema_version must be a whole number from 1 up, found {n}"
            ))),
            Some(_) => Ok(()),
        },
        None | Some(Value::Null) => Err(invalid("it has no schema_version")),
        Some(other) => Err(invalid(format!(
            "schema_version must be a number, found {}",
            kind_of(other)
        ))),
    }
}

/// Names the innermost member that fails to parse, e.g. `decisions[2] (check "5.11"): missing field `justification``.
fn locate(value: &Value, top: &serde_json::Error) -> String {
    fn fails<T: for<'de> Deserialize<'de>>(v: &Value) -> Option<String> {
        T::deserialize(v).err().map(|e| e.to_string())
    }
    if let Some(decisions) = value.get("decisions").and_then(Value::as_array) {
        for (i, d) in decisions.iter().enumerate() {
            if let Some(err) = fails::<Decision>(d) {
                return match d.get("check").and_then(Value::as_str) {
                    Some(id) => format!("decisions[{i}] (check \"{id}\"): {err}"),
                    None => format!("decisions[{i}]: {err}"),
                };
            }
        }
    }
    if let Some(err) = value.get("report").and_then(fails::<super::BoundReport>) {
        return format!("report: {err}");
    }
    if let Some(err) = value.get("signature").and_then(fails::<Option<Signature>>) {
        return format!("signature: {err}");
    }
    format!("top level: {top}")
}

/// Field-level checks serde cannot express.
fn check(signoff: &Signoff) -> Result<(), SignoffLoadError> {
    if !is_digest(&signoff.report.digest) {
        return Err(invalid(format!(
            "report.digest must be \"jcs-sha256:\" (or \"sha256:\") followed by 64 lower-case hex digits, found \"{}\"",
            signoff.report.digest
        )));
    }
    if signoff.schema_version < 2 && (signoff.ssh_signature.is_some() || signoff.report.signer.is_some()) {
        return Err(SignoffLoadError::SignatureInV1);
    }
    // Unique by check, target kind and target key: the display name identifies nothing.
    let mut seen: BTreeSet<(&str, Option<(TargetKind, &str)>)> = BTreeSet::new();
    for (i, d) in signoff.decisions.iter().enumerate() {
        d.validate().map_err(|error| SignoffLoadError::BadDecision {
            number: i + 1,
            scope: d.scope_label(),
            error,
        })?;
        if !seen.insert((d.check.as_str(), d.target.as_ref().map(|t| (t.kind, t.key.as_str())))) {
            return Err(SignoffLoadError::Duplicate { scope: d.scope_label() });
        }
    }
    if let Some(sig) = &signoff.signature {
        sig.validate().map_err(SignoffLoadError::BadSignature)?;
        signed_before_lapse(signoff, sig)?;
    }
    Ok(())
}

/// A statement dated after a decision's expiry (or a planned remediation's due day) signs
/// something that no longer held when it was signed.
fn signed_before_lapse(signoff: &Signoff, sig: &Signature) -> Result<(), SignoffLoadError> {
    let Ok(signed_on) = super::parse_timestamp(&sig.signed_at) else {
        return Ok(());
    };
    for (i, d) in signoff.decisions.iter().enumerate() {
        for end in [&d.expires, &d.due].into_iter().flatten() {
            if Date::parse(end).is_ok_and(|end| signed_on > end) {
                return Err(SignoffLoadError::SignedAfterLapse {
                    signed_at: sig.signed_at.clone(),
                    number: i + 1,
                    scope: d.scope_label(),
                    lapsed: end.clone(),
                });
            }
        }
    }
    Ok(())
}

/// A digest of either rule: `jcs-sha256:` or `sha256:`, then 64 lower-case hex digits.
pub fn is_digest(s: &str) -> bool {
    digest::is_well_formed(s)
}

fn kind_of(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Object(_) => "an object".into(),
    }
}
