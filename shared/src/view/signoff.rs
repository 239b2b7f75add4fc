//! Sign-off mode: the reviewer's draft per report, import and export, carry-forward and signing.
//!
//! Drafts are keyed by the report's content digest, which is also the browser storage key, so a
//! draft can never be shown against another report. The viewer does the I/O (storage, files,
//! clock) and feeds the results in as [`SignoffAction`]s; what is stored is decided by
//! [`SignoffState::persist`]. Until a report's stored draft has been read back
//! ([`SignoffAction::Restored`]) nothing is written for it, so an empty first render never
//! overwrites a saved draft.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::digest::DigestCheck;
use crate::report::{CheckResult, Report, Status};
use crate::signoff::carry::{carry_forward, CarryForward};
use crate::signoff::effective::{
    evaluate_decisions, evaluate_with_targets, DecisionState, DecisionStatus, EffectiveResult, EffectiveStatus,
    Evaluation,
};
use crate::signoff::load::load_signoff;
use crate::signoff::signing::check_signing;
use crate::signoff::{BoundReport, Date, Decision, DecisionKind, Signature, Signoff, TargetRef};
use crate::sshsig::{self, AllowedSigners, SignatureStatus};

use super::state::LoadedReport;

/// The digest the report's content hashes to (whatever digest the file claims).
pub fn report_digest(loaded: &LoadedReport) -> &str {
    loaded.digest.computed()
}

/// A line for the reviewer after an import, export, signature or error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignoffMessage {
    pub error: bool,
    pub text: String,
}

/// An older sign-off's decisions offered on a newer report of the same host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryView {
    /// Digest of the report the offers are for.
    pub report: String,
    /// Digest of the report the old sign-off was bound to.
    pub from: String,
    pub carry: CarryForward,
    /// Offers already re-approved (indexes into `carry.offers`).
    pub taken: BTreeSet<usize>,
}

/// A sign-off named by the link (`&signoff=URL`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Linked {
    #[default]
    None,
    /// Being fetched from this URL.
    Loading(String),
    /// Fetched; imported as soon as the active report is loaded.
    Fetched { name: String, text: String, today: String },
}

/// What to do with the browser storage for one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persist {
    /// Not read back yet, or nothing to say: leave storage alone.
    Keep,
    /// Remove the stored draft of this digest.
    Remove(String),
    /// Store this JSON under this digest.
    Write(String, String),
}

/// Every change to the sign-off state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignoffAction {
    /// The stored draft for a report (`None` when nothing was stored).
    Restored {
        digest: String,
        text: Option<String>,
    },
    /// Record (or replace) a decision on the active report; `today` is YYYY-MM-DD.
    Record {
        decision: Decision,
        today: String,
    },
    Remove {
        check: String,
        target: Option<TargetRef>,
    },
    /// Record several decisions at once (a bulk decision, or an edited entry of the decisions
    /// table); `replaces` are removed first, so an edit can change the scope.
    RecordMany {
        decisions: Vec<Decision>,
        replaces: Vec<(String, Option<TargetRef>)>,
        today: String,
    },
    /// Remove several decisions at once (an entry of the decisions table).
    RemoveMany {
        scopes: Vec<(String, Option<TargetRef>)>,
    },
    Sign {
        signature: Signature,
    },
    /// A sign-off file the reviewer picked.
    Import {
        name: String,
        text: String,
        today: String,
    },
    /// A picked file could not be read at all (browser error).
    Unreadable {
        name: String,
        reason: String,
    },
    /// The linked sign-off arrived.
    LinkFetched {
        text: String,
        today: String,
    },
    LinkFailed {
        reason: String,
    },
    /// Discard the active report's draft.
    Clear,
    /// Re-approve a carried-forward offer; `now` is the RFC 3339 time.
    Reapprove {
        index: usize,
        now: String,
    },
    DismissCarry,
    DismissMessage,
    /// The viewer saved the export under this file name.
    Exported {
        file: String,
        digest: String,
    },
    /// An `allowed_signers` file the reviewer or auditor picked (or the one kept in the browser).
    AllowedSigners {
        name: String,
        text: String,
    },
    /// Forget the allowed signers.
    ForgetAllowedSigners,
}

/// The `allowed_signers` file signatures are verified against in the viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustList {
    /// File name.
    pub name: String,
    /// The file's text, as kept in the browser.
    pub text: String,
    pub signers: AllowedSigners,
}

/// Sign-off state of the viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignoffState {
    drafts: BTreeMap<String, Signoff>,
    /// Digests whose stored draft was read back (or replaced by an import).
    restored: BTreeSet<String>,
    pub message: Option<SignoffMessage>,
    pub carry: Option<CarryView>,
    pub linked: Linked,
    /// Who may sign, loaded by the reader; without it no signature shows as verified.
    pub allowed: Option<TrustList>,
    /// Imported signed sign-offs as read (by report digest): their signature covers these bytes.
    signed_files: BTreeMap<String, serde_json::Value>,
}

impl SignoffState {
    /// State for a link that names a sign-off.
    pub fn linked(url: Option<String>) -> Self {
        SignoffState {
            linked: url.map_or(Linked::None, Linked::Loading),
            ..SignoffState::default()
        }
    }

    /// The URL of a linked sign-off still to be fetched.
    pub fn pending_fetch(&self) -> Option<&str> {
        match &self.linked {
            Linked::Loading(url) => Some(url),
            _ => None,
        }
    }

    pub fn draft(&self, digest: &str) -> Option<&Signoff> {
        self.drafts.get(digest)
    }

    /// The draft of a report, or an empty one bound to it.
    pub fn signoff_for(&self, loaded: &LoadedReport) -> Signoff {
        let digest = report_digest(loaded);
        self.drafts
            .get(digest)
            .cloned()
            .unwrap_or_else(|| Signoff::new(BoundReport::of(&loaded.report, digest)))
    }

    /// The active report's sign-off evaluated on `today`; `None` if `today` is not a date.
    pub fn evaluate(&self, loaded: &LoadedReport, today: &str) -> Option<Evaluation> {
        let today = Date::parse(today).ok()?;
        let decisions = self
            .drafts
            .get(report_digest(loaded))
            .map(|s| s.decisions.as_slice())
            .unwrap_or_default();
        Some(if loaded.prepared.fits(&loaded.report) {
            evaluate_with_targets(&loaded.report, loaded.prepared.target_lists(), decisions, today)
        } else {
            evaluate_decisions(&loaded.report, decisions, today)
        })
    }

    /// The digest whose stored draft should be read now, if any.
    pub fn needs_restore<'a>(&self, loaded: &'a LoadedReport) -> Option<&'a str> {
        let d = report_digest(loaded);
        (!self.restored.contains(d)).then_some(d)
    }

    /// What the browser storage should hold for this digest.
    pub fn persist(&self, digest: &str) -> Persist {
        if !self.restored.contains(digest) {
            return Persist::Keep;
        }
        match self.drafts.get(digest) {
            Some(s) if !s.is_empty() => match serde_json::to_string(s) {
                Ok(json) => Persist::Write(digest.to_string(), json),
                Err(_) => Persist::Keep,
            },
            _ => Persist::Remove(digest.to_string()),
        }
    }

    /// The sealed JSON to export and a file name for it.
    pub fn export(&self, loaded: &LoadedReport) -> (String, String, String) {
        let (text, digest) = self.signoff_for(loaded).seal();
        (export_name(&loaded.report), text + "\n", digest)
    }

    /// The allowed signers loaded (empty when none are).
    pub fn signers(&self) -> AllowedSigners {
        self.allowed.as_ref().map(|t| t.signers.clone()).unwrap_or_default()
    }

    /// The text to keep in the browser for the allowed signers (`None`: remove it).
    pub fn allowed_text(&self) -> Option<String> {
        self.allowed.as_ref().map(|t| t.text.clone())
    }

    /// The collector's signature on a report, against the loaded allowed signers at Unix time `now`.
    pub fn report_signature(&self, loaded: &LoadedReport, now: i64) -> SignatureStatus {
        loaded.signature_status(&self.signers(), now)
    }

    /// The reviewer's SSH signature on a report's sign-off, against the loaded allowed signers at
    /// Unix time `now`: over the file as imported when it is unchanged, else over the draft.
    pub fn signoff_signature(&self, loaded: &LoadedReport, now: i64) -> SignatureStatus {
        let digest = report_digest(loaded);
        let Some(draft) = self.drafts.get(digest) else {
            return SignatureStatus::Unsigned;
        };
        let Some(sig) = &draft.ssh_signature else {
            return SignatureStatus::Unsigned;
        };
        let value = match self.signed_files.get(digest) {
            Some(v) if v.get(crate::digest::SIGNATURE_MEMBER) == serde_json::to_value(sig).ok().as_ref() => v.clone(),
            _ => match serde_json::to_value(draft) {
                Ok(v) => v,
                Err(_) => {
                    return SignatureStatus::Invalid {
                        reason: "the sign-off cannot be read".into(),
                    }
                }
            },
        };
        let signed_at = draft.signature.as_ref().map(|s| s.signed_at.as_str());
        sshsig::check(&value, sshsig::NS_SIGNOFF, signed_at, &self.signers(), now)
    }

    /// Applies one action; `active` is the report shown.
    pub fn reduce(&mut self, action: SignoffAction, active: Option<&LoadedReport>) {
        match action {
            SignoffAction::Restored { digest, text } => self.restore(digest, text),
            SignoffAction::DismissMessage => self.message = None,
            SignoffAction::DismissCarry => self.carry = None,
            SignoffAction::LinkFetched { text, today } => {
                if let Linked::Loading(url) = &self.linked {
                    self.linked = Linked::Fetched {
                        name: url.clone(),
                        text,
                        today,
                    };
                }
            }
            SignoffAction::LinkFailed { reason } => {
                self.linked = Linked::None;
                self.error(format!("The linked sign-off could not be loaded: {reason}"));
            }
            SignoffAction::Unreadable { name, reason } => {
                self.error(format!("{name} could not be read: {reason}"));
            }
            SignoffAction::Exported { file, digest } => {
                self.info(format!(
                    "Exported the sign-off as {file} (digest {digest}). Sign it with: {}",
                    sign_command(&file)
                ));
            }
            SignoffAction::AllowedSigners { name, text } => match AllowedSigners::parse(&text) {
                Ok(signers) => {
                    self.info(format!(
                        "Signatures are verified against {name}: {}.",
                        signers.principals().join(", ")
                    ));
                    self.allowed = Some(TrustList { name, text, signers });
                }
                Err(e) => self.error(format!("{name}: {e}")),
            },
            SignoffAction::ForgetAllowedSigners => self.allowed = None,
            other => match active {
                Some(loaded) => self.on_report(other, loaded),
                None => self.error("Open a report first: a sign-off belongs to one report.".into()),
            },
        }
    }

    /// Imports a fetched linked sign-off once the active report is there; returns true when the
    /// link is done with (so the view can drop it from the address).
    pub fn settle(&mut self, active: Option<&LoadedReport>) -> bool {
        let Some(loaded) = active else { return false };
        match std::mem::take(&mut self.linked) {
            Linked::Fetched { name, text, today } => {
                self.import(&name, &text, &today, loaded);
                true
            }
            other => {
                let done = matches!(other, Linked::None);
                self.linked = other;
                done
            }
        }
    }

    fn on_report(&mut self, action: SignoffAction, loaded: &LoadedReport) {
        let digest = report_digest(loaded).to_string();
        match action {
            SignoffAction::Record { decision, today } => {
                let today = match Date::parse(&today) {
                    Ok(d) => d,
                    Err(e) => return self.error(e.to_string()),
                };
                if let Err(e) = decision.validate_new(today) {
                    return self.error(e.to_string());
                }
                let voided = self.draft_mut(loaded).record(decision);
                self.after_change(voided);
            }
            SignoffAction::Remove { check, target } => {
                if let Some(draft) = self.drafts.get_mut(&digest) {
                    let voided = draft.remove(&check, target.as_ref());
                    self.after_change(voided);
                }
            }
            SignoffAction::RecordMany {
                decisions,
                replaces,
                today,
            } => {
                let today = match Date::parse(&today) {
                    Ok(d) => d,
                    Err(e) => return self.error(e.to_string()),
                };
                if let Some(e) = decisions.iter().find_map(|d| d.validate_new(today).err()) {
                    return self.error(e.to_string());
                }
                let draft = self.draft_mut(loaded);
                let mut voided = remove_all(draft, &replaces);
                let n = decisions.len();
                for d in decisions {
                    voided |= draft.record(d);
                }
                if n > 1 {
                    self.info(format!("Recorded {n} decisions."));
                }
                self.after_change(voided);
            }
            SignoffAction::RemoveMany { scopes } => {
                if let Some(draft) = self.drafts.get_mut(&digest) {
                    let voided = remove_all(draft, &scopes);
                    self.after_change(voided);
                }
            }
            SignoffAction::Sign { signature } => self.sign(signature, loaded),
            SignoffAction::Import { name, text, today } => self.import(&name, &text, &today, loaded),
            SignoffAction::Clear => {
                self.drafts.remove(&digest);
                self.restored.insert(digest);
                self.carry = None;
                self.info("The sign-off of this report was cleared from this browser.".into());
            }
            SignoffAction::Reapprove { index, now } => self.reapprove(index, now, loaded),
            _ => {}
        }
    }

    fn draft_mut(&mut self, loaded: &LoadedReport) -> &mut Signoff {
        let digest = report_digest(loaded).to_string();
        self.drafts
            .entry(digest.clone())
            .or_insert_with(|| Signoff::new(BoundReport::of(&loaded.report, &digest)))
    }

    fn after_change(&mut self, voided: bool) {
        if voided {
            self.error("The decisions changed after signing, so the signature was removed: sign again.".into());
        }
    }

    fn info(&mut self, text: String) {
        self.message = Some(SignoffMessage { error: false, text });
    }

    fn error(&mut self, text: String) {
        self.message = Some(SignoffMessage { error: true, text });
    }

    fn restore(&mut self, digest: String, text: Option<String>) {
        if !self.restored.insert(digest.clone()) {
            return;
        }
        let Some(text) = text else { return };
        match load_signoff(&text) {
            Ok(loaded) if loaded.signoff.report.digest == digest => {
                // Edits made before the stored draft arrived win over it.
                self.drafts.entry(digest).or_insert(loaded.signoff);
            }
            Ok(_) => self.error("The sign-off saved in this browser belongs to another report; it was ignored.".into()),
            Err(e) => self.error(format!(
                "The sign-off saved in this browser could not be read ({e}); it was discarded."
            )),
        }
    }

    fn sign(&mut self, signature: Signature, loaded: &LoadedReport) {
        if let Err(e) = signature.validate() {
            return self.error(e.to_string());
        }
        let Some(eval) = Date::parse(signature.signed_at.get(..10).unwrap_or_default())
            .ok()
            .and_then(|d| self.evaluate(loaded, &d.to_string()))
        else {
            return self.error("The signing time is not a valid date.".into());
        };
        if let Err(e) = check_signing(&loaded.digest, &eval, signature.decision) {
            return self.error(e.to_string());
        }
        let who = format!("{} ({})", signature.reviewer.name, signature.reviewer.role);
        let what = signature.decision.label();
        let draft = self.draft_mut(loaded);
        draft.signature = Some(signature);
        draft.ssh_signature = None;
        draft.digest = None;
        self.info(format!(
            "Statement recorded: {what} by {who}. It is not signed yet: export the sign-off, sign it with your SSH key ({}) and import the signed file back.",
            sign_command(&export_name(&loaded.report))
        ));
    }

    fn import(&mut self, name: &str, text: &str, today: &str, loaded: &LoadedReport) {
        let file = match load_signoff(text) {
            Ok(f) => f,
            Err(e) => return self.error(format!("{name}: {e}")),
        };
        // A signed file is imported whatever its digest says: its signature shows whether it is
        // what the reviewer signed ("invalid" when not).
        if let (DigestCheck::Mismatch { stored, computed }, None) = (&file.digest, &file.signoff.ssh_signature) {
            return self.error(format!(
                "{name} was changed after it was exported (its digest says {stored}, its content hashes to {computed}); it was not imported."
            ));
        }
        let digest = report_digest(loaded).to_string();
        let mut signoff = file.signoff;
        if signoff.report.digest != digest {
            let mut text = format!(
                "{name} is bound to report {}, but the open report is {digest}; it was not applied.",
                signoff.report.digest
            );
            match carry_forward(&signoff, &loaded.report, &digest, today) {
                Ok(carry) => {
                    text.push_str(&format!(
                        " It is an older sign-off of this host: {} of its decisions still match and are offered below for re-approval.",
                        carry.offers.len()
                    ));
                    self.carry = Some(CarryView {
                        report: digest,
                        from: signoff.report.digest.clone(),
                        carry,
                        taken: BTreeSet::new(),
                    });
                }
                Err(e) => {
                    text.push(' ');
                    text.push_str(&e.to_string());
                }
            }
            return self.error(text);
        }
        signoff.digest = None;
        let summary = match (&signoff.signature, &signoff.ssh_signature) {
            (Some(s), Some(_)) => format!("SSH-signed, statement by {} on {}", s.reviewer.name, s.signed_at),
            (Some(s), None) => format!("a statement by {} on {}, not SSH-signed", s.reviewer.name, s.signed_at),
            (None, _) => "a draft, not signed".to_string(),
        };
        if signoff.ssh_signature.is_some() {
            self.signed_files.insert(digest.clone(), file.value.clone());
        } else {
            self.signed_files.remove(&digest);
        }
        self.info(format!(
            "Imported {name}: {} decision(s), {summary}. It replaces this browser's sign-off of the report.",
            signoff.decisions.len()
        ));
        self.drafts.insert(digest.clone(), signoff);
        self.restored.insert(digest);
        self.carry = None;
    }

    fn reapprove(&mut self, index: usize, now: String, loaded: &LoadedReport) {
        let digest = report_digest(loaded);
        let Some(view) = self.carry.as_mut().filter(|c| c.report == digest) else {
            return;
        };
        let Some(offer) = view.carry.offers.get(index) else {
            return;
        };
        if !view.taken.insert(index) {
            return;
        }
        let mut decision = offer.decision.clone();
        decision.recorded_at = Some(now);
        let scope = decision.scope_label();
        let voided = self.draft_mut(loaded).record(decision);
        self.info(format!("Re-approved {scope}."));
        self.after_change(voided);
    }
}

/// Removes every decision of these scopes in one pass (bulk entries hold thousands); returns
/// whether a signature was voided, as [`Signoff::remove`] does.
fn remove_all(draft: &mut Signoff, scopes: &[(String, Option<TargetRef>)]) -> bool {
    let scope = |check: &'_ str, t: Option<&TargetRef>| -> (String, Option<(crate::report::TargetKind, String)>) {
        (check.to_string(), t.map(|t| (t.kind, t.key.clone())))
    };
    let wanted: BTreeSet<_> = scopes.iter().map(|(c, t)| scope(c, t.as_ref())).collect();
    let before = draft.decisions.len();
    draft
        .decisions
        .retain(|d| !wanted.contains(&scope(&d.check, d.target.as_ref())));
    if before == draft.decisions.len() {
        return false;
    }
    draft.digest = None;
    draft.ssh_signature = None;
    draft.signature.take().is_some()
}

/// The command that signs an exported sign-off (the browser cannot reach an SSH agent).
pub fn sign_command(file: &str) -> String {
    format!("dockaudit signoff sign {file} --key ~/.ssh/id_ed25519")
}

/// A file name for the export: `signoff-<host>-<run date>.json`.
pub fn export_name(report: &Report) -> String {
    let host: String = report
        .host
        .hostname
        .as_deref()
        .unwrap_or("report")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let day = report.run.started_at.get(..10).filter(|d| Date::parse(d).is_ok());
    match day {
        Some(d) => format!("signoff-{host}-{d}.json"),
        None => format!("signoff-{host}.json"),
    }
}

/// A check settled by the sign-off, for the summary before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledRow {
    pub id: String,
    pub title: String,
    pub original: Status,
    pub effective: EffectiveStatus,
}

/// An exception that applies today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionRow {
    pub check: String,
    pub title: String,
    pub decision: Decision,
    /// "until 2026-06-30", "due 2026-03-31", or "no end date".
    pub until: String,
}

/// A check still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRow {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// Offenders without a decision ("container db"); empty when the whole check is open.
    pub open_targets: Vec<String>,
}

/// A decision that does not apply today, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAppliedRow {
    pub decision: Decision,
    pub state: DecisionState,
}

/// What is approved, what is excepted and until when, and what is still open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SigningSummary {
    /// Settled as passing (false positives, verified passes).
    pub approved: Vec<SettledRow>,
    /// Verified failures.
    pub failed: Vec<SettledRow>,
    pub excepted: Vec<ExceptionRow>,
    pub open: Vec<OpenRow>,
    pub not_applied: Vec<NotAppliedRow>,
}

/// The summary before signing.
pub fn signing_summary(report: &Report, signoff: &Signoff, eval: &Evaluation) -> SigningSummary {
    let mut out = SigningSummary::default();
    let title = |id: &str| report.result(id).map(|r| r.title.clone()).unwrap_or_default();
    for e in &eval.results {
        let row = || SettledRow {
            id: e.id.clone(),
            title: title(&e.id),
            original: e.original,
            effective: e.effective,
        };
        match e.effective {
            EffectiveStatus::FalsePositive | EffectiveStatus::VerifiedPass => out.approved.push(row()),
            EffectiveStatus::VerifiedFail => out.failed.push(row()),
            EffectiveStatus::Excepted | EffectiveStatus::Unchanged(_) => {}
        }
        if e.is_open() {
            out.open.push(OpenRow {
                id: e.id.clone(),
                title: title(&e.id),
                status: e.original,
                open_targets: e.open_target_labels(),
            });
        }
    }
    for (d, state) in eval.with_states(&signoff.decisions) {
        if state.status != DecisionStatus::Applied {
            out.not_applied.push(NotAppliedRow {
                decision: d.clone(),
                state: state.clone(),
            });
        } else if d.kind.is_exception() {
            out.excepted.push(ExceptionRow {
                check: d.check.clone(),
                title: title(&d.check),
                decision: d.clone(),
                until: until(d),
            });
        }
    }
    out
}

/// "until 2026-06-30", "due 2026-03-31, until 2026-06-30", or "no end date".
pub fn until(d: &Decision) -> String {
    match (&d.due, &d.expires) {
        (Some(due), Some(e)) => format!("due {due}, until {e}"),
        (Some(due), None) => format!("due {due}"),
        (None, Some(e)) => format!("until {e}"),
        (None, None) => "no end date".to_string(),
    }
}

/// At most `shown` labels, then how many more: "container a, container b and 1,898 more". A
/// status line never lists thousands of names.
pub fn names_with_more(labels: &[String], shown: usize) -> String {
    let mut out = labels.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
    if labels.len() > shown {
        out.push_str(&format!(" and {} more", thousands(labels.len() - shown)));
    }
    out
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Names shown in a line about undecided targets before "and N more".
pub const NAMES_SHOWN: usize = 3;

/// One entry of the decisions table: a decision, or a bulk decision (every per-target decision
/// recorded together, see [`crate::signoff::bulk::group_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub check: String,
    pub title: String,
    pub kind: DecisionKind,
    /// The targets it names; empty for the whole check.
    pub targets: Vec<TargetRef>,
    pub justification: String,
    pub due: Option<String>,
    pub expires: Option<String>,
    pub recorded_at: Option<String>,
    /// How many of its decisions stand so today, most applied first.
    pub states: Vec<(DecisionStatus, usize)>,
    /// The note of its first decision (why it does or does not apply).
    pub note: String,
    /// Indexes into the sign-off's decisions.
    pub members: Vec<usize>,
}

impl DecisionRow {
    /// "whole check", "container web", or "12 containers: web-0001, web-0002, web-0003 and 9 more".
    pub fn scope_label(&self) -> String {
        match self.targets.as_slice() {
            [] => "whole check".to_string(),
            [one] => one.label(),
            many => {
                let kinds: BTreeSet<_> = many.iter().map(|t| t.kind).collect();
                let what = match kinds.iter().next() {
                    Some(k) if kinds.len() == 1 => format!("{}s", k.as_str()),
                    _ => "targets".to_string(),
                };
                let names: Vec<String> = many
                    .iter()
                    .map(|t| {
                        if t.name.is_empty() {
                            t.key.clone()
                        } else {
                            t.name.clone()
                        }
                    })
                    .collect();
                format!(
                    "{} {what}: {}",
                    thousands(many.len()),
                    names_with_more(&names, NAMES_SHOWN)
                )
            }
        }
    }

    /// "applied", or "1,998 applied · 2 obsolete".
    pub fn state_label(&self) -> String {
        match self.states.as_slice() {
            [(s, _)] => s.as_str().replace('_', " "),
            many => many
                .iter()
                .map(|(s, n)| format!("{} {}", thousands(*n), s.as_str().replace('_', " ")))
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }

    /// The state of most of its decisions (what the row is coloured by).
    pub fn main_state(&self) -> DecisionStatus {
        self.states.first().map_or(DecisionStatus::Applied, |(s, _)| *s)
    }

    /// The scopes to remove (or replace) for the whole entry.
    pub fn scopes(&self) -> Vec<(String, Option<TargetRef>)> {
        if self.targets.is_empty() {
            return vec![(self.check.clone(), None)];
        }
        self.targets
            .iter()
            .map(|t| (self.check.clone(), Some(t.clone())))
            .collect()
    }

    /// The entry's decisions rebuilt with new fields (kind, justification, dates), for an edit.
    pub fn edited(
        &self,
        kind: DecisionKind,
        justification: &str,
        due: &str,
        expires: &str,
        recorded_at: &str,
    ) -> Vec<Decision> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let one = |target: Option<TargetRef>| {
            let mut d = Decision::new(&self.check, target, kind, justification.trim());
            d.due = text(due).filter(|_| kind == DecisionKind::RemediationPlanned);
            d.expires = text(expires);
            d.recorded_at = Some(recorded_at.to_string());
            d
        };
        if self.targets.is_empty() {
            return vec![one(None)];
        }
        self.targets.iter().cloned().map(|t| one(Some(t))).collect()
    }
}

/// Every decision of the sign-off, bulk decisions as one entry each, in benchmark order of their
/// checks (whole-check decisions first), with where each stands today.
pub fn decision_table(report: &Report, signoff: &Signoff, eval: &Evaluation) -> Vec<DecisionRow> {
    use crate::signoff::bulk::group_key;
    let mut rows: Vec<DecisionRow> = Vec::new();
    let mut groups = std::collections::HashMap::new();
    for (i, d) in signoff.decisions.iter().enumerate() {
        let state = eval.decisions.get(i);
        let status = state.map_or(DecisionStatus::Invalid, |s| s.status);
        let key = group_key(d);
        let at = key.and_then(|k| groups.get(&k).copied());
        let row = match at {
            Some(at) => &mut rows[at],
            None => {
                if let Some(k) = key {
                    groups.insert(k, rows.len());
                }
                rows.push(DecisionRow {
                    check: d.check.clone(),
                    title: report.result(&d.check).map(|r| r.title.clone()).unwrap_or_default(),
                    kind: d.kind,
                    targets: Vec::new(),
                    justification: d.justification.clone(),
                    due: d.due.clone(),
                    expires: d.expires.clone(),
                    recorded_at: d.recorded_at.clone(),
                    states: Vec::new(),
                    note: state.map(|s| s.note.clone()).unwrap_or_default(),
                    members: Vec::new(),
                });
                let last = rows.len() - 1;
                &mut rows[last]
            }
        };
        if let Some(t) = &d.target {
            row.targets.push(t.clone());
        }
        row.members.push(i);
        match row.states.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => row.states.push((status, 1)),
        }
    }
    for row in &mut rows {
        row.states.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    rows.sort_by(|a, b| {
        crate::catalog::compare_ids(&a.check, &b.check)
            .then_with(|| (!a.targets.is_empty()).cmp(&!b.targets.is_empty()))
            .then_with(|| a.members.first().cmp(&b.members.first()))
    });
    rows
}

/// The steps of signing a report off, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlowStep {
    /// Decide the open items.
    Decide,
    /// Read what is approved, excepted and open, and state the overall decision.
    Review,
    /// Sign the statement with an SSH key (outside the browser) and load the signed file back.
    Sign,
    /// Hand the sign-off over.
    Export,
}

impl FlowStep {
    pub const ALL: [FlowStep; 4] = [FlowStep::Decide, FlowStep::Review, FlowStep::Sign, FlowStep::Export];

    pub fn as_str(self) -> &'static str {
        match self {
            FlowStep::Decide => "decide",
            FlowStep::Review => "review",
            FlowStep::Sign => "sign",
            FlowStep::Export => "export",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FlowStep::Decide => "Decide",
            FlowStep::Review => "Review",
            FlowStep::Sign => "Sign",
            FlowStep::Export => "Export",
        }
    }

    /// 1-based position, for "step 2 of 4".
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// Where a reviewer coming to this sign-off picks up: open items first, then the statement,
    /// then the SSH signature, then handing it over.
    pub fn resume(signoff: &Signoff, eval: &Evaluation) -> FlowStep {
        match (&signoff.signature, &signoff.ssh_signature) {
            (Some(_), Some(_)) => FlowStep::Export,
            (Some(_), None) => FlowStep::Sign,
            (None, _) if eval.open().next().is_some() => FlowStep::Decide,
            (None, _) => FlowStep::Review,
        }
    }

    /// Whether the step is done, for the step list's marks.
    pub fn done(self, signoff: &Signoff, eval: &Evaluation) -> bool {
        match self {
            FlowStep::Decide => eval.open().next().is_none(),
            FlowStep::Review => signoff.signature.is_some(),
            FlowStep::Sign => signoff.ssh_signature.is_some(),
            FlowStep::Export => false,
        }
    }
}

/// What the sign-off makes of one result, for the check's detail; its `Display` is one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub original: Status,
    pub effective: EffectiveStatus,
    /// Offenders without a decision ("container db").
    pub open_targets: Vec<String>,
}

impl Standing {
    /// `result` as `eval` judges it; unchanged when the evaluation does not know the result.
    pub fn of(result: &CheckResult, eval: &Evaluation) -> Self {
        let effective = eval.result(&result.id);
        Standing {
            original: result.status,
            effective: effective.map_or(EffectiveStatus::Unchanged(result.status), |e| e.effective),
            open_targets: effective.map(EffectiveResult::open_target_labels).unwrap_or_default(),
        }
    }
}

impl fmt::Display for Standing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let open = &self.open_targets;
        match self.effective {
            EffectiveStatus::Unchanged(s) if !open.is_empty() => write!(
                f,
                "Still {}: {} undecided ({}).",
                s.label(),
                if open.len() == 1 {
                    "1 target is".to_string()
                } else {
                    format!("{} targets are", thousands(open.len()))
                },
                names_with_more(open, NAMES_SHOWN)
            ),
            EffectiveStatus::Unchanged(Status::Fail | Status::Warn | Status::Error) => {
                write!(f, "Still {}: no decision covers it.", self.original.label())
            }
            EffectiveStatus::Unchanged(Status::Manual) => f.write_str("Open: a person must verify this check."),
            EffectiveStatus::Unchanged(s) => {
                let label = s.label();
                let mut chars = label.chars();
                if let Some(first) = chars.next() {
                    write!(f, "{}", first.to_uppercase())?;
                }
                write!(f, "{}: nothing to decide.", chars.as_str())
            }
            other => write!(
                f,
                "Effective status: {} (originally {}).",
                other.label(),
                self.original.label()
            ),
        }
    }
}

/// How the evidence states the report's own digest check.
pub fn evidence_digest_note(check: &DigestCheck) -> String {
    match check {
        // "Intact", never "verified": an unkeyed digest says the file is unchanged, not who wrote it.
        DigestCheck::Valid(_) => "intact: the content matches the digest (this does not say who wrote it)".to_string(),
        DigestCheck::Mismatch { stored, .. } => {
            format!("MISMATCH: the file claims {stored}; the content was changed after it was written")
        }
        DigestCheck::Missing { .. } => "the report carries no digest".to_string(),
    }
}

/// One failed or manual check in the evidence, with the decisions taken about it.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRow<'a> {
    pub result: &'a CheckResult,
    pub effective: &'a EffectiveResult,
    pub decisions: Vec<(&'a Decision, &'a DecisionState)>,
}

/// Every result that failed (fail, warn, error) or needs a person (manual), in report order.
pub fn evidence_rows<'a>(report: &'a Report, signoff: &'a Signoff, eval: &'a Evaluation) -> Vec<EvidenceRow<'a>> {
    report
        .results
        .iter()
        .zip(&eval.results)
        .filter(|(r, _)| matches!(r.status, Status::Fail | Status::Warn | Status::Error | Status::Manual))
        .map(|(r, e)| EvidenceRow {
            result: r,
            effective: e,
            decisions: e
                .decisions
                .iter()
                .filter_map(|&i| Some((signoff.decisions.get(i)?, eval.decisions.get(i)?)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest;
    use crate::report::{Finding, Target, TargetKind};
    use crate::signoff::{DecisionKind, OverallDecision, Reviewer};
    use crate::test_support::report_with;
    use crate::view::state::{Action, ViewerState};

    fn container(name: &str) -> Finding {
        Finding {
            target: Target::new(TargetKind::Container, format!("id-{name}"), name),
            message: format!("{name} has no memory limit"),
            observed: String::new(),
            expected: String::new(),
            remediation: String::new(),
        }
    }

    fn sealed(host: &str, at: &str, extra: Vec<Finding>) -> String {
        let mut findings = vec![container("web"), container("db")];
        findings.extend(extra);
        let mut r = report_with(vec![
            ("5.4", Status::Pass, vec![]),
            ("5.9", Status::Manual, vec![]),
            ("5.11", Status::Fail, findings),
        ]);
        r.host.hostname = Some(host.into());
        r.run.started_at = at.into();
        digest::seal(&r).unwrap().0
    }

    fn opened(text: &str) -> ViewerState {
        ViewerState::default().reduce(Action::FileRead {
            name: "r.json".into(),
            text: text.into(),
        })
    }

    fn act(s: ViewerState, a: SignoffAction) -> ViewerState {
        s.reduce(Action::Signoff(a))
    }

    fn record(check: &str, target: Option<&str>, kind: DecisionKind) -> SignoffAction {
        let target = target.map(|n| TargetRef::of(&container(n).target));
        SignoffAction::Record {
            decision: Decision::new(check, target, kind, "agreed with ops"),
            today: "2026-02-01".into(),
        }
    }

    /// Marks the active report's (empty) stored draft as read back.
    fn restored(s: ViewerState) -> ViewerState {
        let digest = digest_of(&s);
        act(s, SignoffAction::Restored { digest, text: None })
    }

    fn digest_of(s: &ViewerState) -> String {
        report_digest(s.active().unwrap()).to_string()
    }

    fn signature(decision: OverallDecision) -> Signature {
        Signature {
            reviewer: Reviewer {
                name: "Ada".into(),
                role: "CISO".into(),
                email: None,
            },
            signed_at: "2026-02-01T10:00:00Z".into(),
            decision,
            comment: String::new(),
        }
    }

    #[test]
    fn nothing_is_stored_before_the_saved_draft_was_read_back() {
        let s = opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![]));
        let d = digest_of(&s);
        assert_eq!(s.signoff.persist(&d), Persist::Keep);
        assert_eq!(s.signoff.needs_restore(s.active().unwrap()), Some(d.as_str()));
        // A saved draft comes back.
        let mut saved = Signoff::new(BoundReport::of(&s.active().unwrap().report, &d));
        saved.record(Decision::new("5.11", None, DecisionKind::RiskAccepted, "saved"));
        let s = act(
            s,
            SignoffAction::Restored {
                digest: d.clone(),
                text: Some(serde_json::to_string(&saved).unwrap()),
            },
        );
        assert_eq!(s.signoff.draft(&d), Some(&saved));
        assert!(matches!(s.signoff.persist(&d), Persist::Write(k, _) if k == d));
        let s = act(s, SignoffAction::Clear);
        assert_eq!(s.signoff.persist(&d), Persist::Remove(d.clone()));
    }

    #[test]
    fn recording_validates_and_the_evaluation_follows() {
        let s = opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![]));
        let s = restored(s);
        let mut bad = Decision::new("5.11", None, DecisionKind::RiskAccepted, "x");
        bad.expires = Some("2026-01-01".into());
        let s = act(
            s,
            SignoffAction::Record {
                decision: bad,
                today: "2026-02-01".into(),
            },
        );
        assert!(s.signoff.message.as_ref().unwrap().error);
        let s = act(s, record("5.11", Some("web"), DecisionKind::RiskAccepted));
        let eval = s.signoff.evaluate(s.active().unwrap(), "2026-02-01").unwrap();
        assert_eq!(eval.result("5.11").unwrap().open_targets.len(), 1);
        let s = act(s, record("5.11", Some("db"), DecisionKind::FalsePositive));
        let eval = s.signoff.evaluate(s.active().unwrap(), "2026-02-01").unwrap();
        assert_eq!(eval.result("5.11").unwrap().effective, EffectiveStatus::Excepted);
        let open: Vec<String> = eval.open().map(|e| e.id.clone()).collect();
        assert_eq!(open, ["5.9"]);
        let signoff = s.signoff.signoff_for(s.active().unwrap());
        let summary = signing_summary(&s.active().unwrap().report, &signoff, &eval);
        assert_eq!(summary.excepted.len(), 1);
        assert_eq!(summary.excepted[0].until, "no end date");
        assert_eq!(summary.open.len(), 1);
        let rows = evidence_rows(&s.active().unwrap().report, &signoff, &eval);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].decisions.len(), 2);
    }

    #[test]
    fn the_standing_of_a_result_is_one_sentence() {
        let s = restored(opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![])));
        let standing = |s: &ViewerState, id: &str| {
            let loaded = s.active().unwrap();
            let eval = s.signoff.evaluate(loaded, "2026-02-01").unwrap();
            Standing::of(loaded.report.result(id).unwrap(), &eval)
        };
        let text = |s: &ViewerState, id: &str| standing(s, id).to_string();
        assert_eq!(text(&s, "5.4"), "Pass: nothing to decide.");
        assert_eq!(text(&s, "5.9"), "Open: a person must verify this check.");
        assert_eq!(
            text(&s, "5.11"),
            "Still fail: 2 targets are undecided (container web, container db)."
        );
        let s = act(s, record("5.11", Some("web"), DecisionKind::RiskAccepted));
        assert_eq!(text(&s, "5.11"), "Still fail: 1 target is undecided (container db).");
        assert_eq!(standing(&s, "5.11").effective, EffectiveStatus::Unchanged(Status::Fail));
        let s = act(s, record("5.11", Some("db"), DecisionKind::RiskAccepted));
        assert_eq!(text(&s, "5.11"), "Effective status: excepted (originally fail).");
        assert!(standing(&s, "5.11").open_targets.is_empty());

        let r = report_with(vec![("2.2", Status::Fail, vec![])]);
        let eval = evaluate_decisions(&r, &[], Date::parse("2026-02-01").unwrap());
        assert_eq!(
            Standing::of(&r.results[0], &eval).to_string(),
            "Still fail: no decision covers it."
        );
    }

    #[test]
    fn the_evidence_states_the_digest_check() {
        let d = "sha256:ab".to_string();
        assert_eq!(
            evidence_digest_note(&DigestCheck::Valid(d.clone())),
            "intact: the content matches the digest (this does not say who wrote it)"
        );
        assert_eq!(
            evidence_digest_note(&DigestCheck::Mismatch {
                stored: "sha256:00".into(),
                computed: d.clone()
            }),
            "MISMATCH: the file claims sha256:00; the content was changed after it was written"
        );
        assert_eq!(
            evidence_digest_note(&DigestCheck::Missing { computed: d }),
            "the report carries no digest"
        );
    }

    #[test]
    fn signing_needs_every_open_item_decided_unless_rejected() {
        let s = opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![]));
        let s = restored(s);
        let s = act(s, record("5.11", None, DecisionKind::RiskAccepted));
        let s = act(
            s,
            SignoffAction::Sign {
                signature: signature(OverallDecision::ApprovedWithExceptions),
            },
        );
        let msg = s.signoff.message.clone().unwrap();
        assert!(msg.error && msg.text.contains("1 still open"), "{}", msg.text);
        let s = act(s, record("5.9", None, DecisionKind::VerifiedPass));
        let s = act(
            s,
            SignoffAction::Sign {
                signature: signature(OverallDecision::Approved),
            },
        );
        assert!(s.signoff.message.as_ref().unwrap().text.contains("excepted"));
        let s = act(
            s,
            SignoffAction::Sign {
                signature: signature(OverallDecision::ApprovedWithExceptions),
            },
        );
        let d = digest_of(&s);
        assert!(s.signoff.draft(&d).unwrap().signature.is_some());
        // A change voids the signature.
        let s = act(s, record("5.11", None, DecisionKind::CompensatingControl));
        assert!(s.signoff.draft(&d).unwrap().signature.is_none());
        assert!(s.signoff.message.as_ref().unwrap().text.contains("sign again"));
    }

    #[test]
    fn export_then_import_restores_and_another_report_is_refused() {
        let monday = sealed("node-1", "2026-01-05T10:00:00Z", vec![]);
        let s = opened(&monday);
        let s = restored(s);
        let s = act(s, record("5.11", Some("web"), DecisionKind::RiskAccepted));
        let s = act(s, record("5.11", Some("db"), DecisionKind::RiskAccepted));
        let (name, text, _) = s.signoff.export(s.active().unwrap());
        assert_eq!(name, "signoff-node-1-2026-01-05.json");
        let d = digest_of(&s);
        let s = act(s, SignoffAction::Clear);
        assert!(s.signoff.draft(&d).is_none());
        let s = act(
            s,
            SignoffAction::Import {
                name: name.clone(),
                text: text.clone(),
                today: "2026-02-01".into(),
            },
        );
        assert_eq!(s.signoff.draft(&d).unwrap().decisions.len(), 2);

        // Tuesday: same host, newer, cache is a new offender; web is gone.
        let tuesday = {
            let mut r: Report =
                serde_json::from_str(&sealed("node-1", "2026-01-06T10:00:00Z", vec![container("cache")])).unwrap();
            r.results[2].findings.remove(0);
            r.refresh_summary();
            digest::seal(&r).unwrap().0
        };
        let t = opened(&tuesday);
        let t = act(
            t,
            SignoffAction::Import {
                name: name.clone(),
                text: text.clone(),
                today: "2026-02-01".into(),
            },
        );
        let msg = t.signoff.message.clone().unwrap();
        let td = digest_of(&t);
        assert!(
            msg.error && msg.text.contains(&d) && msg.text.contains(&td),
            "{}",
            msg.text
        );
        assert!(t.signoff.draft(&td).is_none(), "nothing applied silently");
        let carry = t.signoff.carry.clone().unwrap();
        assert_eq!(carry.carry.offers.len(), 1);
        assert_eq!(carry.carry.obsolete.len(), 1);
        let t = act(
            t,
            SignoffAction::Reapprove {
                index: 0,
                now: "2026-02-01T09:00:00Z".into(),
            },
        );
        let draft = t.signoff.draft(&td).unwrap();
        assert_eq!(draft.decisions.len(), 1);
        assert_eq!(draft.decisions[0].recorded_at.as_deref(), Some("2026-02-01T09:00:00Z"));

        // Another host: refused naming both digests, nothing offered; an edited file is refused too.
        let other = opened(&sealed("node-2", "2026-01-06T10:00:00Z", vec![]));
        let o = act(
            other.clone(),
            SignoffAction::Import {
                name: name.clone(),
                text: text.clone(),
                today: "2026-02-01".into(),
            },
        );
        let msg = o.signoff.message.clone().unwrap();
        assert!(
            msg.text.contains(&d) && msg.text.contains(&digest_of(&o)),
            "{}",
            msg.text
        );
        assert!(msg.text.contains("host node-2"), "{}", msg.text);
        assert!(o.signoff.carry.is_none());
        let o = act(
            other,
            SignoffAction::Import {
                name,
                text: text.replace("agreed", "Agreed"),
                today: "2026-02-01".into(),
            },
        );
        assert!(o
            .signoff
            .message
            .unwrap()
            .text
            .contains("changed after it was exported"));
    }

    #[test]
    fn a_linked_sign_off_is_imported_once_its_report_is_loaded() {
        let monday = sealed("node-1", "2026-01-05T10:00:00Z", vec![]);
        let s = opened(&monday);
        let s = restored(s);
        let s = act(s, record("5.11", None, DecisionKind::RiskAccepted));
        let (_, text, _) = s.signoff.export(s.active().unwrap());

        let s = ViewerState::from_query("report=r.json&view=evidence&signoff=so.json");
        assert_eq!(s.signoff.pending_fetch(), Some("so.json"));
        let s = act(
            s,
            SignoffAction::LinkFetched {
                text,
                today: "2026-02-01".into(),
            },
        );
        assert_eq!(s.query(), "report=r.json&view=evidence&signoff=so.json");
        let s = s.reduce(Action::Fetched { index: 0, text: monday });
        let d = digest_of(&s);
        assert_eq!(s.signoff.draft(&d).unwrap().decisions.len(), 1);
        assert_eq!(s.query(), "report=r.json&view=evidence");
    }

    #[test]
    fn an_imported_ssh_signed_signoff_is_verified_against_the_allowed_signers() {
        use crate::sshsig::{SignatureState, NS_SIGNOFF};
        use ssh_key::private::{Ed25519Keypair, KeypairData};
        let key = ssh_key::PrivateKey::new(KeypairData::Ed25519(Ed25519Keypair::from_seed(&[3; 32])), "k").unwrap();
        let r = report_with(vec![("5.4", Status::Fail, vec![])]);
        let loaded = LoadedReport::parse("r.json", &digest::seal(&r).unwrap().0).unwrap();
        let mut so = Signoff::new(BoundReport::of(&loaded.report, loaded.digest.computed()));
        so.signature = Some(crate::signoff::Signature {
            reviewer: crate::signoff::Reviewer {
                name: "Ada".into(),
                role: "CISO".into(),
                email: None,
            },
            signed_at: "2026-01-07T12:00:00Z".into(),
            decision: crate::signoff::OverallDecision::Rejected,
            comment: String::new(),
        });
        let mut v = serde_json::to_value(&so).unwrap();
        v.as_object_mut().unwrap().remove("digest");
        let (signed, _) = sshsig::sign_document(v, &key, NS_SIGNOFF).unwrap();
        let now = 1_800_000_000;
        let mut st = SignoffState::default();
        st.reduce(
            SignoffAction::Import {
                name: "s.json".into(),
                text: signed.clone(),
                today: "2026-02-01".into(),
            },
            Some(&loaded),
        );
        // Without allowed signers: not allowed, never "signed by".
        assert_eq!(st.signoff_signature(&loaded, now).state(), SignatureState::NotAllowed);
        let allowed = format!("ada@example.org {}", key.public_key().to_openssh().unwrap());
        st.reduce(
            SignoffAction::AllowedSigners {
                name: "allowed_signers".into(),
                text: allowed,
            },
            None,
        );
        assert!(st.message.as_ref().unwrap().text.contains("ada@example.org"));
        let status = st.signoff_signature(&loaded, now);
        assert!(status.is_verified(), "{status:?}");
        assert!(status.describe().starts_with("signed by ada@example.org (SHA256:"));
        // One changed byte: imported, and shown as invalid.
        st.reduce(
            SignoffAction::Import {
                name: "s.json".into(),
                text: signed.replacen("\"Ada\"", "\"Adb\"", 1),
                today: "2026-02-01".into(),
            },
            Some(&loaded),
        );
        assert_eq!(st.signoff_signature(&loaded, now).state(), SignatureState::Invalid);
        // An unsigned report is unsigned.
        assert_eq!(st.report_signature(&loaded, now).state(), SignatureState::Unsigned);
    }

    /// The case the signing summary missed: a false positive for one target of a check that still
    /// fails for another is neither approved, excepted nor "not applied", yet it is a decision.
    #[test]
    fn the_decisions_table_lists_a_per_target_false_positive_of_a_still_failing_check() {
        let s = restored(opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![])));
        let s = act(s, record("5.11", Some("web"), DecisionKind::FalsePositive));
        let loaded = s.active().unwrap();
        let eval = s.signoff.evaluate(loaded, "2026-02-01").unwrap();
        let signoff = s.signoff.signoff_for(loaded);
        let summary = signing_summary(&loaded.report, &signoff, &eval);
        let elsewhere = summary.approved.len() + summary.excepted.len() + summary.not_applied.len();
        assert_eq!(elsewhere, 0, "the summary before signing shows it nowhere");
        assert!(eval.result("5.11").unwrap().is_open());

        let rows = decision_table(&loaded.report, &signoff, &eval);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.check.as_str(), row.kind), ("5.11", DecisionKind::FalsePositive));
        assert_eq!(row.scope_label(), "container web");
        assert_eq!(row.state_label(), "applied");
        assert_eq!(row.justification, "agreed with ops");
        assert_eq!(row.members, [0]);
    }

    #[test]
    fn a_bulk_decision_is_one_entry_with_its_count_and_is_removed_as_one() {
        let many: Vec<Finding> = (1..=5).map(|i| container(&format!("web-{i}"))).collect();
        let s = restored(opened(&sealed("node-1", "2026-01-05T10:00:00Z", many)));
        let loaded = s.active().unwrap();
        let result = loaded.report.result("5.11").unwrap().clone();
        let mut template = Decision::new("5.11", None, DecisionKind::RiskAccepted, "web tier capped by cgroup");
        template.expires = Some("2026-06-30".into());
        template.recorded_at = Some("2026-02-01T09:00:00.000Z".into());
        let pattern = crate::signoff::bulk::NamePattern::parse("web-*").unwrap();
        let decisions = crate::signoff::bulk::expand(
            &result,
            &pattern.into(),
            &crate::signoff::bulk::LabelIndex::default(),
            &template,
        )
        .unwrap();
        let s = act(
            s,
            SignoffAction::RecordMany {
                decisions,
                replaces: vec![],
                today: "2026-02-01".into(),
            },
        );
        let s = act(s, record("5.11", Some("db"), DecisionKind::RiskAccepted));
        let loaded = s.active().unwrap();
        let eval = s.signoff.evaluate(loaded, "2026-02-01").unwrap();
        let signoff = s.signoff.signoff_for(loaded);
        assert_eq!(signoff.decisions.len(), 6);
        let rows = decision_table(&loaded.report, &signoff, &eval);
        assert_eq!(rows.len(), 2, "{rows:#?}");
        assert_eq!(rows[0].targets.len(), 5);
        assert_eq!(rows[0].scope_label(), "5 containers: web-1, web-2, web-3 and 2 more");
        assert_eq!(rows[0].state_label(), "applied");
        assert_eq!(rows[1].scope_label(), "container db");
        // "web-*" does not match "web": it stays the one undecided offender.
        assert_eq!(eval.result("5.11").unwrap().open_target_labels(), ["container web"]);

        // Editing the entry rewrites all five; removing it removes all five and nothing else.
        let edited = rows[0].edited(
            DecisionKind::CompensatingControl,
            "seccomp",
            "",
            "2026-07-31",
            "2026-02-02T00:00:00Z",
        );
        let s = act(
            s,
            SignoffAction::RecordMany {
                decisions: edited,
                replaces: rows[0].scopes(),
                today: "2026-02-01".into(),
            },
        );
        let signoff = s.signoff.signoff_for(s.active().unwrap());
        assert_eq!(signoff.decisions.len(), 6);
        assert_eq!(
            signoff
                .decisions
                .iter()
                .filter(|d| d.kind == DecisionKind::CompensatingControl)
                .count(),
            5
        );
        let eval = s.signoff.evaluate(s.active().unwrap(), "2026-02-01").unwrap();
        let rows = decision_table(&s.active().unwrap().report, &signoff, &eval);
        let bulk = rows.iter().find(|r| r.targets.len() == 5).unwrap();
        assert_eq!(bulk.kind, DecisionKind::CompensatingControl);
        let s = act(s, SignoffAction::RemoveMany { scopes: bulk.scopes() });
        let signoff = s.signoff.signoff_for(s.active().unwrap());
        assert_eq!(signoff.decisions.len(), 1);
        assert_eq!(signoff.decisions[0].target.as_ref().unwrap().key, "db");
    }

    #[test]
    fn a_bulk_entry_counts_its_states() {
        let s = restored(opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![])));
        let mut d = Decision::new("5.11", None, DecisionKind::RiskAccepted, "x");
        d.recorded_at = Some("2026-02-01T09:00:00.000Z".into());
        let decisions: Vec<Decision> = ["web", "db", "gone"]
            .iter()
            .map(|n| Decision {
                target: Some(TargetRef::of(&container(n).target)),
                ..d.clone()
            })
            .collect();
        let s = act(
            s,
            SignoffAction::RecordMany {
                decisions,
                replaces: vec![],
                today: "2026-02-01".into(),
            },
        );
        let loaded = s.active().unwrap();
        let eval = s.signoff.evaluate(loaded, "2026-02-01").unwrap();
        let rows = decision_table(&loaded.report, &s.signoff.signoff_for(loaded), &eval);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].state_label(), "2 applied · 1 obsolete");
        assert_eq!(rows[0].main_state(), DecisionStatus::Applied);
    }

    #[test]
    fn status_lines_count_instead_of_listing_thousands() {
        let names: Vec<String> = (0..2000).map(|i| format!("container web-{i:04}")).collect();
        assert_eq!(
            names_with_more(&names, 3),
            "container web-0000, container web-0001, container web-0002 and 1,997 more"
        );
        assert_eq!(
            names_with_more(&names[..2], 3),
            "container web-0000, container web-0001"
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(42_000), "42,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let standing = Standing {
            original: Status::Fail,
            effective: EffectiveStatus::Unchanged(Status::Fail),
            open_targets: names,
        };
        let line = standing.to_string();
        assert!(line.len() < 200, "{line}");
        assert!(line.starts_with("Still fail: 2,000 targets are undecided"), "{line}");
    }

    #[test]
    fn the_flow_resumes_where_the_reviewer_left_it() {
        let s = restored(opened(&sealed("node-1", "2026-01-05T10:00:00Z", vec![])));
        let step = |s: &ViewerState| {
            let loaded = s.active().unwrap();
            let eval = s.signoff.evaluate(loaded, "2026-02-01").unwrap();
            FlowStep::resume(&s.signoff.signoff_for(loaded), &eval)
        };
        assert_eq!(step(&s), FlowStep::Decide);
        let s = act(s, record("5.11", None, DecisionKind::RiskAccepted));
        let s = act(s, record("5.9", None, DecisionKind::VerifiedPass));
        assert_eq!(step(&s), FlowStep::Review);
        let s = act(
            s,
            SignoffAction::Sign {
                signature: signature(OverallDecision::ApprovedWithExceptions),
            },
        );
        assert_eq!(step(&s), FlowStep::Sign);
        assert_eq!(FlowStep::ALL.map(FlowStep::number), [1, 2, 3, 4]);
    }
}
