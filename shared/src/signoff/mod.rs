//! Compliance sign-off: a reviewer's decisions about one report, bound to it by its digest.
//!
//! A [`Signoff`] names the report it is about ([`BoundReport::digest`]), holds one [`Decision`]
//! per check or per check and target, and, once signed, a [`Signature`] (who, when, the overall
//! decision and a comment). It is versioned JSON with its own JSON Schema
//! (`shared/schemas/signoff.schema.json`, see [`schema_json`]) and, like a report, carries a
//! digest over its canonical form so an auditor can tell it was not edited after export.
//!
//! The report itself is never changed: [`effective::evaluate`] derives each result's *effective*
//! status from its original status and the decisions valid on a given day, [`carry`] offers an
//! older sign-off's decisions for re-approval on a newer report of the same host, and
//! [`apply::apply`] writes a new, separately sealed report with the effective statuses and the
//! decisions attached.
//!
//! The rules around them live here too, so the CLI and the viewer only render and dispatch:
//! [`draft`] turns what a reviewer typed into a [`Decision`] or [`Signature`] (and says which
//! kinds a result is offered), [`signing`] says whether a report may be signed with an overall
//! decision, and [`verify`] lists what makes a report and a sign-off an invalid pair.
//!
//! ```
//! use dockaudit_shared::signoff::{Decision, DecisionKind};
//! let d = Decision::new("5.11", None, DecisionKind::RiskAccepted, "Memory is capped by the VM.");
//! assert!(d.validate().is_ok());
//! assert!(Decision::new("5.11", None, DecisionKind::RiskAccepted, "  ").validate().is_err());
//! ```

pub mod apply;
pub mod bulk;
pub mod carry;
pub mod date;
pub mod draft;
pub mod effective;
pub mod load;
pub mod signing;
pub mod verify;

#[cfg(test)]
mod tests;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::{Report, Target, TargetKind};

pub use date::{parse_timestamp, Date, DateError};

/// Version of the sign-off format written by this build; readers accept this and older ones.
/// Version 2 added the SSH signature (`ssh_signature`) and the report's signer
/// (`report.signer`); version 1 files keep loading and are shown as unsigned.
pub const SIGNOFF_SCHEMA_VERSION: u32 = 2;

/// A reviewer's decisions about one report, and their signature once signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Always `dockaudit-signoff`, so a sign-off is never mistaken for a report.
    pub format: SignoffFormat,
    pub schema_version: u32,
    /// The report these decisions are about.
    pub report: BoundReport,
    /// At most one decision per check and target (or per check, for the whole check).
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The reviewer's statement (who, when, the overall decision); absent while the sign-off is a
    /// draft. It is part of what the SSH signature covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
    /// The reviewer's SSH signature (namespace `dockaudit-signoff`) over the sign-off's canonical
    /// bytes ([`crate::digest::signed_bytes`]); schema 2 only, added by `dockaudit signoff sign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_signature: Option<crate::sshsig::SshSignature>,
    /// `jcs-sha256:<hex>` over the canonical form without this field, as for reports
    /// (`sha256:` for sign-offs sealed before RFC 8785).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// The format marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum SignoffFormat {
    #[serde(rename = "dockaudit-signoff")]
    DockauditSignoff,
}

/// The report a sign-off is bound to: its digest binds; the rest says which run it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BoundReport {
    /// The report's digest (`jcs-sha256:` or, for older reports, `sha256:`, then 64 hex digits).
    pub digest: String,
    /// Audited host, used to match a newer report of the same host for carry-forward.
    #[serde(default)]
    pub host: Option<String>,
    pub run_id: String,
    /// RFC 3339 start of the run, to tell older from newer reports.
    pub started_at: String,
    /// SHA-256 fingerprint (`SHA256:…`) of the key that signed the report, when it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
}

impl BoundReport {
    /// Binds to `report` whose content has digest `digest`.
    pub fn of(report: &Report, digest: &str) -> Self {
        BoundReport {
            digest: digest.to_string(),
            host: report.host.hostname.clone().filter(|h| !h.is_empty()),
            run_id: report.run.id.clone(),
            started_at: report.run.started_at.clone(),
            signer: report
                .ssh_signature
                .as_ref()
                .and_then(crate::sshsig::SshSignature::fingerprint),
        }
    }
}

/// One decision about a check, for the whole check or narrowed to one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Check id, e.g. `5.11`.
    pub check: String,
    /// The one container, image, file … this decision is about; absent for the whole check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetRef>,
    pub kind: DecisionKind,
    /// Why; required and shown to the auditor.
    pub justification: String,
    /// `remediation_planned` only (required there): the day the fix is due (YYYY-MM-DD). The
    /// decision lapses after that day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub due: Option<String>,
    /// Last day the decision applies (YYYY-MM-DD); absent means until the report is replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub expires: Option<String>,
    /// When the decision was recorded (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
}

/// A target a decision is narrowed to, matched against findings by kind and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetRef {
    pub kind: TargetKind,
    /// The target's stable key ([`Target::key`]): the name of a container, the id of an image,
    /// the path of a file.
    pub key: String,
    /// Display name when it differs from the key (e.g. an image's tag).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

impl TargetRef {
    pub fn of(target: &Target) -> Self {
        let key = target.key().to_string();
        let name = if target.display() == key {
            String::new()
        } else {
            target.display().to_string()
        };
        TargetRef {
            kind: target.kind,
            key,
            name,
        }
    }

    /// Whether a finding's target is this one.
    pub fn matches(&self, target: &Target) -> bool {
        self.kind == target.kind && self.key == target.key()
    }

    /// "container web".
    pub fn label(&self) -> String {
        let shown = if self.name.is_empty() { &self.key } else { &self.name };
        format!("{} {shown}", self.kind.as_str())
    }
}

/// What the reviewer decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// The deviation is known and accepted as a risk.
    RiskAccepted,
    /// The finding is wrong: the target meets the recommendation.
    FalsePositive,
    /// Another control covers the risk.
    CompensatingControl,
    /// A fix is planned by the due date.
    RemediationPlanned,
    /// A manual check was verified as met.
    VerifiedPass,
    /// A manual check was verified as not met.
    VerifiedFail,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 6] = [
        DecisionKind::RiskAccepted,
        DecisionKind::FalsePositive,
        DecisionKind::CompensatingControl,
        DecisionKind::RemediationPlanned,
        DecisionKind::VerifiedPass,
        DecisionKind::VerifiedFail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::RiskAccepted => "risk_accepted",
            DecisionKind::FalsePositive => "false_positive",
            DecisionKind::CompensatingControl => "compensating_control",
            DecisionKind::RemediationPlanned => "remediation_planned",
            DecisionKind::VerifiedPass => "verified_pass",
            DecisionKind::VerifiedFail => "verified_fail",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// "risk accepted".
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::RiskAccepted => "risk accepted",
            DecisionKind::FalsePositive => "false positive",
            DecisionKind::CompensatingControl => "compensating control",
            DecisionKind::RemediationPlanned => "remediation planned",
            DecisionKind::VerifiedPass => "verified pass",
            DecisionKind::VerifiedFail => "verified fail",
        }
    }

    /// An exception keeps the deviation but accepts it (risk, control, planned fix).
    pub fn is_exception(self) -> bool {
        matches!(
            self,
            DecisionKind::RiskAccepted | DecisionKind::CompensatingControl | DecisionKind::RemediationPlanned
        )
    }

    /// A verification is a person's verdict on a manual check.
    pub fn is_verification(self) -> bool {
        matches!(self, DecisionKind::VerifiedPass | DecisionKind::VerifiedFail)
    }
}

/// The reviewer's signature over the decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub reviewer: Reviewer,
    /// RFC 3339.
    pub signed_at: String,
    pub decision: OverallDecision,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    pub name: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The reviewer's verdict on the report as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OverallDecision {
    Approved,
    ApprovedWithExceptions,
    Rejected,
}

impl OverallDecision {
    pub const ALL: [OverallDecision; 3] = [
        OverallDecision::Approved,
        OverallDecision::ApprovedWithExceptions,
        OverallDecision::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OverallDecision::Approved => "approved",
            OverallDecision::ApprovedWithExceptions => "approved_with_exceptions",
            OverallDecision::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<OverallDecision> {
        OverallDecision::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OverallDecision::Approved => "approved",
            OverallDecision::ApprovedWithExceptions => "approved with exceptions",
            OverallDecision::Rejected => "rejected",
        }
    }
}

/// Why a decision or signature is not acceptable. Messages are sentences for the reviewer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("The decision names no check.")]
    NoCheck,
    #[error("A justification is required: say why this is {0}.")]
    NoJustification(&'static str),
    #[error("A planned remediation needs a due date (YYYY-MM-DD).")]
    NoDueDate,
    #[error("Only a planned remediation has a due date; {0} does not.")]
    DueNotAllowed(&'static str),
    #[error("{field}: {error}")]
    BadDate { field: &'static str, error: DateError },
    #[error("The {field} {date} has already passed (today is {today}).")]
    InThePast {
        field: &'static str,
        date: String,
        today: String,
    },
    #[error("The target has no kind or key.")]
    EmptyTarget,
}

/// Why a signature is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("The reviewer's name is required.")]
    NoName,
    #[error("The reviewer's role is required.")]
    NoRole,
    #[error("\"{0}\" is not an e-mail address (name@domain).")]
    BadEmail(String),
    #[error("signed_at: {0}")]
    BadTime(DateError),
}

impl Decision {
    /// A decision without dates.
    pub fn new(check: &str, target: Option<TargetRef>, kind: DecisionKind, justification: &str) -> Self {
        Decision {
            check: check.to_string(),
            target,
            kind,
            justification: justification.to_string(),
            due: None,
            expires: None,
            recorded_at: None,
        }
    }

    /// Whether this decision is about the same check and target as `other`: one check, and
    /// targets equal by kind and key (the display name does not identify a target).
    pub fn same_scope(&self, other: &Decision) -> bool {
        self.is_about(&other.check, other.target.as_ref())
    }

    /// Whether this decision is about `check` and `target` (by kind and key).
    pub fn is_about(&self, check: &str, target: Option<&TargetRef>) -> bool {
        self.check == check
            && match (&self.target, target) {
                (None, None) => true,
                (Some(a), Some(b)) => a.kind == b.kind && a.key == b.key,
                _ => false,
            }
    }

    /// "5.11 · container web" or "5.11 · whole check".
    pub fn scope_label(&self) -> String {
        format!("{} · {}", self.check, self.target_label())
    }

    /// "container web", or "whole check" for a decision about the whole check.
    pub fn target_label(&self) -> String {
        self.target
            .as_ref()
            .map_or_else(|| "whole check".to_string(), TargetRef::label)
    }

    /// Checks the fields on their own (any dates in the past are fine: old sign-offs have them).
    pub fn validate(&self) -> Result<(), DecisionError> {
        if self.check.trim().is_empty() {
            return Err(DecisionError::NoCheck);
        }
        if self.justification.trim().is_empty() {
            return Err(DecisionError::NoJustification(self.kind.label()));
        }
        if let Some(t) = &self.target {
            if t.key.trim().is_empty() {
                return Err(DecisionError::EmptyTarget);
            }
        }
        match (&self.due, self.kind) {
            (None, DecisionKind::RemediationPlanned) => return Err(DecisionError::NoDueDate),
            (Some(_), kind) if kind != DecisionKind::RemediationPlanned => {
                return Err(DecisionError::DueNotAllowed(kind.label()))
            }
            _ => {}
        }
        for (field, value) in [("due", &self.due), ("expires", &self.expires)] {
            if let Some(v) = value {
                Date::parse(v).map_err(|error| DecisionError::BadDate { field, error })?;
            }
        }
        if let Some(at) = &self.recorded_at {
            parse_timestamp(at).map_err(|error| DecisionError::BadDate {
                field: "recorded_at",
                error,
            })?;
        }
        Ok(())
    }

    /// Checks a decision being recorded today: valid fields, and no due or expiry date already past.
    pub fn validate_new(&self, today: Date) -> Result<(), DecisionError> {
        self.validate()?;
        for (field, value) in [("due date", &self.due), ("expiry date", &self.expires)] {
            if let Some(date) = value.as_deref().and_then(|v| Date::parse(v).ok()) {
                if date < today {
                    return Err(DecisionError::InThePast {
                        field,
                        date: date.to_string(),
                        today: today.to_string(),
                    });
                }
            }
        }
        Ok(())
    }
}

impl Signature {
    pub fn validate(&self) -> Result<(), SignatureError> {
        if self.reviewer.name.trim().is_empty() {
            return Err(SignatureError::NoName);
        }
        if self.reviewer.role.trim().is_empty() {
            return Err(SignatureError::NoRole);
        }
        if let Some(email) = &self.reviewer.email {
            if !looks_like_email(email) {
                return Err(SignatureError::BadEmail(email.clone()));
            }
        }
        parse_timestamp(&self.signed_at).map_err(SignatureError::BadTime)?;
        Ok(())
    }
}

/// `local@domain.tld`, no spaces, one `@`: enough to catch a name typed in the wrong field.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && s.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Signoff {
    /// An empty draft bound to a report.
    pub fn new(report: BoundReport) -> Self {
        Signoff {
            format: SignoffFormat::DockauditSignoff,
            schema_version: SIGNOFF_SCHEMA_VERSION,
            report,
            decisions: Vec::new(),
            signature: None,
            ssh_signature: None,
            digest: None,
        }
    }

    /// Neither decisions nor a signature.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty() && self.signature.is_none()
    }

    /// The decision for exactly this check and target, if any.
    pub fn decision(&self, check: &str, target: Option<&TargetRef>) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.is_about(check, target))
    }

    /// Adds a decision, replacing one of the same check and target. Any change voids the
    /// signature (it covered the old decisions); returns whether a signature was voided.
    pub fn record(&mut self, decision: Decision) -> bool {
        match self.decisions.iter_mut().find(|d| d.same_scope(&decision)) {
            Some(slot) => *slot = decision,
            None => self.decisions.push(decision),
        }
        self.unsign()
    }

    /// Removes the decision of this check and target; returns whether a signature was voided.
    pub fn remove(&mut self, check: &str, target: Option<&TargetRef>) -> bool {
        let before = self.decisions.len();
        self.decisions.retain(|d| !d.is_about(check, target));
        before != self.decisions.len() && self.unsign()
    }

    fn unsign(&mut self) -> bool {
        self.digest = None;
        self.ssh_signature = None;
        self.signature.take().is_some()
    }

    /// The pretty JSON with its digest set, and the digest.
    pub fn seal(&self) -> (String, String) {
        let mut unsealed = self.clone();
        unsealed.digest = None;
        // Serialising plain structs of strings cannot fail; an empty text would fail to load anyway.
        crate::digest::seal(&unsealed).unwrap_or_default()
    }
}

/// JSON Schema of the sign-off format, pretty-printed with a trailing newline.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Signoff);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
