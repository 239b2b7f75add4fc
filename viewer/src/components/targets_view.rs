//! By target: find a container or image by name and see every check it fails, with its own
//! findings. The list is virtualised (fixed row height, only the rows in view are rendered), so a
//! host of thousands of containers stays one screen tall and quick.

use dockaudit_shared::view::signoff::thousands;
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::targets::{self, TargetSummary};
use dockaudit_shared::view::url::{Mode, ViewSpec};
use dockaudit_shared::view::window::{window, Window};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::browser;
use crate::components::check_detail::Findings;
use crate::components::hardening_panel::HardeningPanel;
use crate::components::report_header::ReportHeader;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

/// Height of one row of the list in pixels; `.target-list .target-item` in style.css has it too.
pub const ROW_PX: u32 = 36;
const LIST_ID: &str = "target-list";

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub view: ViewSpec,
    pub dispatch: Dispatch,
}

#[component]
pub fn TargetsView(props: &Props) -> Html {
    let query = use_state(String::new);
    // (scroll offset, visible height) of the list.
    let scroll = use_state(|| (0u32, 0u32));
    // Listed while the report was read.
    let all = props.report.prepared.summary().clone();
    let found = targets::search(&all, &query);
    let selected = props.view.filters.target.clone();
    let d = &props.dispatch;
    let on_query = {
        let query = query.clone();
        let scroll = scroll.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            query.set(value);
            scroll.set((0, scroll.1));
            browser::scroll_to_top(LIST_ID);
        })
    };
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(m) = browser::scroll_metrics(&e) {
                if m != *scroll {
                    scroll.set(m);
                }
            }
        })
    };
    let w = window(found.len(), ROW_PX, scroll.0, scroll.1);
    let list = if all.is_empty() {
        html! { <p>{ "No finding in this report names a container or an image." }</p> }
    } else {
        html! {
            <>
                <div class="target-search">
                    <label for="target-search">{ "Find a container or image" }</label>
                    <input id="target-search" type="search" placeholder="name or id…" value={(*query).clone()}
                        oninput={on_query} data-testid="target-search" aria-controls={LIST_ID} autocomplete="off" />
                    <span class="shown" data-testid="target-found" role="status">
                        { format!("{} of {}", thousands(found.len()), thousands(all.len())) }
                    </span>
                </div>
                <div class="target-scroll" id={LIST_ID} onscroll={on_scroll} data-testid="target-list" tabindex="-1">
                    { spacer(w.above) }
                    <ul class="target-list" aria-label="Containers and images">
                        { for found[w.range()].iter().map(|t| item(t, selected.as_deref(), d)) }
                    </ul>
                    { spacer(w.below) }
                </div>
            </>
        }
    };
    let checks = match &selected {
        None => html! { <p class="hint">{ "Pick a container or image to see every check it fails." }</p> },
        Some(key) => target_checks(props, key),
    };
    let hardening = selected.map(|key| html! { <HardeningPanel report={props.report.clone()} target={key} /> });
    html! {
        <div class="targets-view" data-testid="targets-view" data-rendered={rendered(&w)}>
            <ReportHeader report={props.report.clone()} />
            <div class="split with-detail">
                <section class="targets-pane" aria-label="Containers and images">{ list }</section>
                <section class="detail">{ hardening }{ checks }</section>
            </div>
        </div>
    }
}

/// How many rows are rendered (for the tests: the list is virtualised).
fn rendered(w: &Window) -> String {
    (w.end - w.first).to_string()
}

/// Stands in for the rows not rendered. An SVG's height is an attribute, so no inline style is
/// needed (the CSP forbids them).
fn spacer(px: u32) -> Html {
    if px == 0 {
        return html! {};
    }
    html! { <svg class="spacer" width="1" height={px.to_string()} aria-hidden="true" focusable="false" /> }
}

fn item(t: &TargetSummary, selected: Option<&str>, d: &Dispatch) -> Html {
    let key = t.key.clone();
    let onclick = d.reform(move |_: MouseEvent| Action::SetTarget(Some(key.clone())));
    let current = selected == Some(t.key.as_str());
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
}

/// The container's labels, when the report carries them (schema 3): what a bulk decision by
/// label matches on.
fn labels(report: &dockaudit_shared::report::Report, key: &str) -> Html {
    let Some(entry) = report
        .target_labels
        .iter()
        .flatten()
        .find(|l| l.target.kind == dockaudit_shared::report::TargetKind::Container && l.target.key() == key)
    else {
        return html! {};
    };
    html! {
        <p class="target-labels" data-testid="target-labels">
            <span class="muted">{ "Labels: " }</span>
            { for entry.labels.iter().map(|(k, v)| html! {
                <><code data-testid="target-label">{ format!("{k}={v}") }</code>{ " " }</>
            }) }
            if entry.omitted > 0 {
                <span class="muted">{ format!("and {} more left out (too many or too long)", entry.omitted) }</span>
            }
        </p>
    }
}

fn target_checks(props: &Props, key: &str) -> Html {
    let report = &props.report.report;
    let d = &props.dispatch;
    let found = targets::checks_for(report, key);
    if found.is_empty() {
        return html! { <p>{ "No check in this report names this target." }</p> };
    }
    let clear = d.reform(|_: MouseEvent| Action::SetTarget(None));
    html! {
        <div class="target-checks" data-testid="target-checks">
            <h2>{ format!("Checks that name {key}") }</h2>
            <p><button class="link" onclick={clear} data-testid="target-clear">{ "show every target" }</button></p>
            { labels(report, key) }
            // Panels about the target itself (e.g. hardening advice) go here.
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
                        <Findings findings={findings.into_iter().cloned().collect::<Vec<_>>()} check={r.id.clone()} />
                    </article>
                }
            }) }
        </div>
    }
}
