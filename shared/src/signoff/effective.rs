//! Effective status: what each result becomes once the decisions valid today are taken into account.
//!
//! The rule, for one result and the decisions about its check:
//!
//! * A decision applies only while it is valid: not past its `expires` day, and for a planned
//!   remediation not past its `due` day (both days themselves still count). "Today" is the day the
//!   report is viewed or verified, never the day it was signed.
//! * A decision narrowed to a target applies to that target only, and only if a finding of this
//!   result names it; otherwise it is *obsolete*. A target-specific decision takes precedence over
//!   a whole-check one for its target.
//! * `fail`, `warn`, `error`: exceptions (`risk_accepted`, `compensating_control`,
//!   `remediation_planned`) and `false_positive` apply; verifications do not (they are for manual
//!   checks). When every offending target — or the whole check, when no finding names one — is
//!   covered by a valid decision, the result is settled: all `false_positive` → effective `pass`
//!   ([`EffectiveStatus::FalsePositive`]), otherwise effective `info`, i.e. not scored
//!   ([`EffectiveStatus::Excepted`]). One uncovered offender keeps the original status: a check with
//!   two offending containers and one accepted stays failed.
//! * `manual`, `info`: every kind applies. A valid `verified_fail` (for the check or any target)
//!   makes it `fail`; full coverage by `verified_pass`/`false_positive` makes it `pass`
//!   ([`EffectiveStatus::VerifiedPass`]); full coverage with any exception makes it excepted.
//! * `pass`, `not_applicable`, `skipped`: nothing to decide; decisions are *not needed*.
//!
//! The score is computed twice with [`Summary::compute_with`]: raw (original statuses) and effective.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Date, Decision, DecisionKind, Signoff, TargetRef};
use crate::report::{CheckResult, Report, Status, Target};
use crate::summary::Summary;

/// Why a sign-off cannot be evaluated against a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignoffError {
    #[error(
        "This sign-off is bound to report {bound}, but the report given is {report}; its decisions were not applied."
    )]
    Binding { bound: String, report: String },
    #[error("Today's date is not valid: {0}")]
    BadToday(super::DateError),
    #[error("The sign-off has not been signed yet (it is a draft).")]
    NotSigned,
}

/// A result's status after the sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectiveStatus {
    /// No decision changes the verdict (or not every offender is covered).
    Unchanged(Status),
    /// Every offender is a confirmed false positive: scored as `pass`.
    FalsePositive,
    /// Every offender is covered, at least one by an exception: `info`, not scored.
    Excepted,
    /// A person verified the manual check as met: `pass`.
    VerifiedPass,
    /// A person verified the manual check as not met: `fail`.
    VerifiedFail,
}

impl EffectiveStatus {
    /// The report status this stands for (used for the effective score and `signoff apply`).
    pub fn status(self) -> Status {
        match self {
            EffectiveStatus::Unchanged(s) => s,
            EffectiveStatus::FalsePositive | EffectiveStatus::VerifiedPass => Status::Pass,
            EffectiveStatus::Excepted => Status::Info,
            EffectiveStatus::VerifiedFail => Status::Fail,
        }
    }

    /// Short label: "excepted", "false positive", or the status label.
    pub fn label(self) -> &'static str {
        match self {
            EffectiveStatus::Unchanged(s) => s.label(),
            EffectiveStatus::FalsePositive => "false positive",
            EffectiveStatus::Excepted => "excepted",
            EffectiveStatus::VerifiedPass => "verified pass",
            EffectiveStatus::VerifiedFail => "verified fail",
        }
    }

    /// Machine name: the status, or `false_positive`, `excepted`, `verified_pass`, `verified_fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            EffectiveStatus::Unchanged(s) => s.as_str(),
            EffectiveStatus::FalsePositive => "false_positive",
            EffectiveStatus::Excepted => "excepted",
            EffectiveStatus::VerifiedPass => "verified_pass",
            EffectiveStatus::VerifiedFail => "verified_fail",
        }
    }

    pub fn is_changed(self) -> bool {
        !matches!(self, EffectiveStatus::Unchanged(_))
    }
}

/// One result, original and effective.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveResult {
    pub id: String,
    pub original: Status,
    pub effective: EffectiveStatus,
    /// Indexes into the sign-off's decisions about this check (any state).
    pub decisions: Vec<usize>,
    /// Offending targets no valid decision covers (fail/warn/error/manual results). Shared with
    /// the report's own list when no decision covers any of them (the common case: no copy of
    /// ten thousand targets per evaluation).
    pub open_targets: Arc<[Target]>,
}

impl EffectiveResult {
    /// Still needs a decision: failed or manual, and not settled by the sign-off.
    pub fn is_open(&self) -> bool {
        matches!(
            self.effective,
            EffectiveStatus::Unchanged(Status::Fail | Status::Warn | Status::Error | Status::Manual)
        )
    }

    /// The offending targets no valid decision covers, as "container db".
    pub fn open_target_labels(&self) -> Vec<String> {
        self.open_targets
            .iter()
            .map(|t| format!("{} {}", t.kind.as_str(), t.display()))
            .collect()
    }
}

/// Where a decision stands today.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Valid and about a result that needs it.
    Applied,
    /// Its expiry day has passed.
    Expired,
    /// A planned remediation whose due day has passed.
    Overdue,
    /// Its target (or its check) is not in the report.
    Obsolete,
    /// The check passes, does not apply or was skipped: nothing to decide.
    NotNeeded,
    /// The kind does not fit the result (a verification of an automatic failure).
    Unsuited,
    /// A date in it cannot be read, so it is not applied.
    Invalid,
}

impl DecisionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Applied => "applied",
            DecisionStatus::Expired => "expired",
            DecisionStatus::Overdue => "overdue",
            DecisionStatus::Obsolete => "obsolete",
            DecisionStatus::NotNeeded => "not_needed",
            DecisionStatus::Unsuited => "unsuited",
            DecisionStatus::Invalid => "invalid",
        }
    }

    /// Expired or overdue: it was valid once and has lapsed.
    pub fn is_lapsed(self) -> bool {
        matches!(self, DecisionStatus::Expired | DecisionStatus::Overdue)
    }
}

/// A decision's status with a sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionState {
    pub status: DecisionStatus,
    pub note: String,
}

/// A sign-off evaluated against its report on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub today: Date,
    /// One per report result, in report order.
    pub results: Vec<EffectiveResult>,
    /// One per sign-off decision, in sign-off order.
    pub decisions: Vec<DecisionState>,
    /// Summary with the original statuses.
    pub raw: Summary,
    /// Summary with the effective statuses.
    pub effective: Summary,
}

impl Evaluation {
    pub fn result(&self, id: &str) -> Option<&EffectiveResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// Failed or manual results without a settling decision, in report order.
    pub fn open(&self) -> impl Iterator<Item = &EffectiveResult> {
        self.results.iter().filter(|r| r.is_open())
    }

    /// Results whose effective status is `fail`, `warn` or `error`.
    pub fn failures(&self) -> impl Iterator<Item = &EffectiveResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.effective.status(), Status::Fail | Status::Warn | Status::Error))
    }

    /// Manual results still open: a person has to verify them.
    pub fn open_manual(&self) -> impl Iterator<Item = &EffectiveResult> {
        self.open().filter(|r| r.original == Status::Manual)
    }

    /// Indexes of decisions that lapsed (expired or overdue).
    pub fn lapsed(&self) -> impl Iterator<Item = usize> + '_ {
        self.decisions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.status.is_lapsed())
            .map(|(i, _)| i)
    }

    /// How many decisions stand so today.
    pub fn count(&self, status: DecisionStatus) -> usize {
        self.decisions.iter().filter(|d| d.status == status).count()
    }

    /// Each decision with where it stands; `decisions` are the ones evaluated, in the same order.
    pub fn with_states<'a>(
        &'a self,
        decisions: &'a [Decision],
    ) -> impl Iterator<Item = (&'a Decision, &'a DecisionState)> + 'a {
        decisions.iter().zip(&self.decisions)
    }

    /// The decisions that do not apply today (lapsed, obsolete, not needed, unsuited or invalid),
    /// each with the reason.
    pub fn not_applied<'a>(
        &'a self,
        decisions: &'a [Decision],
    ) -> impl Iterator<Item = (&'a Decision, &'a DecisionState)> + 'a {
        self.with_states(decisions)
            .filter(|(_, s)| s.status != DecisionStatus::Applied)
    }
}

/// Parses the caller's "today".
pub fn parse_today(today: &str) -> Result<Date, SignoffError> {
    Date::parse(today).map_err(SignoffError::BadToday)
}

/// Evaluates `signoff` against `report`, whose content digest is `report_digest`, on `today`
/// (YYYY-MM-DD). Refuses a sign-off bound to another report.
pub fn evaluate(
    report: &Report,
    report_digest: &str,
    signoff: &Signoff,
    today: &str,
) -> Result<Evaluation, SignoffError> {
    if signoff.report.digest != report_digest {
        return Err(SignoffError::Binding {
            bound: signoff.report.digest.clone(),
            report: report_digest.to_string(),
        });
    }
    let today = parse_today(today)?;
    Ok(evaluate_decisions(report, &signoff.decisions, today))
}

/// Evaluates decisions against a report without checking any binding (used for previews).
pub fn evaluate_decisions(report: &Report, decisions: &[Decision], today: Date) -> Evaluation {
    evaluate_with_targets(report, &target_lists(report), decisions, today)
}

/// Each result's distinct targets ([`targets_of`]), shareable, in result order.
pub fn target_lists(report: &Report) -> Vec<Arc<[Target]>> {
    report.results.iter().map(|r| Arc::from(targets_of(r))).collect()
}

/// [`evaluate_decisions`] with each result's distinct targets already listed (`targets[i]` for
/// `report.results[i]`; see [`target_lists`]): the viewer lists them once per report and
/// evaluates on every change of a decision.
pub fn evaluate_with_targets(
    report: &Report,
    targets: &[Arc<[Target]>],
    decisions: &[Decision],
    today: Date,
) -> Evaluation {
    let mut states: Vec<DecisionState> = decisions
        .iter()
        .map(|d| DecisionState {
            status: DecisionStatus::Obsolete,
            note: format!("check {} is not in this report", d.check),
        })
        .collect();
    let mut by_check: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, d) in decisions.iter().enumerate() {
        by_check.entry(d.check.as_str()).or_default().push(i);
    }
    let results: Vec<EffectiveResult> = report
        .results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mine = by_check.get(r.id.as_str()).cloned().unwrap_or_default();
            let listed;
            let targets = match targets.get(i) {
                Some(t) => t,
                None => {
                    listed = Arc::from(targets_of(r));
                    &listed
                }
            };
            evaluate_result(r, targets, decisions, &mine, today, &mut states)
        })
        .collect();
    let by_ptr: BTreeMap<usize, Status> = report
        .results
        .iter()
        .zip(&results)
        .map(|(r, e)| (std::ptr::from_ref(r) as usize, e.effective.status()))
        .collect();
    let effective = Summary::compute_with(&report.results, |r| {
        by_ptr
            .get(&(std::ptr::from_ref(r) as usize))
            .copied()
            .unwrap_or(r.status)
    });
    Evaluation {
        today,
        raw: Summary::compute(&report.results),
        effective,
        results,
        decisions: states,
    }
}

/// Distinct finding targets of a result, in finding order.
pub fn targets_of(r: &CheckResult) -> Vec<Target> {
    r.distinct_targets().into_iter().cloned().collect()
}

/// Whether a decision kind can settle a result of this status.
pub fn fits(kind: DecisionKind, status: Status) -> bool {
    match status {
        Status::Fail | Status::Warn | Status::Error => !kind.is_verification(),
        Status::Manual | Status::Info => true,
        Status::Pass | Status::NotApplicable | Status::Skipped => false,
    }
}

/// Why a decision no longer applies on `today`, if it lapsed.
pub fn lapse(d: &Decision, today: Date) -> Result<Option<DecisionState>, String> {
    let parse = |field: &str, v: &Option<String>| -> Result<Option<Date>, String> {
        v.as_deref()
            .map(|s| Date::parse(s).map_err(|e| format!("{field}: {e}")))
            .transpose()
    };
    let expires = parse("expires", &d.expires)?;
    let due = parse("due", &d.due)?;
    if let Some(e) = expires.filter(|e| *e < today) {
        return Ok(Some(DecisionState {
            status: DecisionStatus::Expired,
            note: format!("expired on {e} (today is {today})"),
        }));
    }
    if let Some(due) = due.filter(|due| *due < today && d.kind == DecisionKind::RemediationPlanned) {
        return Ok(Some(DecisionState {
            status: DecisionStatus::Overdue,
            note: format!("remediation was due on {due} (today is {today})"),
        }));
    }
    Ok(None)
}

fn evaluate_result(
    r: &CheckResult,
    targets: &Arc<[Target]>,
    decisions: &[Decision],
    mine: &[usize],
    today: Date,
    states: &mut [DecisionState],
) -> EffectiveResult {
    let unchanged = |open_targets: Arc<[Target]>| EffectiveResult {
        id: r.id.clone(),
        original: r.status,
        effective: EffectiveStatus::Unchanged(r.status),
        decisions: mine.to_vec(),
        open_targets,
    };
    let decidable = matches!(
        r.status,
        Status::Fail | Status::Warn | Status::Error | Status::Manual | Status::Info
    );
    if !decidable {
        for &i in mine {
            states[i] = DecisionState {
                status: DecisionStatus::NotNeeded,
                note: format!("the check is {} in this report", r.status.label()),
            };
        }
        return unchanged(Arc::from([]));
    }
    // Valid decisions: whole-check and per target.
    let mut whole: Option<usize> = None;
    let mut per_target: Vec<(TargetRef, usize)> = Vec::new();
    for &i in mine {
        let d = &decisions[i];
        let state = if d.target.as_ref().is_some_and(|t| !targets.iter().any(|x| t.matches(x))) {
            DecisionState {
                status: DecisionStatus::Obsolete,
                note: format!(
                    "{} is not among this check's findings",
                    d.target.as_ref().map(TargetRef::label).unwrap_or_default()
                ),
            }
        } else if !fits(d.kind, r.status) {
            DecisionState {
                status: DecisionStatus::Unsuited,
                note: format!("{} does not apply to a {} result", d.kind.label(), r.status.label()),
            }
        } else {
            match lapse(d, today) {
                Err(reason) => DecisionState {
                    status: DecisionStatus::Invalid,
                    note: reason,
                },
                Ok(Some(lapsed)) => lapsed,
                Ok(None) => {
                    match &d.target {
                        None => whole = Some(i),
                        Some(t) => per_target.push((t.clone(), i)),
                    }
                    DecisionState {
                        status: DecisionStatus::Applied,
                        note: match &d.expires {
                            Some(e) => format!("applies until {e}"),
                            None => "applies".into(),
                        },
                    }
                }
            }
        };
        states[i] = state;
    }
    let valid: Vec<usize> = whole.into_iter().chain(per_target.iter().map(|(_, i)| *i)).collect();
    if valid.iter().any(|&i| decisions[i].kind == DecisionKind::VerifiedFail) {
        return EffectiveResult {
            effective: EffectiveStatus::VerifiedFail,
            ..unchanged(Arc::from([]))
        };
    }
    // No valid decision: every target stays open, the list shared as it is.
    if valid.is_empty() {
        return unchanged(if targets.is_empty() {
            Arc::from([])
        } else {
            Arc::clone(targets)
        });
    }
    // The decision covering each target: its own, else the whole-check one.
    let mut covering: Vec<usize> = Vec::new();
    let mut open_targets: Vec<Target> = Vec::new();
    if targets.is_empty() {
        match whole {
            Some(i) => covering.push(i),
            None => return unchanged(Arc::from([])),
        }
    }
    for t in targets.iter() {
        match per_target
            .iter()
            .find(|(tr, _)| tr.matches(t))
            .map(|(_, i)| *i)
            .or(whole)
        {
            Some(i) => covering.push(i),
            None => open_targets.push(t.clone()),
        }
    }
    if !open_targets.is_empty() {
        return unchanged(Arc::from(open_targets));
    }
    let kinds: Vec<DecisionKind> = covering.iter().map(|&i| decisions[i].kind).collect();
    let effective = if kinds.iter().any(|k| k.is_exception()) {
        EffectiveStatus::Excepted
    } else if kinds.contains(&DecisionKind::VerifiedPass) {
        EffectiveStatus::VerifiedPass
    } else {
        EffectiveStatus::FalsePositive
    };
    EffectiveResult {
        effective,
        ..unchanged(Arc::from([]))
    }
}
