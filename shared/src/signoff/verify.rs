//! Whether a report and a sign-off form a valid pair: what an auditor's `dockaudit signoff verify`
//! and `apply` decide before judging any decision.
//!
//! Three questions, in order: is the report what the collector wrote (its own digest), is the
//! sign-off what the reviewer exported (its digest) and signed, and is it bound to this report.
//! Each "no" is one [`Problem`]; any problem makes the pair invalid, and only a valid pair is
//! evaluated ([`super::effective::evaluate`]) or applied ([`super::apply::apply`]).

use super::load::LoadedSignoff;
use crate::digest::DigestCheck;

/// One reason a report and sign-off do not form a valid pair. Messages are sentences for the auditor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error(
        "The report was changed after it was written: it claims digest {stored} but its content hashes to {computed}."
    )]
    ReportChanged { stored: String, computed: String },
    #[error("The report carries no digest, so it cannot be verified (its content hashes to {computed}).")]
    ReportUnsealed { computed: String },
    #[error(
        "The sign-off was changed after it was exported: it claims digest {stored} but its content hashes to {computed}."
    )]
    SignoffChanged { stored: String, computed: String },
    #[error("The sign-off carries no digest (export it from the viewer); its content hashes to {computed}.")]
    SignoffUnsealed { computed: String },
    #[error("The sign-off has not been signed: it is a draft.")]
    Unsigned,
    #[error("The sign-off is bound to report {bound}, but this report is {report}.")]
    OtherReport { bound: String, report: String },
}

/// Everything that makes the pair invalid, in the order an auditor asks; empty when it is valid.
/// `report` is the report's own digest check ([`crate::load::Loaded::digest`]).
pub fn problems(report: &DigestCheck, signoff: &LoadedSignoff) -> Vec<Problem> {
    let mut out = Vec::new();
    match report {
        DigestCheck::Valid(_) => {}
        DigestCheck::Mismatch { stored, computed } => out.push(Problem::ReportChanged {
            stored: stored.clone(),
            computed: computed.clone(),
        }),
        DigestCheck::Missing { computed } => out.push(Problem::ReportUnsealed {
            computed: computed.clone(),
        }),
    }
    match &signoff.digest {
        DigestCheck::Valid(_) => {}
        DigestCheck::Mismatch { stored, computed } => out.push(Problem::SignoffChanged {
            stored: stored.clone(),
            computed: computed.clone(),
        }),
        DigestCheck::Missing { computed } => out.push(Problem::SignoffUnsealed {
            computed: computed.clone(),
        }),
    }
    if signoff.signoff.signature.is_none() {
        out.push(Problem::Unsigned);
    }
    let bound = &signoff.signoff.report.digest;
    if bound != report.computed() {
        out.push(Problem::OtherReport {
            bound: bound.clone(),
            report: report.computed().to_string(),
        });
    }
    out
}
