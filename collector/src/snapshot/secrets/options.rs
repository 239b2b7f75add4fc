//! Options that take a credential, recognised token by token: `--password value`, `-u user:pass`,
//! and the short password flags of programs known to have one (`mysql -pvalue`).
//!
//! A short flag such as `-p` means a password for a few programs only, so it is masked only when
//! one of them was named earlier in the same command (a `;`, `|` or `&` ends a command). Unknown
//! programs keep their short flags: `docker run -p 8080:80` stays as it is.

use std::ops::Range;

use super::{mask_ranges, secret_option, value_range};

/// A program whose short flag `flag` takes a password; `login` when only its `login`
/// subcommand does (`docker login -p`, but `docker run -p` publishes a port).
struct Program {
    names: &'static [&'static str],
    flag: char,
    login: bool,
}

const PROGRAMS: &[Program] = &[
    Program {
        names: &[
            "mysql",
            "mysqldump",
            "mysqladmin",
            "mysqlimport",
            "mysqlcheck",
            "mysqlshow",
            "mysqlslap",
            "mysqlpump",
            "mysqlbinlog",
            "mariadb",
            "mariadb-dump",
            "mariadb-admin",
            "mariadb-import",
            "mariadb-check",
            "mariadb-show",
            "mariadb-slap",
            "mariadb-binlog",
            "sshpass",
            "mongo",
            "mongosh",
            "mongodump",
            "mongorestore",
            "mongoexport",
            "mongoimport",
            "mongostat",
            "mongotop",
            "7z",
            "7za",
            "7zr",
        ],
        flag: 'p',
        login: false,
    },
    Program {
        names: &["redis-cli", "valkey-cli", "keydb-cli"],
        flag: 'a',
        login: false,
    },
    Program {
        names: &["zip", "unzip", "sqlcmd", "bcp", "mosquitto_pub", "mosquitto_sub"],
        flag: 'P',
        login: false,
    },
    Program {
        names: &[
            "ldapsearch",
            "ldapadd",
            "ldapmodify",
            "ldapdelete",
            "ldapmodrdn",
            "ldappasswd",
            "ldapwhoami",
        ],
        flag: 'w',
        login: false,
    },
    Program {
        names: &["docker", "podman", "nerdctl", "buildah", "skopeo", "helm", "oras"],
        flag: 'p',
        login: true,
    },
];

/// What the previous token asked of the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    /// The whole next argument is a credential (`--password value`).
    Value,
    /// The next argument is `user:password`; the part after the first colon is masked.
    AfterColon,
}

struct Scanner {
    program: Option<&'static Program>,
    login_seen: bool,
    pending: Pending,
}

/// Each piece (one text, or the arguments of an argument vector in order) with the credentials
/// that options carry masked; an option in one piece may take its value from the next.
pub(super) fn redact_pieces(pieces: &[&str]) -> Vec<String> {
    let mut scanner = Scanner {
        program: None,
        login_seen: false,
        pending: Pending::Nothing,
    };
    pieces
        .iter()
        .map(|piece| {
            let ranges = scanner.scan(piece);
            mask_ranges(piece, &ranges).into_owned()
        })
        .collect()
}

impl Scanner {
    /// Byte ranges of `piece` to mask, in order.
    fn scan(&mut self, piece: &str) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        // The previous argument was an option taking this whole argument as its value.
        let value = piece.trim();
        let separator = value.contains([';', '|', '&']);
        if self.pending != Pending::Nothing && !value.is_empty() && !value.starts_with('-') && !separator {
            let start = piece.len() - piece.trim_start().len();
            let from = match self.pending {
                Pending::AfterColon if uid_gid(value) => None,
                Pending::AfterColon => value.find(':').map(|c| start + c + 1),
                _ => Some(start),
            };
            self.pending = Pending::Nothing;
            if let Some(from) = from.filter(|&f| f < start + value.len()) {
                ranges.push(from..start + value.len());
            }
            return ranges;
        }
        let mut pos = 0;
        while pos < piece.len() {
            let Some(start) = piece[pos..].find(|c: char| !c.is_whitespace()).map(|i| pos + i) else {
                break;
            };
            let end = piece[start..]
                .find(char::is_whitespace)
                .map_or(piece.len(), |i| start + i);
            let next = self.token(piece, start..end, &mut ranges);
            pos = next.max(end);
        }
        ranges
    }

    /// Handles the token at `tok` and returns where scanning resumes (past a quoted value).
    fn token(&mut self, piece: &str, tok: Range<usize>, ranges: &mut Vec<Range<usize>>) -> usize {
        let text = &piece[tok.clone()];
        let pending = std::mem::replace(&mut self.pending, Pending::Nothing);
        let separator = text.contains([';', '|', '&']);
        if pending != Pending::Nothing && !text.starts_with('-') && !separator {
            let value = match pending {
                Pending::AfterColon => match text.find(':') {
                    Some(colon) if !uid_gid(text) => value_range(piece, tok.start + colon + 1, &[]),
                    _ => return tok.end,
                },
                _ => value_range(piece, tok.start, &[]),
            };
            let resume = value.end;
            if !value.is_empty() {
                ranges.push(value);
            }
            return resume;
        }
        if separator {
            self.program = None;
            self.login_seen = false;
        }
        if !text.starts_with('-') {
            let word = program_word(text);
            if let Some(program) = PROGRAMS.iter().find(|p| p.names.contains(&word)) {
                self.program = Some(program);
                self.login_seen = false;
            } else if word == "login" {
                self.login_seen = true;
            }
            if text.ends_with([';', '|', '&']) {
                self.program = None;
            }
            return tok.end;
        }
        self.option(piece, tok, ranges)
    }

    /// An option token: `-u`, `--password[=value]`, or a program's short password flag.
    fn option(&mut self, piece: &str, tok: Range<usize>, ranges: &mut Vec<Range<usize>>) -> usize {
        let text = &piece[tok.clone()];
        if matches!(text, "-u" | "-U" | "--user" | "--proxy-user") {
            self.pending = Pending::AfterColon;
            return tok.end;
        }
        let user_value = ["--user=", "--proxy-user="]
            .iter()
            .find_map(|p| text.strip_prefix(p).map(|_| p.len()))
            .or_else(|| (text.starts_with("-u") && !text.starts_with("--") && text.len() > 2).then_some(2));
        if let Some(at) = user_value {
            let value = &text[at..];
            if let Some(colon) = value.find(':').filter(|_| !uid_gid(value)) {
                let range = value_range(piece, tok.start + at + colon + 1, &[]);
                let resume = range.end;
                if !range.is_empty() {
                    ranges.push(range);
                }
                return resume.max(tok.end);
            }
            return tok.end;
        }
        let dashes = if text.starts_with("--") { 2 } else { 1 };
        let body = &text[dashes..];
        let (name, has_value) = match body.split_once('=') {
            Some((n, _)) => (n, true),
            None => (body, false),
        };
        let long_enough = dashes == 2 || name.len() >= 4;
        if long_enough && !name.is_empty() && secret_option(name) && !reference_option(name) {
            if !has_value {
                self.pending = Pending::Value;
                return tok.end;
            }
            let range = value_range(piece, tok.start + dashes + name.len() + 1, &[]);
            let resume = range.end;
            if !range.is_empty() {
                ranges.push(range);
            }
            return resume.max(tok.end);
        }
        if let Some(program) = self.program.filter(|p| !p.login || self.login_seen) {
            let mut chars = body.chars();
            if dashes == 1 && chars.next() == Some(program.flag) {
                if body.len() == program.flag.len_utf8() {
                    self.pending = Pending::Value;
                    return tok.end;
                }
                let range = value_range(piece, tok.start + 1 + program.flag.len_utf8(), &[]);
                let resume = range.end;
                if !range.is_empty() {
                    ranges.push(range);
                }
                return resume.max(tok.end);
            }
        }
        tok.end
    }
}

/// `1000:1000`: a numeric user and group (`docker run -u`), not a user and password.
fn uid_gid(value: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    value.split_once(':').is_some_and(|(u, g)| digits(u) && digits(g))
}

/// Options that name where a credential is (`--password-file`, `--password-stdin`, BuildKit's
/// `--secret id=…,src=…`) or switch one off (`adduser --disabled-password`), not the credential
/// itself.
fn reference_option(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "secret"
        || ["no-", "disable", "skip-", "without-", "allow-", "ask-"]
            .iter()
            .any(|p| lower.starts_with(p))
        || ["file", "stdin", "path", "dir", "env", "fd", "command", "cmd"]
            .iter()
            .any(|s| lower.ends_with(&format!("-{s}")) || lower.ends_with(&format!("_{s}")))
}

/// The program a token names: after any `;|&(` or quote, without a directory or closing
/// punctuation (`'/usr/bin/mysql` → `mysql`).
fn program_word(token: &str) -> &str {
    let trimmed = token.trim_end_matches([';', '|', '&', ')', '\'', '"', '`', '}']);
    let after = trimmed
        .rfind([';', '|', '&', '(', '`', '\'', '"', '$', '{'])
        .map_or(trimmed, |i| &trimmed[i + 1..]);
    after.rsplit('/').next().unwrap_or(after)
}
