//! What a check returns, and how it becomes a report result.

use dockaudit_shared::catalog::CheckMeta;
use dockaudit_shared::report::{CheckResult, Finding, Status, Target};

use crate::snapshot::Unavailable;

/// A check's verdict with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub summary: String,
    pub findings: Vec<Finding>,
}

impl Outcome {
    pub fn new(status: Status, summary: impl Into<String>) -> Self {
        Outcome {
            status,
            summary: summary.into(),
            findings: Vec::new(),
        }
    }
    pub fn pass(summary: impl Into<String>) -> Self {
        Self::new(Status::Pass, summary)
    }
    pub fn fail(summary: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome {
            status: Status::Fail,
            summary: summary.into(),
            findings,
        }
    }
    pub fn warn(summary: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome {
            status: Status::Warn,
            summary: summary.into(),
            findings,
        }
    }
    pub fn info(summary: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome {
            status: Status::Info,
            summary: summary.into(),
            findings,
        }
    }
    pub fn manual(summary: impl Into<String>, findings: Vec<Finding>) -> Self {
        Outcome {
            status: Status::Manual,
            summary: summary.into(),
            findings,
        }
    }
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Self::new(Status::NotApplicable, reason)
    }
    pub fn error(reason: impl Into<String>) -> Self {
        Self::new(Status::Error, reason)
    }
    /// `error` naming the fact that was missing.
    pub fn unavailable(what: &str, u: &Unavailable) -> Self {
        Self::error(format!("Could not read {what} ({}: {}).", u.source, u.reason))
    }

    pub fn with_findings(mut self, findings: Vec<Finding>) -> Self {
        self.findings = findings;
        self
    }

    pub(crate) fn into_result(self, meta: &'static CheckMeta) -> CheckResult {
        let mut r = CheckResult::for_id(meta.id, self.status, self.summary);
        r.findings = self.findings;
        r
    }
}

/// Builds a finding.
pub fn finding(
    target: Target,
    message: impl Into<String>,
    observed: impl Into<String>,
    expected: impl Into<String>,
    remediation: impl Into<String>,
) -> Finding {
    Finding {
        target,
        message: message.into(),
        observed: observed.into(),
        expected: expected.into(),
        remediation: remediation.into(),
    }
}
