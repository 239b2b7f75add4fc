//! Sign-off mode as four steps — Decide → Review → Sign → Export — over the scores raw and
//! effective, carried-forward offers, the open items (decided in place), every decision in one
//! table, the summary before signing, the reviewer's statement, the SSH signature made outside the
//! browser and loaded back, and the hand-over.

use dockaudit_shared::signoff::draft::SignatureDraft;
use dockaudit_shared::signoff::signing::check_signing;
use dockaudit_shared::signoff::OverallDecision;
use dockaudit_shared::view::signoff::{
    export_name, names_with_more, sign_command, signing_summary, thousands, until, CarryView, FlowStep, SignoffAction,
    SignoffMessage, NAMES_SHOWN,
};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::decision_form::DecisionPanel;
use crate::components::decisions_table::DecisionsTable;
use crate::components::report_header::ReportHeader;
use crate::components::signature_badge::SignatureBadge;
use crate::components::status_badge::StatusBadge;
use crate::signoff_store::{self, field_value, SignoffContext};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub message: Option<SignoffMessage>,
    pub carry: Option<CarryView>,
}

#[component]
pub fn SignoffView(props: &Props) -> Html {
    // The step the reviewer went to; until then, where the sign-off stands.
    let step = use_state(|| None::<FlowStep>);
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let current = step.unwrap_or_else(|| FlowStep::resume(&ctx.signoff, &ctx.eval));
    let go = {
        let step = step.clone();
        Callback::from(move |to: FlowStep| {
            step.set(Some(to));
            crate::browser::focus_id("signoff-step");
        })
    };
    let emit = {
        let dispatch = ctx.dispatch.clone();
        move |a: SignoffAction| {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::Signoff(a.clone())))
        }
    };
    let import = on_import(&ctx);
    let evidence = ctx.dispatch.reform(|_: MouseEvent| Action::SetMode(Mode::Evidence));
    let eval = &ctx.eval;
    let open = eval.open().count();
    let body = match current {
        FlowStep::Decide => html! {
            <>
                if let Some(carry) = props.carry.as_ref().filter(|c| c.report == ctx.digest) {
                    { carry_panel(&ctx, carry) }
                }
                <OpenItems />
                <DecisionsTable />
                { next(&go, FlowStep::Review, open == 0, "Continue to review") }
            </>
        },
        FlowStep::Review => html! {
            <>
                // A sign-off of an earlier report is imported here too: its offers show where it was loaded.
                if let Some(carry) = props.carry.as_ref().filter(|c| c.report == ctx.digest) {
                    { carry_panel(&ctx, carry) }
                }
                { summary(&ctx) }
                <DecisionsTable />
                <SignForm on_signed={let step = step.clone(); Callback::from(move |()| step.set(None))} />
            </>
        },
        FlowStep::Sign => sign_step(&ctx, &go),
        FlowStep::Export => export_step(&ctx),
    };
    html! {
        <div class="signoff-view" data-testid="signoff-view" data-step={current.as_str()}>
            <ReportHeader report={ctx.report.clone()} />
            if let Some(m) = &props.message {
                <div class={classes!("banner", if m.error { "error" } else { "info" })} role="status"
                    data-testid="signoff-message" data-kind={if m.error { "error" } else { "info" }}>
                    <span>{ m.text.clone() }</span>
                    <button class="dismiss" onclick={emit(SignoffAction::DismissMessage)} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            <nav class="steps" aria-label="Sign-off steps" data-testid="signoff-steps">
                <ol>
                    { for FlowStep::ALL.into_iter().map(|s| {
                        let done = s.done(&ctx.signoff, eval);
                        let onclick = go.reform(move |_: MouseEvent| s);
                        html! {
                            <li class={classes!("step", (s == current).then_some("current"), done.then_some("done"))}>
                                <button class="step-button" {onclick} aria-current={(s == current).then_some("step")}
                                    data-testid={format!("step-{}", s.as_str())} data-done={done.to_string()}>
                                    <span class="step-number" aria-hidden="true">{ if done { "✓".to_string() } else { s.number().to_string() } }</span>
                                    { s.label() }
                                    if done { <span class="visually-hidden">{ " (done)" }</span> }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </nav>
            <p class="signoff-status" data-testid="signoff-status">
                <span>{ "Raw score " }<strong data-testid="raw-score">{ eval.raw.score.display() }</strong></span>
                <span>{ "effective " }<strong data-testid="effective-score">{ eval.effective.score.display() }</strong></span>
                <span data-testid="open-count">{ format!("{} open item(s)", thousands(open)) }</span>
                <span>{ format!("{} decision(s)", thousands(ctx.signoff.decisions.len())) }</span>
                <span class="muted">{ format!("judged on {}", ctx.today) }</span>
            </p>
            <section class="signoff-step" id="signoff-step" tabindex="-1" aria-label={format!("Step {} of 4: {}", current.number(), current.label())}>
                { body }
            </section>
            <section class="signoff-toolbar panel" aria-label="Sign-off file">
                <button class="button" onclick={export_click(&ctx)} data-testid="signoff-export">{ "Export sign-off (JSON)" }</button>
                <label class="button" for="signoff-import">{ "Import sign-off…" }</label>
                <input id="signoff-import" class="visually-hidden" type="file" accept=".json,application/json"
                    onchange={import} data-testid="signoff-import-input" />
                <button class="button" onclick={emit(SignoffAction::Clear)} data-testid="signoff-clear">{ "Clear from this browser" }</button>
                <button class="button" onclick={evidence} data-testid="signoff-evidence">{ "Printable evidence" }</button>
                <span class="hint">{ format!("Decisions are kept in this browser for report {} until you export them.", short(&ctx.digest)) }</span>
            </section>
        </div>
    }
}

/// The button to the next step; `ready` says whether it is the obvious next thing to do.
fn next(go: &Callback<FlowStep>, to: FlowStep, ready: bool, text: &str) -> Html {
    let onclick = go.reform(move |_: MouseEvent| to);
    html! {
        <p class="step-next">
            <button class={classes!("button", ready.then_some("primary"))} {onclick} data-testid="step-next">
                { format!("{text} →") }
            </button>
        </p>
    }
}

/// Downloads the sealed sign-off (the export, and the file to sign).
fn export_click(ctx: &SignoffContext) -> Callback<MouseEvent> {
    let ctx = ctx.clone();
    Callback::from(move |_: MouseEvent| {
        let (text, digest) = ctx.signoff.seal();
        let file = export_name(&ctx.report.report);
        let action = match signoff_store::download(&file, &(text + "\n")) {
            Ok(()) => SignoffAction::Exported { file, digest },
            Err(reason) => SignoffAction::Unreadable { name: file, reason },
        };
        ctx.dispatch.emit(Action::Signoff(action));
    })
}

fn on_import(ctx: &SignoffContext) -> Callback<Event> {
    let dispatch = ctx.dispatch.clone();
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
            return;
        };
        signoff_store::import(input.files(), dispatch.clone());
        input.set_value("");
    })
}

fn sign_step(ctx: &SignoffContext, go: &Callback<FlowStep>) -> Html {
    let file = export_name(&ctx.report.report);
    let Some(sig) = &ctx.signoff.signature else {
        let back = go.reform(|_: MouseEvent| FlowStep::Review);
        return html! {
            <section class="panel" data-testid="sign-step">
                <h2>{ "Sign" }</h2>
                <p>{ "Record your statement first: the SSH signature covers it." }</p>
                <button class="button primary" onclick={back} data-testid="step-back">{ "← Review and state" }</button>
            </section>
        };
    };
    let signed = ctx.signoff.ssh_signature.is_some();
    html! {
        <>
            <section class="panel signature" data-testid="signature-block">
                <h2>{ "Reviewer's statement" }</h2>
                <p>
                    <strong data-testid="signature-decision">{ sig.decision.label() }</strong>
                    { format!(" by {} ({}", sig.reviewer.name, sig.reviewer.role) }
                    { sig.reviewer.email.as_deref().map(|e| format!(", {e}")).unwrap_or_default() }
                    { format!(") at {}", sig.signed_at) }
                </p>
                if !sig.comment.is_empty() { <p class="comment">{ sig.comment.clone() }</p> }
                <p class="muted">{ "Changing any decision removes this statement and its signature." }</p>
            </section>
            <section class="panel sign-steps" data-testid="sign-step">
                <h2>{ "Sign with your SSH key" }</h2>
                <p class="muted">{ "The browser cannot reach your SSH key or agent: sign the downloaded file with the command below, then load it back." }</p>
                <ol class="numbered">
                    <li>
                        <button class="button" onclick={export_click(ctx)} data-testid="sign-download">{ format!("Download {file}") }</button>
                    </li>
                    <li>
                        { "Run, where you saved it (add --agent for a key in ssh-agent):" }<br />
                        <code class="sign-command" data-testid="sign-command">{ sign_command(&file) }</code>
                    </li>
                    <li>
                        <label class="button" for="signed-import">{ "Load the signed file…" }</label>
                        <input id="signed-import" class="visually-hidden" type="file" accept=".json,application/json"
                            onchange={on_import(ctx)} data-testid="signed-import-input" />
                    </li>
                </ol>
                <p>{ "SSH signature: " }<SignatureBadge status={ctx.signoff_signature.clone()} testid="signoff-signature" /></p>
                { trust(ctx) }
            </section>
            { next(go, FlowStep::Export, signed, "Continue to export") }
        </>
    }
}

/// The allowed_signers file signatures are verified against.
fn trust(ctx: &SignoffContext) -> Html {
    let load_allowed = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            signoff_store::import_allowed(input.files(), dispatch.clone());
            input.set_value("");
        })
    };
    let forget = ctx
        .dispatch
        .reform(|_: MouseEvent| Action::Signoff(SignoffAction::ForgetAllowedSigners));
    html! {
        <p class="trust" data-testid="trust-panel">
            { "Allowed signers: " }
            if let Some(name) = &ctx.allowed_name {
                <span data-testid="allowed-signers" data-principals={ctx.principals.join(",")}>
                    { format!("{name} — {}", ctx.principals.join(", ")) }
                </span>
                { " " }
                <button class="link" onclick={forget} data-testid="allowed-forget">{ "forget" }</button>
            } else {
                <span class="muted" data-testid="allowed-signers">{ "none loaded: load them to see who signed" }</span>
            }
            { " " }
            <label class="button" for="allowed-import">{ "Load allowed_signers…" }</label>
            <input id="allowed-import" class="visually-hidden" type="file" onchange={load_allowed}
                data-testid="allowed-import-input" />
        </p>
    }
}

fn export_step(ctx: &SignoffContext) -> Html {
    let file = export_name(&ctx.report.report);
    let evidence = ctx.dispatch.reform(|_: MouseEvent| Action::SetMode(Mode::Evidence));
    let signed = ctx.signoff.ssh_signature.is_some();
    html! {
        <section class="panel" data-testid="export-step">
            <h2>{ "Export" }</h2>
            <p>{ "SSH signature: " }<SignatureBadge status={ctx.signoff_signature.clone()} testid="signoff-signature" /></p>
            if !signed {
                <p class="form-error" data-testid="export-unsigned">{ "Not SSH-signed yet: an auditor's verify says UNSIGNED (exit 3). Go back to Sign." }</p>
            }
            if signed {
                <p data-testid="export-ready">{ format!("The file you signed, {file}, is the sign-off to hand over; download it again here if you need another copy.") }</p>
            }
            <p>
                <button class={classes!("button", (!signed).then_some("primary"))} onclick={export_click(ctx)} data-testid="export-download">{ format!("Download {file}") }</button>
                { " " }
                <button class="button" onclick={evidence} data-testid="export-evidence">{ "Printable evidence" }</button>
            </p>
            <p>{ "Hand the report and this file to the auditor, who checks them with:" }<br />
                <code class="sign-command" data-testid="verify-command">
                    { format!("dockaudit signoff verify {} {file} --allowed-signers allowed_signers", report_file(ctx)) }
                </code>
            </p>
            { trust(ctx) }
        </section>
    }
}

/// The report's file name as the reader opened it (its last path segment).
fn report_file(ctx: &SignoffContext) -> String {
    let name = ctx.report.name.rsplit('/').next().unwrap_or_default();
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(80)
        .collect();
    if safe.is_empty() {
        "report.json".to_string()
    } else {
        safe
    }
}

/// "sha256:0123456789ab…".
fn short(digest: &str) -> String {
    digest.chars().take(19).chain("…".chars()).collect()
}

fn carry_panel(ctx: &SignoffContext, carry: &CarryView) -> Html {
    let c = &carry.carry;
    html! {
        <section class="panel carry" data-testid="carry-panel">
            <h2>{ "Decisions from the previous sign-off" }</h2>
            <p class="muted">{ format!("From the sign-off of report {}. Nothing is applied until you re-approve it.", carry.from) }</p>
            if !c.offers.is_empty() {
                <ul class="offers">
                    { for c.offers.iter().enumerate().map(|(i, o)| {
                        let taken = carry.taken.contains(&i);
                        let onclick = {
                            let dispatch = ctx.dispatch.clone();
                            Callback::from(move |_: MouseEvent| dispatch.emit(Action::Signoff(SignoffAction::Reapprove { index: i, now: signoff_store::now() })))
                        };
                        html! {
                            <li class="offer" data-testid="carry-offer" data-check-id={o.decision.check.clone()}>
                                <strong>{ o.decision.scope_label() }</strong>{ format!(" — {} ({}; now {})", o.decision.kind.label(), until(&o.decision), o.status.label()) }
                                <div class="decision-justification" data-testid="carry-justification">{ o.decision.justification.clone() }</div>
                                if taken {
                                    <span class="muted" data-testid="carry-taken">{ "re-approved" }</span>
                                } else {
                                    <button class="button" {onclick} data-testid="carry-reapprove">{ "Re-approve" }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
            if !c.obsolete.is_empty() {
                <h3>{ "Obsolete" }</h3>
                <ul>
                    { for c.obsolete.iter().map(|l| html! {
                        <li data-testid="carry-obsolete">{ format!("{} — {}: {}", l.decision.scope_label(), l.decision.kind.label(), l.reason) }</li>
                    }) }
                </ul>
            }
            if !c.not_needed.is_empty() || !c.lapsed.is_empty() {
                <h3>{ "Not offered" }</h3>
                <ul>
                    { for c.not_needed.iter().chain(&c.lapsed).map(|l| html! {
                        <li data-testid="carry-not-offered">{ format!("{} — {}: {}", l.decision.scope_label(), l.decision.kind.label(), l.reason) }</li>
                    }) }
                </ul>
            }
            <button class="link" onclick={ctx.dispatch.reform(|_: MouseEvent| Action::Signoff(SignoffAction::DismissCarry))}>{ "Dismiss" }</button>
        </section>
    }
}

/// The open items, each decided in place (or opened in the report).
#[component]
fn OpenItems() -> Html {
    let deciding = use_state(|| None::<String>);
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let open: Vec<_> = ctx.eval.open().collect();
    // The item being decided: the one picked while it is open, else the first (so deciding the
    // items in order needs no click to open each form); `Some("")` once the reviewer closed it.
    let current = match deciding.as_deref() {
        Some(id) if id.is_empty() || open.iter().any(|e| e.id == id) => deciding.as_ref().cloned(),
        _ => open.first().map(|e| e.id.clone()),
    };
    html! {
        <section class="panel" data-testid="open-items">
            <h2>{ format!("Open items ({})", open.len()) }</h2>
            if open.is_empty() {
                <p class="muted" data-testid="open-none">{ "Every failed and manual check has a decision." }</p>
            } else {
                <p class="muted">{ "Failed or manual checks without a settling decision. Decide each here, or open it in the report." }</p>
                <ul class="open-list">
                    { for open.into_iter().map(|e| {
                        let id = e.id.clone();
                        let onclick = {
                            let dispatch = ctx.dispatch.clone();
                            let id = id.clone();
                            Callback::from(move |_: MouseEvent| {
                                dispatch.emit(Action::SetMode(Mode::Report));
                                dispatch.emit(Action::Select(id.clone()));
                            })
                        };
                        let here = current.as_deref() == Some(id.as_str());
                        let toggle = {
                            let deciding = deciding.clone();
                            let id = id.clone();
                            Callback::from(move |_: MouseEvent| deciding.set(Some(if here { String::new() } else { id.clone() })))
                        };
                        let title = ctx.report.report.result(&id).map(|r| r.title.clone()).unwrap_or_default();
                        let targets = e.open_target_labels();
                        html! {
                            <li data-testid="open-item" data-check-id={id.clone()}>
                                <StatusBadge status={e.original} />{ " " }
                                <button class="link" {onclick}><span class="check-id">{ id.clone() }</span>{ " " }{ title }</button>
                                if !targets.is_empty() {
                                    <span class="muted" data-testid="open-item-targets">
                                        { format!(" — {} undecided: {}", thousands(targets.len()), names_with_more(&targets, NAMES_SHOWN)) }
                                    </span>
                                }
                                { " " }
                                <button class="button small" onclick={toggle} aria-expanded={here.to_string()}
                                    data-testid="open-item-decide">{ if here { "Close" } else { "Decide here" } }</button>
                                if here {
                                    <DecisionPanel key={id.clone()} check={id.clone()} />
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

/// Decisions listed per group of the summary; the decisions table holds them all.
const SUMMARY_ROWS: usize = 20;

fn more_in_table(n: usize) -> Html {
    if n <= SUMMARY_ROWS {
        return html! {};
    }
    html! { <p class="muted">{ format!("and {} more, in the decisions table below.", thousands(n - SUMMARY_ROWS)) }</p> }
}

fn summary(ctx: &SignoffContext) -> Html {
    let s = signing_summary(&ctx.report.report, &ctx.signoff, &ctx.eval);
    html! {
        <section class="panel" data-testid="signing-summary">
            <h2>{ "Before signing" }</h2>
            <h3>{ format!("Approved ({})", s.approved.len()) }</h3>
            if s.approved.is_empty() { <p class="muted">{ "None." }</p> }
            <ul>
                { for s.approved.iter().map(|r| html! {
                    <li data-testid="summary-approved">{ format!("{} {} — {} (was {})", r.id, r.title, r.effective.label(), r.original.label()) }</li>
                }) }
            </ul>
            <h3>{ format!("Excepted ({})", s.excepted.len()) }</h3>
            if s.excepted.is_empty() { <p class="muted">{ "None." }</p> }
            <ul>
                { for s.excepted.iter().take(SUMMARY_ROWS).map(|r| html! {
                    <li data-testid="summary-excepted" data-check-id={r.check.clone()}>
                        { format!("{} {} · {} · {} · {}", r.check, r.title, r.decision.target_label(), r.decision.kind.label(), until(&r.decision)) }
                    </li>
                }) }
            </ul>
            { more_in_table(s.excepted.len()) }
            if !s.failed.is_empty() {
                <h3>{ format!("Verified as failing ({})", s.failed.len()) }</h3>
                <ul>
                    { for s.failed.iter().map(|r| html! { <li data-testid="summary-failed">{ format!("{} {}", r.id, r.title) }</li> }) }
                </ul>
            }
            <h3>{ format!("Still open ({})", s.open.len()) }</h3>
            if s.open.is_empty() { <p class="muted">{ "Nothing." }</p> }
            <ul>
                { for s.open.iter().map(|r| html! {
                    <li data-testid="summary-open">
                        { format!("{} {} ({})", r.id, r.title, r.status.label()) }
                        if !r.open_targets.is_empty() {
                            { format!(" — {} undecided: {}", thousands(r.open_targets.len()), names_with_more(&r.open_targets, NAMES_SHOWN)) }
                        }
                    </li>
                }) }
            </ul>
            if !s.not_applied.is_empty() {
                <h3>{ format!("Decisions that do not apply ({})", s.not_applied.len()) }</h3>
                <ul>
                    { for s.not_applied.iter().take(SUMMARY_ROWS).map(|r| html! {
                        <li data-testid="summary-not-applied" data-state={r.state.status.as_str()}>
                            { format!("{} — {}: {}", r.decision.scope_label(), r.decision.kind.label(), r.state.note) }
                        </li>
                    }) }
                </ul>
                { more_in_table(s.not_applied.len()) }
            }
        </section>
    }
}

#[derive(PartialEq, Properties)]
struct SignFormProps {
    /// Called once the statement is recorded.
    on_signed: Callback<()>,
}

/// The reviewer's statement: name, role, e-mail, the overall decision and a comment. The form is
/// kept in the browser as typed; its overall decision starts at the best one possible, and the
/// button is disabled, saying why, while something stands in the way.
#[component]
fn SignForm(props: &SignFormProps) -> Html {
    let ctx = use_context::<SignoffContext>();
    let digest = ctx.as_ref().map(|c| c.digest.clone()).unwrap_or_default();
    let fields = {
        let digest = digest.clone();
        use_state(move || signoff_store::load_form(&digest))
    };
    {
        let digest = digest.clone();
        use_effect_with((*fields).clone(), move |f| signoff_store::save_form(&digest, f));
    }
    let Some(ctx) = ctx else { return html! {} };
    if let Some(sig) = &ctx.signoff.signature {
        return html! {
            <section class="panel signature" data-testid="signature-block">
                <h2>{ "Reviewer's statement" }</h2>
                <p>
                    <strong data-testid="signature-decision">{ sig.decision.label() }</strong>
                    { format!(" by {} ({}", sig.reviewer.name, sig.reviewer.role) }
                    { sig.reviewer.email.as_deref().map(|e| format!(", {e}")).unwrap_or_default() }
                    { format!(") at {}", sig.signed_at) }
                </p>
                <p class="muted">{ "Recorded. Next: sign it with your SSH key." }</p>
            </section>
        };
    }
    let shown = fields.with_possible_decision(&ctx.report.digest, &ctx.eval);
    let input = |set: fn(&mut SignatureDraft, String)| {
        let fields = fields.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*fields).clone();
            set(&mut next, field_value(&e));
            fields.set(next);
        })
    };
    let on_decision = {
        let fields = fields.clone();
        Callback::from(move |e: Event| {
            if let Some(d) = OverallDecision::parse(&field_value(&e)) {
                fields.set(SignatureDraft {
                    decision: d,
                    picked: true,
                    ..(*fields).clone()
                });
            }
        })
    };
    let blocked = check_signing(&ctx.report.digest, &ctx.eval, shown.decision)
        .err()
        .map(|e| e.to_string())
        .or_else(|| shown.missing().map(str::to_string));
    // Records the statement and saves the file to sign in one go: the file is the draft with
    // this very statement, as the reducer is about to store it (the same checks run first).
    let sign = {
        let shown = shown.clone();
        let ctx = ctx.clone();
        let on_signed = props.on_signed.clone();
        Callback::from(move |_: MouseEvent| {
            let signature = shown.to_signature(signoff_store::now());
            let valid = signature.validate().is_ok();
            let mut signed = (*ctx.signoff).clone();
            signed.signature = Some(signature.clone());
            signed.ssh_signature = None;
            ctx.dispatch.emit(Action::Signoff(SignoffAction::Sign { signature }));
            if valid {
                let (text, digest) = signed.seal();
                let file = export_name(&ctx.report.report);
                let action = match signoff_store::download(&file, &(text + "\n")) {
                    Ok(()) => SignoffAction::Exported { file, digest },
                    Err(reason) => SignoffAction::Unreadable { name: file, reason },
                };
                ctx.dispatch.emit(Action::Signoff(action));
                on_signed.emit(());
            }
        })
    };
    let lapsed = ctx.eval.lapsed().count();
    html! {
        <section class="panel sign-form" data-testid="sign-form" aria-labelledby="sign-form-heading">
            <h2 id="sign-form-heading">{ "Your statement" }</h2>
            <div class="form-row">
                <label>{ "Name " }<input type="text" value={shown.name.clone()} oninput={input(|f, v| f.name = v)} data-testid="signer-name" autocomplete="name" /></label>
                <label>{ "Role " }<input type="text" value={shown.role.clone()} oninput={input(|f, v| f.role = v)} data-testid="signer-role" autocomplete="organization-title" /></label>
                <label>{ "E-mail (optional) " }<input type="email" value={shown.email.clone()} oninput={input(|f, v| f.email = v)} data-testid="signer-email" autocomplete="email" /></label>
            </div>
            <div class="form-row">
                <label>{ "Overall decision " }
                    <select onchange={on_decision} data-testid="signer-decision">
                        { for OverallDecision::ALL.into_iter().map(|d| html! {
                            <option value={d.as_str()} selected={d == shown.decision}>{ d.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="block">{ "Comment " }
                <textarea rows="2" value={shown.comment.clone()} oninput={input(|f, v| f.comment = v)} data-testid="signer-comment" />
            </label>
            if lapsed > 0 {
                <p class="form-error">{ format!("{lapsed} decision(s) expired or are overdue and no longer apply.") }</p>
            }
            <p>
                <button class="button primary" onclick={sign} disabled={blocked.is_some()} data-testid="signer-submit"
                    aria-describedby={blocked.is_some().then_some("sign-hint")}>{ "Record statement and download it to sign" }</button>
                if let Some(h) = &blocked {
                    { " " }<span class="hint" id="sign-hint" data-testid="sign-hint">{ h.clone() }</span>
                }
            </p>
        </section>
    }
}
