//! "Fix first": the failing checks of the report, most urgent first (severity, then offenders,
//! then id; ranked by `dockaudit_shared::view::fix_first::rank`), each with its one-line fix.
//! Clicking one opens the check.

use dockaudit_shared::view::fix_first::rank_counted;
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::components::remediation_text::RemediationText;
use crate::components::severity_badge::SeverityBadge;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

/// Items shown before "show all": enough for the first screen.
const FIRST_ITEMS: usize = 5;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub selected: Option<String>,
    pub dispatch: Dispatch,
}

#[component]
pub fn FixFirst(props: &Props) -> Html {
    let show_all = use_state(|| false);
    let prepared = &props.report.prepared;
    let items = rank_counted(&props.report.report.results, |i, _| prepared.offenders(i));
    if items.is_empty() {
        return html! {
            <section class="fix-first" data-testid="fix-first" aria-labelledby="fix-first-title">
                <h2 id="fix-first-title">{ "Fix first" }</h2>
                <p class="hint" data-testid="fix-first-none">{ "Nothing to fix: no check fails, warns or errs." }</p>
            </section>
        };
    }
    let total = items.len();
    let shown = if *show_all { total } else { total.min(FIRST_ITEMS) };
    let toggle = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(!*show_all))
    };
    html! {
        <section class="fix-first" data-testid="fix-first" aria-labelledby="fix-first-title">
            <div class="fix-first-head">
                <h2 id="fix-first-title">{ "Fix first" }</h2>
                <span class="hint">{ format!("{total} failing check(s), by severity, then by offending targets") }</span>
            </div>
            <ol class="fix-list">
                { for items.iter().take(shown).map(|item| {
                    let r = item.result;
                    let id = r.id.clone();
                    let onclick = props.dispatch.reform(move |_: MouseEvent| Action::Select(id.clone()));
                    let selected = props.selected.as_deref() == Some(r.id.as_str());
                    let offenders = if r.findings.is_empty() {
                        "whole check".to_string()
                    } else {
                        format!("{} offending", item.offenders)
                    };
                    html! {
                        <li>
                            <button class={classes!("fix-item", selected.then_some("selected"))} {onclick}
                                data-testid="fix-item" data-check-id={r.id.clone()}
                                data-severity={item.severity.map_or("unrated", |s| s.as_str())}>
                                <span class="fix-line">
                                    <SeverityBadge severity={item.severity} />
                                    <StatusBadge status={r.status} />
                                    <span class="check-id">{ r.id.clone() }</span>
                                    <span class="check-title">{ r.title.clone() }</span>
                                    <span class="fix-offenders" data-testid="fix-offenders">{ offenders }</span>
                                </span>
                                <span class="fix-text" data-testid="fix-text">
                                    <RemediationText text={AttrValue::from(item.fix.to_string())} />
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if total > FIRST_ITEMS {
                <button class="link" onclick={toggle} data-testid="fix-first-toggle" aria-expanded={show_all.to_string()}>
                    { if *show_all { "Show the first five".to_string() } else { format!("Show all {total} ({} more)", total - FIRST_ITEMS) } }
                </button>
            }
        </section>
    }
}
