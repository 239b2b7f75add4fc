//! Status, section, level, evaluation, target and free-text filters, each value with a live count.
//!
//! The target is picked in a searchable combobox (WAI-ARIA combobox with a listbox popup): a host
//! has thousands of containers, far too many for a dropdown.

use dockaudit_shared::catalog::Evaluation;
use dockaudit_shared::view::filter::{evaluation_str, parse_evaluation, FacetCounts, Filters as FilterSet};
use dockaudit_shared::view::state::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::browser::SEARCH_ID;
use crate::hooks::Dispatch;

/// A pickable target: its key (what the filter holds) and a label.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetOption {
    pub key: String,
    pub label: String,
}

#[derive(PartialEq, Properties)]
pub struct Props {
    pub filters: FilterSet,
    pub counts: FacetCounts,
    pub targets: Vec<TargetOption>,
    pub dispatch: Dispatch,
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

fn evaluation_label(e: Evaluation) -> &'static str {
    match e {
        Evaluation::Automatic => "automatic (decided by dockaudit)",
        Evaluation::Review => "review (a person decides)",
    }
}

#[component]
pub fn Filters(props: &Props) -> Html {
    let f = &props.filters;
    let c = &props.counts;
    let d = &props.dispatch;

    let on_section = d.reform(|e: Event| Action::SetSection(select_value(&e).filter(|v| !v.is_empty())));
    let on_level = d.reform(|e: Event| Action::SetLevel(select_value(&e).and_then(|v| v.parse().ok())));
    let on_eval = d.reform(|e: Event| Action::SetEvaluation(select_value(&e).and_then(|v| parse_evaluation(&v))));
    let on_text = d.reform(|e: InputEvent| {
        Action::SetText(
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });
    let clear = d.reform(|_: MouseEvent| Action::ClearFilters);

    html! {
        <section class="filters" aria-label="Filters" data-testid="filters">
            <div class="status-filters" role="group" aria-label="Status">
                { for c.statuses.iter().filter(|s| s.count > 0 || f.statuses.contains(&s.value)).map(|s| {
                    let status = s.value;
                    let on = f.statuses.contains(&status);
                    let onclick = d.reform(move |_: MouseEvent| Action::ToggleStatus(status));
                    html! {
                        <button class={classes!("chip", format!("st-{}", status.as_str()), on.then_some("on"))} {onclick}
                            aria-pressed={on.to_string()} data-testid={format!("filter-status-{}", status.as_str())}>
                            { status.label() }<span class="chip-count">{ s.count }</span>
                        </button>
                    }
                }) }
            </div>
            <div class="selects">
                <label>{ "Section " }
                    <select onchange={on_section} data-testid="filter-section">
                        <option value="" selected={f.section.is_none()}>{ "all" }</option>
                        { for c.sections.iter().map(|(s, title)| html! {
                            <option value={s.value.clone()} selected={f.section.as_ref() == Some(&s.value)}>
                                { format!("{} {} ({})", s.value, title, s.count) }
                            </option>
                        }) }
                        // A subsection picked from the tree keeps its own entry.
                        if let Some(sub) = f.section.as_ref().filter(|s| !c.sections.iter().any(|(x, _)| &x.value == *s)) {
                            <option value={sub.clone()} selected=true>{ sub.clone() }</option>
                        }
                    </select>
                </label>
                <label>{ "Level " }
                    <select onchange={on_level} data-testid="filter-level">
                        <option value="" selected={f.level.is_none()}>{ "all" }</option>
                        { for c.levels.iter().map(|l| html! {
                            <option value={l.value.to_string()} selected={f.level == Some(l.value)}>
                                { format!("level {} ({})", l.value, l.count) }
                            </option>
                        }) }
                    </select>
                </label>
                <label>{ "Evaluation " }
                    <select onchange={on_eval} data-testid="filter-eval">
                        <option value="" selected={f.evaluation.is_none()}>{ "all" }</option>
                        { for c.evaluations.iter().map(|e| html! {
                            <option value={evaluation_str(e.value)} selected={f.evaluation == Some(e.value)}>
                                { format!("{} ({})", evaluation_label(e.value), e.count) }
                            </option>
                        }) }
                    </select>
                </label>
                <TargetPicker targets={props.targets.clone()} selected={f.target.clone()} dispatch={d.clone()} />
            </div>
            <div class="search-row">
                <input id={SEARCH_ID} type="search" placeholder="Search ids, titles, containers, messages…  ( / )"
                    value={f.text.clone()} oninput={on_text} data-testid="search" aria-label="Search" />
                <span class="shown" data-testid="shown-count">{ format!("{} of {} checks", c.shown, c.total) }</span>
                if !f.is_empty() {
                    <button class="link" onclick={clear} data-testid="clear-filters">{ "clear filters" }</button>
                }
            </div>
        </section>
    }
}

#[derive(PartialEq, Properties)]
pub struct PickerProps {
    pub targets: Vec<TargetOption>,
    pub selected: Option<String>,
    pub dispatch: Dispatch,
}

/// Options listed at once; typing narrows the rest.
const PICKER_SHOWN: usize = 50;
const LISTBOX_ID: &str = "target-options";

/// What the combobox holds while the reader types.
#[derive(Debug, Clone, Default, PartialEq)]
struct Picker {
    /// Typed text; `None` shows the picked target.
    typed: Option<String>,
    open: bool,
    /// Index of the highlighted option among those shown (0 is "any").
    active: usize,
}

/// The targets whose label or key contains the typed text (case-insensitive).
fn matching<'a>(targets: &'a [TargetOption], typed: &str) -> Vec<&'a TargetOption> {
    let q = typed.trim().to_lowercase();
    targets
        .iter()
        .filter(|t| q.is_empty() || t.label.to_lowercase().contains(&q) || t.key.to_lowercase().contains(&q))
        .collect()
}

/// The target filter: type part of a name, pick from the list (arrows and Enter, or a click).
#[component]
pub fn TargetPicker(props: &PickerProps) -> Html {
    let state = use_state(Picker::default);
    let typed = state.typed.clone().unwrap_or_default();
    let found = matching(&props.targets, &typed);
    let shown: Vec<&TargetOption> = found.iter().take(PICKER_SHOWN).copied().collect();
    // Option 0 is "any container or image", then the targets shown.
    let count = shown.len() + 1;
    let keys: Vec<Option<String>> = std::iter::once(None)
        .chain(shown.iter().map(|t| Some(t.key.clone())))
        .collect();
    let pick = {
        let state = state.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |key: Option<String>| {
            state.set(Picker::default());
            dispatch.emit(Action::SetTarget(key));
        })
    };
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            state.set(Picker {
                typed: Some(value),
                open: true,
                active: 1,
            });
        })
    };
    let onkeydown = {
        let state = state.clone();
        let pick = pick.clone();
        let keys = keys.clone();
        Callback::from(move |e: KeyboardEvent| {
            let mut next = (*state).clone();
            match e.key().as_str() {
                "ArrowDown" if !next.open => next.open = true,
                "ArrowDown" => next.active = (next.active + 1).min(count - 1),
                "ArrowUp" => next.active = next.active.saturating_sub(1),
                "Home" if next.open => next.active = 0,
                "End" if next.open => next.active = count - 1,
                "Enter" if next.open => {
                    e.prevent_default();
                    pick.emit(keys.get(next.active).cloned().flatten());
                    return;
                }
                "Escape" if next.open || next.typed.is_some() => next = Picker::default(),
                _ => return,
            }
            e.prevent_default();
            e.stop_propagation();
            state.set(next);
        })
    };
    let onfocus = {
        let state = state.clone();
        Callback::from(move |_: FocusEvent| {
            if !state.open {
                state.set(Picker {
                    open: true,
                    ..(*state).clone()
                });
            }
        })
    };
    let onblur = {
        let state = state.clone();
        Callback::from(move |_: FocusEvent| state.set(Picker::default()))
    };
    let value = match (&state.typed, &props.selected) {
        (Some(t), _) => t.clone(),
        (None, Some(key)) => props
            .targets
            .iter()
            .find(|t| &t.key == key)
            .map_or_else(|| key.clone(), |t| t.label.clone()),
        (None, None) => String::new(),
    };
    let active_id = state.open.then(|| format!("target-opt-{}", state.active));
    let option = |i: usize, key: Option<String>, label: String| {
        let picked = key == props.selected;
        let onclick = {
            let pick = pick.clone();
            let key = key.clone();
            Callback::from(move |_: MouseEvent| pick.emit(key.clone()))
        };
        // Keeps the focus in the input, so its blur does not close the list before the click.
        let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
        html! {
            <li role="option" id={format!("target-opt-{i}")} aria-selected={picked.to_string()}
                class={classes!("picker-option", (state.active == i).then_some("active"))}
                {onclick} {onmousedown} data-testid="target-option" data-key={key.unwrap_or_default()}>
                { label }
            </li>
        }
    };
    html! {
        <div class="picker">
            <label for="filter-target">{ "Target " }</label>
            <input id="filter-target" type="text" role="combobox" autocomplete="off"
                aria-autocomplete="list" aria-expanded={state.open.to_string()} aria-controls={LISTBOX_ID}
                aria-activedescendant={active_id} placeholder="any container or image — type a name"
                {value} {oninput} {onkeydown} {onfocus} {onblur} data-testid="filter-target" />
            if state.open {
                <div class="picker-popup">
                    <ul role="listbox" id={LISTBOX_ID} aria-label="Targets" data-testid="target-options">
                        { option(0, None, "any container or image".to_string()) }
                        { for shown.iter().enumerate().map(|(i, t)| option(i + 1, Some(t.key.clone()), t.label.clone())) }
                    </ul>
                    if found.len() > shown.len() {
                        <p class="picker-more muted" data-testid="target-options-more">
                            { format!("and {} more — type to narrow", found.len() - shown.len()) }
                        </p>
                    } else if found.is_empty() {
                        <p class="picker-more muted">{ "No target matches." }</p>
                    }
                </div>
            }
        </div>
    }
}
