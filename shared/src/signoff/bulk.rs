//! Bulk decisions: one decision taken for every offender of a check whose name matches a pattern.
//!
//! A bulk decision is stored as one ordinary per-target decision per matching offender (so every
//! reader, the CLI's `verify` and `apply` included, judges it target by target as before), all
//! with the same kind, justification, dates and recording time. [`group_key`] is what makes them
//! one entry again in the decisions table.
//!
//! Patterns are globs over the target's name and key: `*` any run of characters, `?` one
//! character, anything else literally (`web-*`, `*-0??1`). Reports carry no container labels, so
//! a name is all there is to match.

use wildmatch::WildMatch;

use super::effective::targets_of;
use super::{Decision, TargetRef};
use crate::report::{CheckResult, Target};

/// Why a pattern selects nothing to decide. Messages are sentences for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    #[error("Type a name pattern, e.g. web-* (* matches any run of characters, ? one character).")]
    EmptyPattern,
    #[error("No offender of check {check} is named like \"{pattern}\".")]
    NoMatch { check: String, pattern: String },
}

/// A compiled name pattern.
#[derive(Debug, Clone)]
pub struct NamePattern {
    text: String,
    glob: WildMatch,
}

impl NamePattern {
    /// The pattern as typed, trimmed; blank is refused.
    pub fn parse(text: &str) -> Result<Self, BulkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(BulkError::EmptyPattern);
        }
        Ok(NamePattern {
            text: text.to_string(),
            glob: WildMatch::new(text),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the target's name or key matches.
    pub fn matches(&self, t: &Target) -> bool {
        self.glob.matches(t.display()) || self.glob.matches(t.key())
    }
}

/// The result's distinct targets that match `pattern`, in finding order.
pub fn matching_targets(result: &CheckResult, pattern: &NamePattern) -> Vec<Target> {
    targets_of(result).into_iter().filter(|t| pattern.matches(t)).collect()
}

/// One decision per offender of `result` matching `pattern`, each a copy of `template` (whose
/// own target is ignored) narrowed to that offender.
pub fn expand(result: &CheckResult, pattern: &NamePattern, template: &Decision) -> Result<Vec<Decision>, BulkError> {
    let targets = matching_targets(result, pattern);
    if targets.is_empty() {
        return Err(BulkError::NoMatch {
            check: result.id.clone(),
            pattern: pattern.as_str().to_string(),
        });
    }
    Ok(targets
        .iter()
        .map(|t| Decision {
            target: Some(TargetRef::of(t)),
            ..template.clone()
        })
        .collect())
}

/// What decisions taken together share: per-target decisions with equal keys were recorded by one
/// bulk decision (the recording time has millisecond precision, so two decisions taken one by one
/// never share it). `None` for whole-check decisions and for decisions without a recording time.
pub fn group_key(d: &Decision) -> Option<GroupKey<'_>> {
    d.target.as_ref()?;
    Some(GroupKey {
        check: &d.check,
        kind: d.kind.as_str(),
        justification: &d.justification,
        due: d.due.as_deref(),
        expires: d.expires.as_deref(),
        recorded_at: d.recorded_at.as_deref()?,
    })
}

/// See [`group_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey<'a> {
    pub check: &'a str,
    pub kind: &'a str,
    pub justification: &'a str,
    pub due: Option<&'a str>,
    pub expires: Option<&'a str>,
    pub recorded_at: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Finding, Status, TargetKind};
    use crate::signoff::DecisionKind;
    use crate::test_support::{container_finding as container, report_with};

    fn result(findings: Vec<Finding>) -> CheckResult {
        report_with(vec![("5.11", Status::Fail, findings)]).results.remove(0)
    }

    fn template() -> Decision {
        let mut d = Decision::new("5.11", None, DecisionKind::RiskAccepted, "capped by the VM");
        d.expires = Some("2026-06-30".into());
        d.recorded_at = Some("2026-02-01T09:00:00.000Z".into());
        d
    }

    #[test]
    fn a_glob_selects_offenders_by_name() {
        let r = result(vec![
            container("web-0001"),
            container("db-0002"),
            container("web-0003"),
            container("web-0001"),
            container("webby"),
        ]);
        let names = |p: &str| -> Vec<String> {
            matching_targets(&r, &NamePattern::parse(p).unwrap())
                .into_iter()
                .map(|t| t.name)
                .collect()
        };
        assert_eq!(names("web-*"), ["web-0001", "web-0003"]);
        assert_eq!(names(" web* "), ["web-0001", "web-0003", "webby"]);
        assert_eq!(names("*-000?"), ["web-0001", "db-0002", "web-0003"]);
        assert_eq!(names("db-0002"), ["db-0002"]);
        assert!(names("WEB-*").is_empty(), "names are matched as written");
        assert_eq!(NamePattern::parse("  ").unwrap_err(), BulkError::EmptyPattern);
    }

    #[test]
    fn a_pattern_matches_an_image_by_its_id_too() {
        let mut f = container("x");
        f.target = Target::new(TargetKind::Image, "sha256:abc", "alpine:3");
        let r = result(vec![f]);
        assert_eq!(matching_targets(&r, &NamePattern::parse("sha256:a*").unwrap()).len(), 1);
        assert_eq!(matching_targets(&r, &NamePattern::parse("alpine:*").unwrap()).len(), 1);
    }

    #[test]
    fn expanding_copies_the_template_per_offender() {
        let r = result(vec![container("web-1"), container("web-2"), container("db-1")]);
        let ds = expand(&r, &NamePattern::parse("web-*").unwrap(), &template()).unwrap();
        assert_eq!(ds.len(), 2);
        assert!(ds.iter().all(|d| d.validate().is_ok()));
        assert_eq!(ds[1].target.as_ref().unwrap().key, "web-2");
        assert_eq!(
            (ds[0].justification.as_str(), ds[0].expires.as_deref()),
            ("capped by the VM", Some("2026-06-30"))
        );
        assert_eq!(group_key(&ds[0]), group_key(&ds[1]));

        let err = expand(&r, &NamePattern::parse("api-*").unwrap(), &template()).unwrap_err();
        assert_eq!(err.to_string(), "No offender of check 5.11 is named like \"api-*\".");
    }

    #[test]
    fn only_per_target_decisions_with_a_recording_time_group() {
        let whole = template();
        assert_eq!(group_key(&whole), None);
        let mut one = template();
        one.target = Some(TargetRef::of(&container("a").target));
        assert!(group_key(&one).is_some());
        one.recorded_at = None;
        assert_eq!(group_key(&one), None);
    }
}
