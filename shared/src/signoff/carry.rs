//! Carry-forward: an older sign-off's decisions offered for re-approval on a newer report.
//!
//! Nothing is applied silently. Each decision of the old sign-off is sorted into one of:
//! *offered* (its check still needs a decision and its target, if any, is still among the
//! findings — shown with the old justification for a person to re-approve), *obsolete* (the
//! target or the check is gone), *not needed* (the check now passes, does not apply or was
//! skipped), or *lapsed* (expired or overdue today, so re-approving it as it stands would be wrong).

use super::effective::{fits, lapse, targets_of, SignoffError};
use super::{Date, Decision, Signoff};
use crate::report::{Report, Status};

/// Why an old sign-off's decisions cannot be carried to this report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CarryError {
    #[error("This sign-off is already bound to this report: import it instead of carrying it forward.")]
    SameReport,
    #[error("The sign-off is for host {signoff_host}, this report is of host {report_host}; decisions only carry forward between runs of one host.")]
    OtherHost { signoff_host: String, report_host: String },
    #[error("The sign-off's report started at {signoff_run}, this one at {report_run}; decisions only carry forward to a newer report.")]
    NotNewer { signoff_run: String, report_run: String },
    #[error("{0}")]
    Today(SignoffError),
}

/// An old decision whose check and target still match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// As it was in the old sign-off (the justification is shown for re-approval).
    pub decision: Decision,
    /// The check's status in the newer report.
    pub status: Status,
}

/// An old decision that is not offered, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    pub decision: Decision,
    pub reason: String,
}

/// How an older sign-off's decisions relate to a newer report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarryForward {
    pub offers: Vec<Offer>,
    pub obsolete: Vec<Left>,
    pub not_needed: Vec<Left>,
    pub lapsed: Vec<Left>,
}

/// Sorts `old`'s decisions against `report` (content digest `report_digest`) on `today`.
pub fn carry_forward(
    old: &Signoff,
    report: &Report,
    report_digest: &str,
    today: &str,
) -> Result<CarryForward, CarryError> {
    if old.report.digest == report_digest {
        return Err(CarryError::SameReport);
    }
    let report_host = report.host.hostname.clone().filter(|h| !h.is_empty());
    match (&old.report.host, &report_host) {
        (Some(a), Some(b)) if a == b => {}
        (a, b) => {
            return Err(CarryError::OtherHost {
                signoff_host: a.clone().unwrap_or_else(|| "(unknown)".into()),
                report_host: b.clone().unwrap_or_else(|| "(unknown)".into()),
            })
        }
    }
    if !is_later(&report.run.started_at, &old.report.started_at) {
        return Err(CarryError::NotNewer {
            signoff_run: old.report.started_at.clone(),
            report_run: report.run.started_at.clone(),
        });
    }
    let today = super::effective::parse_today(today).map_err(CarryError::Today)?;
    Ok(sort(old, report, today))
}

/// Whether RFC 3339 time `a` is after `b` (both UTC as dockaudit writes them; else by text).
fn is_later(a: &str, b: &str) -> bool {
    a > b
}

fn sort(old: &Signoff, report: &Report, today: Date) -> CarryForward {
    let mut out = CarryForward::default();
    for d in &old.decisions {
        let left = |reason: String| Left {
            decision: d.clone(),
            reason,
        };
        let Some(result) = report.result(&d.check) else {
            out.obsolete
                .push(left(format!("check {} is not in the newer report", d.check)));
            continue;
        };
        if matches!(result.status, Status::Pass | Status::NotApplicable | Status::Skipped) {
            out.not_needed
                .push(left(format!("the check is {} now", result.status.label())));
            continue;
        }
        if let Some(t) = &d.target {
            if !targets_of(result).iter().any(|x| t.matches(x)) {
                out.obsolete.push(left(format!(
                    "{} no longer appears in this check's findings",
                    t.label()
                )));
                continue;
            }
        }
        if !fits(d.kind, result.status) {
            out.obsolete.push(left(format!(
                "the check is {} now; {} does not apply to it",
                result.status.label(),
                d.kind.label()
            )));
            continue;
        }
        match lapse(d, today) {
            Ok(None) => out.offers.push(Offer {
                decision: d.clone(),
                status: result.status,
            }),
            Ok(Some(state)) => out.lapsed.push(left(state.note)),
            Err(reason) => out.lapsed.push(left(reason)),
        }
    }
    out
}
