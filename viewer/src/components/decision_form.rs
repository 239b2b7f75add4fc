//! The sign-off part of a check's detail: its effective status, the decisions taken, and a form
//! to record one for the whole check or for one of its targets.
//!
//! The form holds a [`DecisionDraft`]; which kinds are offered and how the draft becomes a
//! checked [`Decision`] are `dockaudit_shared::signoff::draft`'s rules.

use dockaudit_shared::report::CheckResult;
use dockaudit_shared::signoff::draft::{offered_kinds, DecisionDraft};
use dockaudit_shared::signoff::effective::{targets_of, DecisionStatus};
use dockaudit_shared::signoff::{Decision, DecisionKind};
use dockaudit_shared::view::signoff::{until, SignoffAction, Standing};
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::signoff_store::{self, field_value, SignoffContext};

#[derive(PartialEq, Properties)]
pub struct Props {
    /// The check whose detail is open.
    pub check: String,
}

/// The form: the reviewer's draft and the last error recording it.
#[derive(Clone, Default, PartialEq)]
struct Form {
    draft: DecisionDraft,
    error: Option<String>,
}

#[component]
pub fn DecisionPanel(props: &Props) -> Html {
    let ctx = use_context::<SignoffContext>();
    let form = use_state(Form::default);
    let Some(ctx) = ctx else { return html! {} };
    let Some(result) = ctx.report.report.result(&props.check) else {
        return html! {};
    };
    let standing = Standing::of(result, &ctx.eval);
    let status = standing.effective;
    let kinds = offered_kinds(result.status);
    html! {
        <section class="decision-panel no-print" data-testid="decision-panel" aria-label="Sign-off decisions">
            <h3>{ "Sign-off" }</h3>
            <p class="effective" data-testid="effective-status" data-effective={status.as_str()}>
                <StatusBadge status={status.status()} />{ " " }{ standing.to_string() }
            </p>
            <DecisionList check={props.check.clone()} />
            if !kinds.is_empty() {
                { record_form(&ctx, result, &kinds, &form) }
            }
        </section>
    }
}

fn record_form(
    ctx: &SignoffContext,
    result: &CheckResult,
    kinds: &[DecisionKind],
    form: &UseStateHandle<Form>,
) -> Html {
    let targets = targets_of(result);
    let draft = &form.draft;
    let kind = draft.kind_among(kinds);
    let on_scope = on_change(form, |d, v| d.target = v.parse().ok());
    let on_kind = on_change(form, |d, v| d.kind = DecisionKind::parse(&v));
    let on_due = on_input(form, |d, v| d.due = v);
    let on_expires = on_input(form, |d, v| d.expires = v);
    let on_justification = on_input(form, |d, v| d.justification = v);
    let on_record = {
        let form = form.clone();
        let ctx = ctx.clone();
        let check = result.id.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(result) = ctx.report.report.result(&check) else {
                return;
            };
            let draft = &form.draft;
            match draft.to_decision(result, &ctx.today, signoff_store::now()) {
                Err(error) => form.set(Form {
                    draft: draft.clone(),
                    error: Some(error.to_string()),
                }),
                Ok(decision) => {
                    ctx.dispatch.emit(Action::Signoff(SignoffAction::Record {
                        decision,
                        today: ctx.today.clone(),
                    }));
                    form.set(Form {
                        draft: draft.next(),
                        error: None,
                    });
                }
            }
        })
    };
    html! {
        <div class="decision-form" data-testid="decision-form">
            <div class="form-row">
                <label>{ "For " }
                    <select onchange={on_scope} data-testid="decision-scope">
                        <option value="" selected={draft.target.is_none()}>{ "the whole check" }</option>
                        { for targets.iter().enumerate().map(|(i, t)| html! {
                            <option value={i.to_string()} selected={draft.target == Some(i)}>
                                { format!("{} {}", t.kind.as_str(), t.display()) }
                            </option>
                        }) }
                    </select>
                </label>
                <label>{ "Decision " }
                    <select onchange={on_kind} data-testid="decision-kind">
                        { for kinds.iter().map(|k| html! {
                            <option value={k.as_str()} selected={Some(*k) == kind}>{ k.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="block">{ "Justification (required)" }
                <textarea rows="3" value={draft.justification.clone()} oninput={on_justification}
                    data-testid="decision-justification" placeholder="Why is this acceptable, and who agreed?" />
            </label>
            <div class="form-row">
                if kind == Some(DecisionKind::RemediationPlanned) {
                    <label>{ "Due (YYYY-MM-DD) " }
                        <input type="text" inputmode="numeric" placeholder="YYYY-MM-DD" size="11"
                            value={draft.due.clone()} oninput={on_due} data-testid="decision-due" />
                    </label>
                }
                <label>{ "Expires (optional) " }
                    <input type="text" inputmode="numeric" placeholder="YYYY-MM-DD" size="11"
                        value={draft.expires.clone()} oninput={on_expires} data-testid="decision-expires" />
                </label>
                <button class="button primary" onclick={on_record} data-testid="decision-record">{ "Record decision" }</button>
            </div>
            if let Some(e) = &form.error {
                <p class="form-error" role="alert" data-testid="decision-error">{ e.clone() }</p>
            }
        </div>
    }
}

/// Updates one field of the draft from a select's change.
fn on_change(form: &UseStateHandle<Form>, set: fn(&mut DecisionDraft, String)) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        let mut next = (*form).clone();
        set(&mut next.draft, field_value(&e));
        form.set(next);
    })
}

/// Updates one field of the draft on every keystroke, so a click right after typing sees it.
fn on_input(form: &UseStateHandle<Form>, set: fn(&mut DecisionDraft, String)) -> Callback<InputEvent> {
    let form = form.clone();
    Callback::from(move |e: InputEvent| {
        let mut next = (*form).clone();
        set(&mut next.draft, field_value(&e));
        form.set(next);
    })
}

#[derive(PartialEq, Properties)]
pub struct ListProps {
    pub check: String,
}

/// The decisions recorded for a check, with where each stands today.
#[component]
pub fn DecisionList(props: &ListProps) -> Html {
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let rows: Vec<(usize, &Decision)> = ctx
        .signoff
        .decisions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.check == props.check)
        .collect();
    if rows.is_empty() {
        return html! { <p class="muted" data-testid="no-decisions">{ "No decision recorded." }</p> };
    }
    html! {
        <ul class="decisions" data-testid="decision-list">
            { for rows.into_iter().map(|(i, d)| {
                let state = ctx.eval.decisions.get(i);
                let status = state.map_or(DecisionStatus::Applied, |s| s.status);
                let remove = {
                    let dispatch = ctx.dispatch.clone();
                    let (check, target) = (d.check.clone(), d.target.clone());
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::Signoff(SignoffAction::Remove { check: check.clone(), target: target.clone() }))
                    })
                };
                let scope = d.target_label();
                html! {
                    <li class={classes!("decision", format!("ds-{}", status.as_str()))} data-testid="decision-item"
                        data-scope={d.target.as_ref().map_or_else(String::new, |t| t.key.clone())}
                        data-kind={d.kind.as_str()} data-state={status.as_str()}>
                        <span class="decision-kind">{ d.kind.label() }</span>
                        { " · " }<span class="decision-scope">{ scope }</span>
                        { " · " }<span class="decision-until">{ until(d) }</span>
                        { " · " }<span class="decision-state">{ state.map(|s| s.note.clone()).unwrap_or_default() }</span>
                        <button class="link remove-decision" onclick={remove} data-testid="decision-remove"
                            aria-label="Remove this decision">{ "remove" }</button>
                        <div class="decision-justification" data-testid="decision-justification-text">{ d.justification.clone() }</div>
                    </li>
                }
            }) }
        </ul>
    }
}
