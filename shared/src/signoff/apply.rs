//! `dockaudit signoff apply`: the report with effective statuses and the decisions attached.
//!
//! The result is a new report with its own digest; the original's digest is recorded in
//! `derived_from` and in [`AppliedSignoff::report_digest`], so the chain back to what the collector
//! wrote stays verifiable. Statuses follow [`super::effective`]: a false positive or verified
//! pass becomes `pass`, an exception becomes `info` (not scored) with the summary naming it, a
//! verified failure becomes `fail`, and a result not fully covered keeps its status.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::effective::{evaluate, DecisionStatus, Evaluation, SignoffError};
use super::{Decision, Signature, Signoff};
use crate::report::{DerivedFrom, Report, Status};
use crate::summary::Summary;

/// `derived_from.kind` of an applied report.
pub const DERIVED_KIND: &str = "sign-off applied";

/// The sign-off as recorded in a report it was applied to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliedSignoff {
    /// Digest of the original report the sign-off is bound to.
    pub report_digest: String,
    /// Digest of the sign-off file that was applied.
    pub signoff_digest: String,
    /// The day (YYYY-MM-DD) expiry was judged against.
    pub evaluated_on: String,
    pub signature: Signature,
    /// Every decision of the sign-off with where it stood that day.
    pub decisions: Vec<AppliedDecision>,
    /// Results whose status the sign-off changed.
    pub changes: Vec<StatusChange>,
    /// The original report's summary (this report's `summary` is the effective one).
    pub raw_summary: Summary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppliedDecision {
    pub decision: Decision,
    pub status: DecisionStatus,
    /// Why it stands so, e.g. "expired on 2026-01-01 (today is 2026-02-01)".
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub check: String,
    pub original: Status,
    pub effective: Status,
    /// `false_positive`, `excepted`, `verified_pass` or `verified_fail`.
    pub outcome: String,
}

/// Builds the effective report (unsealed: the caller seals it). The sign-off must be signed.
pub fn apply(
    report: &Report,
    report_digest: &str,
    signoff: &Signoff,
    signoff_digest: &str,
    today: &str,
) -> Result<Report, SignoffError> {
    let signature = signoff.signature.clone().ok_or(SignoffError::NotSigned)?;
    let eval = evaluate(report, report_digest, signoff, today)?;
    let mut out = report.clone();
    let mut changes = Vec::new();
    for (result, eff) in out.results.iter_mut().zip(&eval.results) {
        if !eff.effective.is_changed() {
            continue;
        }
        let what = describe(signoff, &eval, eff.decisions.as_slice());
        result.summary = format!(
            "{} by sign-off ({what}); original verdict {}: {}",
            capitalise(eff.effective.label()),
            eff.original.label(),
            result.summary
        );
        result.status = eff.effective.status();
        changes.push(StatusChange {
            check: eff.id.clone(),
            original: eff.original,
            effective: result.status,
            outcome: eff.effective.as_str().to_string(),
        });
    }
    out.summary = Summary::compute(&out.results);
    let mut details = BTreeMap::new();
    details.insert("signoff_digest".to_string(), signoff_digest.to_string());
    details.insert("reviewer".to_string(), signature.reviewer.name.clone());
    details.insert("signed_at".to_string(), signature.signed_at.clone());
    details.insert("decision".to_string(), signature.decision.as_str().to_string());
    details.insert("evaluated_on".to_string(), eval.today.to_string());
    if let Some(prior) = &report.derived_from {
        details.insert("original_derived_from".to_string(), prior.kind.clone());
    }
    out.derived_from = Some(DerivedFrom {
        kind: DERIVED_KIND.to_string(),
        digest: Some(report_digest.to_string()),
        details,
    });
    out.signoff = Some(AppliedSignoff {
        report_digest: report_digest.to_string(),
        signoff_digest: signoff_digest.to_string(),
        evaluated_on: eval.today.to_string(),
        signature,
        decisions: signoff
            .decisions
            .iter()
            .zip(&eval.decisions)
            .map(|(d, s)| AppliedDecision {
                decision: d.clone(),
                status: s.status,
                note: s.note.clone(),
            })
            .collect(),
        changes,
        raw_summary: eval.raw.clone(),
    });
    out.digest = None;
    Ok(out)
}

/// "risk accepted for container web until 2026-06-30; false positive for container db".
fn describe(signoff: &Signoff, eval: &Evaluation, indexes: &[usize]) -> String {
    let parts: Vec<String> = indexes
        .iter()
        .filter(|&&i| {
            eval.decisions
                .get(i)
                .is_some_and(|s| s.status == DecisionStatus::Applied)
        })
        .filter_map(|&i| signoff.decisions.get(i))
        .map(|d| {
            let mut s = d.kind.label().to_string();
            match &d.target {
                Some(t) => s.push_str(&format!(" for {}", t.label())),
                None => s.push_str(" for the whole check"),
            }
            if let Some(due) = &d.due {
                s.push_str(&format!(", due {due}"));
            }
            if let Some(e) = &d.expires {
                s.push_str(&format!(" until {e}"));
            }
            s
        })
        .collect();
    parts.join("; ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
