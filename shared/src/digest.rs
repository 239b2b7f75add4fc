//! Tamper evidence: a SHA-256 digest over a canonical serialisation of the report.
//!
//! Canonical form (documented in the README, reproducible with any JSON library):
//! 1. parse the report as generic JSON and remove the top-level `digest` member;
//! 2. write it with no insignificant whitespace, object members sorted by key (byte order of the
//!    UTF-8 key), arrays in their order;
//! 3. strings escaped minimally: `"` and `\` backslash-escaped, control characters below U+0020 as
//!    `\n`, `\r`, `\t`, `\b`, `\f` or `\u00XX` (lower-case hex); everything else as raw UTF-8;
//! 4. integers in decimal; other numbers in the shortest form that reads back to the same double.
//!
//! The digest is `sha256:` followed by the lower-case hex of SHA-256 over those bytes. It is
//! computed over the raw JSON, not the typed report, so fields a reader does not know still count.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Prefix of every digest string.
pub const PREFIX: &str = "sha256:";

/// Outcome of checking a report's own digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestCheck {
    /// The stored digest matches the content.
    Valid(String),
    /// Content changed since the digest was computed.
    Mismatch { stored: String, computed: String },
    /// The report carries no digest.
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
}

/// Canonical bytes of a JSON value with the top-level `digest` member removed.
pub fn canonical_bytes(value: &Value) -> Vec<u8> {
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

/// Digest of a JSON value (the top-level `digest` member is ignored).
pub fn compute(value: &Value) -> String {
    let hash = Sha256::digest(canonical_bytes(value));
    let mut s = String::with_capacity(PREFIX.len() + 64);
    s.push_str(PREFIX);
    for b in hash {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// Checks the `digest` member of a parsed report against its content.
pub fn verify(value: &Value) -> DigestCheck {
    let computed = compute(value);
    match value.get("digest").and_then(Value::as_str) {
        Some(stored) if stored == computed => DigestCheck::Valid(computed),
        Some(stored) => DigestCheck::Mismatch {
            stored: stored.to_string(),
            computed,
        },
        None => DigestCheck::Missing { computed },
    }
}

/// Serialises a typed value and sets its top-level `digest` member; returns the pretty JSON text.
pub fn seal<T: serde::Serialize>(report: &T) -> Result<(String, String), serde_json::Error> {
    let mut value = serde_json::to_value(report)?;
    let digest = compute(&value);
    if let Value::Object(map) = &mut value {
        map.insert("digest".into(), Value::String(digest.clone()));
    }
    Ok((serde_json::to_string_pretty(&value)?, digest))
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
    fn canonical_form_sorts_keys_and_drops_digest() {
        let v = json!({"b": 1, "a": {"z": [1, 2.5, "x\n\u{1}é"], "y": null}, "digest": "sha256:00"});
        let text = String::from_utf8(canonical_bytes(&v)).unwrap();
        assert_eq!(text, r#"{"a":{"y":null,"z":[1,2.5,"x\n\u0001é"]},"b":1}"#);
    }

    #[test]
    fn digest_ignores_key_order_and_whitespace_but_not_content() {
        let a: Value = serde_json::from_str(r#"{"x": 1, "y": "two"}"#).unwrap();
        let b: Value = serde_json::from_str("{\"y\":\"two\",\n \"x\":1}").unwrap();
        let c: Value = serde_json::from_str(r#"{"x": 1, "y": "twO"}"#).unwrap();
        assert_eq!(compute(&a), compute(&b));
        assert_ne!(compute(&a), compute(&c));
        assert!(compute(&a).starts_with("sha256:") && compute(&a).len() == 7 + 64);
    }

    #[test]
    fn known_vector() {
        // sha256 of the bytes `{}`
        assert_eq!(
            compute(&json!({})),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
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
        v["digest"] = json!("sha256:00");
        assert_eq!(verify(&v).computed(), d);
        assert_eq!(verify(&v).state().as_str(), "mismatch");
    }
}
