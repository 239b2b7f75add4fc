//! `dockaudit signoff sign|canonical|verify|apply`: what a reviewer and an auditor run.
//!
//! `sign` adds the reviewer's SSH signature (SSHSIG, namespace `dockaudit-signoff`) over the bytes
//! `canonical` prints. `verify` asks, in order: did an allowed reviewer sign it (against the
//! auditor's `allowed_signers`), is it intact, is the report intact (and validly signed when it
//! is signed) and is the sign-off bound to it. Any "no" is one outcome with its own exit code
//! (3 unsigned, 4 invalid, 5 signer not allowed, 6 outside the key's validity, 7 report mismatch);
//! only a verified pair prints "VALID", judges the decisions against today's date and exits 0 (no
//! effective failure) or 1. Every string from the files goes through [`clean`].
//!
//! The rules are `dockaudit_shared::signoff`'s and `dockaudit_shared::sshsig`'s ([`verify::verify`],
//! [`evaluate`], [`apply`]); this module reads the files, renders the outcome and picks the exit code.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use dockaudit_shared::digest::DigestCheck;
use dockaudit_shared::load::Loaded;
use dockaudit_shared::signoff::apply::apply;
use dockaudit_shared::signoff::date::timestamp_seconds;
use dockaudit_shared::signoff::effective::{evaluate, DecisionStatus, Evaluation};
use dockaudit_shared::signoff::load::{load_signoff, LoadedSignoff};
use dockaudit_shared::signoff::verify::{self, Verdict};
use dockaudit_shared::signoff::{Signoff, SIGNOFF_SCHEMA_VERSION};
use dockaudit_shared::sshsig::{self, SignatureStatus};
use serde::Serialize;

use super::verify::{now_unix, print_warnings, read_allowed_signers};
use super::{load_report, read_text, write_output, EXIT_FINDINGS};
use crate::cli::{CanonicalArgs, ListFormat, SignoffApplyArgs, SignoffCommand, SignoffSignArgs, SignoffVerifyArgs};
use crate::output::style::clean;

pub fn run(cmd: SignoffCommand) -> Result<ExitCode> {
    match cmd {
        SignoffCommand::Verify(args) => verify(&args),
        SignoffCommand::Apply(args) => apply_cmd(&args),
        SignoffCommand::Sign(args) => sign_cmd(&args),
        SignoffCommand::Canonical(args) => canonical_cmd(&args),
    }
}

/// Today's date (UTC) as YYYY-MM-DD: expiry is judged on the day of verification.
fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn read_signoff(path: &Path) -> Result<LoadedSignoff> {
    let text = super::read_input(path, dockaudit_shared::limits::InputKind::Signoff)?;
    load_signoff(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[derive(Serialize)]
struct VerifyJson<'a> {
    valid: bool,
    outcome: &'static str,
    exit_code: u8,
    why: String,
    today: &'a str,
    report_digest: &'a str,
    signoff_digest: &'a str,
    problems: Vec<String>,
    signoff_signature: SignatureJson,
    report_signature: SignatureJson,
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
    print_warnings(&args.report, &report.warnings);
    let signoff = read_signoff(&args.signoff)?;
    let allowed = read_allowed_signers(&args.allowed_signers)?;
    let today = today();
    let verdict = verify::verify(&report, &signoff, &allowed, now_unix());
    let eval = if verdict.is_valid() {
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
        None => verdict.outcome.exit_code(),
        Some(e) if e.failures().next().is_some() => EXIT_FINDINGS,
        Some(_) => 0,
    };
    let text = match args.format {
        ListFormat::Text => render_text(args, &report, &signoff, &verdict, eval.as_ref(), code),
        ListFormat::Json => {
            let s = &signoff.signoff;
            let json = VerifyJson {
                valid: verdict.is_valid(),
                outcome: verdict.outcome.word(),
                exit_code: code,
                why: verdict.why(),
                today: &today,
                report_digest: report.digest.computed(),
                signoff_digest: signoff.content_digest(),
                problems: verdict.problems.iter().map(ToString::to_string).collect(),
                signoff_signature: SignatureJson::of(&verdict.signoff_signature),
                report_signature: SignatureJson::of(&verdict.report_signature),
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
    if !verdict.is_valid() {
        print_problems(&verdict);
    }
    Ok(ExitCode::from(code))
}

#[derive(Serialize)]
struct SignatureJson {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
    detail: String,
}

impl SignatureJson {
    fn of(s: &SignatureStatus) -> Self {
        SignatureJson {
            state: s.state().as_str(),
            principal: match s {
                SignatureStatus::Verified { principal, .. } | SignatureStatus::OutsideValidity { principal, .. } => {
                    Some(principal.clone())
                }
                _ => None,
            },
            fingerprint: s.fingerprint().map(str::to_string),
            detail: s.describe(),
        }
    }
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
    verdict: &Verdict,
    eval: Option<&Evaluation>,
    code: u8,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let s = &signoff.signoff;
    let _ = writeln!(
        out,
        "report   {} — {} ({})",
        clean(&args.report.display().to_string()),
        clean(report.digest.computed()),
        report.digest.state().label()
    );
    let host = report.report.host.hostname.as_deref().unwrap_or("unknown host");
    let _ = writeln!(
        out,
        "         {}, run {} at {}",
        clean(host),
        clean(&report.report.run.id),
        clean(&report.report.run.started_at)
    );
    let _ = writeln!(out, "         {}", clean(&verdict.report_signature.describe()));
    let _ = writeln!(
        out,
        "sign-off {} — {} ({}, schema {})",
        clean(&args.signoff.display().to_string()),
        clean(signoff.content_digest()),
        signoff.digest.state().label(),
        s.schema_version
    );
    let _ = writeln!(out, "         bound to {}", clean(&s.report.digest));
    let _ = writeln!(out, "         {}", clean(&verdict.signoff_signature.describe()));
    match &s.signature {
        Some(sig) => {
            let email = sig
                .reviewer
                .email
                .as_deref()
                .map(|e| format!(", {}", clean(e)))
                .unwrap_or_default();
            // The statement is the reviewer's claim; only the SSH signature above says who signed.
            let _ = writeln!(
                out,
                "         statement: {} ({}{email}) at {}: {}",
                clean(&sig.reviewer.name),
                clean(&sig.reviewer.role),
                clean(&sig.signed_at),
                sig.decision.label()
            );
            if !sig.comment.is_empty() {
                let _ = writeln!(out, "         comment: {}", clean(&sig.comment));
            }
        }
        None => {
            let _ = writeln!(out, "         no reviewer statement (draft)");
        }
    }
    let Some(eval) = eval else {
        for p in &verdict.problems {
            let _ = writeln!(out, "  - {}", clean(&p.to_string()));
        }
        let _ = writeln!(
            out,
            "\n{} — {} (exit {code})",
            verdict.outcome.word(),
            clean(&verdict.why())
        );
        return out;
    };
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
        let until = d
            .expires
            .as_deref()
            .map(|e| format!(" until {}", clean(e)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{:<10}] {} — {}{until}: {} — {}",
            st.status.as_str(),
            clean(&d.scope_label()),
            d.kind.label(),
            clean(&d.justification),
            clean(&st.note)
        );
    }
    let lapsed: Vec<String> = eval
        .with_states(&s.decisions)
        .filter(|(_, st)| st.status.is_lapsed())
        .map(|(d, st)| format!("{}: {}", clean(&d.scope_label()), clean(&st.note)))
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
    let who = clean(&verdict.signoff_signature.describe());
    let failures = failures_json(eval);
    if failures.is_empty() {
        let _ = writeln!(out, "\nVALID — {who}; no effective failure remains");
    } else {
        let _ = writeln!(out, "Effective failures:");
        for f in &failures {
            let targets = if f.open_targets.is_empty() {
                String::new()
            } else {
                let t: Vec<String> = f.open_targets.iter().map(|t| clean(t)).collect();
                format!(" — undecided: {}", t.join(", "))
            };
            let _ = writeln!(out, "  - {} {}{targets}", clean(&f.check), f.status);
        }
        let _ = writeln!(
            out,
            "\nVALID — {who}; {} effective failure(s) remain (exit {code})",
            failures.len()
        );
    }
    out
}

fn apply_cmd(args: &SignoffApplyArgs) -> Result<ExitCode> {
    // The original report is the evidence and the sign-off is bound to it: neither is replaced.
    let inputs = [args.report.as_path(), args.signoff.as_path()];
    let output = super::Output::file(&args.output).reading(&inputs);
    output.check()?;
    let report = load_report(&args.report)?;
    print_warnings(&args.report, &report.warnings);
    let signoff = read_signoff(&args.signoff)?;
    let allowed = read_allowed_signers(&args.allowed_signers)?;
    let verdict = verify::verify(&report, &signoff, &allowed, now_unix());
    if !verdict.is_valid() {
        print_problems(&verdict);
        eprintln!("dockaudit: error: the sign-off was not applied");
        return Ok(ExitCode::from(verdict.outcome.exit_code()));
    }
    let today = today();
    let mut out = apply(
        &report.report,
        report.digest.computed(),
        &signoff.signoff,
        signoff.content_digest(),
        &today,
    )?;
    if let (Some(derived), SignatureStatus::Verified { principal, fingerprint }) =
        (out.derived_from.as_mut(), &verdict.signoff_signature)
    {
        derived.details.insert("signer_principal".into(), principal.clone());
        derived.details.insert("signer_fingerprint".into(), fingerprint.clone());
    }
    let (text, digest) = dockaudit_shared::digest::seal(&out).context("cannot serialise the effective report")?;
    output.write(&(text + "\n"))?;
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

/// Each reason a verdict is not valid, on stderr, cleaned for the terminal.
fn print_problems(verdict: &Verdict) {
    for p in &verdict.problems {
        eprintln!(
            "dockaudit: {}: {}",
            verdict.outcome.word().to_lowercase(),
            clean(&p.to_string())
        );
    }
}

/// `dockaudit signoff sign`: the reviewer's SSH signature over the sign-off's canonical bytes.
fn sign_cmd(args: &SignoffSignArgs) -> Result<ExitCode> {
    let loaded = read_signoff(&args.signoff)?;
    let Some(statement) = &loaded.signoff.signature else {
        anyhow::bail!(
            "{}: the sign-off has no reviewer statement yet; press Sign in the viewer (name, role, decision), export it, then sign the file",
            args.signoff.display()
        );
    };
    let signed_at = timestamp_seconds(&statement.signed_at)
        .map_err(|e| anyhow::anyhow!("{}: signed_at: {e}", args.signoff.display()))?;
    if signed_at > now_unix() + 60 {
        anyhow::bail!(
            "{}: the statement is dated {}, in the future; a sign-off cannot be signed before it was made",
            args.signoff.display(),
            clean(&statement.signed_at)
        );
    }
    if let DigestCheck::Mismatch { .. } = loaded.digest {
        eprintln!(
            "dockaudit: warning: {} was edited after it was exported; signing what it holds now",
            args.signoff.display()
        );
    }
    let mut value = loaded.value.clone();
    if let Some(map) = value.as_object_mut() {
        map.remove("digest");
        map.remove(dockaudit_shared::digest::SIGNATURE_MEMBER);
        // Version 1 drafts become version 2 when signed: that is the version with a signature.
        map.insert("schema_version".into(), SIGNOFF_SCHEMA_VERSION.into());
    }
    let sig = if args.agent {
        sign_with_agent(&args.key, &dockaudit_shared::digest::signed_bytes(&value))?
    } else {
        let key = read_private_key(&args.key)?;
        sshsig::sign(
            &key,
            sshsig::NS_SIGNOFF,
            &dockaudit_shared::digest::signed_bytes(&value),
        )
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.key.display()))?
    };
    let (text, digest) = sshsig::attach(value, &sig)?;
    // What is written must load and verify as what was signed.
    let check = load_signoff(&text).map_err(|e| anyhow::anyhow!("the signed sign-off does not load: {e}"))?;
    sshsig::verify_bytes(&sig, &check.signed_bytes(), sshsig::NS_SIGNOFF)
        .map_err(|e| anyhow::anyhow!("the new signature does not verify: {e}"))?;
    let output = args.output.as_deref().unwrap_or(&args.signoff);
    write_output(Some(output), &(text + "\n"))?;
    eprintln!(
        "dockaudit: signed {} with key {} ({digest}); verify with: dockaudit signoff verify REPORT {} --allowed-signers FILE",
        output.display(),
        sig.fingerprint().unwrap_or_default(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Signs a freshly built report with the key in `key_file` (namespace `dockaudit-report`) and
/// seals it: the pretty JSON and its digest (`scan --sign-key`).
pub fn sign_report(report: &dockaudit_shared::report::Report, key_file: &Path) -> Result<(String, String)> {
    let key = read_private_key(key_file)?;
    let mut value = serde_json::to_value(report)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("digest");
    }
    sshsig::sign_document(value, &key, sshsig::NS_REPORT).map_err(|e| anyhow::anyhow!("{}: {e}", key_file.display()))
}

/// Reads an unencrypted OpenSSH private key, or says what to do instead.
pub fn read_private_key(path: &Path) -> Result<ssh_key::PrivateKey> {
    let text = read_text(path)?;
    if text.trim_start().starts_with("ssh-") || text.trim_start().starts_with("ecdsa-") {
        anyhow::bail!(
            "{} is a public key; give the private key, or add --agent to sign with the agent's key for it",
            path.display()
        );
    }
    let key = ssh_key::PrivateKey::from_openssh(text.trim())
        .map_err(|e| anyhow::anyhow!("{} is not an OpenSSH private key: {e}", path.display()))?;
    if key.is_encrypted() {
        anyhow::bail!(
            "{} is protected by a passphrase; load it into ssh-agent (ssh-add) and sign with --agent --key {}.pub",
            path.display(),
            path.display()
        );
    }
    Ok(key)
}

/// Signs through ssh-agent by running OpenSSH's own `ssh-keygen -Y sign` with the public key:
/// the agent protocol stays OpenSSH's, and hardware keys behind the agent work unchanged.
fn sign_with_agent(public_key: &Path, bytes: &[u8]) -> Result<sshsig::SshSignature> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    if std::env::var_os("SSH_AUTH_SOCK").is_none() {
        anyhow::bail!("--agent needs a running ssh-agent (SSH_AUTH_SOCK is not set)");
    }
    let mut child = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", sshsig::NS_SIGNOFF, "-f"])
        .arg(public_key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run ssh-keygen (install openssh-client)")?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(bytes).context("cannot write to ssh-keygen")?;
    }
    let out = child.wait_with_output().context("ssh-keygen did not finish")?;
    if !out.status.success() {
        anyhow::bail!(
            "ssh-keygen -Y sign failed: {}",
            clean(String::from_utf8_lossy(&out.stderr).trim())
        );
    }
    let pem = String::from_utf8_lossy(&out.stdout);
    let sig = sshsig::from_armored(&pem).map_err(|e| anyhow::anyhow!("ssh-keygen wrote no signature: {e}"))?;
    sshsig::verify_bytes(&sig, bytes, sshsig::NS_SIGNOFF)
        .map_err(|e| anyhow::anyhow!("the agent's signature does not verify: {e}"))?;
    Ok(sig)
}

/// `dockaudit signoff canonical FILE`: the exact bytes an SSH signature of FILE covers.
fn canonical_cmd(args: &CanonicalArgs) -> Result<ExitCode> {
    let text = read_text(&args.file)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let value = dockaudit_shared::json::parse(text).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let bytes = dockaudit_shared::digest::signed_bytes(&value);
    let mut out = std::io::stdout().lock();
    // The exact bytes are for a pipe or a file (`| ssh-keygen -Y …`); on a terminal the strings
    // of a hostile document could drive it, so a person sees them escaped instead.
    if std::io::IsTerminal::is_terminal(&out) {
        let shown = crate::output::style::clean_message(&String::from_utf8_lossy(&bytes));
        std::io::Write::write_all(&mut out, format!("{shown}\n").as_bytes())
            .context("cannot write to standard output")?;
        eprintln!("dockaudit: shown escaped on a terminal; redirect standard output to get the exact signed bytes");
        return Ok(ExitCode::SUCCESS);
    }
    std::io::Write::write_all(&mut out, &bytes).context("cannot write to standard output")?;
    std::io::Write::flush(&mut out).context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}
