//! Two runs compared with `dockaudit_shared::diff::diff` (the same function as `dockaudit diff`):
//! regressions (every check that newly fails), fixes, still-failing checks with the containers that
//! started or stopped offending, added and removed checks, and the score change. Each changed check
//! opens to show, per target, what the older and the newer run observed.

use dockaudit_shared::diff::diff;
use dockaudit_shared::diff::TargetDelta;
use dockaudit_shared::report::Target;
use dockaudit_shared::view::compare::{self, DiffRow};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::ViewSpec;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::status_badge::MaybeStatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    /// (index, report) of the older and the newer run, when two reports are loaded.
    pub pair: Option<((usize, ReportRef), (usize, ReportRef))>,
    /// Every loaded report: index and label.
    pub choices: Vec<(usize, String)>,
    pub view: ViewSpec,
    pub dispatch: Dispatch,
}

fn picker(label: &str, testid: &str, current: usize, choices: &[(usize, String)], onchange: Callback<Event>) -> Html {
    html! {
        <label>{ label }
            <select {onchange} data-testid={testid.to_string()}>
                { for choices.iter().map(|(i, text)| html! {
                    <option value={i.to_string()} selected={*i == current}>{ format!("#{} {}", i + 1, text) }</option>
                }) }
            </select>
        </label>
    }
}

fn selected_index(e: &Event) -> Option<usize> {
    e.target_dyn_into::<HtmlSelectElement>()
        .and_then(|s| s.value().parse().ok())
}

#[component]
pub fn DiffView(props: &Props) -> Html {
    let d = &props.dispatch;
    let Some(((ai, a), (bi, b))) = &props.pair else {
        return html! {
            <section class="diff-view empty" data-testid="diff-view">
                <h2>{ "Compare runs" }</h2>
                <p>{ "Open at least two reports to compare them." }</p>
            </section>
        };
    };
    let pick = |make: fn(usize) -> Action| {
        let dispatch = d.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = selected_index(&e) {
                dispatch.emit(make(i));
            }
        })
    };
    let (on_base, on_head) = (pick(Action::SetBase), pick(Action::SetHead));
    let swap = d.reform(|_: MouseEvent| Action::SwapPair);
    let changed_only = props.view.changed_only;
    let toggle_changed = d.reform(move |_: Event| Action::SetChangedOnly(!changed_only));
    let on_text = d.reform(|e: InputEvent| {
        Action::SetText(
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default(),
        )
    });

    let result = diff(&a.report, &b.report);
    let page = compare::page(&result, changed_only, &props.view.filters.text);
    let hosts_differ = a.report.host.hostname != b.report.host.hostname;
    let older_is_newer = a.report.run.started_at > b.report.run.started_at;

    html! {
        <section class="diff-view" data-testid="diff-view">
            <div class="diff-controls">
                { picker("Older run ", "diff-base", *ai, &props.choices, on_base) }
                <button onclick={swap} data-testid="diff-swap" title="Swap the runs">{ "⇄" }</button>
                { picker("Newer run ", "diff-head", *bi, &props.choices, on_head) }
                <label class="toggle">
                    <input type="checkbox" checked={changed_only} onchange={toggle_changed} data-testid="changed-only" />
                    { " changed only" }
                </label>
                <input type="search" placeholder="Search ids, titles, containers…" value={props.view.filters.text.clone()}
                    oninput={on_text} aria-label="Search the comparison" data-testid="diff-search" />
            </div>
            if hosts_differ {
                <p class="banner warn">{ "These reports come from different hosts; the comparison shows configuration differences, not a change over time." }</p>
            }
            if older_is_newer {
                <p class="banner warn">{ "The run picked as older started after the newer one; use ⇄ to swap." }</p>
            }
            <div class="diff-score">
                <span>{ "Score " }</span>
                <span data-testid="diff-score-old">{ a.report.summary.score.display() }</span>
                <span>{ " → " }</span>
                <span data-testid="diff-score-new">{ b.report.summary.score.display() }</span>
                <span class={classes!("delta", delta_class(page.score_delta))} data-testid="diff-score-delta">
                    { format!(" ({})", compare::format_delta(page.score_delta)) }
                </span>
                <span class="diff-counts" data-testid="diff-counts">
                    { format!(" · {}", compare::counts_line(&result)) }
                </span>
            </div>
            if page.groups.is_empty() {
                <p data-testid="diff-no-changes">{ "No differences match." }</p>
            }
            { for page.groups.iter().map(|g| html! {
                <section class={classes!("diff-group", g.kind.as_str())} data-testid={format!("diff-group-{}", g.kind.as_str())}>
                    <h3>{ format!("{} — {}", g.kind.label(), g.rows.len()) }</h3>
                    <div class="diff-list">
                        { for g.rows.iter().map(|r| html! { <DiffCheck key={r.id.clone()} row={r.clone()} /> }) }
                    </div>
                </section>
            }) }
            if page.hidden_unchanged > 0 {
                <p class="hint">{ format!("{} still-failing check(s) with the same offenders are hidden (changed only).", page.hidden_unchanged) }</p>
            }
        </section>
    }
}

fn delta_class(delta: Option<f64>) -> Option<&'static str> {
    match delta {
        Some(v) if v > 0.0 => Some("up"),
        Some(v) if v < 0.0 => Some("down"),
        _ => None,
    }
}

fn targets(list: &[Target], class: &'static str, sign: &'static str, testid: &'static str) -> Html {
    html! {
        { for list.iter().map(|t| html! {
            <span class={classes!("diff-target", class)} data-testid={testid} title={t.id.clone()}>
                { sign }{ t.display().to_string() }
            </span>
        }) }
    }
}

#[derive(PartialEq, Properties)]
struct DiffCheckProps {
    row: DiffRow,
}

/// Targets listed in an opened check before "and N more" (the CLI's `--format json` has them all).
const FIRST_TARGETS: usize = 100;

/// One changed check: a line that opens to the per-target old and new observations.
#[component]
fn DiffCheck(props: &DiffCheckProps) -> Html {
    let open = use_state(|| false);
    let r = &props.row;
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let detail_id = format!("diff-detail-{}", r.id);
    html! {
        <div class={classes!("diff-check", open.then_some("open"))} data-testid="diff-row" data-check-id={r.id.clone()}>
            <button class="diff-line" onclick={toggle} aria-expanded={open.to_string()} aria-controls={detail_id.clone()}
                data-testid="diff-toggle">
                <span class="chevron" aria-hidden="true">{ if *open { "▾" } else { "▸" } }</span>
                <span class="check-id">{ r.id.clone() }</span>
                <span class="check-title">{ r.title.clone() }</span>
                <span class="statuses"><MaybeStatusBadge status={r.old} />{ " → " }<MaybeStatusBadge status={r.new} /></span>
                <span class="targets">
                    { targets(&r.new_targets, "new", "+ ", "diff-new-target") }
                    { targets(&r.resolved_targets, "resolved", "− ", "diff-resolved-target") }
                    if !r.kept_targets.is_empty() {
                        <span class="diff-target kept" data-testid="diff-kept-targets"
                            title={r.kept_targets.iter().map(|t| t.display().to_string()).collect::<Vec<_>>().join(", ")}>
                            { format!("{} unchanged", r.kept_targets.len()) }
                        </span>
                    }
                </span>
            </button>
            if *open {
                { detail(r, &detail_id) }
            }
        </div>
    }
}

fn detail(r: &DiffRow, id: &str) -> Html {
    let list = compare::targets_for_detail(r);
    let more = list.len().saturating_sub(FIRST_TARGETS);
    let summary = |label: &str, text: &str, testid: &'static str| {
        html! {
            <div class="diff-summary"><span class="diff-side">{ label.to_string() }</span>
                <span data-testid={testid}>{ if text.is_empty() { "—".to_string() } else { text.to_string() } }</span></div>
        }
    };
    html! {
        <div class="diff-detail" id={id.to_string()} data-testid="diff-detail">
            { summary("Older run", &r.old_summary, "diff-old-summary") }
            { summary("Newer run", &r.new_summary, "diff-new-summary") }
            if list.is_empty() {
                <p class="hint" data-testid="diff-no-targets">{ "Neither run names a target for this check." }</p>
            } else {
                <table class="diff-targets" data-testid="diff-targets">
                    <thead>
                        <tr><th scope="col">{ "Target" }</th><th scope="col">{ "Older run observed" }</th>
                            <th scope="col">{ "Newer run observed" }</th><th scope="col">{ "Expected" }</th></tr>
                    </thead>
                    <tbody>
                        { for list.iter().take(FIRST_TARGETS).map(|t| target_row(t)) }
                    </tbody>
                </table>
                if more > 0 {
                    <p class="hint">{ format!("… and {more} more targets (all of them: dockaudit diff OLD NEW --format json)") }</p>
                }
            }
        </div>
    }
}

fn observed(values: &[String]) -> Html {
    if values.is_empty() {
        return html! { <span class="muted">{ "(no finding)" }</span> };
    }
    html! { { for values.iter().map(|v| html! { <div class="mono">{ v.clone() }</div> }) } }
}

fn target_row(t: &TargetDelta) -> Html {
    html! {
        <tr class={classes!(t.changed().then_some("changed"))} data-testid="diff-target-row" data-target={t.target.key().to_string()}>
            <th scope="row"><span class="kind">{ t.target.kind.as_str() }</span>{ " " }{ t.target.display().to_string() }</th>
            <td data-testid="diff-old">{ observed(&t.old) }</td>
            <td data-testid="diff-new">{ observed(&t.new) }</td>
            <td class="mono">{ t.expected.clone() }</td>
        </tr>
    }
}
