//! The printable evidence of a sign-off: report and digest, raw and effective score, every failed
//! and manual check with its findings and the decision taken, the signature, how to re-verify it,
//! and an appendix of passed and not-applicable checks to sample. Laid out for paper (Chromium's
//! "Save as PDF"); controls carry `no-print`. Every printed page carries "host · report digest" at
//! the top and "page n / N" at the bottom: CSS page-margin boxes in `review.css`, fed through two
//! custom properties on the root element that exist only while this view is shown.

use dockaudit_shared::report::Status;
use dockaudit_shared::view::paper::{self, css_string, running_header};
use dockaudit_shared::view::signoff::{evidence_digest_note, evidence_rows, until};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use yew::prelude::*;

use crate::components::check_detail::Findings;
use crate::components::remediation_text::RemediationText;
use crate::components::signature_badge::SignatureBadge;
use crate::components::status_badge::StatusBadge;
use crate::signoff_store::{self, SignoffContext};

#[component]
pub fn EvidenceView() -> Html {
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let loaded = &*ctx.report;
    let r = &loaded.report;
    let eval = &ctx.eval;
    let digest_state = loaded.digest.state().as_str();
    let digest_note = evidence_digest_note(&loaded.digest);
    let rows = evidence_rows(r, &ctx.signoff, eval);
    let not_applied: Vec<_> = eval.not_applied(&ctx.signoff.decisions).collect();
    let engine = r.host.docker.server_version.clone().unwrap_or_else(|| "unknown".into());
    let host = r.host.hostname.clone().unwrap_or_else(|| "unknown host".into());
    let running = running_header(&host, &ctx.digest);
    use_effect_with(running.clone(), |running| {
        set_running_header(Some(running));
        || set_running_header(None)
    });
    let appendix = paper::appendix(r);
    let steps = paper::verify_steps(
        &loaded.name,
        &ctx.digest,
        r.ssh_signature.as_ref().and_then(|s| s.fingerprint()).as_deref(),
        ctx.signoff
            .ssh_signature
            .as_ref()
            .and_then(|s| s.fingerprint())
            .as_deref(),
    );
    let print = Callback::from(|_: MouseEvent| signoff_store::print());
    let back = ctx.dispatch.reform(|_: MouseEvent| Action::SetMode(Mode::Signoff));
    let statuses = [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Error,
        Status::Info,
        Status::Manual,
        Status::NotApplicable,
        Status::Skipped,
    ];
    html! {
        <article class="evidence" data-testid="evidence-view">
            <div class="evidence-actions no-print">
                <button class="button primary" onclick={print} data-testid="evidence-print">{ "Print or save as PDF" }</button>
                <button class="button" onclick={back}>{ "Back to sign-off" }</button>
            </div>
            <header class="ev-head">
                <p class="ev-running no-print" data-testid="ev-running">{ running.clone() }</p>
                <h1>{ "Compliance sign-off evidence" }</h1>
                <p>{ format!("CIS Docker Benchmark {} · {} {}", r.benchmark.version, r.tool.name, r.tool.version) }</p>
            </header>
            <section class="ev-section">
                <h2>{ "Report" }</h2>
                <dl class="ev-facts">
                    <dt>{ "Host" }</dt><dd data-testid="ev-host">{ r.host.hostname.clone().unwrap_or_else(|| "unknown".into()) }</dd>
                    <dt>{ "Engine" }</dt><dd>{ format!("Docker {engine}") }</dd>
                    <dt>{ "Run" }</dt><dd class="mono">{ format!("{} · {} to {}", r.run.id, r.run.started_at, r.run.finished_at) }</dd>
                    <dt>{ "File" }</dt><dd>{ loaded.name.clone() }</dd>
                    <dt>{ "Report signature" }</dt>
                    <dd><SignatureBadge status={ctx.report_signature.clone()} testid="ev-report-signature" /></dd>
                    <dt>{ "Report digest" }</dt>
                    <dd><div class="mono" data-testid="ev-report-digest">{ ctx.digest.clone() }</div>
                        <div class={classes!("ev-digest-state", digest_state)} data-testid="ev-digest-state">{ digest_note }</div></dd>
                </dl>
            </section>
            <section class="ev-section">
                <h2>{ "Summary" }</h2>
                <table class="ev-table" data-testid="ev-summary">
                    <thead><tr><th></th><th>{ "Score" }</th>
                        { for statuses.iter().map(|s| html! { <th>{ s.label() }</th> }) }</tr></thead>
                    <tbody>
                        <tr><th>{ "Raw" }</th><td data-testid="ev-raw-score">{ eval.raw.score.display() }</td>
                            { for statuses.iter().map(|s| html! { <td>{ eval.raw.counts.get(*s) }</td> }) }</tr>
                        <tr><th>{ "Effective" }</th><td data-testid="ev-effective-score">{ eval.effective.score.display() }</td>
                            { for statuses.iter().map(|s| html! { <td>{ eval.effective.counts.get(*s) }</td> }) }</tr>
                    </tbody>
                </table>
                <p class="muted">{ format!(
                    "Effective statuses apply the decisions valid on {}: a false positive or verified pass counts as pass, \
                     an exception (risk accepted, compensating control, planned remediation) as info and is not scored; \
                     a check is settled only when every offending target is covered.", ctx.today) }</p>
            </section>
            { signature_block(&ctx) }
            <section class="ev-section">
                <h2>{ format!("Failed and manual checks ({})", rows.len()) }</h2>
                { for rows.iter().map(|row| {
                    let res = row.result;
                    html! {
                        <section class="ev-check" data-testid="ev-check" data-check-id={res.id.clone()}>
                            <h3><span class="check-id">{ res.id.clone() }</span>{ " " }{ res.title.clone() }</h3>
                            <p>
                                { "Original " }<StatusBadge status={res.status} />
                                { " → effective " }<strong data-testid="ev-effective">{ row.effective.effective.label() }</strong>
                            </p>
                            <p class="verdict">{ res.summary.clone() }</p>
                            <Findings findings={res.findings.clone()} all=true />
                            <h4>{ "Decision" }</h4>
                            if row.decisions.is_empty() {
                                <p class="ev-none" data-testid="ev-no-decision">{ "No decision taken." }</p>
                            } else {
                                <ul class="ev-decisions">
                                    { for row.decisions.iter().map(|(d, s)| html! {
                                        <li class={classes!("ev-decision", format!("ds-{}", s.status.as_str()))}
                                            data-testid="ev-decision" data-state={s.status.as_str()}>
                                            <div class="ev-decision-head">
                                                <strong>{ d.kind.label() }</strong>
                                                { format!(" — {} — {} — today: {}",
                                                    d.target_label(),
                                                    until(d), s.note) }
                                            </div>
                                            <div class="decision-justification" data-testid="ev-justification">{ d.justification.clone() }</div>
                                            if let Some(at) = &d.recorded_at {
                                                <div class="muted">{ format!("recorded {at}") }</div>
                                            }
                                        </li>
                                    }) }
                                </ul>
                            }
                        </section>
                    }
                }) }
            </section>
            if !not_applied.is_empty() {
                <section class="ev-section">
                    <h2>{ "Decisions that do not apply today" }</h2>
                    <ul>
                        { for not_applied.iter().map(|(d, s)| html! {
                            <li data-testid="ev-not-applied">{ format!("{} — {}: {} ({})", d.scope_label(), d.kind.label(), s.note, d.justification) }</li>
                        }) }
                    </ul>
                </section>
            }
            <section class="ev-section ev-verify" data-testid="ev-verify">
                <h2>{ "How to re-verify" }</h2>
                <p>{ "With the report file (and the sign-off file), and an OpenSSH allowed_signers file listing the keys you trust:" }</p>
                <ol>
                    { for steps.iter().map(|s| html! {
                        <li data-testid="ev-verify-step">
                            <code class="ev-command">{ s.command.clone() }</code>
                            <div>{ "Expect: " }{ s.expect.clone() }</div>
                        </li>
                    }) }
                </ol>
                if let Some(fp) = r.ssh_signature.as_ref().and_then(|s| s.fingerprint()) {
                    <p>{ "Report signer's key fingerprint: " }<code data-testid="ev-report-fingerprint">{ fp }</code></p>
                }
            </section>
            <section class="ev-section ev-appendix" data-testid="ev-appendix">
                <h2>{ format!("Appendix: passed and not-applicable checks ({})", appendix.len()) }</h2>
                <p class="muted">{ "For sampling: each check dockaudit passed or found not applicable, with its verdict. Re-check any of them on the host." }</p>
                <table class="ev-table ev-appendix-table">
                    <thead><tr><th scope="col">{ "Check" }</th><th scope="col">{ "Status" }</th><th scope="col">{ "Verdict" }</th></tr></thead>
                    <tbody>
                        { for appendix.iter().map(|c| html! {
                            <tr data-testid="ev-appendix-row" data-check-id={c.id.clone()}>
                                <td><span class="check-id">{ c.id.clone() }</span>{ " " }{ c.title.clone() }</td>
                                <td><StatusBadge status={c.status} /></td>
                                <td><RemediationText text={AttrValue::from(c.summary.clone())} /></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <footer class="ev-foot">
                { format!("Evaluated on {}.", ctx.today) }
            </footer>
        </article>
    }
}

fn signature_block(ctx: &SignoffContext) -> Html {
    let (_, seal) = ctx.signoff.seal();
    html! {
        <section class="ev-section ev-signature" data-testid="ev-signature">
            <h2>{ "Sign-off" }</h2>
            if let Some(sig) = &ctx.signoff.signature {
                <dl class="ev-facts">
                    <dt>{ "Reviewer" }</dt><dd data-testid="ev-reviewer">{ sig.reviewer.name.clone() }</dd>
                    <dt>{ "Role" }</dt><dd>{ sig.reviewer.role.clone() }</dd>
                    if let Some(e) = &sig.reviewer.email { <dt>{ "E-mail" }</dt><dd>{ e.clone() }</dd> }
                    <dt>{ "Signed at" }</dt><dd>{ sig.signed_at.clone() }</dd>
                    <dt>{ "Decision" }</dt><dd data-testid="ev-decision-overall"><strong>{ sig.decision.label() }</strong></dd>
                    if !sig.comment.is_empty() { <dt>{ "Comment" }</dt><dd>{ sig.comment.clone() }</dd> }
                    <dt>{ "Sign-off digest" }</dt><dd class="mono" data-testid="ev-signoff-digest">{ seal }</dd>
                    <dt>{ "SSH signature" }</dt>
                    <dd><SignatureBadge status={ctx.signoff_signature.clone()} testid="ev-signoff-signature" />
                        if let Some(fp) = ctx.signoff_signature.fingerprint() {
                            <div class="mono" data-testid="ev-signoff-fingerprint">{ fp.to_string() }</div>
                        }
                    </dd>
                    <dt>{ "Verified against" }</dt>
                    <dd>{ ctx.allowed_name.clone().map_or_else(|| "no allowed signers loaded".to_string(), |n| format!("{n} ({})", ctx.principals.join(", "))) }</dd>
                </dl>
            } else {
                <p class="ev-draft" data-testid="ev-unsigned">
                    { format!("Not signed: this is a draft with {} decision(s) (digest {seal}).", ctx.signoff.decisions.len()) }
                </p>
            }
        </section>
    }
}

/// Sets (or with `None` removes) the custom properties the print stylesheet's page-margin boxes
/// read: `--ev-running` (host · digest) and `--ev-page` (the "page " before the counters). Set
/// through the CSSOM, which the CSP allows (inline style attributes it does not).
fn set_running_header(text: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    else {
        return;
    };
    let style = root.style();
    match text {
        Some(t) => {
            let _ = style.set_property("--ev-running", &css_string(t));
            let _ = style.set_property("--ev-page", "\"page \"");
        }
        None => {
            let _ = style.remove_property("--ev-running");
            let _ = style.remove_property("--ev-page");
        }
    }
}
