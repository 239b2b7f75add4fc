//! Credential redaction for everything a snapshot holds, so neither a saved snapshot nor a report
//! built from it ever carries a secret.
//!
//! It lives in `snapshot` (not `interpret`) because the guarantee belongs to the snapshot type:
//! [`crate::facts`] redacts a snapshot before returning it, and [`super::load`] redacts again, so
//! a snapshot saved by an older dockaudit cannot carry its secrets into a report. `snapshot`
//! imports nothing around it, so the redaction must live here; `interpret` reuses it.
//!
//! What is hidden (each value becomes `***`; the name, option or scheme around it stays, so checks
//! still see *that* a credential was there):
//! - URL user-info: `scheme://user:pass@host` and proxy-style `user:pass@host` → `***@host`
//!   (a bare `scheme://user@` is kept unless the user is 16 characters or longer, as tokens are);
//! - assignments whose name looks like a credential ([`secret_like`]): `NAME=value`,
//!   `NAME: value`, `"name": "value"` (also shell-escaped), `--name=value`, URL query parameters;
//! - `Authorization:`/`Proxy-Authorization:` header values (the scheme word is kept) and
//!   `Bearer <token>`;
//! - options that take a credential: `--password value`, `-storepass value`, `-u user:pass` /
//!   `--user user:pass` (curl style; `uid:gid` pairs of digits are kept), and the short password
//!   flags of programs known to have one (`mysql -pvalue`, `sshpass -p`, `redis-cli -a`,
//!   `docker login -p`, …) — decided by the program named earlier in the same command, so
//!   `docker run -p 8080:80` and `dockerd -p /run/docker.pid` are untouched;
//! - private-key blocks (`-----BEGIN … PRIVATE KEY-----` … `-----END …-----`);
//! - well-known token shapes: GitHub (`ghp_…`, `github_pat_…`), GitLab (`glpat-…`), AWS access
//!   key ids (`AKIA…`, `ASIA…`), Slack (`xox?-…`), Stripe live keys, npm tokens, Google API keys
//!   and JSON Web Tokens.
//!
//! Every pass is one forward scan (the `regex` crate matches in linear time; the hand-written
//! scanners never step back), nothing here panics, a masked value is never empty, and the output
//! is at most three times the input. Redacting twice gives the same text as redacting once, so a
//! replayed snapshot reads exactly as it was saved.

mod options;
mod patterns;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

/// What a hidden value is replaced with.
pub const MASK: &str = "***";

/// Rounds of [`redact`] at most. A masked value can uncover another credential (a `;` that ended
/// a command was inside it); a few rounds reach the fixed point on any real text, and a bound
/// keeps the work linear on hostile text.
const ROUNDS: usize = 4;

/// The text with every credential it holds replaced by [`MASK`].
pub fn redact(text: &str) -> String {
    let mut current = once(text);
    if current == text {
        return current;
    }
    for _ in 1..ROUNDS {
        let next = once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn once(text: &str) -> String {
    let text = options::redact_pieces(&[text]).pop().unwrap_or_default();
    patterns::redact(&text).into_owned()
}

/// An argument vector (`argv`, a health-check command): each argument redacted as text, then the
/// vector as a whole, so an option and its value in the next argument (`-u`, `admin:pw`) are
/// recognised together.
pub fn redact_args(args: &[String]) -> Vec<String> {
    let each: Vec<String> = args.iter().map(|a| redact(a)).collect();
    let pieces: Vec<&str> = each.iter().map(String::as_str).collect();
    options::redact_pieces(&pieces)
}

/// A value stored under `name` (a label, an option, a JSON key): hidden entirely when the name
/// looks like a credential, else redacted as text.
pub fn redact_named(name: &str, value: &str) -> String {
    if secret_like(name) && !value.is_empty() {
        MASK.to_string()
    } else {
        redact(value)
    }
}

/// A JSON document (daemon.json) with every credential hidden: string values under
/// credential-like keys, arrays of strings as argument vectors, any other string as text.
pub fn redact_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => *s = redact(s),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let args: Vec<String> = items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
            *items = redact_args(&args).into_iter().map(Value::String).collect();
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                match &mut v {
                    Value::String(s) => *s = redact_named(&key, s),
                    other => redact_json(other),
                }
                map.insert(redact(&key), v);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Whether a variable, option, label or header name looks like it holds a credential.
///
/// Word parts are compared, so `KEYCLOAK_URL` and `MONKEY` are not flagged while `API_KEY` is.
/// `*_FILE` names (pointing at a mounted secret, the recommended pattern) and public keys such as
/// the `GPG_KEY` of official images are left out to keep findings short.
pub fn secret_like(name: &str) -> bool {
    let upper = name.trim_start_matches('-').to_ascii_uppercase();
    if upper.ends_with("_FILE") {
        return false;
    }
    let parts: Vec<&str> = upper.split(['_', '-', '.']).filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| matches!(*p, "GPG" | "PGP" | "PUBLIC" | "PUB")) {
        return false;
    }
    parts.iter().any(|p| {
        ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE"]
            .iter()
            .any(|w| p.contains(w))
            || matches!(*p, "KEY" | "PASS" | "APIKEY" | "ACCESSKEY" | "CREDS")
            || (*p == "PWD" && parts.len() > 1)
    })
}

/// Whether an option name (without dashes) takes a credential as its value: [`secret_like`]
/// names, plus the pass-phrase options of OpenSSL, keytool and curl that it does not cover.
fn secret_option(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    secret_like(name)
        || matches!(
            lower.as_str(),
            "passin"
                | "passout"
                | "passphrase"
                | "storepass"
                | "keypass"
                | "srcstorepass"
                | "deststorepass"
                | "srckeypass"
                | "destkeypass"
                | "oauth2-bearer"
                | "bearer"
                | "pass-phrase"
        )
}

/// `text` with `ranges` (sorted, disjoint byte ranges on char boundaries) replaced by [`MASK`].
fn mask_ranges<'a>(text: &'a str, ranges: &[std::ops::Range<usize>]) -> Cow<'a, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 3 * ranges.len());
    let mut last = 0;
    for r in ranges {
        if r.start < last || r.end <= r.start || r.end > text.len() {
            continue;
        }
        out.push_str(&text[last..r.start]);
        out.push_str(MASK);
        last = r.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// End of a value starting at `start`: a quoted value runs to its closing quote (returned range
/// excludes the quotes), a bare one to whitespace, a quote, or any of `stops`.
fn value_range(text: &str, start: usize, stops: &[char]) -> std::ops::Range<usize> {
    let rest = &text[start..];
    if let Some(inner) = rest.strip_prefix("\\\"") {
        let end = inner.find("\\\"").unwrap_or(inner.len());
        return start + 2..start + 2 + end;
    }
    let mut chars = rest.char_indices();
    match chars.next() {
        Some((_, q @ ('"' | '\''))) => {
            let mut escaped = false;
            for (i, c) in chars {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    return start + 1..start + i;
                }
            }
            start + 1..text.len()
        }
        _ => {
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`') || stops.contains(&c))
                .unwrap_or(rest.len());
            start..start + end
        }
    }
}
