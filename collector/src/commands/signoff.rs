//! `dockaudit signoff verify|apply`: what an auditor runs on a report and its sign-off.
//!
//! `verify` answers three questions in order: is the report what the collector wrote (its own
//! digest), is the sign-off what the reviewer exported (its digest) and signed, and is it bound to
//! this report. Any "no" makes the pair invalid (exit 2). Otherwise the decisions are judged
//! against today's date — an expired exception no longer counts — and the effective summary is
//! printed: exit 0 when no effective failure remains, 1 when some do.
//!
//! The rules are `dockaudit_shared::signoff`'s ([`verify::problems`], [`evaluate`], [`apply`]);
//! this module reads the files, renders the outcome and picks the exit code.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use dockaudit_shared::digest::{DigestCheck, DigestState};
use dockaudit_shared::load::Loaded;
use dockaudit_shared::signoff::apply::apply;
use dockaudit_shared::signoff::effective::{evaluate, DecisionStatus, Evaluation};
use dockaudit_shared::signoff::load::{load_signoff, LoadedSignoff};
use dockaudit_shared::signoff::verify::{self, Problem};
use dockaudit_shared::signoff::Signoff;
use serde::Serialize;

use super::{load_report, read_text, write_output, EXIT_ERROR, EXIT_FINDINGS};
use crate::cli::{ListFormat, SignoffApplyArgs, SignoffCommand, SignoffVerifyArgs};

pub fn run(cmd: SignoffCommand) -> Result<ExitCode> {
    match cmd {
        SignoffCommand::Verify(args) => verify(&args),
        SignoffCommand::Apply(args) => apply_cmd(&args),
    }
}

/// Today's date (UTC) as YYYY-MM-DD: expiry is judged on the day of verification.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn read_signoff(path: &Path) -> Result<LoadedSignoff> {
    let text = read_text(path)?;
    load_signoff(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[derive(Serialize)]
struct VerifyJson<'a> {
    valid: bool,
    exit_code: u8,
    today: &'a str,
    report_digest: &'a str,
    signoff_digest: &'a str,
    problems: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<&'a dockaudit_shared::signoff::Signature>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_score: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_score: Option<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_counts: Option<&'a dockaudit_shared::summary::StatusCounts>,
    decisions: Vec<DecisionJson<'a>>,
    failures: Vec<FailureJson>,
    open_manual: Vec<String>,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    check: &'a str,
    target: Option<String>,
    kind: &'a str,
    status: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
struct FailureJson {
    check: String,
    status: String,
    open_targets: Vec<String>,
}

fn verify(args: &SignoffVerifyArgs) -> Result<ExitCode> {
    let report = load_report(&args.report)?;
    let signoff = read_signoff(&args.signoff)?;
    let today = today();
    let problems = verify::problems(&report.digest, &signoff);
    let eval = if problems.is_empty() {
        Some(evaluate(
            &report.report,
            report.digest.computed(),
            &signoff.signoff,
            &today,
        )?)
    } else {
        None
    };
    let code = match &eval {
        None => EXIT_ERROR,
        Some(e) if e.failures().next().is_some() => EXIT_FINDINGS,
        Some(_) => 0,
    };
    let text = match args.format {
        ListFormat::Text => render_text(args, &report, &signoff, &problems, eval.as_ref(), code),
        ListFormat::Json => {
            let s = &signoff.signoff;
            let json = VerifyJson {
                valid: problems.is_empty(),
                exit_code: code,
                today: &today,
                report_digest: report.digest.computed(),
                signoff_digest: signoff.content_digest(),
                problems: problems.iter().map(ToString::to_string).collect(),
                signature: s.signature.as_ref(),
                raw_score: eval.as_ref().map(|e| e.raw.score.value),
                effective_score: eval.as_ref().map(|e| e.effective.score.value),
                effective_counts: eval.as_ref().map(|e| &e.effective.counts),
                decisions: eval.as_ref().map(|e| decisions_json(s, e)).unwrap_or_default(),
                failures: eval.as_ref().map(failures_json).unwrap_or_default(),
                open_manual: eval
                    .as_ref()
                    .map(|e| e.open_manual().map(|r| r.id.clone()).collect())
                    .unwrap_or_default(),
            };
            serde_json::to_string_pretty(&json)? + "\n"
        }
    };
    write_output(None, &text)?;
    if code == EXIT_ERROR {
        for p in &problems {
            eprintln!("dockaudit: invalid: {p}");
        }
    }
    Ok(ExitCode::from(code))
}

fn decisions_json<'a>(s: &'a Signoff, e: &'a Evaluation) -> Vec<DecisionJson<'a>> {
    e.with_states(&s.decisions)
        .map(|(d, st)| DecisionJson {
            check: &d.check,
            target: d.target.as_ref().map(|t| t.label()),
            kind: d.kind.as_str(),
            status: st.status.as_str(),
            note: &st.note,
        })
        .collect()
}

fn failures_json(e: &Evaluation) -> Vec<FailureJson> {
    e.failures()
        .map(|r| FailureJson {
            check: r.id.clone(),
            status: r.effective.status().as_str().to_string(),
            open_targets: r.open_target_labels(),
        })
        .collect()
}

fn render_text(
    args: &SignoffVerifyArgs,
    report: &Loaded,
    signoff: &LoadedSignoff,
    problems: &[Problem],
    eval: Option<&Evaluation>,
    code: u8,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let s = &signoff.signoff;
    let state = |d: &DigestCheck| match d.state() {
        DigestState::Valid => "verified",
        DigestState::Mismatch => "MISMATCH",
        DigestState::Missing => "missing",
    };
    let _ = writeln!(
        out,
        "report   {} — {} ({})",
        args.report.display(),
        report.digest.computed(),
        state(&report.digest)
    );
    let host = report.report.host.hostname.as_deref().unwrap_or("unknown host");
    let _ = writeln!(
        out,
        "         {host}, run {} at {}",
        report.report.run.id, report.report.run.started_at
    );
    let _ = writeln!(
        out,
        "sign-off {} — {} ({})",
        args.signoff.display(),
        signoff.content_digest(),
        state(&signoff.digest)
    );
    let _ = writeln!(out, "         bound to {}", s.report.digest);
    match &s.signature {
        Some(sig) => {
            let email = sig
                .reviewer
                .email
                .as_deref()
                .map(|e| format!(", {e}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "         signed by {} ({}{email}) at {}: {}",
                sig.reviewer.name,
                sig.reviewer.role,
                sig.signed_at,
                sig.decision.label()
            );
            if !sig.comment.is_empty() {
                let _ = writeln!(out, "         comment: {}", sig.comment);
            }
        }
        None => {
            let _ = writeln!(out, "         not signed (draft)");
        }
    }
    if !problems.is_empty() {
        let _ = writeln!(out, "\nINVALID");
        for p in problems {
            let _ = writeln!(out, "  - {p}");
        }
        return out;
    }
    let Some(eval) = eval else { return out };
    let _ = writeln!(
        out,
        "\nDecisions on {}: {} applied, {} expired, {} overdue, {} obsolete, {} not needed",
        eval.today,
        eval.count(DecisionStatus::Applied),
        eval.count(DecisionStatus::Expired),
        eval.count(DecisionStatus::Overdue),
        eval.count(DecisionStatus::Obsolete),
        eval.count(DecisionStatus::NotNeeded)
    );
    for (d, st) in eval.with_states(&s.decisions) {
        let until = d.expires.as_deref().map(|e| format!(" until {e}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{:<10}] {} — {}{until}: {} — {}",
            st.status.as_str(),
            d.scope_label(),
            d.kind.label(),
            d.justification,
            st.note
        );
    }
    let lapsed: Vec<String> = eval
        .with_states(&s.decisions)
        .filter(|(_, st)| st.status.is_lapsed())
        .map(|(d, st)| format!("{}: {}", d.scope_label(), st.note))
        .collect();
    if !lapsed.is_empty() {
        let _ = writeln!(out, "Expired decisions no longer apply:");
        for l in &lapsed {
            let _ = writeln!(out, "  - {l}");
        }
    }
    let c = &eval.effective.counts;
    let _ = writeln!(
        out,
        "\nScore: raw {} → effective {}",
        eval.raw.score.display(),
        eval.effective.score.display()
    );
    let _ = writeln!(
        out,
        "Effective: {} pass, {} fail, {} warn, {} info, {} manual, {} not applicable, {} error, {} skipped",
        c.pass, c.fail, c.warn, c.info, c.manual, c.not_applicable, c.error, c.skipped
    );
    let failures = failures_json(eval);
    if failures.is_empty() {
        let _ = writeln!(out, "\nVALID — no effective failure remains");
    } else {
        let _ = writeln!(out, "Effective failures:");
        for f in &failures {
            let targets = if f.open_targets.is_empty() {
                String::new()
            } else {
                format!(" — undecided: {}", f.open_targets.join(", "))
            };
            let _ = writeln!(out, "  - {} {}{targets}", f.check, f.status);
        }
        let _ = writeln!(
            out,
            "\nVALID — {} effective failure(s) remain (exit {code})",
            failures.len()
        );
    }
    out
}

fn apply_cmd(args: &SignoffApplyArgs) -> Result<ExitCode> {
    let report = load_report(&args.report)?;
    let signoff = read_signoff(&args.signoff)?;
    let problems = verify::problems(&report.digest, &signoff);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("dockaudit: invalid: {p}");
        }
        eprintln!("dockaudit: error: the sign-off was not applied");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let today = today();
    let out = apply(
        &report.report,
        report.digest.computed(),
        &signoff.signoff,
        signoff.content_digest(),
        &today,
    )?;
    let (text, digest) = dockaudit_shared::digest::seal(&out).context("cannot serialise the effective report")?;
    super::Output::file(&args.output)
        .reading(&[&args.report, &args.signoff])
        .write(&(text + "\n"))?;
    let applied = out.signoff.as_ref().map(|s| s.changes.len()).unwrap_or(0);
    eprintln!(
        "dockaudit: wrote {} ({applied} status(es) changed; score {} → {}; {digest}; original {})",
        args.output.display(),
        out.signoff
            .as_ref()
            .map(|s| s.raw_summary.score.display())
            .unwrap_or_default(),
        out.summary.score.display(),
        report.digest.computed()
    );
    Ok(ExitCode::SUCCESS)
}
