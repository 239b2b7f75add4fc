//! By target: pick a container or image and see every check it fails, with its own findings.

use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::targets;
use dockaudit_shared::view::url::{Mode, ViewSpec};
use yew::prelude::*;

use crate::components::check_detail::Findings;
use crate::components::hardening_panel::HardeningPanel;
use crate::components::report_header::ReportHeader;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub view: ViewSpec,
    pub dispatch: Dispatch,
}

#[component]
pub fn TargetsView(props: &Props) -> Html {
    let report = &props.report.report;
    let all = targets::summarize(report);
    let selected = props.view.filters.target.clone();
    let d = &props.dispatch;
    let list = if all.is_empty() {
        html! { <p>{ "No finding in this report names a container or an image." }</p> }
    } else {
        html! {
            <ul class="target-list" data-testid="target-list">
                { for all.iter().map(|t| {
                    let key = t.key.clone();
                    let onclick = d.reform(move |_: MouseEvent| Action::SetTarget(Some(key.clone())));
                    let current = selected.as_deref() == Some(t.key.as_str());
                    html! {
                        <li key={format!("{}:{}", t.kind.as_str(), t.key)}>
                            <button class={classes!("target-item", current.then_some("current"))} {onclick}
                                aria-pressed={current.to_string()} data-testid="target-item" data-key={t.key.clone()}>
                                <span class="kind">{ t.kind.as_str() }</span>
                                <span class="target-name">{ t.name.clone() }</span>
                                <span class={classes!("fail-count", (!t.offending.is_empty()).then_some("has-fail"))}>
                                    { format!("{} offending", t.offending.len()) }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        }
    };
    let checks = match &selected {
        None => html! { <p class="hint">{ "Pick a container or image to see every check it fails." }</p> },
        Some(key) => {
            let found = targets::checks_for(report, key);
            if found.is_empty() {
                html! { <p>{ "No check in this report names this target." }</p> }
            } else {
                html! {
                    <div class="target-checks" data-testid="target-checks">
                        <h2>{ format!("Checks that name {key}") }</h2>
                        { for found.into_iter().map(|(r, findings)| {
                            let id = r.id.clone();
                            let dispatch = d.clone();
                            let open = Callback::from(move |_: MouseEvent| {
                                dispatch.emit(Action::Select(id.clone()));
                                dispatch.emit(Action::SetMode(Mode::Report));
                            });
                            html! {
                                <article class="target-check" data-testid="target-check" data-check-id={r.id.clone()}>
                                    <header>
                                        <StatusBadge status={r.status} />
                                        <button class="link" onclick={open} title="Open in the report view">
                                            <span class="check-id">{ r.id.clone() }</span>{ " " }{ r.title.clone() }
                                        </button>
                                    </header>
                                    <Findings findings={findings.into_iter().cloned().collect::<Vec<_>>()} />
                                </article>
                            }
                        }) }
                    </div>
                }
            }
        }
    };
    let hardening = selected.map(|key| html! { <HardeningPanel report={props.report.clone()} target={key} /> });
    html! {
        <div class="targets-view" data-testid="targets-view">
            <ReportHeader report={props.report.clone()} />
            <div class="split with-detail">
                <section class="targets-pane" aria-label="Containers and images">{ list }</section>
                <section class="detail">{ hardening }{ checks }</section>
            </div>
        </div>
    }
}
