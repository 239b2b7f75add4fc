//! What a reviewer types before it becomes a [`Decision`] or a [`Signature`].
//!
//! The viewer's forms hold a [`DecisionDraft`] or a [`SignatureDraft`] and turn it into the typed
//! value only when the reviewer presses the button, so the rules for that step (which kinds are
//! offered for a result, which fields are kept, trimming, the checks for a new decision) are the
//! same wherever a sign-off is written, and tested here rather than in a browser.

use super::bulk::{self, BulkError, LabelIndex, LabelPattern, NamePattern, Selector};
use super::effective::{fits, targets_of, Evaluation};
use super::signing::check_signing;
use super::{Date, DateError, Decision, DecisionError, DecisionKind, OverallDecision, Reviewer, Signature, TargetRef};
use crate::digest::DigestCheck;
use crate::report::{CheckResult, Status};

/// Kinds offered for a result of this status, most likely first: verifications first for a manual
/// or informational check, exceptions first for a failed one. Empty when there is nothing to decide.
pub fn offered_kinds(status: Status) -> Vec<DecisionKind> {
    let order = if matches!(status, Status::Manual | Status::Info) {
        [
            DecisionKind::VerifiedPass,
            DecisionKind::VerifiedFail,
            DecisionKind::RiskAccepted,
            DecisionKind::FalsePositive,
            DecisionKind::CompensatingControl,
            DecisionKind::RemediationPlanned,
        ]
    } else {
        [
            DecisionKind::RiskAccepted,
            DecisionKind::FalsePositive,
            DecisionKind::CompensatingControl,
            DecisionKind::RemediationPlanned,
            DecisionKind::VerifiedPass,
            DecisionKind::VerifiedFail,
        ]
    };
    order.into_iter().filter(|k| fits(*k, status)).collect()
}

/// Why a draft could not become a decision. Messages are sentences for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftError {
    #[error("There is nothing to decide: the check is {}.", .0.label())]
    NothingToDecide(Status),
    /// The caller's "today" is not a date.
    #[error(transparent)]
    Today(DateError),
    #[error(transparent)]
    Decision(#[from] DecisionError),
    #[error(transparent)]
    Bulk(#[from] BulkError),
}

/// The decision form as the reviewer left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionDraft {
    /// Index into the result's distinct targets ([`targets_of`]); `None` for the whole check.
    pub target: Option<usize>,
    /// The kind picked; `None`, or a kind not offered for the result, means the first one offered.
    pub kind: Option<DecisionKind>,
    pub justification: String,
    /// As typed; kept only for a planned remediation.
    pub due: String,
    /// As typed; blank for no end date.
    pub expires: String,
    /// A name pattern ([`bulk`]): when set, the decision is taken for every offender matching it
    /// and `target` is ignored.
    pub pattern: Option<String>,
    /// A label selector ([`bulk::LabelPattern`]): when set, the decision is taken for every
    /// offender carrying the label, and `target` and `pattern` are ignored.
    pub label: Option<String>,
}

impl DecisionDraft {
    /// The kind this draft stands for among those `offered` ([`offered_kinds`]).
    pub fn kind_among(&self, offered: &[DecisionKind]) -> Option<DecisionKind> {
        self.kind
            .filter(|k| offered.contains(k))
            .or_else(|| offered.first().copied())
    }

    /// The decision about `result` this draft records at `recorded_at` (RFC 3339), checked as a
    /// new decision on `today` (YYYY-MM-DD): no due or expiry day already past.
    pub fn to_decision(&self, result: &CheckResult, today: &str, recorded_at: String) -> Result<Decision, DraftError> {
        let kind = self
            .kind_among(&offered_kinds(result.status))
            .ok_or(DraftError::NothingToDecide(result.status))?;
        let target = self.target.and_then(|i| targets_of(result).get(i).map(TargetRef::of));
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut decision = Decision::new(&result.id, target, kind, self.justification.trim());
        decision.due = text(&self.due).filter(|_| kind == DecisionKind::RemediationPlanned);
        decision.expires = text(&self.expires);
        decision.recorded_at = Some(recorded_at);
        let today = Date::parse(today).map_err(DraftError::Today)?;
        decision.validate_new(today)?;
        Ok(decision)
    }

    /// The bulk selector the draft holds, if any (a label before a name pattern).
    fn selector(&self) -> Option<Result<Selector, BulkError>> {
        if let Some(label) = &self.label {
            return Some(LabelPattern::parse(label).map(Selector::from));
        }
        self.pattern
            .as_deref()
            .map(|p| NamePattern::parse(p).map(Selector::from))
    }

    /// The decisions this draft records: one, or with a name pattern or a label one per
    /// matching offender (all recorded at the same time, so they show as one bulk entry).
    /// `labels` are the report's container labels ([`LabelIndex::of`]).
    pub fn to_decisions(
        &self,
        result: &CheckResult,
        labels: &LabelIndex<'_>,
        today: &str,
        recorded_at: String,
    ) -> Result<Vec<Decision>, DraftError> {
        let Some(selector) = self.selector() else {
            return Ok(vec![self.to_decision(result, today, recorded_at)?]);
        };
        let selector = selector?;
        let whole = DecisionDraft {
            target: None,
            pattern: None,
            label: None,
            ..self.clone()
        };
        let template = whole.to_decision(result, today, recorded_at)?;
        Ok(bulk::expand(result, &selector, labels, &template)?)
    }

    /// How many offenders the draft's name pattern or label matches (`None` without one, or
    /// while it is blank).
    pub fn pattern_matches(&self, result: &CheckResult, labels: &LabelIndex<'_>) -> Option<usize> {
        let selector = self.selector()?.ok()?;
        Some(bulk::matching_targets(result, &selector, labels).len())
    }

    /// The form filled with a recorded decision, to edit it: same scope, kind, text and dates.
    pub fn editing(decision: &Decision, result: &CheckResult) -> Self {
        let target = decision
            .target
            .as_ref()
            .and_then(|t| targets_of(result).iter().position(|x| t.matches(x)));
        DecisionDraft {
            target,
            kind: Some(decision.kind),
            justification: decision.justification.clone(),
            due: decision.due.clone().unwrap_or_default(),
            expires: decision.expires.clone().unwrap_or_default(),
            pattern: None,
            label: None,
        }
    }

    /// The form after its decision was recorded: the same scope and kind, ready for the next one.
    pub fn next(&self) -> Self {
        DecisionDraft {
            target: self.target,
            kind: self.kind,
            pattern: self.pattern.clone(),
            label: self.label.clone(),
            ..DecisionDraft::default()
        }
    }
}

/// The signing form as the reviewer left it (kept in the browser between visits).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SignatureDraft {
    pub name: String,
    pub role: String,
    /// Blank for none.
    pub email: String,
    pub decision: OverallDecision,
    pub comment: String,
    /// Whether the reviewer picked `decision` (else it follows what is possible).
    pub picked: bool,
}

impl Default for SignatureDraft {
    /// "Approved with exceptions" preselected: the most common outcome of a review.
    fn default() -> Self {
        SignatureDraft {
            name: String::new(),
            role: String::new(),
            email: String::new(),
            decision: OverallDecision::ApprovedWithExceptions,
            comment: String::new(),
            picked: false,
        }
    }
}

impl SignatureDraft {
    /// The best overall decision the report can be signed with today: "approved" when nothing
    /// is open, failing or excepted, else "approved with exceptions" when nothing is open or
    /// failing, else "rejected" (always possible). Never a decision the sign button would refuse.
    pub fn possible_decision(report: &DigestCheck, eval: &Evaluation) -> OverallDecision {
        [OverallDecision::Approved, OverallDecision::ApprovedWithExceptions]
            .into_iter()
            .find(|d| check_signing(report, eval, *d).is_ok())
            .unwrap_or(OverallDecision::Rejected)
    }

    /// The draft as the form shows it: the overall decision the reviewer picked (the sign button
    /// then says why it cannot be signed, if it cannot), else [`Self::possible_decision`].
    pub fn with_possible_decision(&self, report: &DigestCheck, eval: &Evaluation) -> Self {
        let mut out = self.clone();
        if !self.picked {
            out.decision = Self::possible_decision(report, eval);
        }
        out
    }

    /// Name and role are filled in (what the sign button needs from the form itself).
    pub fn missing(&self) -> Option<&'static str> {
        match (self.name.trim().is_empty(), self.role.trim().is_empty()) {
            (true, true) => Some("Type your name and role."),
            (true, false) => Some("Type your name."),
            (false, true) => Some("Type your role."),
            (false, false) => None,
        }
    }

    /// The signature, fields trimmed, signed at `signed_at` (RFC 3339). It is checked
    /// ([`Signature::validate`]) when it is put on the sign-off, like one read from a file.
    pub fn to_signature(&self, signed_at: String) -> Signature {
        Signature {
            reviewer: Reviewer {
                name: self.name.trim().to_string(),
                role: self.role.trim().to_string(),
                email: Some(self.email.trim().to_string()).filter(|e| !e.is_empty()),
            },
            signed_at,
            decision: self.decision,
            comment: self.comment.trim().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Finding;
    use crate::test_support::{container_finding as container, report_with};

    fn result(status: Status, findings: Vec<Finding>) -> CheckResult {
        report_with(vec![("5.11", status, findings)]).results.remove(0)
    }

    const NOW: &str = "2026-02-01T09:00:00Z";

    #[test]
    fn kinds_offered_follow_the_status() {
        use DecisionKind::*;
        assert_eq!(
            offered_kinds(Status::Fail),
            [RiskAccepted, FalsePositive, CompensatingControl, RemediationPlanned]
        );
        assert_eq!(offered_kinds(Status::Manual)[..2], [VerifiedPass, VerifiedFail]);
        assert_eq!(offered_kinds(Status::Info).len(), 6);
        assert!(offered_kinds(Status::Pass).is_empty());
        assert!(offered_kinds(Status::Skipped).is_empty());
    }

    #[test]
    fn the_kind_falls_back_to_the_first_offered() {
        let offered = offered_kinds(Status::Fail);
        let mut draft = DecisionDraft::default();
        assert_eq!(draft.kind_among(&offered), Some(DecisionKind::RiskAccepted));
        draft.kind = Some(DecisionKind::VerifiedPass);
        assert_eq!(draft.kind_among(&offered), Some(DecisionKind::RiskAccepted));
        draft.kind = Some(DecisionKind::FalsePositive);
        assert_eq!(draft.kind_among(&offered), Some(DecisionKind::FalsePositive));
        assert_eq!(draft.kind_among(&[]), None);
    }

    #[test]
    fn a_draft_becomes_a_trimmed_decision_for_its_target() {
        let r = result(Status::Fail, vec![container("web"), container("db"), container("web")]);
        let draft = DecisionDraft {
            target: Some(1),
            kind: Some(DecisionKind::RiskAccepted),
            justification: "  agreed with ops \n".into(),
            due: "2026-03-01".into(),
            expires: " 2026-06-30 ".into(),
            pattern: None,
            label: None,
        };
        let d = draft.to_decision(&r, "2026-02-01", NOW.into()).unwrap();
        assert_eq!(d.check, "5.11");
        assert_eq!(d.target, Some(TargetRef::of(&container("db").target)));
        assert_eq!(d.justification, "agreed with ops");
        assert_eq!(d.due, None, "only a planned remediation keeps a due day");
        assert_eq!(d.expires.as_deref(), Some("2026-06-30"));
        assert_eq!(d.recorded_at.as_deref(), Some(NOW));

        let planned = DecisionDraft {
            target: None,
            kind: Some(DecisionKind::RemediationPlanned),
            expires: "  ".into(),
            ..draft.clone()
        };
        let d = planned.to_decision(&r, "2026-02-01", NOW.into()).unwrap();
        assert_eq!(
            (d.target, d.due.as_deref(), d.expires),
            (None, Some("2026-03-01"), None)
        );
        // An index past the targets means the whole check.
        let d = DecisionDraft {
            target: Some(9),
            ..draft
        }
        .to_decision(&r, "2026-02-01", NOW.into())
        .unwrap();
        assert_eq!(d.target, None);
    }

    #[test]
    fn a_draft_is_checked_as_a_new_decision() {
        let r = result(Status::Fail, vec![container("web")]);
        let blank = DecisionDraft::default();
        let err = blank.to_decision(&r, "2026-02-01", NOW.into()).unwrap_err();
        assert_eq!(
            err,
            DraftError::Decision(DecisionError::NoJustification("risk accepted"))
        );
        assert!(err.to_string().contains("justification is required"), "{err}");

        let past = DecisionDraft {
            justification: "x".into(),
            expires: "2026-01-31".into(),
            ..DecisionDraft::default()
        };
        let err = past.to_decision(&r, "2026-02-01", NOW.into()).unwrap_err();
        assert!(
            matches!(err, DraftError::Decision(DecisionError::InThePast { .. })),
            "{err}"
        );

        let err = past.to_decision(&r, "01/02/2026", NOW.into()).unwrap_err();
        assert!(matches!(err, DraftError::Today(_)));
        assert_eq!(err.to_string(), Date::parse("01/02/2026").unwrap_err().to_string());

        let passed = result(Status::Pass, vec![]);
        assert_eq!(
            past.to_decision(&passed, "2026-02-01", NOW.into()).unwrap_err(),
            DraftError::NothingToDecide(Status::Pass)
        );
    }

    #[test]
    fn the_next_draft_keeps_scope_and_kind_only() {
        let draft = DecisionDraft {
            target: Some(2),
            kind: Some(DecisionKind::FalsePositive),
            justification: "x".into(),
            due: "d".into(),
            expires: "e".into(),
            pattern: None,
            label: None,
        };
        assert_eq!(
            draft.next(),
            DecisionDraft {
                target: Some(2),
                kind: Some(DecisionKind::FalsePositive),
                ..DecisionDraft::default()
            }
        );
    }

    #[test]
    fn a_signature_draft_is_trimmed_and_a_blank_email_left_out() {
        let draft = SignatureDraft {
            name: " Ada ".into(),
            role: "CISO\n".into(),
            email: "  ".into(),
            comment: " fine ".into(),
            ..SignatureDraft::default()
        };
        let s = draft.to_signature(NOW.into());
        assert_eq!(
            (
                s.reviewer.name.as_str(),
                s.reviewer.role.as_str(),
                s.reviewer.email.as_deref()
            ),
            ("Ada", "CISO", None)
        );
        assert_eq!(
            (s.comment.as_str(), s.decision),
            ("fine", OverallDecision::ApprovedWithExceptions)
        );
        assert!(s.validate().is_ok());
        let s = SignatureDraft {
            email: " ada@example.org ".into(),
            ..draft
        }
        .to_signature(NOW.into());
        assert_eq!(s.reviewer.email.as_deref(), Some("ada@example.org"));
    }

    #[test]
    fn a_pattern_draft_records_one_decision_per_matching_offender() {
        let r = result(
            Status::Fail,
            vec![container("web-1"), container("db-1"), container("web-2")],
        );
        let draft = DecisionDraft {
            target: Some(1),
            kind: Some(DecisionKind::FalsePositive),
            justification: "web containers run read-only".into(),
            pattern: Some("web-*".into()),
            ..DecisionDraft::default()
        };
        let none_labelled = LabelIndex::default();
        assert_eq!(draft.pattern_matches(&r, &none_labelled), Some(2));
        let ds = draft
            .to_decisions(&r, &none_labelled, "2026-02-01", NOW.into())
            .unwrap();
        let keys: Vec<&str> = ds.iter().map(|d| d.target.as_ref().unwrap().key.as_str()).collect();
        assert_eq!(keys, ["web-1", "web-2"], "the pattern wins over the picked target");
        assert!(ds.iter().all(|d| d.recorded_at.as_deref() == Some(NOW)));

        let none = DecisionDraft {
            pattern: Some("api-*".into()),
            ..draft.clone()
        };
        assert!(matches!(
            none.to_decisions(&r, &none_labelled, "2026-02-01", NOW.into()),
            Err(DraftError::Bulk(_))
        ));
        let blank = DecisionDraft {
            justification: String::new(),
            ..draft.clone()
        };
        assert!(matches!(
            blank.to_decisions(&r, &none_labelled, "2026-02-01", NOW.into()),
            Err(DraftError::Decision(_))
        ));
        let single = DecisionDraft { pattern: None, ..draft };
        assert_eq!(
            single
                .to_decisions(&r, &none_labelled, "2026-02-01", NOW.into())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn a_label_draft_records_one_decision_per_labelled_offender() {
        use crate::report::{Target, TargetKind, TargetLabels};
        let mut report = crate::test_support::report_with(vec![(
            "5.11",
            Status::Fail,
            vec![container("web-1"), container("db-1"), container("web-2")],
        )]);
        let team = |t: &str| std::collections::BTreeMap::from([("team".to_string(), t.to_string())]);
        report.target_labels = Some(vec![
            TargetLabels::bounded(Target::new(TargetKind::Container, "id-web-1", "web-1"), &team("pay")),
            TargetLabels::bounded(Target::new(TargetKind::Container, "id-db-1", "db-1"), &team("pay")),
            TargetLabels::bounded(Target::new(TargetKind::Container, "id-web-2", "web-2"), &team("shop")),
        ]);
        let labels = LabelIndex::of(&report);
        let r = &report.results[0];
        let draft = DecisionDraft {
            kind: Some(DecisionKind::RiskAccepted),
            justification: "the payments VM caps memory".into(),
            pattern: Some("web-*".into()),
            label: Some("team=pay".into()),
            ..DecisionDraft::default()
        };
        assert_eq!(draft.pattern_matches(r, &labels), Some(2));
        let ds = draft.to_decisions(r, &labels, "2026-02-01", NOW.into()).unwrap();
        let keys: Vec<&str> = ds.iter().map(|d| d.target.as_ref().unwrap().key.as_str()).collect();
        assert_eq!(keys, ["web-1", "db-1"], "the label wins over the name pattern");
        assert_eq!(draft.next().label.as_deref(), Some("team=pay"));

        let blank = DecisionDraft {
            label: Some(" ".into()),
            ..draft.clone()
        };
        assert_eq!(blank.pattern_matches(r, &labels), None);
        assert!(matches!(
            blank.to_decisions(r, &labels, "2026-02-01", NOW.into()),
            Err(DraftError::Bulk(BulkError::EmptyLabel))
        ));
        assert!(matches!(
            draft.to_decisions(r, &LabelIndex::default(), "2026-02-01", NOW.into()),
            Err(DraftError::Bulk(BulkError::NoLabels))
        ));
    }

    #[test]
    fn editing_fills_the_form_with_the_decision() {
        let r = result(Status::Fail, vec![container("web"), container("db")]);
        let draft = DecisionDraft {
            target: Some(1),
            kind: Some(DecisionKind::RemediationPlanned),
            justification: "ticket 12".into(),
            due: "2026-03-01".into(),
            ..DecisionDraft::default()
        };
        let d = draft.to_decision(&r, "2026-02-01", NOW.into()).unwrap();
        assert_eq!(DecisionDraft::editing(&d, &r), draft);
    }

    #[test]
    fn the_overall_decision_offered_is_always_possible() {
        use crate::signoff::effective::evaluate_decisions;
        let report = report_with(vec![("5.11", Status::Fail, vec![container("web")])]);
        let sealed = DigestCheck::Valid("jcs-sha256:x".into());
        let today = Date::parse("2026-02-01").unwrap();
        let open = evaluate_decisions(&report, &[], today);
        let blank = SignatureDraft::default();
        assert_eq!(
            blank.with_possible_decision(&sealed, &open).decision,
            OverallDecision::Rejected
        );

        let mut accepted = Decision::new("5.11", None, DecisionKind::RiskAccepted, "capped");
        accepted.recorded_at = Some(NOW.into());
        let excepted = evaluate_decisions(&report, &[accepted], today);
        assert_eq!(
            blank.with_possible_decision(&sealed, &excepted).decision,
            OverallDecision::ApprovedWithExceptions
        );
        let fp = Decision::new("5.11", None, DecisionKind::FalsePositive, "not true");
        let clean = evaluate_decisions(&report, &[fp], today);
        assert_eq!(
            blank.with_possible_decision(&sealed, &clean).decision,
            OverallDecision::Approved
        );
        // A reviewer's pick stays (the sign button says why it cannot be signed).
        let rejected = SignatureDraft {
            decision: OverallDecision::Rejected,
            picked: true,
            ..blank.clone()
        };
        assert_eq!(
            rejected.with_possible_decision(&sealed, &clean).decision,
            OverallDecision::Rejected
        );
        let approved = SignatureDraft {
            decision: OverallDecision::Approved,
            picked: true,
            ..blank
        };
        let shown = approved.with_possible_decision(&sealed, &excepted);
        assert_eq!(shown.decision, OverallDecision::Approved);
        assert!(check_signing(&sealed, &excepted, shown.decision).is_err());
    }

    #[test]
    fn the_form_says_what_is_missing() {
        let mut d = SignatureDraft::default();
        assert_eq!(d.missing(), Some("Type your name and role."));
        d.name = "Ada".into();
        assert_eq!(d.missing(), Some("Type your role."));
        d.role = " CISO ".into();
        assert_eq!(d.missing(), None);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<SignatureDraft>(&json).unwrap(), d);
        assert_eq!(
            serde_json::from_str::<SignatureDraft>("{}").unwrap(),
            SignatureDraft::default()
        );
    }
}
