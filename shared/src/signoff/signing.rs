//! Whether a reviewer may sign a report off with a given overall decision.
//!
//! Only a sealed, unchanged report can be signed (an auditor could not verify anything else).
//! "Rejected" can always be signed; "approved with exceptions" needs every failed and manual
//! check decided and no effective failure left; "approved" needs that and no exception either.

use super::effective::{EffectiveStatus, Evaluation};
use super::OverallDecision;
use crate::digest::DigestCheck;

/// What stands in the way of signing. Messages are sentences for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    #[error(
        "This report's content does not match its digest: a changed report cannot be signed off. Ask for the original file."
    )]
    ReportChanged,
    #[error(
        "This report carries no digest, so an auditor could not verify it: sign off a sealed dockaudit report (dockaudit scan or dockaudit import writes one)."
    )]
    ReportUnsealed,
    #[error("{excepted} check(s) are excepted: sign as \"approved with exceptions\".")]
    Excepted { excepted: usize },
    #[error(
        "\"{label}\" needs every failed and manual check decided: {open} still open, {failing} failing after the decisions. Decide them or sign as \"rejected\".",
        label = .decision.label()
    )]
    Undecided {
        decision: OverallDecision,
        open: usize,
        failing: usize,
    },
}

/// Whether the report whose own digest check is `report` may be signed with `decision`, given
/// its sign-off evaluated on the signing day.
pub fn check_signing(report: &DigestCheck, eval: &Evaluation, decision: OverallDecision) -> Result<(), SigningError> {
    match report {
        DigestCheck::Valid(_) => {}
        DigestCheck::Mismatch { .. } => return Err(SigningError::ReportChanged),
        DigestCheck::Missing { .. } => return Err(SigningError::ReportUnsealed),
    }
    let open = eval.open().count();
    let failing = eval.failures().count();
    let excepted = eval
        .results
        .iter()
        .filter(|r| r.effective == EffectiveStatus::Excepted)
        .count();
    match decision {
        OverallDecision::Rejected => Ok(()),
        OverallDecision::ApprovedWithExceptions if open == 0 && failing == 0 => Ok(()),
        OverallDecision::Approved if open == 0 && failing == 0 && excepted == 0 => Ok(()),
        OverallDecision::Approved if open == 0 && failing == 0 => Err(SigningError::Excepted { excepted }),
        _ => Err(SigningError::Undecided {
            decision,
            open,
            failing,
        }),
    }
}
