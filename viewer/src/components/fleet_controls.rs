//! The fleet view's sort and filters: host label, section, level, status, text, stale hosts.

use dockaudit_shared::report::Status;
use dockaudit_shared::view::fleet::{FleetAction, FleetSpec, HostSort};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::fleet_view::FleetDispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub spec: FleetSpec,
    /// Every `key=value` label in the fleet.
    pub labels: Vec<String>,
    /// Section ids with titles.
    pub sections: Vec<(String, String)>,
    /// Hosts shown and in the fleet.
    pub shown: usize,
    pub total: usize,
    pub dispatch: FleetDispatch,
}

/// Statuses offered as filters (the ones a heatmap cell is coloured by).
const STATUSES: [Status; 5] = [Status::Fail, Status::Warn, Status::Error, Status::Manual, Status::Pass];

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .filter(|v| !v.is_empty())
}

#[component]
pub fn FleetControls(props: &Props) -> Html {
    let s = &props.spec;
    let d = &props.dispatch;
    let on_sort = d.reform(|e: Event| {
        FleetAction::SetSort(select_value(&e).and_then(|v| HostSort::parse(&v)).unwrap_or_default())
    });
    let on_label = d.reform(|e: Event| FleetAction::SetLabel(select_value(&e)));
    let on_section = d.reform(|e: Event| FleetAction::SetSection(select_value(&e)));
    let on_level = d.reform(|e: Event| FleetAction::SetLevel(select_value(&e).and_then(|v| v.parse().ok())));
    let on_text = d.reform(|e: InputEvent| {
        FleetAction::SetText(
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });
    let on_days = d.reform(|e: Event| {
        let days = e
            .target_dyn_into::<HtmlInputElement>()
            .and_then(|i| i.value().trim().parse().ok())
            .unwrap_or(dockaudit_shared::view::fleet::DEFAULT_STALE_DAYS);
        FleetAction::SetStaleDays(days)
    });
    let stale_only = s.stale_only;
    let on_stale_only = d.reform(move |_: Event| FleetAction::SetStaleOnly(!stale_only));
    let clear = d.reform(|_: MouseEvent| FleetAction::ClearFilters);
    let filtered = s.label.is_some()
        || s.section.is_some()
        || s.level.is_some()
        || !s.statuses.is_empty()
        || !s.text.is_empty()
        || s.stale_only;

    html! {
        <section class="filters fleet-controls" aria-label="Sort and filter hosts" data-testid="fleet-controls">
            <div class="status-filters" role="group" aria-label="Status">
                { for STATUSES.into_iter().map(|status| {
                    let on = s.statuses.contains(&status);
                    let onclick = d.reform(move |_: MouseEvent| FleetAction::ToggleStatus(status));
                    html! {
                        <button class={classes!("chip", format!("st-{}", status.as_str()), on.then_some("on"))} {onclick}
                            aria-pressed={on.to_string()} data-testid={format!("fleet-status-{}", status.as_str())}>
                            { status.label() }
                        </button>
                    }
                }) }
            </div>
            <div class="selects">
                <label>{ "Sort hosts by " }
                    <select onchange={on_sort} data-testid="fleet-sort">
                        { for HostSort::ALL.into_iter().map(|o| html! {
                            <option value={o.as_str()} selected={s.sort == o}>{ o.label() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Label " }
                    <select onchange={on_label} data-testid="fleet-label">
                        <option value="" selected={s.label.is_none()}>{ "any" }</option>
                        { for props.labels.iter().map(|l| html! {
                            <option value={l.clone()} selected={s.label.as_ref() == Some(l)}>{ l.clone() }</option>
                        }) }
                        if let Some(l) = s.label.as_ref().filter(|l| !props.labels.contains(l)) {
                            <option value={l.clone()} selected=true>{ l.clone() }</option>
                        }
                    </select>
                </label>
                <label>{ "Section " }
                    <select onchange={on_section} data-testid="fleet-section">
                        <option value="" selected={s.section.is_none()}>{ "all" }</option>
                        { for props.sections.iter().map(|(id, title)| html! {
                            <option value={id.clone()} selected={s.section.as_ref() == Some(id)}>{ format!("{id} {title}") }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Level " }
                    <select onchange={on_level} data-testid="fleet-level">
                        <option value="" selected={s.level.is_none()}>{ "all" }</option>
                        <option value="1" selected={s.level == Some(1)}>{ "level 1" }</option>
                        <option value="2" selected={s.level == Some(2)}>{ "level 2" }</option>
                    </select>
                </label>
                <label>{ "Stale after " }
                    <input type="number" min="0" max="3650" class="days" value={s.stale_days.to_string()}
                        onchange={on_days} data-testid="fleet-stale-days" />
                    { " days" }
                </label>
                <label class="toggle">
                    <input type="checkbox" checked={s.stale_only} onchange={on_stale_only} data-testid="fleet-stale-only" />
                    { " stale hosts only" }
                </label>
            </div>
            <div class="search-row">
                <input type="search" placeholder="Search host names and labels…" value={s.text.clone()}
                    oninput={on_text} data-testid="fleet-search" aria-label="Search hosts" />
                <span class="shown" data-testid="fleet-shown">{ format!("{} of {} hosts", props.shown, props.total) }</span>
                if filtered {
                    <button class="link" onclick={clear} data-testid="fleet-clear">{ "clear filters" }</button>
                }
            </div>
        </section>
    }
}
