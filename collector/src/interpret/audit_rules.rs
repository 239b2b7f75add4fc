//! Parsing audit rules (auditctl syntax) and deciding which host path a rule covers.
//!
//! The peers grep rule text for the path, so a rule on `/usr/bin/containerd-shim-runc-v2` passes
//! the check for `/usr/bin/containerd`. Here each line is tokenised like auditctl would read it and
//! a rule covers a path only when it names that exact path (or its symlink-resolved form).

use crate::snapshot::{FileStat, HostFacts};

/// How a rule selects files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// `-w PATH`: a watch; on a directory it covers everything below it.
    Watch,
    /// `-a always,exit … -F path=PATH`: one inode, file or directory entry.
    SyscallPath,
    /// `-a always,exit … -F dir=PATH`: a directory tree.
    SyscallDir,
}

/// One parsed rule that watches a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRule {
    /// The line as read, for evidence.
    pub text: String,
    pub kind: RuleKind,
    /// Watched path, trailing slashes removed.
    pub path: String,
}

/// Parses one line. Lines that do not add a path rule (`-D`, `-e 2`, `-W` removals, `never`
/// actions, `!=` comparisons, comments, "No rules") yield nothing.
pub fn parse_line(line: &str) -> Vec<AuditRule> {
    let text = line.trim();
    if text.is_empty() || text.starts_with('#') {
        return Vec::new();
    }
    let tokens: Vec<&str> = text.split_whitespace().map(unquote).collect();
    let mut watch: Option<&str> = None;
    let mut syscall_action_ok: Option<bool> = None;
    let mut fields: Vec<(RuleKind, &str)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        // Option and value may be separate (`-F path=/x`) or joined (`-Fpath=/x`).
        let (opt, attached) = match token.get(..2) {
            Some(o) if o.starts_with('-') && token.len() > 2 && !token.starts_with("--") => (o, Some(&token[2..])),
            _ => (token, None),
        };
        let mut value = || {
            attached.map(unquote).or_else(|| {
                i += 1;
                tokens.get(i).copied()
            })
        };
        match opt {
            "-w" => watch = value(),
            // A removal or a rule with no way to tell what it watches adds no coverage.
            "-W" => return Vec::new(),
            "-a" | "-A" => syscall_action_ok = Some(value().is_some_and(always_exit)),
            "-F" => {
                if let Some(field) = value() {
                    if let Some(p) = field.strip_prefix("path=") {
                        fields.push((RuleKind::SyscallPath, p));
                    } else if let Some(d) = field.strip_prefix("dir=") {
                        fields.push((RuleKind::SyscallDir, d));
                    }
                }
            }
            "-p" | "-k" | "-S" | "-C" | "-b" | "-e" | "-f" | "-r" | "-M" => {
                let _ = value();
            }
            _ => {}
        }
        i += 1;
    }
    let mut rules = Vec::new();
    if let Some(path) = watch {
        rules.push(AuditRule {
            text: text.to_string(),
            kind: RuleKind::Watch,
            path: normalize(path),
        });
    }
    if syscall_action_ok == Some(true) {
        rules.extend(fields.into_iter().map(|(kind, p)| AuditRule {
            text: text.to_string(),
            kind,
            path: normalize(p),
        }));
    }
    rules
}

/// Parses every line.
pub fn parse_all(lines: &[String]) -> Vec<AuditRule> {
    lines.iter().flat_map(|l| parse_line(l)).collect()
}

/// `always,exit` in either order: `never` suppresses auditing and other lists do not see file access.
fn always_exit(action_list: &str) -> bool {
    let parts: Vec<&str> = action_list.split(',').map(str::trim).collect();
    parts.len() == 2 && parts.contains(&"always") && parts.contains(&"exit")
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

/// Removes trailing slashes (`/etc/docker/` and `/etc/docker` name the same directory).
pub fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() && path.starts_with('/') {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// Spellings of one file: its path, plus the symlink-resolved form when it differs.
pub fn spellings(stat: &FileStat) -> Vec<String> {
    let mut names = vec![normalize(&stat.path)];
    if let Some(r) = &stat.resolved {
        let r = normalize(r);
        if !names.contains(&r) {
            names.push(r);
        }
    }
    names
}

/// Whether `rule` covers the file `stat`.
///
/// Paths must be equal after symlink resolution: the rule path itself, or its resolved form when
/// that path was stat'ed too. A watch names files and directories; `-F dir=` only directories;
/// `-F path=` only non-directories, because on a directory it sees the directory entry, not its
/// contents. A symlink of unknown target kind accepts all three.
pub fn covers(rule: &AuditRule, stat: &FileStat, host: &HostFacts) -> bool {
    let kind_ok = match rule.kind {
        RuleKind::Watch => true,
        RuleKind::SyscallDir => stat.kind != "file" && stat.kind != "socket",
        RuleKind::SyscallPath => stat.kind != "dir",
    };
    if !kind_ok {
        return false;
    }
    let targets = spellings(stat);
    if targets.contains(&rule.path) {
        return true;
    }
    // The rule may name a symlinked spelling (`/var/run/docker.sock` for `/run/docker.sock`).
    host.files
        .get(&rule.path)
        .and_then(|f| f.ok())
        .and_then(|f| f.as_ref())
        .and_then(|f| f.resolved.as_deref())
        .is_some_and(|r| targets.contains(&normalize(r)))
}

/// Rules that name a path close to the target (one inside the other) without covering it, to show
/// why a near miss does not count.
pub fn near_misses<'r>(rules: &'r [AuditRule], stat: &FileStat, host: &HostFacts) -> Vec<&'r AuditRule> {
    let targets = spellings(stat);
    // Either path is a string prefix of the other: `/usr/bin/containerd-shim-runc-v2` for
    // `/usr/bin/containerd`, or `/run/containerd/containerd.sock` for `/run/containerd`.
    let related = |p: &str| targets.iter().any(|t| p.starts_with(t.as_str()) || t.starts_with(p));
    rules
        .iter()
        .filter(|r| related(&r.path) && !covers(r, stat, host))
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(path: &str, kind: &str) -> FileStat {
        FileStat {
            path: path.into(),
            kind: kind.into(),
            ..FileStat::default()
        }
    }

    #[test]
    fn parses_watch_and_syscall_forms() {
        let r = parse_line("-w /usr/bin/dockerd -p rwxa -k docker");
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].kind, r[0].path.as_str()), (RuleKind::Watch, "/usr/bin/dockerd"));

        let r = parse_line("-a always,exit -F arch=b64 -S all -F path=/usr/bin/runc -F perm=rwxa -F key=docker");
        assert_eq!(
            (r[0].kind, r[0].path.as_str()),
            (RuleKind::SyscallPath, "/usr/bin/runc")
        );

        let r = parse_line("-a exit,always -F dir=/etc/docker/ -F perm=wa -k docker");
        assert_eq!((r[0].kind, r[0].path.as_str()), (RuleKind::SyscallDir, "/etc/docker"));

        let r = parse_line("-a always,exit -F\"path=/usr/bin/runc\"");
        assert_eq!(r[0].path, "/usr/bin/runc");
    }

    #[test]
    fn ignores_lines_that_add_no_watch() {
        for line in [
            "",
            "# -w /usr/bin/dockerd",
            "No rules",
            "-D",
            "-b 8192",
            "-e 2",
            "-W /usr/bin/dockerd -k docker",
            "-a never,exit -F path=/usr/bin/dockerd",
            "-a always,task -F path=/usr/bin/dockerd",
            "-a always,exit -F path!=/usr/bin/dockerd",
        ] {
            assert!(parse_line(line).is_empty(), "{line:?}");
        }
    }

    #[test]
    fn exact_path_only() {
        let host = HostFacts::default();
        let cases = [
            (
                "-w /usr/bin/containerd-shim-runc-v2 -k docker",
                "/usr/bin/containerd",
                "file",
                false,
            ),
            ("-w /usr/bin/containerd -k docker", "/usr/bin/containerd", "file", true),
            (
                "-w /run/containerd/containerd.sock -k docker",
                "/run/containerd",
                "dir",
                false,
            ),
            ("-w /run -k docker", "/run/containerd", "dir", false),
            ("-w /run/containerd/ -k docker", "/run/containerd", "dir", true),
            (
                "-a always,exit -F dir=/etc/docker -k docker",
                "/etc/docker",
                "dir",
                true,
            ),
            (
                "-a always,exit -F path=/etc/docker -k docker",
                "/etc/docker",
                "dir",
                false,
            ),
            (
                "-a always,exit -F dir=/usr/bin/runc -k docker",
                "/usr/bin/runc",
                "file",
                false,
            ),
        ];
        for (line, path, kind, want) in cases {
            let rule = &parse_line(line)[0];
            assert_eq!(covers(rule, &stat(path, kind), &host), want, "{line} vs {path}");
        }
    }

    #[test]
    fn resolved_spellings_match() {
        let mut host = HostFacts::default();
        let unit = FileStat {
            resolved: Some("/usr/lib/systemd/system/docker.service".into()),
            ..stat("/lib/systemd/system/docker.service", "file")
        };
        let rule = &parse_line("-w /usr/lib/systemd/system/docker.service")[0];
        assert!(covers(rule, &unit, &host));

        // A rule on a symlinked spelling counts when that spelling was stat'ed.
        let sock = stat("/run/docker.sock", "socket");
        let rule = &parse_line("-w /var/run/docker.sock")[0];
        assert!(!covers(rule, &sock, &host));
        host.files.insert(
            "/var/run/docker.sock".into(),
            crate::snapshot::Fact::Ok(Some(FileStat {
                resolved: Some("/run/docker.sock".into()),
                ..stat("/var/run/docker.sock", "socket")
            })),
        );
        assert!(covers(rule, &sock, &host));
    }
}
