//! Sign-off mode: scores raw and effective, carried-forward offers, open items, every decision,
//! the summary before signing, and the signature.

use dockaudit_shared::report::Status;
use dockaudit_shared::signoff::draft::SignatureDraft;
use dockaudit_shared::signoff::signing::check_signing;
use dockaudit_shared::signoff::OverallDecision;
use dockaudit_shared::view::signoff::{
    export_name, sign_command, signing_summary, until, CarryView, SignoffAction, SignoffMessage,
};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use web_sys::HtmlInputElement;
use yew::prelude::*;

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
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let dispatch = ctx.dispatch.clone();
    let emit = move |a: SignoffAction| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Signoff(a.clone())))
    };
    let export = {
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
    };
    let import = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            signoff_store::import(input.files(), dispatch.clone());
            input.set_value("");
        })
    };
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
    let evidence = ctx.dispatch.reform(|_: MouseEvent| Action::SetMode(Mode::Evidence));
    let eval = &ctx.eval;
    html! {
        <div class="signoff-view" data-testid="signoff-view">
            <ReportHeader report={ctx.report.clone()} />
            if let Some(m) = &props.message {
                <div class={classes!("banner", if m.error { "error" } else { "info" })} role="status"
                    data-testid="signoff-message" data-kind={if m.error { "error" } else { "info" }}>
                    <span>{ m.text.clone() }</span>
                    <button class="dismiss" onclick={emit(SignoffAction::DismissMessage)} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            <section class="signoff-toolbar panel">
                <button class="button" onclick={export} data-testid="signoff-export">{ "Export sign-off (JSON)" }</button>
                <label class="button" for="signoff-import">{ "Import sign-off…" }</label>
                <input id="signoff-import" class="visually-hidden" type="file" accept=".json,application/json"
                    onchange={import} data-testid="signoff-import-input" />
                <button class="button" onclick={emit(SignoffAction::Clear)} data-testid="signoff-clear">{ "Clear from this browser" }</button>
                <button class="button" onclick={evidence} data-testid="signoff-evidence">{ "Printable evidence" }</button>
                <span class="hint">{ format!("Decisions are kept in this browser for report {} until you export them.", short(&ctx.digest)) }</span>
            </section>
            <section class="panel trust" data-testid="trust-panel">
                <h2>{ "Signatures" }</h2>
                <p>{ "Sign-off: " }<SignatureBadge status={ctx.signoff_signature.clone()} testid="signoff-signature" /></p>
                <p>
                    { "Allowed signers: " }
                    if let Some(name) = &ctx.allowed_name {
                        <span data-testid="allowed-signers" data-principals={ctx.principals.join(",")}>
                            { format!("{name} — {}", ctx.principals.join(", ")) }
                        </span>
                        { " " }
                        <button class="link" onclick={emit(SignoffAction::ForgetAllowedSigners)} data-testid="allowed-forget">{ "forget" }</button>
                    } else {
                        <span class="muted" data-testid="allowed-signers">{ "none loaded: no signature can show as verified" }</span>
                    }
                    { " " }
                    <label class="button" for="allowed-import">{ "Load allowed_signers…" }</label>
                    <input id="allowed-import" class="visually-hidden" type="file" onchange={load_allowed}
                        data-testid="allowed-import-input" />
                </p>
                if ctx.signoff.signature.is_some() && ctx.signoff.ssh_signature.is_none() {
                    <p data-testid="sign-instructions">
                        { "The browser cannot reach your SSH key: export the sign-off, sign it, then import the signed file back:" }
                        <br />
                        <code class="sign-command" data-testid="sign-command">{ sign_command(&export_name(&ctx.report.report)) }</code>
                    </p>
                }
            </section>
            <section class="panel scores" data-testid="signoff-scores">
                <div><span class="label">{ "Raw score" }</span><strong class="big" data-testid="raw-score">{ eval.raw.score.display() }</strong></div>
                <div><span class="label">{ "Effective score" }</span><strong class="big" data-testid="effective-score">{ eval.effective.score.display() }</strong></div>
                <div class="muted">{ format!("{} open item(s) · {} decision(s) · judged on {}", eval.open().count(), ctx.signoff.decisions.len(), ctx.today) }</div>
            </section>
            if let Some(carry) = props.carry.as_ref().filter(|c| c.report == ctx.digest) {
                { carry_panel(&ctx, carry) }
            }
            { open_items(&ctx) }
            { summary(&ctx) }
            <SignForm />
        </div>
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

fn open_items(ctx: &SignoffContext) -> Html {
    let open: Vec<_> = ctx.eval.open().collect();
    html! {
        <section class="panel" data-testid="open-items">
            <h2>{ format!("Open items ({})", open.len()) }</h2>
            if open.is_empty() {
                <p class="muted">{ "Every failed and manual check has a decision." }</p>
            } else {
                <p class="muted">{ "Failed or manual checks without a settling decision. Open one to decide it." }</p>
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
                        let title = ctx.report.report.result(&id).map(|r| r.title.clone()).unwrap_or_default();
                        let targets = e.open_target_labels();
                        html! {
                            <li data-testid="open-item" data-check-id={id.clone()}>
                                <StatusBadge status={e.original} />{ " " }
                                <button class="link" {onclick}><span class="check-id">{ id.clone() }</span>{ " " }{ title }</button>
                                if !targets.is_empty() {
                                    <span class="muted">{ format!(" — undecided: {}", targets.join(", ")) }</span>
                                }
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
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
                { for s.excepted.iter().map(|r| {
                    let scope = r.decision.target_label();
                    html! {
                        <li data-testid="summary-excepted" data-check-id={r.check.clone()}>
                            { format!("{} {} · {} · {} · {}", r.check, r.title, scope, r.decision.kind.label(), r.until) }
                            <div class="decision-justification">{ r.decision.justification.clone() }</div>
                        </li>
                    }
                }) }
            </ul>
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
                        if !r.open_targets.is_empty() { { format!(" — undecided: {}", r.open_targets.join(", ")) } }
                    </li>
                }) }
            </ul>
            if !s.not_applied.is_empty() {
                <h3>{ format!("Decisions that do not apply ({})", s.not_applied.len()) }</h3>
                <ul>
                    { for s.not_applied.iter().map(|r| html! {
                        <li data-testid="summary-not-applied" data-state={r.state.status.as_str()}>
                            { format!("{} — {}: {}", r.decision.scope_label(), r.decision.kind.label(), r.state.note) }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// The reviewer's fields and the overall decision; or the signature once signed.
#[component]
fn SignForm() -> Html {
    let ctx = use_context::<SignoffContext>();
    let fields = use_state(SignatureDraft::default);
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
                if !sig.comment.is_empty() { <p class="comment">{ sig.comment.clone() }</p> }
                <p>{ "SSH signature: " }<SignatureBadge status={ctx.signoff_signature.clone()} testid="signature-ssh" /></p>
                if ctx.signoff.ssh_signature.is_none() {
                    <p>{ "Sign the exported file with " }<code class="sign-command">{ sign_command(&export_name(&ctx.report.report)) }</code>
                        { " and import it back." }</p>
                }
                <p class="muted">{ "Changing any decision removes this signature. Export the sign-off to hand it over." }</p>
            </section>
        };
    }
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
                    ..(*fields).clone()
                });
            }
        })
    };
    let hint = check_signing(&ctx.report.digest, &ctx.eval, fields.decision).err();
    let sign = {
        let fields = fields.clone();
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Signoff(SignoffAction::Sign {
                signature: fields.to_signature(signoff_store::now()),
            }));
        })
    };
    let lapsed = ctx.eval.lapsed().count();
    html! {
        <section class="panel sign-form" data-testid="sign-form">
            <h2>{ "Sign" }</h2>
            <div class="form-row">
                <label>{ "Name " }<input type="text" value={fields.name.clone()} oninput={input(|f, v| f.name = v)} data-testid="signer-name" /></label>
                <label>{ "Role " }<input type="text" value={fields.role.clone()} oninput={input(|f, v| f.role = v)} data-testid="signer-role" /></label>
                <label>{ "E-mail (optional) " }<input type="email" value={fields.email.clone()} oninput={input(|f, v| f.email = v)} data-testid="signer-email" /></label>
            </div>
            <div class="form-row">
                <label>{ "Overall decision " }
                    <select onchange={on_decision} data-testid="signer-decision">
                        { for OverallDecision::ALL.into_iter().map(|d| html! {
                            <option value={d.as_str()} selected={d == fields.decision}>{ d.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="block">{ "Comment " }
                <textarea rows="2" value={fields.comment.clone()} oninput={input(|f, v| f.comment = v)} data-testid="signer-comment" />
            </label>
            if lapsed > 0 {
                <p class="form-error">{ format!("{lapsed} decision(s) expired or are overdue and no longer apply.") }</p>
            }
            if let Some(h) = hint {
                <p class="form-error" data-testid="sign-hint">{ h.to_string() }</p>
            }
            <button class="button primary" onclick={sign} data-testid="signer-submit">{ "Sign off" }</button>
            <p class="muted">{ format!("Report status counts: {} fail, {} manual before decisions.", ctx.eval.raw.counts.get(Status::Fail), ctx.eval.raw.counts.get(Status::Manual)) }</p>
        </section>
    }
}
