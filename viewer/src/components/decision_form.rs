//! The sign-off part of a check's detail: its effective status, the decisions taken, and a form
//! to record one for the whole check or for one of its targets.
//!
//! The form holds a [`DecisionDraft`]; which kinds are offered and how the draft becomes a
//! checked [`Decision`] are `dockaudit_shared::signoff::draft`'s rules. "Targets named like…"
//! takes one decision for every offender whose name matches a pattern, "targets labelled…" for
//! every offender carrying a label (`key`, `key=value`, `key=glob`): a bulk decision.

use dockaudit_shared::report::CheckResult;
use dockaudit_shared::signoff::bulk::LabelIndex;
use dockaudit_shared::signoff::draft::{offered_kinds, DecisionDraft};
use dockaudit_shared::signoff::effective::targets_of;
use dockaudit_shared::signoff::{Decision, DecisionKind};
use dockaudit_shared::view::signoff::{decision_table, thousands, until, DecisionRow, SignoffAction, Standing};
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::signoff_store::{self, field_value, SignoffContext};

#[derive(PartialEq, Properties)]
pub struct Props {
    /// The check whose detail is open.
    pub check: String,
}

/// Targets listed one by one in the scope menu; past this, a name pattern picks them.
const SCOPE_LISTED: usize = 50;
/// The scope menu's value for "targets named like…".
const PATTERN: &str = "pattern";
/// The scope menu's value for "targets labelled…".
const LABEL: &str = "label";

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
    let labels = LabelIndex::of(&ctx.report.report);
    let draft = &form.draft;
    let kind = draft.kind_among(kinds);
    let on_scope = on_change(form, |d, v| {
        if v == LABEL {
            d.label = Some(d.label.take().unwrap_or_default());
        } else if v == PATTERN {
            d.label = None;
            d.pattern = Some(d.pattern.take().unwrap_or_default());
        } else {
            d.label = None;
            d.pattern = None;
            d.target = v.parse().ok();
        }
    });
    let on_pattern = on_input(form, |d, v| d.pattern = Some(v));
    let on_label = on_input(form, |d, v| d.label = Some(v));
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
            let labels = LabelIndex::of(&ctx.report.report);
            match draft.to_decisions(result, &labels, &ctx.today, signoff_store::now()) {
                Err(error) => form.set(Form {
                    draft: draft.clone(),
                    error: Some(error.to_string()),
                }),
                Ok(mut decisions) => {
                    let action = if decisions.len() == 1 {
                        SignoffAction::Record {
                            decision: decisions.remove(0),
                            today: ctx.today.clone(),
                        }
                    } else {
                        SignoffAction::RecordMany {
                            decisions,
                            replaces: Vec::new(),
                            today: ctx.today.clone(),
                        }
                    };
                    ctx.dispatch.emit(Action::Signoff(action));
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
                        <option value="" selected={draft.target.is_none() && draft.pattern.is_none() && draft.label.is_none()}>{ "the whole check" }</option>
                        if targets.len() > 1 {
                            <option value={PATTERN} selected={draft.label.is_none() && draft.pattern.is_some()}>
                                { format!("targets named like… (of {})", thousands(targets.len())) }
                            </option>
                            if labels.available() {
                                <option value={LABEL} selected={draft.label.is_some()}>
                                    { format!("targets labelled… (of {})", thousands(targets.len())) }
                                </option>
                            } else {
                                <option value={LABEL} disabled=true>
                                    { "targets labelled… (this report carries no labels)" }
                                </option>
                            }
                        }
                        { for targets.iter().enumerate().take(SCOPE_LISTED).map(|(i, t)| html! {
                            <option value={i.to_string()} selected={draft.pattern.is_none() && draft.label.is_none() && draft.target == Some(i)}>
                                { format!("{} {}", t.kind.as_str(), t.display()) }
                            </option>
                        }) }
                    </select>
                </label>
                if let Some(label) = &draft.label {
                    <label>{ "Label " }
                        <input type="text" value={label.clone()} oninput={on_label} placeholder="team=payments"
                            data-testid="decision-label" aria-describedby="decision-pattern-count" />
                    </label>
                    { match_count(draft, result, &labels, targets.len(), "key, key=value or key=pattern (* any run, ? one character)") }
                } else if let Some(pattern) = &draft.pattern {
                    <label>{ "Name pattern " }
                        <input type="text" value={pattern.clone()} oninput={on_pattern} placeholder="web-*"
                            data-testid="decision-pattern" aria-describedby="decision-pattern-count" />
                    </label>
                    { match_count(draft, result, &labels, targets.len(), "* matches any run of characters, ? one") }
                }
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
                    <label>{ "Due " }
                        <input type="date" min={ctx.today.clone()} required=true
                            value={draft.due.clone()} oninput={on_due} data-testid="decision-due" />
                    </label>
                }
                <label>{ "Expires (optional) " }
                    <input type="date" min={ctx.today.clone()}
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

/// "matches 12 of 2,000 targets" under a name pattern or a label, else how to write one.
fn match_count(draft: &DecisionDraft, result: &CheckResult, labels: &LabelIndex<'_>, of: usize, hint: &str) -> Html {
    html! {
        <span class="hint" id="decision-pattern-count" data-testid="decision-pattern-count" role="status">
            { match draft.pattern_matches(result, labels) {
                Some(n) => format!("matches {} of {} targets", thousands(n), thousands(of)),
                None => hint.to_string(),
            } }
        </span>
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

/// The decisions recorded for a check (a bulk decision as one entry), with where each stands today.
#[component]
pub fn DecisionList(props: &ListProps) -> Html {
    let Some(ctx) = use_context::<SignoffContext>() else {
        return html! {};
    };
    let rows: Vec<DecisionRow> = decision_table(&ctx.report.report, &ctx.signoff, &ctx.eval)
        .into_iter()
        .filter(|r| r.check == props.check)
        .collect();
    if rows.is_empty() {
        return html! { <p class="muted" data-testid="no-decisions">{ "No decision recorded." }</p> };
    }
    html! {
        <ul class="decisions" data-testid="decision-list">
            { for rows.into_iter().map(|row| {
                let remove = {
                    let dispatch = ctx.dispatch.clone();
                    let scopes = row.scopes();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::Signoff(SignoffAction::RemoveMany { scopes: scopes.clone() }))
                    })
                };
                let status = row.main_state();
                let until = row_until(&row);
                html! {
                    <li class={classes!("decision", format!("ds-{}", status.as_str()))} data-testid="decision-item"
                        data-scope={row.targets.first().map_or_else(String::new, |t| t.key.clone())}
                        data-targets={row.targets.len().to_string()}
                        data-kind={row.kind.as_str()} data-state={status.as_str()}>
                        <span class="decision-kind">{ row.kind.label() }</span>
                        { " · " }<span class="decision-scope">{ row.scope_label() }</span>
                        { " · " }<span class="decision-until">{ until }</span>
                        { " · " }<span class="decision-state">{ if row.targets.len() > 1 { row.state_label() } else { row.note.clone() } }</span>
                        { " " }
                        <button class="link remove-decision" onclick={remove} data-testid="decision-remove"
                            aria-label="Remove this decision">{ "remove" }</button>
                        <div class="decision-justification" data-testid="decision-justification-text">{ row.justification.clone() }</div>
                    </li>
                }
            }) }
        </ul>
    }
}

/// "until 2026-06-30", "due 2026-03-31", or "no end date", for a table entry.
pub fn row_until(row: &DecisionRow) -> String {
    let mut d = Decision::new(&row.check, None, row.kind, "");
    d.due = row.due.clone();
    d.expires = row.expires.clone();
    until(&d)
}
