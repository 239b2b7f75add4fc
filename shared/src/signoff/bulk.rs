//! Bulk decisions: one decision taken for every offender of a check picked by its name or by a
//! label.
//!
//! A bulk decision is stored as one ordinary per-target decision per matching offender (so every
//! reader, the CLI's `verify` and `apply` included, judges it target by target as before), all
//! with the same kind, justification, dates and recording time. [`group_key`] is what makes them
//! one entry again in the decisions table.
//!
//! A [`Selector`] picks the offenders:
//! * [`NamePattern`]: a glob over the target's name and key: `*` any run of characters, `?` one
//!   character, anything else literally (`web-*`, `*-0??1`);
//! * [`LabelPattern`]: a container label, from the report's `target_labels` (schema 3): `key`
//!   (the label is present, whatever its value), `key=value`, or `key=glob` over the value
//!   (`team=pay*`). The key is matched exactly. Reports written before schema 3, and imported
//!   ones, carry no labels; picking by label is then refused with that reason.

use std::collections::{BTreeMap, HashMap};

use wildmatch::WildMatch;

use super::effective::targets_of;
use super::{Decision, TargetRef};
use crate::report::{CheckResult, Report, Target};

/// Why a selector selects nothing to decide. Messages are sentences for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    #[error("Type a name pattern, e.g. web-* (* matches any run of characters, ? one character).")]
    EmptyPattern,
    #[error("Type a label: key, key=value, or key=pattern (e.g. team=pay*).")]
    EmptyLabel,
    #[error("No offender of check {check} is named like \"{pattern}\".")]
    NoMatch { check: String, pattern: String },
    #[error("No offender of check {check} carries the label {label}.")]
    NoLabelMatch { check: String, label: String },
    #[error(
        "This report carries no container labels (it was written before schema 3, or imported), so offenders cannot be picked by label; pick them by name."
    )]
    NoLabels,
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

/// A compiled label selector: `key`, `key=value` or `key=glob`.
#[derive(Debug, Clone)]
pub struct LabelPattern {
    text: String,
    key: String,
    value: Option<WildMatch>,
}

impl LabelPattern {
    /// The selector as typed, trimmed around the key and the value; a blank one or one without
    /// a key (`=x`) is refused. `key=` selects the label with an empty value.
    pub fn parse(text: &str) -> Result<Self, BulkError> {
        let text = text.trim();
        let (key, value) = match text.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (text, None),
        };
        if key.is_empty() {
            return Err(BulkError::EmptyLabel);
        }
        Ok(LabelPattern {
            text: match value {
                Some(v) => format!("{key}={v}"),
                None => key.to_string(),
            },
            key: key.to_string(),
            value: value.map(WildMatch::new),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a container with these labels is selected.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match (labels.get(&self.key), &self.value) {
            (Some(actual), Some(glob)) => glob.matches(actual),
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The report's container labels, indexed for many look-ups by the target's key (the container's
/// name, else its id: how decisions name targets, see [`Target::key`]).
#[derive(Debug, Clone, Default)]
pub struct LabelIndex<'a> {
    /// `None` when the report carries no labels at all.
    by_key: Option<HashMap<&'a str, &'a BTreeMap<String, String>>>,
}

impl<'a> LabelIndex<'a> {
    pub fn of(report: &'a Report) -> Self {
        LabelIndex {
            by_key: report
                .target_labels
                .as_ref()
                .map(|list| list.iter().map(|l| (l.target.key(), &l.labels)).collect()),
        }
    }

    /// Whether the report carries container labels (schema 3 with its container list read).
    pub fn available(&self) -> bool {
        self.by_key.is_some()
    }

    /// The labels of a container target (`None` for other kinds and unlabelled containers).
    pub fn labels(&self, t: &Target) -> Option<&'a BTreeMap<String, String>> {
        if t.kind != crate::report::TargetKind::Container {
            return None;
        }
        self.by_key.as_ref()?.get(t.key()).copied()
    }
}

/// How a bulk decision picks offenders.
#[derive(Debug, Clone)]
pub enum Selector {
    Name(NamePattern),
    Label(LabelPattern),
}

impl Selector {
    /// Whether the target is selected (`labels` for a label selector).
    pub fn matches(&self, t: &Target, labels: &LabelIndex<'_>) -> bool {
        match self {
            Selector::Name(p) => p.matches(t),
            Selector::Label(p) => labels.labels(t).is_some_and(|l| p.matches(l)),
        }
    }

    /// The selector as the reviewer reads it: `named web-*`, `labelled team=pay*`.
    pub fn describe(&self) -> String {
        match self {
            Selector::Name(p) => format!("named {}", p.as_str()),
            Selector::Label(p) => format!("labelled {}", p.as_str()),
        }
    }
}

impl From<NamePattern> for Selector {
    fn from(p: NamePattern) -> Self {
        Selector::Name(p)
    }
}

impl From<LabelPattern> for Selector {
    fn from(p: LabelPattern) -> Self {
        Selector::Label(p)
    }
}

/// The result's distinct targets that `selector` picks, in finding order.
pub fn matching_targets(result: &CheckResult, selector: &Selector, labels: &LabelIndex<'_>) -> Vec<Target> {
    targets_of(result)
        .into_iter()
        .filter(|t| selector.matches(t, labels))
        .collect()
}

/// One decision per offender of `result` that `selector` picks, each a copy of `template`
/// (whose own target is ignored) narrowed to that offender.
pub fn expand(
    result: &CheckResult,
    selector: &Selector,
    labels: &LabelIndex<'_>,
    template: &Decision,
) -> Result<Vec<Decision>, BulkError> {
    if matches!(selector, Selector::Label(_)) && !labels.available() {
        return Err(BulkError::NoLabels);
    }
    let targets = matching_targets(result, selector, labels);
    if targets.is_empty() {
        return Err(match selector {
            Selector::Name(p) => BulkError::NoMatch {
                check: result.id.clone(),
                pattern: p.as_str().to_string(),
            },
            Selector::Label(p) => BulkError::NoLabelMatch {
                check: result.id.clone(),
                label: p.as_str().to_string(),
            },
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
    use crate::report::{Finding, Status, TargetKind, TargetLabels};
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
            matching_targets(&r, &NamePattern::parse(p).unwrap().into(), &LabelIndex::default())
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
        let none = LabelIndex::default();
        assert_eq!(
            matching_targets(&r, &NamePattern::parse("sha256:a*").unwrap().into(), &none).len(),
            1
        );
        assert_eq!(
            matching_targets(&r, &NamePattern::parse("alpine:*").unwrap().into(), &none).len(),
            1
        );
    }

    #[test]
    fn expanding_copies_the_template_per_offender() {
        let r = result(vec![container("web-1"), container("web-2"), container("db-1")]);
        let none = LabelIndex::default();
        let ds = expand(&r, &NamePattern::parse("web-*").unwrap().into(), &none, &template()).unwrap();
        assert_eq!(ds.len(), 2);
        assert!(ds.iter().all(|d| d.validate().is_ok()));
        assert_eq!(ds[1].target.as_ref().unwrap().key, "web-2");
        assert_eq!(
            (ds[0].justification.as_str(), ds[0].expires.as_deref()),
            ("capped by the VM", Some("2026-06-30"))
        );
        assert_eq!(group_key(&ds[0]), group_key(&ds[1]));

        let err = expand(&r, &NamePattern::parse("api-*").unwrap().into(), &none, &template()).unwrap_err();
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

    /// 5.11 failing for five containers, four of them labelled.
    fn labelled() -> Report {
        let mut report = report_with(vec![(
            "5.11",
            Status::Fail,
            ["pay-api", "pay-db", "shop", "tools", "bare"].map(container).to_vec(),
        )]);
        let label = |name: &str, pairs: &[(&str, &str)]| {
            let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            TargetLabels::bounded(Target::new(TargetKind::Container, format!("id-{name}"), name), &map)
        };
        report.target_labels = Some(vec![
            label("pay-api", &[("team", "payments"), ("tier", "api")]),
            label("pay-db", &[("team", "payments"), ("tier", "db"), ("backup", "")]),
            label("shop", &[("team", "shop"), ("tier", "api")]),
            label("tools", &[("team", "Payments-ops")]),
        ]);
        report
    }

    fn picked(report: &Report, label: &str) -> Vec<String> {
        let selector = LabelPattern::parse(label).unwrap().into();
        matching_targets(&report.results[0], &selector, &LabelIndex::of(report))
            .into_iter()
            .map(|t| t.name)
            .collect()
    }

    #[test]
    fn a_label_selects_offenders_by_key_value_presence_or_value_glob() {
        let r = labelled();
        assert_eq!(picked(&r, "team=payments"), ["pay-api", "pay-db"]);
        assert_eq!(
            picked(&r, " team = payments "),
            ["pay-api", "pay-db"],
            "trimmed around = too"
        );
        assert_eq!(picked(&r, "team"), ["pay-api", "pay-db", "shop", "tools"]);
        assert_eq!(picked(&r, "team=*ay*"), ["pay-api", "pay-db", "tools"]);
        assert_eq!(picked(&r, "team=pay?ents"), ["pay-api", "pay-db"]);
        assert_eq!(picked(&r, "tier=api"), ["pay-api", "shop"]);
        assert_eq!(picked(&r, "backup="), ["pay-db"], "an empty value is a value");
        assert_eq!(picked(&r, "backup"), ["pay-db"]);
        assert!(picked(&r, "TEAM").is_empty(), "keys are matched as written");
        assert!(picked(&r, "team=PAYMENTS").is_empty(), "values too");
        assert!(picked(&r, "team*").is_empty(), "the key is no glob");
        assert_eq!(LabelPattern::parse(" ").unwrap_err(), BulkError::EmptyLabel);
        assert_eq!(LabelPattern::parse("=x").unwrap_err(), BulkError::EmptyLabel);
        assert_eq!(LabelPattern::parse("a = b*").unwrap().as_str(), "a=b*");
    }

    #[test]
    fn a_label_decision_covers_exactly_the_matching_offenders() {
        let r = labelled();
        let labels = LabelIndex::of(&r);
        let selector: Selector = LabelPattern::parse("team=payments").unwrap().into();
        let ds = expand(&r.results[0], &selector, &labels, &template()).unwrap();
        let keys: Vec<&str> = ds.iter().map(|d| d.target.as_ref().unwrap().key.as_str()).collect();
        assert_eq!(keys, ["pay-api", "pay-db"]);
        assert!(ds.iter().all(|d| group_key(d) == group_key(&ds[0])));
        assert_eq!(selector.describe(), "labelled team=payments");

        let none: Selector = LabelPattern::parse("team=nobody").unwrap().into();
        assert_eq!(
            expand(&r.results[0], &none, &labels, &template())
                .unwrap_err()
                .to_string(),
            "No offender of check 5.11 carries the label team=nobody."
        );
    }

    #[test]
    fn labels_belong_to_containers_and_need_a_report_that_carries_them() {
        let mut r = labelled();
        // An image sharing a labelled container's name is not picked by the container's labels.
        let mut image = container("pay-api");
        image.target.kind = TargetKind::Image;
        image.target.id = "sha256:1".into();
        r.results[0].findings.push(image);
        assert_eq!(picked(&r, "team=payments"), ["pay-api", "pay-db"]);

        r.target_labels = None;
        let selector: Selector = LabelPattern::parse("team").unwrap().into();
        let labels = LabelIndex::of(&r);
        assert!(!labels.available());
        assert_eq!(
            expand(&r.results[0], &selector, &labels, &template()).unwrap_err(),
            BulkError::NoLabels
        );
        // Names still work without labels (the image named pay-api too).
        let by_name: Selector = NamePattern::parse("pay-*").unwrap().into();
        assert_eq!(expand(&r.results[0], &by_name, &labels, &template()).unwrap().len(), 3);
    }
}
