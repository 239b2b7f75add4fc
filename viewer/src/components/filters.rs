//! Status, section, level, evaluation, target and free-text filters, each value with a live count.

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
    let on_target = d.reform(|e: Event| Action::SetTarget(select_value(&e)));
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
                <label>{ "Target " }
                    <select onchange={on_target} data-testid="filter-target">
                        <option value="" selected={f.target.is_none()}>{ "any container or image" }</option>
                        { for props.targets.iter().map(|t| html! {
                            <option value={t.key.clone()} selected={f.target.as_ref() == Some(&t.key)}>{ t.label.clone() }</option>
                        }) }
                    </select>
                </label>
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
