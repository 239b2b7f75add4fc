//! Credentials recognised by their shape in free text: private-key blocks, URL user-info,
//! credential-like assignments and headers, and well-known token formats.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::{mask_ranges, secret_like, value_range};

/// A pass, and a cheap test of whether it can match at all: most strings of a snapshot (ids,
/// names, states) need none of them.
type Pass = (fn(&str) -> bool, fn(&str) -> Vec<Range<usize>>);

const PASSES: [Pass; 6] = [
    (|t| t.contains("PRIVATE KEY"), private_keys),
    (|t| t.contains("://"), user_info),
    (|t| t.contains('@'), proxy_user_info),
    (|t| t.contains(['=', ':']), assignments),
    (|_| true, tokens),
    (
        |t| t.contains(['B', 'b']) && t.to_ascii_lowercase().contains("bearer"),
        bearer_tokens,
    ),
];

/// Every pattern pass, in order; each is one forward scan.
pub(super) fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for (may_match, pass) in PASSES {
        if !may_match(&out) {
            continue;
        }
        let ranges = pass(&out);
        if !ranges.is_empty() {
            out = Cow::Owned(mask_ranges(&out, &ranges).into_owned());
        }
    }
    out
}

/// A compiled pattern; `None` only if the literal pattern were invalid (a unit test proves they
/// all compile), in which case the pass finds nothing rather than panicking.
fn cached(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

pub(super) const PRIVATE_KEY: &str = r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----";
pub(super) const USER_INFO: &str = r#"(?i)[a-z][a-z0-9+.-]*://([^\s/?#'"\\]*)@"#;
pub(super) const PROXY_USER_INFO: &str =
    r#"(?:^|[\s='"(,;])([A-Za-z0-9._~%+-]+:[^\s@/'"\\]+)@([A-Za-z0-9][A-Za-z0-9.-]*)(:?)"#;
pub(super) const ASSIGNMENT: &str = r#"([A-Za-z_][A-Za-z0-9_.-]*)(\\?["']?)[ \t]*([=:])([ \t]*)"#;
pub(super) const TOKEN: &str = concat!(
    r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}",
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36,}|AIza[0-9A-Za-z_-]{35}",
    r"|(?:AKIA|ASIA)[A-Z0-9]{16}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)",
);
pub(super) const BEARER: &str = r"(?i:bearer)[ \t]+[A-Za-z0-9._~+/=-]{8,}";

/// The body of each `-----BEGIN … PRIVATE KEY-----` block, to its `-----END` (or the end of the text).
fn private_keys(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, PRIVATE_KEY) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut pos = 0;
    while let Some(m) = re.find_at(text, pos) {
        let end = text[m.end()..].find("-----END").map_or(text.len(), |i| m.end() + i);
        if end > m.end() {
            ranges.push(m.end()..end);
        }
        pos = end.max(m.end());
    }
    ranges
}

/// `scheme://user:password@` → `scheme://***@`; a user alone is kept unless it is long enough to
/// be a token (`https://<token>@github.com`).
fn user_info(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, USER_INFO) else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter(|u| u.as_str().contains(':') || u.as_str().chars().count() >= 16)
        .filter(|u| u.as_str() != super::MASK)
        .map(|u| u.range())
        .collect()
}

/// Proxy settings without a scheme (`user:password@proxy:3128`). An image reference pinned by
/// digest (`redis:7@sha256:…`) has the same shape and is left alone.
fn proxy_user_info(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, PROXY_USER_INFO) else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter(|c| {
            let host = c.get(2).map_or("", |m| m.as_str());
            let digest = host.len() > 3
                && host.starts_with("sha")
                && host[3..].bytes().all(|b| b.is_ascii_digit())
                && c.get(3).is_some_and(|m| !m.as_str().is_empty());
            !digest
        })
        .filter_map(|c| c.get(1).map(|m| m.range()))
        .collect()
}

/// Header schemes kept in front of a masked `Authorization:` value.
const AUTH_SCHEMES: &[&str] = &[
    "basic",
    "bearer",
    "token",
    "digest",
    "negotiate",
    "ntlm",
    "bot",
    "hawk",
    "apikey",
    "aws4-hmac-sha256",
];

/// Values of credential-like assignments: `NAME=value`, `NAME: value`, `"name": "value"`
/// (also shell-escaped), `?token=value&…`, and `Authorization:` headers.
fn assignments(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, ASSIGNMENT) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut pos = 0;
    while let Some(c) = re.captures_at(text, pos) {
        let (Some(whole), Some(name), Some(sep)) = (c.get(0), c.get(1), c.get(3)) else {
            break;
        };
        pos = whole.end();
        let name_str = name.as_str();
        let quoted_name = c.get(2).is_some_and(|q| !q.as_str().is_empty());
        let spaced = c.get(4).is_some_and(|s| !s.as_str().is_empty());
        let rest = &text[whole.end()..];
        let lower = name_str.to_ascii_lowercase();
        let range = if sep.as_str() == ":" && matches!(lower.as_str(), "authorization" | "proxy-authorization") {
            header_value(text, whole.end())
        } else if !secret_like(name_str) || rest.starts_with("//") {
            continue;
        } else if sep.as_str() == "=" {
            let before = text[..name.start()].chars().next_back();
            let stops: &[char] = match before {
                Some('?' | '&') => &['&', '#'],
                Some(',') => &[','],
                _ => &[],
            };
            value_range(text, whole.end(), stops)
        } else if spaced || quoted_name || rest.starts_with(['"', '\'']) || rest.starts_with("\\\"") || lower == "pass"
        {
            value_range(text, whole.end(), &[',', '}', ']'])
        } else {
            // `name:value` with nothing around it is an image tag or a port far more often.
            continue;
        };
        if !range.is_empty() {
            pos = pos.max(range.end);
            ranges.push(range);
        }
    }
    ranges
}

/// An `Authorization:` value from `start`: the scheme word stays, the rest of the quoted string
/// or line is masked.
fn header_value(text: &str, start: usize) -> Range<usize> {
    let rest = &text[start..];
    if rest.starts_with(['"', '\'']) {
        return value_range(text, start, &[]);
    }
    let word_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let word = rest[..word_end].to_ascii_lowercase();
    let after_word = &rest[word_end..];
    let value_start = if AUTH_SCHEMES.contains(&word.as_str()) && after_word.starts_with([' ', '\t']) {
        start + word_end + (after_word.len() - after_word.trim_start_matches([' ', '\t']).len())
    } else {
        start
    };
    let end = text[value_start..]
        .find(['\n', '\r', '"', '\''])
        .map_or(text.len(), |i| value_start + i);
    let end = text[value_start..end].trim_end().len() + value_start;
    value_start..end
}

/// `Bearer <token>` anywhere (the word stays).
fn bearer_tokens(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, BEARER) else {
        return Vec::new();
    };
    re.find_iter(text)
        .map(|m| {
            let after_word = &m.as_str()[6..];
            let spaces = after_word.len() - after_word.trim_start_matches([' ', '\t']).len();
            m.start() + 6 + spaces..m.end()
        })
        .collect()
}

/// Well-known token formats; the recognisable prefix stays (`ghp_***`).
fn tokens(text: &str) -> Vec<Range<usize>> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = cached(&RE, TOKEN) else {
        return Vec::new();
    };
    re.find_iter(text)
        .map(|m| {
            let s = m.as_str();
            let keep = if s.starts_with("github_pat_") {
                11
            } else if s.starts_with("sk_live_") || s.starts_with("rk_live_") {
                8
            } else if s.starts_with("eyJ") {
                3
            } else if s.starts_with("glpat-") {
                6
            } else if s.starts_with("xox") {
                5
            } else {
                4 // ghp_, npm_, AIza, AKIA, ASIA
            };
            m.start() + keep..m.end()
        })
        .collect()
}
