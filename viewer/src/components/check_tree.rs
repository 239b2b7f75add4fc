//! Sections 1 … 7 with their subsections and checks: a status badge and the number of offending
//! targets per check, the number of failing checks per section.

use std::collections::BTreeSet;

use dockaudit_shared::report::CheckResult;
use dockaudit_shared::view::filter::{self, Filters};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::tree::{self, Group};
use yew::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub filters: Filters,
    pub collapsed: BTreeSet<String>,
    pub selected: Option<String>,
    pub dispatch: Dispatch,
}

#[component]
pub fn CheckTree(props: &Props) -> Html {
    let visible = filter::visible(&props.report.report.results, &props.filters);
    let groups = tree::build(&visible);
    if groups.is_empty() {
        return html! {
            <section class="tree empty-tree" data-testid="check-tree">
                <p>{ "No check matches the filters." }</p>
            </section>
        };
    }
    html! {
        <section class="tree" data-testid="check-tree" aria-label="Checks by section">
            { for groups.iter().map(|g| group(g, props, 0)) }
        </section>
    }
}

fn group(g: &Group<'_>, props: &Props, depth: u8) -> Html {
    let collapsed = props.collapsed.contains(&g.id);
    let id = g.id.clone();
    let toggle = props
        .dispatch
        .reform(move |_: MouseEvent| Action::ToggleGroup(id.clone()));
    let failing = g.failing();
    html! {
        <div class={classes!("group", format!("depth-{depth}"))} key={g.id.clone()}
            data-testid={format!("section-{}", g.id)}>
            <button class="group-head" onclick={toggle} aria-expanded={(!collapsed).to_string()}>
                <span class="chevron">{ if collapsed { "▸" } else { "▾" } }</span>
                <span class="group-id">{ g.id.clone() }</span>
                <span class="group-title">{ g.title.clone() }</span>
                <span class={classes!("fail-count", (failing > 0).then_some("has-fail"))} data-testid="section-fail-count"
                    title="failing checks">{ format!("{failing} fail") }</span>
                <span class="group-total">{ format!("{} checks", g.counts.total) }</span>
            </button>
            if !collapsed {
                <ul class="checks">
                    { for g.checks.iter().map(|r| row(r, props)) }
                </ul>
                { for g.groups.iter().map(|sub| group(sub, props, depth + 1)) }
            }
        </div>
    }
}

fn row(r: &CheckResult, props: &Props) -> Html {
    let selected = props.selected.as_deref() == Some(r.id.as_str());
    let id = r.id.clone();
    let onclick = props.dispatch.reform(move |_: MouseEvent| Action::Select(id.clone()));
    let offenders = r.offender_count();
    html! {
        // No `key`: a hand-edited report may repeat an id, and duplicate keys would break rendering.
        <li>
            <button class={classes!("check-row", selected.then_some("selected"))} {onclick}
                aria-selected={selected.to_string()} data-testid="check-row" data-check-id={r.id.clone()}>
                <StatusBadge status={r.status} />
                <span class="check-id">{ r.id.clone() }</span>
                <span class="check-title">{ r.title.clone() }</span>
                if offenders > 0 {
                    <span class="offenders" data-testid="check-offenders" title="offending targets">{ offenders }</span>
                }
            </button>
        </li>
    }
}
