//! Whether a report and a sign-off form a valid pair: what an auditor's `dockaudit signoff verify`
//! and `apply` decide before judging any decision.
//!
//! The questions, in order: did an allowed reviewer sign the sign-off (its SSH signature against
//! the auditor's `allowed_signers`), is it what was signed and exported (its digest), is the report
//! what the collector wrote (its digest, and its own SSH signature when it has one) and is the
//! sign-off bound to this report (digest, and the report signer it recorded). Each "no" is one
//! [`Problem`]; the first one decides the [`Outcome`], and only a pair without problems is
//! [`Outcome::Valid`], evaluated ([`super::effective::evaluate`]) or applied ([`super::apply::apply`]).
//! Nothing unsigned or unverified is ever valid.

use super::load::LoadedSignoff;
use crate::digest::DigestCheck;
use crate::load::Loaded;
use crate::sshsig::{AllowedSigners, SignatureState, SignatureStatus};

/// One reason a report and sign-off do not form a valid pair. Messages are sentences for the auditor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error("The sign-off is {}.", .0.describe())]
    Signature(SignatureStatus),
    #[error("The sign-off has no reviewer statement: it is a draft.")]
    Unsigned,
    #[error(
        "The sign-off was changed after it was exported: it claims digest {stored} but its content hashes to {computed}."
    )]
    SignoffChanged { stored: String, computed: String },
    #[error("The sign-off carries no digest (export it from the viewer); its content hashes to {computed}.")]
    SignoffUnsealed { computed: String },
    #[error(
        "The report was changed after it was written: it claims digest {stored} but its content hashes to {computed}."
    )]
    ReportChanged { stored: String, computed: String },
    #[error("The report carries no digest, so it cannot be verified (its content hashes to {computed}).")]
    ReportUnsealed { computed: String },
    #[error("The report's own {}.", .0.describe())]
    ReportSignature(SignatureStatus),
    #[error("The sign-off is bound to report {bound}, but this report is {report}.")]
    OtherReport { bound: String, report: String },
    #[error("The sign-off records the report as signed by key {recorded}, but this report is {actual}.")]
    OtherReportSigner { recorded: String, actual: String },
}

/// The auditor's verdict, one per state, each with its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A valid signature by an allowed principal on an intact sign-off bound to this intact report.
    Valid,
    /// No SSH signature (a draft, or a version 1 sign-off).
    Unsigned,
    /// The signature does not verify over this content, or the sign-off was edited.
    SignatureInvalid,
    /// The signature verifies, but its key is not allowed to sign off.
    SignerNotAllowed,
    /// The key is allowed, but not at the time the sign-off says it was signed.
    OutsideValidity,
    /// The report was changed or is not the one the sign-off is bound to.
    ReportMismatch,
}

impl Outcome {
    /// Every outcome, in exit-code order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Valid,
        Outcome::Unsigned,
        Outcome::SignatureInvalid,
        Outcome::SignerNotAllowed,
        Outcome::OutsideValidity,
        Outcome::ReportMismatch,
    ];

    /// `dockaudit signoff verify`'s and `dockaudit verify`'s exit code: 0 valid (1 when effective
    /// failures remain, decided by the caller), 2 is kept for unreadable input, then 3 to 7.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Valid => 0,
            Outcome::Unsigned => 3,
            Outcome::SignatureInvalid => 4,
            Outcome::SignerNotAllowed => 5,
            Outcome::OutsideValidity => 6,
            Outcome::ReportMismatch => 7,
        }
    }

    /// The word printed first: `VALID`, `UNSIGNED`, `INVALID`, `NOT-ALLOWED`, `OUTSIDE-VALIDITY`,
    /// `REPORT-MISMATCH`.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Valid => "VALID",
            Outcome::Unsigned => "UNSIGNED",
            Outcome::SignatureInvalid => "INVALID",
            Outcome::SignerNotAllowed => "NOT-ALLOWED",
            Outcome::OutsideValidity => "OUTSIDE-VALIDITY",
            Outcome::ReportMismatch => "REPORT-MISMATCH",
        }
    }

    /// The outcome a signature status alone stands for.
    pub fn of_signature(status: &SignatureStatus) -> Outcome {
        match status.state() {
            SignatureState::Verified => Outcome::Valid,
            SignatureState::Unsigned => Outcome::Unsigned,
            SignatureState::Invalid => Outcome::SignatureInvalid,
            SignatureState::NotAllowed => Outcome::SignerNotAllowed,
            SignatureState::OutsideValidity => Outcome::OutsideValidity,
        }
    }
}

impl Problem {
    /// The outcome this problem stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Problem::Signature(s) => Outcome::of_signature(s),
            Problem::Unsigned => Outcome::Unsigned,
            Problem::SignoffChanged { .. } | Problem::SignoffUnsealed { .. } => Outcome::SignatureInvalid,
            Problem::ReportChanged { .. }
            | Problem::ReportUnsealed { .. }
            | Problem::ReportSignature(_)
            | Problem::OtherReport { .. }
            | Problem::OtherReportSigner { .. } => Outcome::ReportMismatch,
        }
    }
}

/// A report and sign-off judged together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The reviewer's SSH signature on the sign-off.
    pub signoff_signature: SignatureStatus,
    /// The collector's SSH signature on the report (`Unsigned` for unsigned reports, which is allowed).
    pub report_signature: SignatureStatus,
    /// Everything wrong, in the order above; empty exactly when the outcome is valid.
    pub problems: Vec<Problem>,
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        self.outcome == Outcome::Valid
    }

    /// One line saying why: the first problem, or who signed.
    pub fn why(&self) -> String {
        match self.problems.first() {
            Some(p) => p.to_string(),
            None => format!("The sign-off is {}.", self.signoff_signature.describe()),
        }
    }
}

/// Judges `report` and `signoff` with the auditor's `allowed` signers at Unix time `now`.
pub fn verify(report: &Loaded, signoff: &LoadedSignoff, allowed: &AllowedSigners, now: i64) -> Verdict {
    let signoff_signature = signoff.signature_status(allowed, now);
    let report_signature = report.signature_status(allowed, now);
    let mut out = Vec::new();
    match (&signoff.signoff.signature, &signoff_signature) {
        (None, SignatureStatus::Unsigned) => out.push(Problem::Unsigned),
        (_, s) if !s.is_verified() => out.push(Problem::Signature(s.clone())),
        _ => {}
    }
    match &signoff.digest {
        DigestCheck::Valid(_) => {}
        DigestCheck::Mismatch { stored, computed } => out.push(Problem::SignoffChanged {
            stored: stored.clone(),
            computed: computed.clone(),
        }),
        // A verified SSH signature says more than a digest; one signed with plain `ssh-keygen`
        // and put in by hand may carry none.
        DigestCheck::Missing { .. } if signoff_signature.is_verified() => {}
        DigestCheck::Missing { computed } => out.push(Problem::SignoffUnsealed {
            computed: computed.clone(),
        }),
    }
    match &report.digest {
        DigestCheck::Valid(_) => {}
        DigestCheck::Mismatch { stored, computed } => out.push(Problem::ReportChanged {
            stored: stored.clone(),
            computed: computed.clone(),
        }),
        DigestCheck::Missing { computed } => out.push(Problem::ReportUnsealed {
            computed: computed.clone(),
        }),
    }
    if report_signature.state() == SignatureState::Invalid {
        out.push(Problem::ReportSignature(report_signature.clone()));
    }
    let bound = &signoff.signoff.report.digest;
    if bound != report.digest.computed() {
        out.push(Problem::OtherReport {
            bound: bound.clone(),
            report: report.digest.computed().to_string(),
        });
    }
    if let Some(recorded) = &signoff.signoff.report.signer {
        let actual = report.report.ssh_signature.as_ref().and_then(|s| s.fingerprint());
        if actual.as_deref() != Some(recorded.as_str()) {
            out.push(Problem::OtherReportSigner {
                recorded: recorded.clone(),
                actual: actual.map_or_else(|| "unsigned".to_string(), |a| format!("signed by key {a}")),
            });
        }
    }
    Verdict {
        outcome: out.first().map_or(Outcome::Valid, Problem::outcome),
        signoff_signature,
        report_signature,
        problems: out,
    }
}

/// A report judged on its own (`dockaudit verify`): intact, and signed by an allowed collector key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVerdict {
    pub outcome: Outcome,
    pub signature: SignatureStatus,
    /// One line saying why.
    pub why: String,
}

/// Judges a report's digest and SSH signature with the auditor's `allowed` signers at `now`.
pub fn verify_report(report: &Loaded, allowed: &AllowedSigners, now: i64) -> ReportVerdict {
    let signature = report.signature_status(allowed, now);
    let digest_problem = match &report.digest {
        DigestCheck::Valid(_) => None,
        DigestCheck::Mismatch { stored, computed } => Some(Problem::ReportChanged {
            stored: stored.clone(),
            computed: computed.clone(),
        }),
        DigestCheck::Missing { computed } => Some(Problem::ReportUnsealed {
            computed: computed.clone(),
        }),
    };
    let (outcome, why) = match (&signature, digest_problem) {
        // A broken signature says more than the digest: the content is not what was signed.
        (s, _) if s.state() == SignatureState::Invalid => {
            (Outcome::SignatureInvalid, format!("The report's {}.", s.describe()))
        }
        (_, Some(p)) => (Outcome::ReportMismatch, p.to_string()),
        (s, None) => (
            Outcome::of_signature(s),
            format!("The report is intact and {}.", s.describe()),
        ),
    };
    ReportVerdict {
        outcome,
        signature,
        why,
    }
}
