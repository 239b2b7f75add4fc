//! OpenSSH's `allowed_signers` file: which key may sign as which principal, for which namespaces,
//! and when (`ssh-keygen(1)`, section "ALLOWED SIGNERS").
//!
//! One entry a line: `principals [options] keytype base64-key [comment]`. Principals are
//! comma-separated patterns (`*`, `?`, `!` negation); options are `namespaces="…"`,
//! `valid-after="…"`, `valid-before="…"` (`YYYYMMDD[HHMM[SS]]`, optionally ending in `Z`; read as
//! UTC either way, since shared has no time zone) and `cert-authority`, which is refused: dockaudit
//! verifies plain keys, not certificates. Blank lines and `#` comments are skipped; anything else
//! that cannot be read refuses the whole file with its line number, because a silently skipped
//! line is a signer an auditor thinks is trusted (or not).

use ssh_key::public::KeyData;
use ssh_key::PublicKey;

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line in the file.
    pub line: usize,
    /// The principal patterns, as written (e.g. `alice@example.org`).
    pub principals: Vec<String>,
    pub key: PublicKey,
    /// `namespaces=`: patterns of namespaces this key may sign; `None` for any.
    pub namespaces: Option<Vec<String>>,
    /// `valid-after=`, seconds since the Unix epoch (UTC).
    pub valid_after: Option<i64>,
    /// `valid-before=`, seconds since the Unix epoch (UTC).
    pub valid_before: Option<i64>,
}

impl Entry {
    /// The principals as one string, "alice@example.org,alice".
    pub fn principal(&self) -> String {
        self.principals.join(",")
    }

    /// Whether this entry lets its key sign in `namespace`.
    pub fn allows_namespace(&self, namespace: &str) -> bool {
        self.namespaces
            .as_ref()
            .is_none_or(|patterns| match_list(namespace, patterns))
    }
}

/// A parsed `allowed_signers` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowedSigners {
    pub entries: Vec<Entry>,
}

/// Why an `allowed_signers` file was refused. Messages are sentences for the auditor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllowedSignersError {
    #[error("allowed_signers line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("allowed_signers line {line}: cert-authority entries are not supported (dockaudit verifies plain keys, not SSH certificates); list the signers' own keys instead")]
    CertAuthority { line: usize },
}

impl AllowedSigners {
    /// Reads the file's text.
    pub fn parse(text: &str) -> Result<AllowedSigners, AllowedSignersError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            entries.push(parse_line(trimmed, line)?);
        }
        Ok(AllowedSigners { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every principal named, in file order, without repeats.
    pub fn principals(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self.entries.iter().flat_map(|e| &e.principals) {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
        out
    }

    /// The entries listing this key, in file order.
    pub fn for_key<'a>(&'a self, key: &'a KeyData) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.key.key_data() == key)
    }
}

fn parse_line(text: &str, line: usize) -> Result<Entry, AllowedSignersError> {
    let fail = |reason: String| AllowedSignersError::Line { line, reason };
    let (principals, rest) = next_field(text);
    let principals: Vec<String> = split_unquoted(&unquote(principals), ',')
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if principals.is_empty() {
        return Err(fail("no principal before the key".into()));
    }
    let rest = rest.trim_start();
    let mut entry = Entry {
        line,
        principals,
        key: PublicKey::new(KeyData::Ed25519(ssh_key::public::Ed25519PublicKey([0; 32])), ""),
        namespaces: None,
        valid_after: None,
        valid_before: None,
    };
    let key_text = if looks_like_key(rest) {
        rest
    } else {
        let (options, after) = next_field(rest);
        for option in split_unquoted(options, ',') {
            let (name, value) = match option.split_once('=') {
                Some((n, v)) => (n.trim(), Some(unquote(v.trim()))),
                None => (option.trim(), None),
            };
            match (name.to_ascii_lowercase().as_str(), value) {
                ("cert-authority", None) => return Err(AllowedSignersError::CertAuthority { line }),
                ("namespaces", Some(v)) => {
                    entry.namespaces = Some(v.split(',').map(|s| s.trim().to_string()).collect());
                }
                ("valid-after", Some(v)) => entry.valid_after = Some(parse_time(&v).map_err(fail)?),
                ("valid-before", Some(v)) => entry.valid_before = Some(parse_time(&v).map_err(fail)?),
                (other, _) => return Err(fail(format!("unknown or malformed option \"{other}\""))),
            }
        }
        after.trim_start()
    };
    entry.key = PublicKey::from_openssh(key_text).map_err(|e| {
        fail(format!(
            "the public key cannot be read ({e}); expected e.g. \"ssh-ed25519 AAAA…\""
        ))
    })?;
    Ok(entry)
}

/// Key types OpenSSH writes at the start of a public key.
fn looks_like_key(s: &str) -> bool {
    ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-", "rsa-sha2-"]
        .iter()
        .any(|p| s.starts_with(p))
}

/// The text up to the first whitespace outside double quotes, and the rest.
fn next_field(s: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&s[..i], &s[i..]),
            _ => {}
        }
    }
    (s, "")
}

/// Splits on `sep` outside double quotes.
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut quoted, mut start) = (false, 0);
    for (i, c) in s.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

fn unquote(s: &str) -> String {
    s.replace('"', "")
}

/// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, optionally ending in `Z`, as UTC seconds.
fn parse_time(s: &str) -> Result<i64, String> {
    let digits = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    let bad = || format!("\"{s}\" is not a time (YYYYMMDD[HHMM[SS]][Z])");
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|t| t.parse::<u32>().ok()).unwrap_or(0);
    let date = format!("{}-{}-{}", &digits[0..4], &digits[4..6], &digits[6..8]);
    let date = crate::signoff::Date::parse(&date).map_err(|_| bad())?;
    let (h, m, sec) = (num(8..10), num(10..12), num(12..14));
    if h > 23 || m > 59 || sec > 59 {
        return Err(bad());
    }
    Ok(date.unix_days() * 86_400 + i64::from(h * 3600 + m * 60 + sec))
}

/// OpenSSH's pattern lists: comma-separated `*`/`?` patterns; a matching `!pattern` refuses.
pub fn match_list(s: &str, patterns: &[String]) -> bool {
    let mut matched = false;
    for p in patterns {
        match p.strip_prefix('!') {
            Some(neg) if wildcard(s.as_bytes(), neg.as_bytes()) => return false,
            Some(_) => {}
            None => matched |= wildcard(s.as_bytes(), p.as_bytes()),
        }
    }
    matched
}

/// `*` any run, `?` one byte, everything else literal (iterative, linear backtracking).
fn wildcard(s: &[u8], p: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEr2vPxzDTk98qYKM1Hev9DH5HgNJgmuRzXLwcnGZVvy alice@laptop";

    #[test]
    fn reads_principals_options_and_keys() {
        let text = format!(
            "# reviewers\n\nalice@example.org,alice {KEY}\n\"bob@example.org\" namespaces=\"dockaudit-signoff,git\",valid-after=\"20260101\",valid-before=\"20261231235959Z\" {KEY}\n"
        );
        let a = AllowedSigners::parse(&text).unwrap();
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[0].principals, ["alice@example.org", "alice"]);
        assert_eq!(a.entries[0].line, 3);
        assert_eq!(a.entries[0].namespaces, None);
        let bob = &a.entries[1];
        assert_eq!(bob.principal(), "bob@example.org");
        assert!(bob.allows_namespace("dockaudit-signoff") && !bob.allows_namespace("dockaudit-report"));
        assert_eq!(bob.valid_after, Some(1_767_225_600));
        assert_eq!(bob.valid_before, Some(1_798_761_599));
        assert_eq!(a.principals(), ["alice@example.org", "alice", "bob@example.org"]);
        assert_eq!(a.for_key(bob.key.key_data()).count(), 2);
    }

    #[test]
    fn refuses_what_it_cannot_read_with_the_line() {
        let e = AllowedSigners::parse(&format!("ok {KEY}\nca@x cert-authority {KEY}\n")).unwrap_err();
        assert_eq!(e, AllowedSignersError::CertAuthority { line: 2 });
        assert!(e.to_string().contains("not supported"), "{e}");
        for bad in [
            format!("x valid-after=\"2026\" {KEY}"),
            format!("x frobnicate {KEY}"),
            "x ssh-ed25519 AAAAnotbase64!".to_string(),
            "x".to_string(),
        ] {
            let e = AllowedSigners::parse(&bad).unwrap_err();
            assert!(matches!(e, AllowedSignersError::Line { line: 1, .. }), "{bad}: {e}");
        }
    }

    #[test]
    fn patterns_match_like_openssh() {
        let list = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(match_list("dockaudit-signoff", &list("dockaudit-*")));
        assert!(!match_list("git", &list("dockaudit-*")));
        assert!(!match_list("dockaudit-report", &list("dockaudit-*,!dockaudit-report")));
        assert!(match_list("a", &list("?")) && !match_list("ab", &list("?")));
    }
}
