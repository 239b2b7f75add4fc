//! Audit rules: the loaded ones (`auditctl -l`) when we can ask the kernel, else the rule files.

use std::process::Command;

use super::root::{describe, join, HostRoot};
use crate::snapshot::{AuditRules, Fact};

const RULES_DIR: &str = "/etc/audit/rules.d";
const RULES_FILE: &str = "/etc/audit/audit.rules";

/// Outcome of running `auditctl -l`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Loaded {
    Rules(Vec<String>),
    /// The kernel answered: no rules are loaded.
    NoRules,
    /// auditctl could not tell (missing, not root, no CAP_AUDIT_CONTROL).
    Unknown(String),
}

/// Audit rules of the host.
///
/// The kernel's loaded rules are the truth, so on our own `/` `auditctl -l` comes first. Its
/// "No rules" is an answer too: rule files that exist but are not loaded audit nothing, so
/// they are not reported as rules (the source says they exist). Through another host root the
/// kernel's rules are not ours to ask, so the rule files are read instead.
pub fn audit_rules(fs: &HostRoot) -> Fact<AuditRules> {
    let loaded = if fs.is_slash() { Some(auditctl()) } else { None };
    match loaded {
        Some(Loaded::Rules(lines)) => Fact::Ok(AuditRules {
            source: "auditctl -l".into(),
            lines,
        }),
        Some(Loaded::NoRules) => {
            let note = match rule_files(fs) {
                Ok(files) if !files.is_empty() => {
                    format!(" ({} exist but are not loaded)", files.join(", "))
                }
                _ => String::new(),
            };
            Fact::Ok(AuditRules {
                source: format!("auditctl -l: no rules loaded{note}"),
                lines: Vec::new(),
            })
        }
        Some(Loaded::Unknown(why)) => from_files(fs, Some(&why)),
        None => from_files(fs, None),
    }
}

fn auditctl() -> Loaded {
    // auditctl lives in /sbin, which is not always on a non-login PATH.
    let mut last = String::from("auditctl not found");
    for program in ["auditctl", "/usr/sbin/auditctl", "/sbin/auditctl"] {
        match Command::new(program).arg("-l").output() {
            Ok(out) => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                if !out.status.success() {
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    let detail = stderr
                        .lines()
                        .chain(stdout.lines())
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("");
                    return Loaded::Unknown(format!("auditctl -l failed ({}): {}", out.status, detail.trim()));
                }
                return parse_auditctl(&stdout);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => last = format!("auditctl could not be run: {e}"),
        }
    }
    Loaded::Unknown(last)
}

fn parse_auditctl(stdout: &str) -> Loaded {
    let lines = rule_lines(stdout);
    if lines.is_empty() || lines.iter().all(|l| l == "No rules") {
        Loaded::NoRules
    } else {
        Loaded::Rules(lines)
    }
}

/// The rule files present: `rules.d/*.rules` (what augenrules compiles) and `audit.rules`.
fn rule_files(fs: &HostRoot) -> std::io::Result<Vec<String>> {
    let mut files: Vec<String> = fs
        .list_dir(RULES_DIR)?
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.ends_with(".rules"))
        .map(|n| join(RULES_DIR, &n))
        .collect();
    if fs.exists(RULES_FILE)? {
        files.push(RULES_FILE.into());
    }
    Ok(files)
}

fn from_files(fs: &HostRoot, auditctl_failure: Option<&str>) -> Fact<AuditRules> {
    let ctl = auditctl_failure.unwrap_or("auditctl not consulted through a host root");
    let files = match rule_files(fs) {
        Ok(f) => f,
        Err(e) => {
            return Fact::unavailable(
                RULES_DIR,
                format!("rule files cannot be listed: {} ({ctl})", describe(&e)),
            )
        }
    };
    if files.is_empty() {
        let dir = match fs.exists("/etc/audit") {
            Ok(true) => "no rule files in /etc/audit",
            _ => "/etc/audit absent",
        };
        return Fact::Ok(AuditRules {
            source: format!("no audit rules found ({ctl}, {dir})"),
            lines: Vec::new(),
        });
    }
    let mut lines: Vec<String> = Vec::new();
    for file in &files {
        match fs.read_text(file) {
            // audit.rules is usually compiled from rules.d, so the same rule appears twice.
            Ok(text) => rule_lines(&text).into_iter().for_each(|l| {
                if !lines.contains(&l) {
                    lines.push(l)
                }
            }),
            Err(e) => return Fact::unavailable(file.clone(), format!("{} ({ctl})", describe(&e))),
        }
    }
    Fact::Ok(AuditRules {
        source: format!("rule files, not necessarily loaded ({ctl}): {}", files.join(", ")),
        lines,
    })
}

/// Non-empty lines that are not comments.
fn rule_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auditctl_output() {
        assert_eq!(parse_auditctl("No rules\n"), Loaded::NoRules);
        assert_eq!(parse_auditctl(""), Loaded::NoRules);
        assert_eq!(
            parse_auditctl("-w /usr/bin/dockerd -p rwxa -k docker\n-w /run/containerd -p rwxa -k docker\n"),
            Loaded::Rules(vec![
                "-w /usr/bin/dockerd -p rwxa -k docker".into(),
                "-w /run/containerd -p rwxa -k docker".into()
            ])
        );
    }
}
