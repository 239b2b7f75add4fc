//! Finding the host files a recommendation names, and judging them (ownership, mode, audit rules).
//!
//! Every check that looks at a file follows one rule: a stat that could not be taken is never a
//! pass. Offending files make the check fail even when other candidates are unknown (the evidence
//! stands on its own); otherwise an unknown candidate makes it `error`, and a file that simply does
//! not exist makes it `not_applicable`.

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::outcome::{finding, Outcome};
use crate::interpret::audit_rules::{self, AuditRule};
use crate::snapshot::{Fact, FileStat, HostFacts};

/// Unwraps a `Result<T, Outcome>`, returning the outcome from the check on `Err`.
macro_rules! or_return {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(outcome) => return outcome,
        }
    };
}
pub(crate) use or_return;

/// The files a check looks at, as far as they could be located.
#[derive(Debug, Default)]
pub struct Located<'a> {
    /// Existing files to judge.
    pub found: Vec<&'a FileStat>,
    /// Candidates whose existence is unknown, with the reason.
    pub unknown: Vec<String>,
    /// Every candidate path consulted.
    pub checked: Vec<String>,
}

/// The first candidate that exists (candidates are alternatives in preference order). A candidate
/// that could not be stat'ed before it stays unknown: the preferred file might be that one.
pub fn first_existing<'a>(host: &'a HostFacts, candidates: &[String]) -> Located<'a> {
    let mut located = Located::default();
    for path in candidates {
        located.checked.push(path.clone());
        match lookup(host, path) {
            Ok(Some(stat)) => {
                located.found.push(stat);
                break;
            }
            Ok(None) => {}
            Err(reason) => located.unknown.push(reason),
        }
    }
    located
}

/// Every candidate that exists (candidates that all apply, such as two containerd sockets).
pub fn all_existing<'a>(host: &'a HostFacts, candidates: &[String]) -> Located<'a> {
    let mut located = Located::default();
    for path in candidates {
        located.checked.push(path.clone());
        match lookup(host, path) {
            Ok(Some(stat)) => located.found.push(stat),
            Ok(None) => {}
            Err(reason) => located.unknown.push(reason),
        }
    }
    located
}

fn lookup<'a>(host: &'a HostFacts, path: &str) -> Result<Option<&'a FileStat>, String> {
    match host.files.get(path) {
        Some(Fact::Ok(stat)) => Ok(stat.as_ref()),
        Some(Fact::Unavailable(u)) => Err(format!("{path} could not be examined ({})", u.reason)),
        None => Err(format!("{path} was not examined when the facts were gathered")),
    }
}

impl<'a> Located<'a> {
    /// The outcome when nothing to judge was found: `error` if a candidate is unknown, else
    /// `not_applicable` naming every path checked.
    pub fn nothing_found(&self) -> Option<Outcome> {
        if !self.found.is_empty() {
            return None;
        }
        if !self.unknown.is_empty() {
            return Some(Outcome::error(format!(
                "Could not tell whether the file exists: {}.",
                self.unknown.join("; ")
            )));
        }
        Some(Outcome::not_applicable(match self.checked.as_slice() {
            [] => "Not installed: no path to check.".to_string(),
            [one] => format!("Not installed: {one} does not exist on the host."),
            many => format!("Not installed: none of {} exists on the host.", many.join(", ")),
        }))
    }

    /// Judges every found file. `test` returns what was verified, or the finding against the file.
    /// `fail_phrase` completes "N of M files …" in the summary.
    pub fn judge(&self, fail_phrase: &str, test: impl Fn(&FileStat) -> Judged) -> Outcome {
        if let Some(o) = self.nothing_found() {
            return o;
        }
        let mut verified = Vec::new();
        let mut findings = Vec::new();
        for stat in &self.found {
            match test(stat) {
                Judged::Verified(v) => verified.push(v),
                Judged::Offends(f) => findings.push(f),
            }
        }
        if !findings.is_empty() {
            let summary = match (findings.as_slice(), self.found.len()) {
                ([only], 1) => format!("{}.", only.message),
                _ => format!("{} of {} files {fail_phrase}.", findings.len(), self.found.len()),
            };
            return Outcome::fail(summary, findings);
        }
        if !self.unknown.is_empty() {
            return Outcome::error(format!(
                "{}, but not every file could be examined: {}.",
                verified.join("; "),
                self.unknown.join("; ")
            ));
        }
        Outcome::pass(format!("{}.", verified.join("; ")))
    }
}

/// Candidate paths of a systemd unit of Docker (`docker.service`, `docker.socket`), or the outcome
/// when systemd could not be read (`error`) or has no such unit (`not_applicable`).
pub fn systemd_unit(host: &HostFacts, unit: &str, paths: &[String]) -> Result<Vec<String>, Outcome> {
    host.systemd
        .get()
        .map_err(|u| Outcome::unavailable("the systemd unit directories", u))?;
    if paths.is_empty() {
        return Err(Outcome::not_applicable(format!("The host has no {unit} unit file.")));
    }
    Ok(paths.to_vec())
}

/// The verdict on one file.
#[derive(Debug)]
pub enum Judged {
    /// What was verified, for the pass summary.
    Verified(String),
    /// The evidence against the file.
    Offends(Finding),
}

/// The report target for a host file.
pub fn file_target(path: &str) -> Target {
    Target::new(TargetKind::File, path, path)
}

/// `root:root (uid 0, gid 0)`, with names when the gatherer resolved them.
pub fn owner_text(stat: &FileStat) -> String {
    let user = stat.owner.clone().unwrap_or_else(|| stat.uid.to_string());
    let group = stat.group.clone().unwrap_or_else(|| stat.gid.to_string());
    format!("{user}:{group} (uid {}, gid {})", stat.uid, stat.gid)
}

/// Permission bits as four octal digits (`0644`).
pub fn mode_text(mode: u32) -> String {
    format!("{:04o}", mode & 0o7777)
}

/// The bits of `mode` outside `mask`; `mode ⊆ mask` iff this is 0. Octal bit masks, never a
/// numeric comparison: 0606 is numerically below 0644 yet world-writable.
pub fn excess_bits(mode: u32, mask: u32) -> u32 {
    mode & 0o7777 & !mask
}

/// Test: owned by uid 0 and gid 0.
pub fn owned_by_root(stat: &FileStat) -> Judged {
    if stat.uid == 0 && stat.gid == 0 {
        return Judged::Verified(format!("{} is owned by {}", stat.path, owner_text(stat)));
    }
    Judged::Offends(finding(
        file_target(&stat.path),
        format!("{} is owned by {}, not root:root", stat.path, owner_text(stat)),
        format!("owner {}, mode {}", owner_text(stat), mode_text(stat.mode)),
        "owner root:root (uid 0, gid 0)",
        format!("chown root:root {}", stat.path),
    ))
}

/// Test: no permission bit outside `mask`.
pub fn mode_within(stat: &FileStat, mask: u32) -> Judged {
    let excess = excess_bits(stat.mode, mask);
    if excess == 0 {
        return Judged::Verified(format!(
            "{} has mode {} (within {})",
            stat.path,
            mode_text(stat.mode),
            mode_text(mask)
        ));
    }
    Judged::Offends(finding(
        file_target(&stat.path),
        format!(
            "{} has mode {}, which sets bits {} outside {}",
            stat.path,
            mode_text(stat.mode),
            mode_text(excess),
            mode_text(mask)
        ),
        format!("mode {}, owner {}", mode_text(stat.mode), owner_text(stat)),
        format!("mode {} or stricter", mode_text(mask)),
        format!("chmod {:o} {}", mask, stat.path),
    ))
}

/// Test: some parsed audit rule covers the file.
pub fn audited(
    stat: &FileStat,
    rules: &[AuditRule],
    host: &HostFacts,
    source: &str,
    alternatives: &[&FileStat],
) -> Judged {
    let candidates = std::iter::once(stat).chain(alternatives.iter().copied());
    for target in candidates {
        if let Some(rule) = rules.iter().find(|r| audit_rules::covers(r, target, host)) {
            return Judged::Verified(format!(
                "audit rule `{}` covers {} (from {source})",
                rule.text, target.path
            ));
        }
    }
    let mut observed = format!("no audit rule names {}", stat.path);
    for alt in alternatives {
        observed.push_str(&format!(" or {}", alt.path));
    }
    if rules.is_empty() {
        observed.push_str(&format!("; there are no file watch rules at all ({source})"));
    } else {
        observed.push_str(&format!(" ({} file watch rules parsed from {source})", rules.len()));
    }
    let near: Vec<String> = audit_rules::near_misses(rules, stat, host)
        .iter()
        .map(|r| format!("`{}`", r.text))
        .collect();
    if !near.is_empty() {
        observed.push_str(&format!("; near misses that do not count: {}", near.join(", ")));
    }
    let alt_text: String = alternatives.iter().map(|a| format!(" or {}", a.path)).collect();
    Judged::Offends(finding(
        file_target(&stat.path),
        format!("No audit rule covers {}", stat.path),
        observed,
        format!("an audit rule naming exactly {}{alt_text}", stat.path),
        format!(
            "add \"-w {} -k docker\" to /etc/audit/rules.d/docker.rules and load it with `augenrules --load`",
            stat.path
        ),
    ))
}

/// The value of a fact that tests built as `Ok`.
#[cfg(test)]
pub(crate) fn ok_mut<T>(fact: &mut Fact<T>) -> &mut T {
    match fact {
        Fact::Ok(v) => v,
        Fact::Unavailable(u) => panic!("test fact is unavailable: {u}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_masks_not_decimal_comparison() {
        // (mode, mask, within?)
        let cases = [
            (0o644, 0o644, true),
            (0o600, 0o644, true),
            (0o000, 0o400, true),
            (0o606, 0o644, false), // numerically 606 < 644, but world-writable
            (0o470, 0o644, false),
            (0o737, 0o755, false),
            (0o4755, 0o755, false), // setuid is outside the mask
            (0o600, 0o400, false),
            (0o660, 0o660, true),
        ];
        for (mode, mask, within) in cases {
            assert_eq!(excess_bits(mode, mask) == 0, within, "{mode:o} within {mask:o}");
        }
        assert_eq!(mode_text(0o644), "0644");
        assert_eq!(mode_text(0o4755), "4755");
    }

    #[test]
    fn locating_respects_preference_and_unknowns() {
        let mut host = HostFacts::default();
        let stat = FileStat {
            path: "/usr/sbin/runc".into(),
            kind: "file".into(),
            ..FileStat::default()
        };
        host.files.insert("/usr/bin/runc".into(), Fact::Ok(None));
        host.files.insert("/usr/sbin/runc".into(), Fact::Ok(Some(stat)));
        let paths = [
            "/usr/bin/runc".to_string(),
            "/usr/sbin/runc".to_string(),
            "/bin/runc".to_string(),
        ];
        let l = first_existing(&host, &paths);
        assert_eq!(l.found.len(), 1);
        assert!(l.unknown.is_empty());

        host.files
            .insert("/usr/bin/runc".into(), Fact::unavailable("stat", "permission denied"));
        let l = first_existing(&host, &paths);
        assert_eq!((l.found.len(), l.unknown.len()), (1, 1));
        let o = l.judge("x", |s| Judged::Verified(s.path.clone()));
        assert_eq!(o.status, dockaudit_shared::report::Status::Error);

        let none = first_existing(&host, &["/nope".to_string()]);
        assert_eq!(
            none.nothing_found().unwrap().status,
            dockaudit_shared::report::Status::Error
        );
        host.files.insert("/nope".into(), Fact::Ok(None));
        let none = first_existing(&host, &["/nope".to_string()]);
        let o = none.nothing_found().unwrap();
        assert_eq!(o.status, dockaudit_shared::report::Status::NotApplicable);
        assert!(o.summary.contains("/nope"));
    }
}
