//! What a reviewer types before it becomes a [`Decision`] or a [`Signature`].
//!
//! The viewer's forms hold a [`DecisionDraft`] or a [`SignatureDraft`] and turn it into the typed
//! value only when the reviewer presses the button, so the rules for that step (which kinds are
//! offered for a result, which fields are kept, trimming, the checks for a new decision) are the
//! same wherever a sign-off is written, and tested here rather than in a browser.

use super::effective::{fits, targets_of};
use super::{Date, DateError, Decision, DecisionError, DecisionKind, OverallDecision, Reviewer, Signature, TargetRef};
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

    /// The form after its decision was recorded: the same scope and kind, ready for the next one.
    pub fn next(&self) -> Self {
        DecisionDraft {
            target: self.target,
            kind: self.kind,
            ..DecisionDraft::default()
        }
    }
}

/// The signing form as the reviewer left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureDraft {
    pub name: String,
    pub role: String,
    /// Blank for none.
    pub email: String,
    pub decision: OverallDecision,
    pub comment: String,
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
        }
    }
}

impl SignatureDraft {
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
}
