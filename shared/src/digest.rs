//! Tamper evidence: a SHA-256 digest over a canonical serialisation of the document.
//!
//! Two rules exist, and the digest string says which one made it, so every document keeps
//! verifying under the rule it was written with:
//!
//! * `jcs-sha256:<hex>` ([`PREFIX`], written by this build): SHA-256 over the RFC 8785 JSON
//!   Canonicalization Scheme (JCS) form of the document without its top-level `digest` member.
//!   Any JCS implementation (JavaScript, Python, Go, Java) reproduces these bytes.
//! * `sha256:<hex>` ([`LEGACY_PREFIX`], reports and sign-offs written before JCS): the home-made
//!   form described under [`legacy_canonical_bytes`]; still accepted for the documents that carry it.
//!
//! A digest is computed over the JSON as written (parsed without duplicate keys, [`crate::json`]),
//! not over a re-serialised typed value, so members a reader does not know still count. It is
//! unkeyed: it shows a file is *intact*, not who wrote it; that is the SSH signature's job
//! ([`crate::sshsig`]), which covers [`signed_bytes`].

use serde_json::Value;
use sha2::{Digest, Sha256};

pub(crate) mod jcs;

/// Prefix of every digest this build writes: SHA-256 over the JCS form.
pub const PREFIX: &str = "jcs-sha256:";
/// Prefix of digests written before the JCS rule.
pub const LEGACY_PREFIX: &str = "sha256:";
/// Top-level member holding a document's SSH signature; left out of the signed bytes.
pub const SIGNATURE_MEMBER: &str = "ssh_signature";

/// How a digest's bytes were made, named by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// RFC 8785 (JCS), `jcs-sha256:`.
    Jcs,
    /// The pre-JCS form, `sha256:`.
    Legacy,
}

impl Rule {
    /// The rule a digest string was made with, if its prefix is one of ours.
    pub fn of(digest: &str) -> Option<Rule> {
        if digest.starts_with(PREFIX) {
            Some(Rule::Jcs)
        } else if digest.starts_with(LEGACY_PREFIX) {
            Some(Rule::Legacy)
        } else {
            None
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Rule::Jcs => PREFIX,
            Rule::Legacy => LEGACY_PREFIX,
        }
    }

    /// "RFC 8785 (JCS)" or "legacy canonical form".
    pub fn label(self) -> &'static str {
        match self {
            Rule::Jcs => "RFC 8785 (JCS)",
            Rule::Legacy => "legacy canonical form",
        }
    }
}

/// A digest string of either rule: its prefix and 64 lower-case hex digits.
pub fn is_well_formed(s: &str) -> bool {
    let hex = Rule::of(s).map(|r| &s[r.prefix().len()..]);
    hex.is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// Outcome of checking a document's own digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestCheck {
    /// The stored digest matches the content.
    Valid(String),
    /// Content changed since the digest was computed.
    Mismatch { stored: String, computed: String },
    /// The document carries no digest.
    Missing { computed: String },
}

impl DigestCheck {
    pub fn is_valid(&self) -> bool {
        matches!(self, DigestCheck::Valid(_))
    }

    /// The digest the content actually hashes to, whatever the file claims: what a sign-off is
    /// bound to and what every reader shows as "this report".
    pub fn computed(&self) -> &str {
        match self {
            DigestCheck::Valid(d) => d,
            DigestCheck::Mismatch { computed, .. } | DigestCheck::Missing { computed } => computed,
        }
    }

    /// The digest the file claims, if any.
    pub fn claimed(&self) -> Option<&str> {
        match self {
            DigestCheck::Valid(d) | DigestCheck::Mismatch { stored: d, .. } => Some(d),
            DigestCheck::Missing { .. } => None,
        }
    }

    /// The rule [`DigestCheck::computed`] was made with.
    pub fn rule(&self) -> Rule {
        Rule::of(self.computed()).unwrap_or(Rule::Jcs)
    }

    /// The outcome without the digests, cheap to copy and compare.
    pub fn state(&self) -> DigestState {
        match self {
            DigestCheck::Valid(_) => DigestState::Valid,
            DigestCheck::Mismatch { .. } => DigestState::Mismatch,
            DigestCheck::Missing { .. } => DigestState::Missing,
        }
    }
}

/// Whether a file's digest matched its content ([`DigestCheck`] without the digests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestState {
    Valid,
    Mismatch,
    Missing,
}

impl DigestState {
    /// `valid`, `mismatch` or `missing` (CSS classes and test attributes in the viewer).
    pub fn as_str(self) -> &'static str {
        match self {
            DigestState::Valid => "valid",
            DigestState::Mismatch => "mismatch",
            DigestState::Missing => "missing",
        }
    }

    /// How people read it: "intact" (never "verified": an unkeyed digest proves no origin),
    /// "MODIFIED" or "no digest".
    pub fn label(self) -> &'static str {
        match self {
            DigestState::Valid => "intact",
            DigestState::Mismatch => "MODIFIED",
            DigestState::Missing => "no digest",
        }
    }
}

/// JCS bytes of a JSON value without the top-level members named in `drop`.
fn jcs_without(value: &Value, drop: &[&str]) -> Vec<u8> {
    let stripped;
    let value = match value {
        Value::Object(map) if drop.iter().any(|k| map.contains_key(*k)) => {
            let mut map = map.clone();
            for k in drop {
                map.remove(*k);
            }
            stripped = Value::Object(map);
            &stripped
        }
        other => other,
    };
    // A `Value` holds no non-finite number and no non-string key, the only JCS failures.
    serde_json_canonicalizer::to_vec(value).unwrap_or_default()
}

/// Canonical bytes (RFC 8785) of a JSON value with the top-level `digest` member removed.
pub fn canonical_bytes(value: &Value) -> Vec<u8> {
    jcs_without(value, &["digest"])
}

/// The bytes an SSH signature covers: the JCS form without the top-level `digest` and
/// `ssh_signature` members (what `dockaudit signoff canonical` prints).
pub fn signed_bytes(value: &Value) -> Vec<u8> {
    jcs_without(value, &["digest", SIGNATURE_MEMBER])
}

/// Digest of a JSON value under the current rule (the top-level `digest` member is ignored).
pub fn compute(value: &Value) -> String {
    compute_with(Rule::Jcs, value)
}

/// Digest of a JSON value under `rule`.
pub fn compute_with(rule: Rule, value: &Value) -> String {
    let bytes = match rule {
        Rule::Jcs => canonical_bytes(value),
        Rule::Legacy => legacy_canonical_bytes(value),
    };
    let hash = Sha256::digest(bytes);
    let mut s = String::with_capacity(rule.prefix().len() + 64);
    s.push_str(rule.prefix());
    for b in hash {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// Checks the `digest` member of a parsed document against its content, under the rule its
/// prefix names (a document without a digest, or with an unknown prefix, is judged by JCS).
pub fn verify(value: &Value) -> DigestCheck {
    match value.get("digest").and_then(Value::as_str) {
        Some(stored) => {
            let computed = compute_with(Rule::of(stored).unwrap_or(Rule::Jcs), value);
            if stored == computed {
                DigestCheck::Valid(computed)
            } else {
                DigestCheck::Mismatch {
                    stored: stored.to_string(),
                    computed,
                }
            }
        }
        None => DigestCheck::Missing {
            computed: compute(value),
        },
    }
}

/// Serialises a typed value and sets its top-level `digest` member; returns the pretty JSON text
/// and the digest.
pub fn seal<T: serde::Serialize>(report: &T) -> Result<(String, String), serde_json::Error> {
    seal_value(serde_json::to_value(report)?)
}

/// [`seal`] for a document already in JSON form.
pub fn seal_value(mut value: Value) -> Result<(String, String), serde_json::Error> {
    let digest = compute(&value);
    if let Value::Object(map) = &mut value {
        map.insert("digest".into(), Value::String(digest.clone()));
    }
    Ok((serde_json::to_string_pretty(&value)?, digest))
}

/// The pre-JCS canonical bytes, kept so documents sealed with `sha256:` keep verifying:
/// 1. remove the top-level `digest` member;
/// 2. no insignificant whitespace, object members sorted by key (byte order of the UTF-8 key),
///    arrays in their order;
/// 3. strings escaped minimally: `"` and `\` backslash-escaped, control characters below U+0020
///    as `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX` (lower-case hex); everything else raw UTF-8;
/// 4. numbers as `serde_json` writes them (`100.0` stays `100.0`, unlike JCS).
pub fn legacy_canonical_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().filter(|k| k.as_str() != "digest").collect();
            keys.sort();
            write_object(&mut out, keys.into_iter().map(|k| (k, &map[k])));
        }
        other => write_value(&mut out, other),
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn write_object<'a>(out: &mut Vec<u8>, members: impl Iterator<Item = (&'a String, &'a Value)>) {
    out.push(b'{');
    for (i, (k, v)) in members.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(out, k);
        out.push(b':');
        write_value(out, v);
    }
    out.push(b'}');
}

fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            write_object(out, keys.into_iter().map(|k| (k, &map[k])));
        }
    }
}

fn write_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\u{08}' => out.extend_from_slice(b"\\b"),
            '\u{0c}' => out.extend_from_slice(b"\\f"),
            c if (c as u32) < 0x20 => {
                let b = c as u32 as usize;
                out.extend_from_slice(b"\\u00");
                out.push(HEX[b >> 4]);
                out.push(HEX[b & 0xf]);
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn legacy_form_sorts_keys_and_drops_digest() {
        let v = json!({"b": 1, "a": {"z": [1, 2.5, "x\n\u{1}é"], "y": null}, "digest": "sha256:00"});
        let text = String::from_utf8(legacy_canonical_bytes(&v)).unwrap();
        assert_eq!(text, r#"{"a":{"y":null,"z":[1,2.5,"x\n\u0001é"]},"b":1}"#);
    }

    #[test]
    fn digest_ignores_key_order_and_whitespace_but_not_content() {
        let a: Value = serde_json::from_str(r#"{"x": 1, "y": "two"}"#).unwrap();
        let b: Value = serde_json::from_str("{\"y\":\"two\",\n \"x\":1}").unwrap();
        let c: Value = serde_json::from_str(r#"{"x": 1, "y": "twO"}"#).unwrap();
        assert_eq!(compute(&a), compute(&b));
        assert_ne!(compute(&a), compute(&c));
        assert!(compute(&a).starts_with("jcs-sha256:") && is_well_formed(&compute(&a)));
    }

    #[test]
    fn known_vector() {
        // sha256 of the bytes `{}`, under both rules
        let hex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        assert_eq!(compute(&json!({})), format!("jcs-sha256:{hex}"));
        assert_eq!(compute_with(Rule::Legacy, &json!({})), format!("sha256:{hex}"));
    }

    #[test]
    fn verify_detects_changes() {
        let mut v = json!({"a": 1});
        let d = compute(&v);
        v["digest"] = Value::String(d.clone());
        assert_eq!(verify(&v), DigestCheck::Valid(d));
        v["a"] = json!(2);
        assert!(matches!(verify(&v), DigestCheck::Mismatch { .. }));
    }

    #[test]
    fn computed_is_the_content_digest_whatever_the_file_claims() {
        let mut v = json!({"a": 1});
        let d = compute(&v);
        assert_eq!(verify(&v).computed(), d);
        assert_eq!(verify(&v).state(), DigestState::Missing);
        v["digest"] = Value::String(d.clone());
        assert_eq!(verify(&v).computed(), d);
        assert_eq!(verify(&v).state(), DigestState::Valid);
        v["digest"] = json!("jcs-sha256:00");
        assert_eq!(verify(&v).computed(), d);
        assert_eq!(verify(&v).state().as_str(), "mismatch");
    }

    #[test]
    fn jcs_writes_numbers_as_javascript_does() {
        let v = json!({"score": 100.0, "b": 1e21, "a": 0.1, "é": "\u{7f}\u{2028}", "digest": "x"});
        let text = String::from_utf8(canonical_bytes(&v)).unwrap();
        assert_eq!(text, "{\"a\":0.1,\"b\":1e+21,\"score\":100,\"é\":\"\u{7f}\u{2028}\"}");
        // The legacy form kept serde_json's `100.0`.
        assert!(String::from_utf8(legacy_canonical_bytes(&v)).unwrap().contains("100.0"));
    }

    #[test]
    fn a_legacy_digest_keeps_verifying_under_its_own_rule() {
        let mut v = json!({"score": 100.0});
        let legacy = compute_with(Rule::Legacy, &v);
        v["digest"] = Value::String(legacy.clone());
        assert_eq!(verify(&v), DigestCheck::Valid(legacy));
        assert_eq!(verify(&v).rule(), Rule::Legacy);
        // Relabelled with the other rule's prefix, the same hex no longer matches.
        let jcs = compute(&v);
        assert_ne!(jcs[PREFIX.len()..], verify(&v).computed()[LEGACY_PREFIX.len()..]);
    }

    #[test]
    fn signed_bytes_leave_out_digest_and_signature() {
        let v = json!({"b": 1, "digest": "x", "ssh_signature": {"k": 1}, "a": [true]});
        assert_eq!(signed_bytes(&v), br#"{"a":[true],"b":1}"#);
        assert_eq!(canonical_bytes(&v), br#"{"a":[true],"b":1,"ssh_signature":{"k":1}}"#);
    }

    #[test]
    fn well_formed_digests() {
        let hex = "0".repeat(64);
        assert!(is_well_formed(&format!("sha256:{hex}")));
        assert!(is_well_formed(&format!("jcs-sha256:{hex}")));
        assert!(!is_well_formed(&format!("md5:{hex}")));
        assert!(!is_well_formed("jcs-sha256:abc"));
        assert!(!is_well_formed(&format!("sha256:{}", "A".repeat(64))));
    }
}
