//! The heatmap: hosts down, checks across under their (collapsible) sections, each cell coloured by
//! the host's latest status for that check. A cell opens that host's report at that check (fetched
//! from the store only then); a host opens its panel (report and trend); a check opens the hosts
//! failing it. One click listener serves every cell, so a page of 100 hosts × 117 checks does not
//! carry ten thousand closures.

use std::rc::Rc;

use dockaudit_shared::report::Status;
use dockaudit_shared::view::fleet::{FleetAction, FleetSpec, Group, Heatmap};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::fleet_view::FleetDispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub map: Rc<Heatmap>,
    pub spec: FleetSpec,
    pub dispatch: FleetDispatch,
}

/// The `data-*` attribute `name` of the nearest ancestor of the event's target that has it.
fn closest_data(e: &MouseEvent, name: &str) -> Option<String> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let found = el.closest(&format!("[data-{name}]")).ok()??;
    found.get_attribute(&format!("data-{name}"))
}

/// Opens a query of this page (a report of the fleet), keeping the fleet in the history.
fn open(query: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&format!("?{query}"));
    }
}

#[component]
pub fn FleetHeatmap(props: &Props) -> Html {
    let map = &props.map;
    let spec = &props.spec;
    let d = &props.dispatch;
    let (rows, page) = map.page(spec.page);

    let on_cell = {
        let map = map.clone();
        let spec = spec.clone();
        Callback::from(move |e: MouseEvent| {
            let (Some(host), Some(col)) = (closest_data(&e, "host"), closest_data(&e, "col")) else {
                return;
            };
            let Some(row) = map.rows.iter().find(|r| r.key == host) else {
                return;
            };
            let Some(column) = col.parse::<usize>().ok().and_then(|i| map.columns.get(i)) else {
                return;
            };
            let check = (!column.collapsed_section).then_some(column.id.as_str());
            if let Some(link) = spec.report_link(&row.report_key, check) {
                open(&link);
            }
        })
    };

    if map.rows.is_empty() {
        return html! {
            <section class="heatmap-wrap empty" data-testid="fleet-heatmap">
                <p>{ "No host matches these filters." }</p>
            </section>
        };
    }

    let group_cells = |depth: u8| -> Html {
        let mut cells = Vec::new();
        let mut i = 0;
        while i < map.columns.len() {
            match map.groups.iter().find(|g| g.depth == depth && g.first == i) {
                Some(g) => {
                    cells.push(group_header(g, d));
                    i += g.span.max(1);
                }
                None => {
                    let start = i;
                    while i < map.columns.len() && !map.groups.iter().any(|g| g.depth == depth && g.first == i) {
                        i += 1;
                    }
                    cells.push(html! { <th class="group blank" colspan={(i - start).to_string()}></th> });
                }
            }
        }
        cells.into_iter().collect::<Html>()
    };
    let has_subsections = map.groups.iter().any(|g| g.depth == 1);

    html! {
        <section class="heatmap-wrap" data-testid="fleet-heatmap">
            <div class="heatmap-scroll">
                <table class="heatmap">
                    <thead>
                        <tr class="groups">
                            <th class="corner" rowspan={if has_subsections { "2" } else { "1" }}>{ "Sections" }</th>
                            { group_cells(0) }
                        </tr>
                        if has_subsections {
                            <tr class="groups sub">{ group_cells(1) }</tr>
                        }
                        <tr class="checks">
                            <th class="corner">{ "Host · score" }</th>
                            { for map.columns.iter().map(|c| {
                                let id = c.id.clone();
                                let select = if c.collapsed_section {
                                    d.reform(move |_: MouseEvent| FleetAction::ToggleGroup(id.clone()))
                                } else {
                                    d.reform(move |_: MouseEvent| FleetAction::SelectCheck(Some(id.clone())))
                                };
                                let current = spec.check.as_ref() == Some(&c.id);
                                html! {
                                    <th class={classes!("col", c.collapsed_section.then_some("folded"), current.then_some("current"))}
                                        title={format!("{} — {}", c.title, map.count_label(c))}>
                                        <button class="col-id" onclick={select} data-testid="fleet-check" data-check={c.id.clone()}>
                                            { c.id.clone() }
                                        </button>
                                    </th>
                                }
                            }) }
                        </tr>
                        <tr class="counts">
                            <th class="corner">{ "failing hosts" }</th>
                            { for map.columns.iter().map(|c| html! {
                                <th class={classes!("count", (c.counts.fail > 0).then_some("has-fail"))}
                                    data-testid="fleet-count" data-check={c.id.clone()} title={map.count_label(c)}>
                                    { c.counts.fail }
                                </th>
                            }) }
                        </tr>
                    </thead>
                    <tbody onclick={on_cell}>
                        { for rows.iter().map(|row| {
                            let key = row.key.clone();
                            let select = d.reform(move |_: MouseEvent| FleetAction::SelectHost(Some(key.clone())));
                            let current = spec.host.as_ref() == Some(&row.key);
                            let score = row.score.map_or("—".to_string(), |s| format!("{s:.0}"));
                            html! {
                                <tr key={row.key.clone()} data-host={row.key.clone()} data-testid="fleet-row"
                                    class={classes!(row.stale.then_some("stale"), current.then_some("current"))}>
                                    <th class="host" scope="row">
                                        <button class="host-name" onclick={select} data-testid="fleet-host"
                                            title={row.labels.join(", ")}>{ row.name.clone() }</button>
                                        <span class="host-score" title="score">{ score }</span>
                                        if row.stale {
                                            <span class="stale-badge" data-testid="stale-badge"
                                                title={format!("last run {}", row.started_at)}>
                                                { row.age_days.map_or("stale".to_string(), |a| format!("{a} d")) }
                                            </span>
                                        }
                                    </th>
                                    { for row.cells.iter().enumerate().map(|(i, cell)| {
                                        // As few attributes as will do: a page holds thousands of cells.
                                        let class = cell.map_or("cell st-none", cell_class);
                                        html! {
                                            <td {class} data-col={i.to_string()} data-check={map.columns[i].id.clone()}></td>
                                        }
                                    }) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            if map.pages() > 1 {
                <nav class="pager" aria-label="Pages of hosts" data-testid="fleet-pager">
                    { for (0..map.pages()).map(|p| {
                        let onclick = d.reform(move |_: MouseEvent| FleetAction::SetPage(p));
                        let first = p * dockaudit_shared::view::fleet::PAGE_SIZE + 1;
                        let last = ((p + 1) * dockaudit_shared::view::fleet::PAGE_SIZE).min(map.rows.len());
                        html! {
                            <button class={classes!("chip", (p == page).then_some("on"))} {onclick}
                                aria-pressed={(p == page).to_string()}>{ format!("{first}–{last}") }</button>
                        }
                    }) }
                </nav>
            }
        </section>
    }
}

/// The class of a cell, without building a string per cell.
fn cell_class(s: Status) -> &'static str {
    match s {
        Status::Pass => "cell st-pass",
        Status::Fail => "cell st-fail",
        Status::Warn => "cell st-warn",
        Status::Info => "cell st-info",
        Status::Manual => "cell st-manual",
        Status::NotApplicable => "cell st-not_applicable",
        Status::Error => "cell st-error",
        Status::Skipped => "cell st-skipped",
    }
}

fn group_header(g: &Group, d: &FleetDispatch) -> Html {
    let id = g.id.clone();
    let toggle = d.reform(move |_: MouseEvent| FleetAction::ToggleGroup(id.clone()));
    let arrow = if g.collapsed { "▸" } else { "▾" };
    html! {
        <th class={classes!("group", format!("depth-{}", g.depth))} colspan={g.span.to_string()} title={g.title.clone()}>
            <button class="group-toggle" onclick={toggle} aria-expanded={(!g.collapsed).to_string()}
                data-testid="fleet-group" data-group={g.id.clone()}>
                { format!("{arrow} {}", g.id) }
                if g.span > 3 {
                    { format!(" {}", g.title) }
                }
            </button>
        </th>
    }
}
