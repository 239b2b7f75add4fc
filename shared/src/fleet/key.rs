//! Object keys of a published fleet: where reports, host histories and the index live under the
//! destination's prefix, and how outside strings become safe key segments.
//!
//! Host names, run ids and start times come from reports, which are outside input: a host named
//! `../index` or `a/b` must not escape its folder or land on another host's objects. A segment is
//! kept as it is when it is already safe (lowercase ASCII letters, digits, `.`, `_`, `-`; not
//! starting with `.`; at most [`MAX_SEGMENT`] bytes); otherwise it is reduced to those characters
//! and followed by a hash of the original, so two different hostile names never share a key.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The fleet index, relative to the destination's prefix.
pub const INDEX_KEY: &str = "index.json";
/// The folder of host histories (`hosts/<host>.json`).
pub const HOSTS_DIR: &str = "hosts";
/// The folder of reports (`reports/<host>/<started_at>-<run id>.json`).
pub const REPORTS_DIR: &str = "reports";

/// Longest segment kept as it is; longer ones are shortened and hashed.
pub const MAX_SEGMENT: usize = 100;
/// How much of a reduced segment is kept before its hash.
const KEPT_PREFIX: usize = 48;
/// Hex digits of the hash appended to a reduced segment (64 bits: collisions need intent and 2^32 tries).
const HASH_HEX: usize = 16;
/// Key of a host whose report names no host.
const UNNAMED_HOST: &str = "unnamed-host";

/// A host's name made into one safe object-key segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct HostKey(String);

impl HostKey {
    /// The key of the host named `name` (a report's `host.hostname`); `None` or empty gives
    /// `unnamed-host`.
    pub fn for_name(name: Option<&str>) -> HostKey {
        match name {
            Some(n) if !n.is_empty() => HostKey(segment(n)),
            _ => HostKey(UNNAMED_HOST.into()),
        }
    }

    /// Accepts a string that is already a safe segment (e.g. read back from a listing), and
    /// refuses anything else.
    pub fn parse(s: &str) -> Option<HostKey> {
        is_safe(s).then(|| HostKey(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `hosts/<host>.json`.
    pub fn history_key(&self) -> String {
        format!("{HOSTS_DIR}/{}.json", self.0)
    }

    /// `reports/<host>/`: the folder of this host's reports (with the trailing `/`).
    pub fn reports_dir(&self) -> String {
        format!("{REPORTS_DIR}/{}/", self.0)
    }

    /// `reports/<host>/<started_at>-<run id>.json`, with the start time written without `-` and
    /// `:` (`20260101T000000Z`) so that keys sort by time and need no escaping in URLs.
    pub fn report_key(&self, started_at: &str, run_id: &str) -> String {
        let time: String = started_at
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let time = if time.is_empty() { "notime".to_string() } else { time };
        let time = segment_with(&time, |c| c.is_ascii_digit() || matches!(c, 'T' | 'Z' | '.'));
        let id = if run_id.is_empty() { "noid" } else { run_id };
        format!("{}{}-{}.json", self.reports_dir(), time, segment(id))
    }
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The host key of a history object key (`hosts/<host>.json`), or `None` for any other key.
pub fn host_of_history_key(key: &str) -> Option<HostKey> {
    let name = key.strip_prefix(HOSTS_DIR)?.strip_prefix('/')?.strip_suffix(".json")?;
    HostKey::parse(name)
}

/// The host key of a report object key (`reports/<host>/<name>.json`), or `None`.
pub fn host_of_report_key(key: &str) -> Option<HostKey> {
    let rest = key.strip_prefix(REPORTS_DIR)?.strip_prefix('/')?;
    let (host, name) = rest.split_once('/')?;
    let file_ok = is_safe_with(name, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    (name.ends_with(".json") && file_ok).then_some(())?;
    HostKey::parse(host)
}

fn allowed(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
}

fn is_safe(s: &str) -> bool {
    is_safe_with(s, allowed)
}

fn is_safe_with(s: &str, ok: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.len() <= MAX_SEGMENT && !s.starts_with('.') && s.chars().all(ok)
}

/// `raw` when it is a safe segment, else its reduced form plus a hash of `raw`.
fn segment(raw: &str) -> String {
    segment_with(raw, allowed)
}

fn segment_with(raw: &str, ok: impl Fn(char) -> bool + Copy) -> String {
    if is_safe_with(raw, ok) {
        return raw.to_string();
    }
    let mut kept = String::new();
    for c in raw.chars().map(|c| c.to_ascii_lowercase()) {
        if kept.len() >= KEPT_PREFIX {
            break;
        }
        let c = if ok(c) && c != '.' { c } else { '_' };
        if !(c == '_' && kept.ends_with('_')) {
            kept.push(c);
        }
    }
    let kept = kept.trim_matches('_');
    let hash = Sha256::digest(raw.as_bytes());
    let hex: String = hash
        .iter()
        .flat_map(|b| [b >> 4, b & 0xf])
        .take(HASH_HEX)
        .map(hex_digit)
        .collect();
    if kept.is_empty() {
        format!("x-{hex}")
    } else {
        format!("{kept}-{hex}")
    }
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        HostKey::for_name(Some(name)).as_str().to_string()
    }

    #[test]
    fn ordinary_host_names_are_kept() {
        for name in ["web-1", "db01.example.org", "build_agent-3", "a"] {
            assert_eq!(key(name), name);
        }
        assert_eq!(HostKey::for_name(None).as_str(), "unnamed-host");
        assert_eq!(HostKey::for_name(Some("")).as_str(), "unnamed-host");
    }

    #[test]
    fn hostile_host_names_stay_inside_their_folder_and_do_not_collide() {
        let names = [
            "../index",
            "..",
            ".",
            ".hidden",
            "a/b",
            "a_b",
            "a\\b",
            "/etc/passwd",
            "web-1/../../index.json",
            "Web-1",
            "wéb-1",
            "ホスト",
            "a\u{0}b",
            "a\nb",
            "a b",
            "%2e%2e",
            &"x".repeat(101),
            &"x".repeat(5000),
            &"é".repeat(80),
        ];
        let mut seen = std::collections::HashSet::new();
        for name in names {
            let k = key(name);
            assert!(is_safe(&k), "{name:?} → {k:?}");
            assert!(k.len() <= KEPT_PREFIX + 1 + HASH_HEX, "{name:?} → {k:?}");
            assert!(!k.contains(".."), "{name:?} → {k:?}");
            assert!(seen.insert(k.clone()), "{name:?} collides on {k:?}");
            let h = HostKey::for_name(Some(name));
            assert_eq!(host_of_history_key(&h.history_key()), Some(h.clone()));
            let r = h.report_key("2026-01-01T00:00:00Z", "run");
            assert_eq!(host_of_report_key(&r), Some(h));
        }
        // Deterministic: the same name always gives the same key.
        assert_eq!(key("../index"), key("../index"));
        // An already-safe name is never rewritten into another safe name's key.
        assert_ne!(key("a_b"), key("a/b"));
    }

    #[test]
    fn report_keys_sort_by_time_and_escape_hostile_parts() {
        let h = HostKey::for_name(Some("web-1"));
        assert_eq!(
            h.report_key("2026-01-02T03:04:05Z", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
            "reports/web-1/20260102T030405Z-1b4e28ba-2fa1-11d2-883f-0016d3cca427.json"
        );
        assert_eq!(
            h.report_key("2026-01-02T03:04:05.123Z", "r"),
            "reports/web-1/20260102T030405.123Z-r.json"
        );
        let earlier = h.report_key("2026-01-02T03:04:05Z", "z");
        let later = h.report_key("2026-01-10T00:00:00Z", "a");
        assert!(earlier < later);
        for (time, id) in [
            ("../../x", "y"),
            ("2026", "../../index"),
            ("", ""),
            ("t", "a/b"),
            ("2026", &"i".repeat(300)),
        ] {
            let k = h.report_key(time, id);
            assert_eq!(host_of_report_key(&k), Some(h.clone()), "{time:?} {id:?} → {k}");
            assert_eq!(k.matches('/').count(), 2, "{k}");
            assert!(!k.contains(".."), "{k}");
        }
    }

    #[test]
    fn keys_of_other_shapes_are_not_hosts() {
        for k in [
            "index.json",
            "hosts/../x.json",
            "hosts/a/b.json",
            "hosts/.json",
            "hosts/A.json",
            "reports/a.json",
            "reports/a/b/c.json",
            "reports/a/b.txt",
            "reports/../b.json",
        ] {
            assert!(
                host_of_history_key(k).is_none() && host_of_report_key(k).is_none(),
                "{k}"
            );
        }
    }
}
