//! The report view's order: the benchmark's sections (the check tree) or by severity. By
//! severity, the visible checks are listed under Critical, High, Medium and Low, failing ones and
//! those with most offenders first (`dockaudit_shared::view::state::by_severity`).

use dockaudit_shared::catalog::severity;
use dockaudit_shared::report::CheckResult;
use dockaudit_shared::view::filter::{self, Filters};
use dockaudit_shared::view::state::{by_severity, Action, TreeOrder};
use yew::prelude::*;

use crate::components::severity_badge::SeverityBadge;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct ToggleProps {
    pub order: TreeOrder,
    pub dispatch: Dispatch,
}

/// Two buttons, one pressed: "Benchmark order" and "By severity".
#[component]
pub fn TreeOrderToggle(props: &ToggleProps) -> Html {
    let button = |order: TreeOrder, label: &str| {
        let onclick = props.dispatch.reform(move |_: MouseEvent| Action::SetOrder(order));
        let on = props.order == order;
        html! {
            <button class={classes!("tab", on.then_some("current"))} {onclick} aria-pressed={on.to_string()}
                data-testid={format!("order-{}", order.as_str())}>{ label.to_string() }</button>
        }
    };
    html! {
        <div class="tree-order tabs" role="group" aria-label="Order of the checks" data-testid="tree-order">
            { button(TreeOrder::Benchmark, "Benchmark order") }
            { button(TreeOrder::Severity, "By severity") }
        </div>
    }
}

#[derive(PartialEq, Properties)]
pub struct ListProps {
    pub report: ReportRef,
    pub filters: Filters,
    pub selected: Option<String>,
    pub dispatch: Dispatch,
}

/// The visible checks grouped by severity.
#[component]
pub fn SeverityList(props: &ListProps) -> Html {
    let visible = filter::visible(&props.report.report.results, &props.filters);
    let ordered = by_severity(&visible);
    if ordered.is_empty() {
        return html! {
            <section class="tree empty-tree" data-testid="severity-list">
                <p>{ "No check matches the filters." }</p>
            </section>
        };
    }
    let mut groups: Vec<(Option<dockaudit_shared::catalog::Severity>, Vec<&CheckResult>)> = Vec::new();
    for r in ordered {
        let s = severity::of(&r.id);
        match groups.last_mut() {
            Some((g, list)) if *g == s => list.push(r),
            _ => groups.push((s, vec![r])),
        }
    }
    html! {
        <section class="tree severity-list" data-testid="severity-list" aria-label="Checks by severity">
            { for groups.iter().map(|(s, list)| {
                let name = s.map_or("unrated", |s| s.as_str());
                let failing = list.iter().filter(|r| dockaudit_shared::view::fix_first::needs_fix(r.status)).count();
                html! {
                    <div class="group depth-0" data-testid={format!("severity-group-{name}")}>
                        <h3 class="group-head severity-head">
                            <SeverityBadge severity={*s} />
                            <span class="group-total">{ format!("{} checks · {failing} failing", list.len()) }</span>
                        </h3>
                        <ul class="checks">
                            { for list.iter().map(|r| row(r, props)) }
                        </ul>
                    </div>
                }
            }) }
        </section>
    }
}

fn row(r: &CheckResult, props: &ListProps) -> Html {
    let selected = props.selected.as_deref() == Some(r.id.as_str());
    let id = r.id.clone();
    let onclick = props.dispatch.reform(move |_: MouseEvent| Action::Select(id.clone()));
    let offenders = r.offender_count();
    html! {
        <li>
            <button class={classes!("check-row", selected.then_some("selected"))} {onclick}
                aria-current={selected.then_some("true")} data-testid="severity-row" data-check-id={r.id.clone()}>
                <StatusBadge status={r.status} />
                <span class="check-id">{ r.id.clone() }</span>
                <span class="check-title">{ r.title.clone() }</span>
                if offenders > 0 {
                    <span class="offenders" title="offending targets">{ offenders }</span>
                }
            </button>
        </li>
    }
}
