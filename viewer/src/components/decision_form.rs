//! The sign-off part of a check's detail: its effective status, the decisions taken, and a form
//! to record one for the whole check or for one of its targets.

use dockaudit_shared::report::{CheckResult, Status};
use dockaudit_shared::signoff::effective::{fits, targets_of, DecisionStatus, EffectiveStatus};
use dockaudit_shared::signoff::{Date, Decision, DecisionKind, TargetRef};
use dockaudit_shared::view::signoff::{until, SignoffAction};
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::signoff_store::{self, field_value, SignoffContext};

#[derive(PartialEq, Properties)]
pub struct Props {
    /// The check whose detail is open.
    pub check: String,
}

/// Kinds offered for a result, most likely first.
fn kinds_for(status: Status) -> Vec<DecisionKind> {
    let order = if matches!(status, Status::Manual | Status::Info) {
        [
            DecisionKind::VerifiedPass,
            DecisionKind::VerifiedFail,
            DecisionKind::RiskAccepted,
            DecisionKind::FalsePositive,
            DecisionKind::CompensatingControl,
            DecisionKind::RemediationPlanned,
        ]
    } else {
        [
            DecisionKind::RiskAccepted,
            DecisionKind::FalsePositive,
            DecisionKind::CompensatingControl,
            DecisionKind::RemediationPlanned,
            DecisionKind::VerifiedPass,
            DecisionKind::VerifiedFail,
        ]
    };
    order.into_iter().filter(|k| fits(*k, status)).collect()
}

/// One sentence on what the sign-off makes of this result.
fn effective_text(status: EffectiveStatus, original: Status, open: &[String]) -> String {
    match status {
        EffectiveStatus::Unchanged(s) if !open.is_empty() => format!(
            "Still {}: {} undecided ({}).",
            s.label(),
            if open.len() == 1 {
                "1 target is"
            } else {
                "several targets are"
            },
            open.join(", ")
        ),
        EffectiveStatus::Unchanged(Status::Fail | Status::Warn | Status::Error) => {
            format!("Still {}: no decision covers it.", original.label())
        }
        EffectiveStatus::Unchanged(Status::Manual) => "Open: a person must verify this check.".into(),
        EffectiveStatus::Unchanged(s) => format!("{}: nothing to decide.", capital(s.label())),
        other => format!("Effective status: {} (originally {}).", other.label(), original.label()),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Clone, Default, PartialEq)]
struct Form {
    /// "" for the whole check, else the index of the target.
    scope: String,
    kind: String,
    justification: String,
    due: String,
    expires: String,
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
    let effective = ctx.eval.result(&props.check);
    let open: Vec<String> = effective
        .map(|e| {
            e.open_targets
                .iter()
                .map(|t| format!("{} {}", t.kind.as_str(), t.display()))
                .collect()
        })
        .unwrap_or_default();
    let status = effective.map_or(EffectiveStatus::Unchanged(result.status), |e| e.effective);
    let kinds = kinds_for(result.status);
    html! {
        <section class="decision-panel no-print" data-testid="decision-panel" aria-label="Sign-off decisions">
            <h3>{ "Sign-off" }</h3>
            <p class="effective" data-testid="effective-status" data-effective={status.as_str()}>
                <StatusBadge status={status.status()} />{ " " }{ effective_text(status, result.status, &open) }
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
    let kind = DecisionKind::parse(&form.kind)
        .filter(|k| kinds.contains(k))
        .unwrap_or(kinds[0]);
    let on_scope = on_change(form, |f, v| f.scope = v);
    let on_kind = on_change(form, |f, v| f.kind = v);
    let on_due = on_input(form, |f, v| f.due = v);
    let on_expires = on_input(form, |f, v| f.expires = v);
    let on_justification = on_input(form, |f, v| f.justification = v);
    let on_record = {
        let form = form.clone();
        let ctx = ctx.clone();
        let check = result.id.clone();
        let targets = targets.clone();
        Callback::from(move |_: MouseEvent| {
            let f = (*form).clone();
            let target = f
                .scope
                .parse::<usize>()
                .ok()
                .and_then(|i| targets.get(i))
                .map(TargetRef::of);
            let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let mut decision = Decision::new(&check, target, kind, f.justification.trim());
            decision.due = text(&f.due).filter(|_| kind == DecisionKind::RemediationPlanned);
            decision.expires = text(&f.expires);
            decision.recorded_at = Some(signoff_store::now());
            let checked = Date::parse(&ctx.today)
                .map_err(|e| e.to_string())
                .and_then(|today| decision.validate_new(today).map_err(|e| e.to_string()));
            match checked {
                Err(error) => form.set(Form {
                    error: Some(error),
                    ..f
                }),
                Ok(()) => {
                    ctx.dispatch.emit(Action::Signoff(SignoffAction::Record {
                        decision,
                        today: ctx.today.clone(),
                    }));
                    form.set(Form {
                        scope: f.scope,
                        kind: f.kind,
                        ..Form::default()
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
                        <option value="" selected={form.scope.is_empty()}>{ "the whole check" }</option>
                        { for targets.iter().enumerate().map(|(i, t)| html! {
                            <option value={i.to_string()} selected={form.scope == i.to_string()}>
                                { format!("{} {}", t.kind.as_str(), t.display()) }
                            </option>
                        }) }
                    </select>
                </label>
                <label>{ "Decision " }
                    <select onchange={on_kind} data-testid="decision-kind">
                        { for kinds.iter().map(|k| html! {
                            <option value={k.as_str()} selected={*k == kind}>{ k.label() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <label class="block">{ "Justification (required)" }
                <textarea rows="3" value={form.justification.clone()} oninput={on_justification}
                    data-testid="decision-justification" placeholder="Why is this acceptable, and who agreed?" />
            </label>
            <div class="form-row">
                if kind == DecisionKind::RemediationPlanned {
                    <label>{ "Due (YYYY-MM-DD) " }
                        <input type="text" inputmode="numeric" placeholder="YYYY-MM-DD" size="11"
                            value={form.due.clone()} oninput={on_due} data-testid="decision-due" />
                    </label>
                }
                <label>{ "Expires (optional) " }
                    <input type="text" inputmode="numeric" placeholder="YYYY-MM-DD" size="11"
                        value={form.expires.clone()} oninput={on_expires} data-testid="decision-expires" />
                </label>
                <button class="button primary" onclick={on_record} data-testid="decision-record">{ "Record decision" }</button>
            </div>
            if let Some(e) = &form.error {
                <p class="form-error" role="alert" data-testid="decision-error">{ e.clone() }</p>
            }
        </div>
    }
}

/// Updates one field of the form from a select's change.
fn on_change(form: &UseStateHandle<Form>, set: fn(&mut Form, String)) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        let mut next = (*form).clone();
        set(&mut next, field_value(&e));
        form.set(next);
    })
}

/// Updates one field of the form on every keystroke, so a click right after typing sees it.
fn on_input(form: &UseStateHandle<Form>, set: fn(&mut Form, String)) -> Callback<InputEvent> {
    let form = form.clone();
    Callback::from(move |e: InputEvent| {
        let mut next = (*form).clone();
        set(&mut next, field_value(&e));
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
                let scope = d.target.as_ref().map_or_else(|| "whole check".to_string(), TargetRef::label);
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
