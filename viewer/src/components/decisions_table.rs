//! Every decision of the sign-off in one table: check, target(s), kind, justification, expiry or
//! due date, when it was recorded and where it stands today, with edit and remove. A bulk decision
//! is one row with its count. The rows come from `dockaudit_shared::view::signoff::decision_table`.

use dockaudit_shared::signoff::draft::offered_kinds;
use dockaudit_shared::signoff::DecisionKind;
use dockaudit_shared::view::signoff::{decision_table, thousands, DecisionRow, SignoffAction};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use yew::prelude::*;

use crate::components::decision_form::row_until;
use crate::signoff_store::{self, field_value, SignoffContext};

/// Rows shown at first and added by each "more".
const PAGE: usize = 50;

/// An entry being edited: its first decision's index and the fields as typed.
#[derive(Debug, Clone, PartialEq)]
struct Edit {
    member: usize,
    kind: DecisionKind,
    justification: String,
    due: String,
    expires: String,
}

#[component]
pub fn DecisionsTable() -> Html {
    let ctx = use_context::<SignoffContext>();
    let editing = use_state(|| None::<Edit>);
    let shown = use_state(|| PAGE);
    let Some(ctx) = ctx else { return html! {} };
    let rows = decision_table(&ctx.report.report, &ctx.signoff, &ctx.eval);
    let decisions = ctx.signoff.decisions.len();
    let total = rows.len();
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE))
    };
    html! {
        <section class="panel decisions-table" data-testid="decisions-table" aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">{ format!("Decisions ({})", thousands(decisions)) }</h2>
            if rows.is_empty() {
                <p class="muted" data-testid="decisions-empty">{ "No decision yet. Decide the open items above." }</p>
            } else {
                <div class="table-scroll">
                <table class="decisions-grid">
                    <thead>
                        <tr>
                            <th scope="col">{ "Check" }</th><th scope="col">{ "Target" }</th><th scope="col">{ "Decision" }</th>
                            <th scope="col">{ "Justification" }</th><th scope="col">{ "Until" }</th>
                            <th scope="col">{ "Recorded" }</th><th scope="col">{ "Today" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().take(*shown).map(|row| match editing.as_ref().filter(|e| row.members.first() == Some(&e.member)) {
                            Some(edit) => edit_row(&ctx, row, edit, &editing),
                            None => view_row(&ctx, row, &editing),
                        }) }
                    </tbody>
                </table>
                </div>
                if total > *shown {
                    <p class="muted">
                        { format!("{} more entries. ", thousands(total - *shown)) }
                        <button class="link" onclick={more} data-testid="decisions-more">{ "Show more" }</button>
                    </p>
                }
            }
        </section>
    }
}

fn view_row(ctx: &SignoffContext, row: &DecisionRow, editing: &UseStateHandle<Option<Edit>>) -> Html {
    let remove = {
        let dispatch = ctx.dispatch.clone();
        let scopes = row.scopes();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Signoff(SignoffAction::RemoveMany { scopes: scopes.clone() }))
        })
    };
    let edit = {
        let editing = editing.clone();
        let start = Edit {
            member: row.members.first().copied().unwrap_or_default(),
            kind: row.kind,
            justification: row.justification.clone(),
            due: row.due.clone().unwrap_or_default(),
            expires: row.expires.clone().unwrap_or_default(),
        };
        Callback::from(move |_: MouseEvent| editing.set(Some(start.clone())))
    };
    let open = {
        let dispatch = ctx.dispatch.clone();
        let id = row.check.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::SetMode(Mode::Report));
            dispatch.emit(Action::Select(id.clone()));
        })
    };
    let state = row.main_state();
    let recorded = row
        .recorded_at
        .as_deref()
        .map(short_time)
        .unwrap_or_else(|| "—".to_string());
    html! {
        <tr class={classes!("decision-row", format!("ds-{}", state.as_str()))} data-testid="decision-row"
            data-check-id={row.check.clone()} data-kind={row.kind.as_str()} data-state={state.as_str()}
            data-targets={row.targets.len().to_string()}
            data-scope={row.targets.first().map_or_else(String::new, |t| t.key.clone())}>
            <td><button class="link" onclick={open} title={row.title.clone()}><span class="check-id">{ row.check.clone() }</span></button></td>
            <td data-testid="decision-row-scope">
                { row.scope_label() }
                if row.targets.len() > 1 {
                    { " " }<span class="count-pill" data-testid="decision-row-count">{ format!("×{}", thousands(row.targets.len())) }</span>
                }
            </td>
            <td data-testid="decision-row-kind">{ row.kind.label() }</td>
            <td class="justification" data-testid="decision-row-justification">{ row.justification.clone() }</td>
            <td class="nowrap">{ row_until(row) }</td>
            <td class="nowrap">{ recorded }</td>
            <td data-testid="decision-row-state" title={row.note.clone()}>{ row.state_label() }</td>
            <td class="nowrap">
                <button class="link" onclick={edit} data-testid="decision-row-edit"
                    aria-label={format!("Edit the decision on {} ({})", row.check, row.scope_label())}>{ "edit" }</button>
                { " · " }
                <button class="link danger" onclick={remove} data-testid="decision-row-remove"
                    aria-label={format!("Remove the decision on {} ({})", row.check, row.scope_label())}>{ "remove" }</button>
            </td>
        </tr>
    }
}

fn edit_row(ctx: &SignoffContext, row: &DecisionRow, edit: &Edit, editing: &UseStateHandle<Option<Edit>>) -> Html {
    let kinds = ctx
        .report
        .report
        .result(&row.check)
        .map(|r| offered_kinds(r.status))
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| vec![row.kind]);
    let set = |f: fn(&mut Edit, String)| {
        let editing = editing.clone();
        // `input`, not `change`: a click on Save right after typing must see the text.
        Callback::from(move |e: InputEvent| {
            if let Some(mut next) = (*editing).clone() {
                f(&mut next, field_value(&e));
                editing.set(Some(next));
            }
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(None))
    };
    let save = {
        let editing = editing.clone();
        let dispatch = ctx.dispatch.clone();
        let row = row.clone();
        let today = ctx.today.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(e) = (*editing).clone() else { return };
            let decisions = row.edited(e.kind, &e.justification, &e.due, &e.expires, &signoff_store::now());
            dispatch.emit(Action::Signoff(SignoffAction::RecordMany {
                decisions,
                replaces: row.scopes(),
                today: today.clone(),
            }));
            editing.set(None);
        })
    };
    html! {
        <tr class="decision-row editing" data-testid="decision-row-editor">
            <td><span class="check-id">{ row.check.clone() }</span></td>
            <td>{ row.scope_label() }</td>
            <td>
                <select aria-label="Decision" oninput={set(|e, v| if let Some(k) = DecisionKind::parse(&v) { e.kind = k })}
                    data-testid="edit-kind">
                    { for kinds.iter().map(|k| html! { <option value={k.as_str()} selected={*k == edit.kind}>{ k.label() }</option> }) }
                </select>
            </td>
            <td>
                <textarea aria-label="Justification" rows="2" value={edit.justification.clone()}
                    oninput={set(|e, v| e.justification = v)} data-testid="edit-justification" />
            </td>
            <td>
                if edit.kind == DecisionKind::RemediationPlanned {
                    <label class="block">{ "Due " }<input type="date" value={edit.due.clone()} min={ctx.today.clone()}
                        oninput={set(|e, v| e.due = v)} data-testid="edit-due" /></label>
                }
                <label class="block">{ "Expires " }<input type="date" value={edit.expires.clone()} min={ctx.today.clone()}
                    oninput={set(|e, v| e.expires = v)} data-testid="edit-expires" /></label>
            </td>
            <td colspan="2" class="muted">{ format!("{} decision(s)", thousands(row.members.len())) }</td>
            <td class="nowrap">
                <button class="button primary" onclick={save} data-testid="edit-save">{ "Save" }</button>
                { " " }
                <button class="button" onclick={cancel} data-testid="edit-cancel">{ "Cancel" }</button>
            </td>
        </tr>
    }
}

/// "2026-02-01 09:12" from an RFC 3339 time (UTC as recorded).
fn short_time(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => at.to_string(),
    }
}
