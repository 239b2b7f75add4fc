//! Score (with its formula), counts by status, and a bar per section with a legend; each bar's
//! counts are also in text, for screen readers.

use dockaudit_shared::report::Status;
use dockaudit_shared::summary::{StatusCounts, Summary as ReportSummary, SCORE_FORMULA};
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    /// Statuses currently filtered on (highlighted).
    pub selected: Vec<Status>,
    pub dispatch: Dispatch,
}

/// Statuses drawn in a section bar, in order; the rest are grey.
const BAR_ORDER: [Status; 5] = [Status::Pass, Status::Fail, Status::Warn, Status::Error, Status::Manual];

#[component]
pub fn Summary(props: &Props) -> Html {
    let summary: &ReportSummary = &props.report.report.summary;
    let formula = if summary.score.formula.is_empty() {
        SCORE_FORMULA.to_string()
    } else {
        summary.score.formula.clone()
    };
    html! {
        <section class="summary" data-testid="summary">
            <div class="score-box">
                <div class="score" title={formula.clone()} data-testid="score">{ summary.score.display() }</div>
                <div class="score-caption">
                    <abbr title={formula}>{ "score" }</abbr>
                    { format!(" · {} of {} decided checks pass", summary.score.passed, summary.score.scored) }
                </div>
            </div>
            <div class="counts" role="group" aria-label="Checks by status (click to filter)">
                <div class="count total"><span class="n" data-testid="count-total">{ summary.counts.total }</span><span>{ "checks" }</span></div>
                { for Status::ALL.into_iter().map(|s| {
                    let onclick = props.dispatch.reform(move |_: MouseEvent| Action::ToggleStatus(s));
                    let on = props.selected.contains(&s);
                    html! {
                        <button class={classes!("count", format!("st-{}", s.as_str()), on.then_some("on"))} {onclick}
                            aria-pressed={on.to_string()} title={format!("Show only {} checks", s.label())}>
                            <span class="n" data-testid={format!("count-{}", s.as_str())}>{ summary.counts.get(s) }</span>
                            <span>{ s.label() }</span>
                        </button>
                    }
                }) }
            </div>
            <div class="section-bars" role="group" aria-label="Checks by section (click to filter)">
                <ul class="bar-legend" aria-hidden="true" data-testid="bar-legend">
                    { for BAR_ORDER.into_iter().map(|s| html! {
                        <li><svg class="swatch" viewBox="0 0 10 10" width="10" height="10"><rect class={format!("st-{}", s.as_str())} width="10" height="10" /></svg>{ s.label() }</li>
                    }) }
                    <li><svg class="swatch" viewBox="0 0 10 10" width="10" height="10"><rect class="st-other" width="10" height="10" /></svg>{ "other" }</li>
                </ul>
                { for summary.sections.iter().map(|sec| {
                    let id = sec.id.clone();
                    let onclick = props.dispatch.reform(move |_: MouseEvent| Action::SetSection(Some(id.clone())));
                    html! {
                        <button class="section-bar" {onclick} data-testid={format!("section-bar-{}", sec.id)}
                            title={format!("Show section {} only", sec.id)}>
                            <span class="section-name">{ format!("{} ", sec.id) }{ sec.title.clone() }</span>
                            <Bar counts={sec.counts.clone()} />
                            <span class="visually-hidden" data-testid="section-bar-text">{ format!(": {}. ", bar_text(&sec.counts)) }</span>
                            <span class="section-stats">
                                { format!("{} fail · score {}", sec.counts.fail, sec.score.display()) }
                            </span>
                        </button>
                    }
                }) }
            </div>
        </section>
    }
}

/// "3 pass, 2 fail, 1 other of 6 checks": the bar in words.
fn bar_text(counts: &StatusCounts) -> String {
    let mut parts: Vec<String> = BAR_ORDER
        .into_iter()
        .filter(|s| counts.get(*s) > 0)
        .map(|s| format!("{} {}", counts.get(s), s.label()))
        .collect();
    let drawn: u32 = BAR_ORDER.into_iter().map(|s| counts.get(s)).sum();
    let rest = counts.total.saturating_sub(drawn);
    if rest > 0 {
        parts.push(format!("{rest} other"));
    }
    format!("{} of {} checks", parts.join(", "), counts.total)
}

#[derive(PartialEq, Properties)]
struct BarProps {
    counts: StatusCounts,
}

/// A stacked horizontal bar of statuses, drawn in SVG (no inline styles, so the CSP stays strict).
#[component]
fn Bar(props: &BarProps) -> Html {
    let total = f64::from(props.counts.total.max(1));
    let mut x = 0.0;
    let mut parts = Vec::new();
    let mut drawn = 0;
    for s in BAR_ORDER {
        let n = props.counts.get(s);
        drawn += n;
        if n > 0 {
            let w = 100.0 * f64::from(n) / total;
            parts.push((format!("st-{}", s.as_str()), x, w, format!("{n} {}", s.label())));
            x += w;
        }
    }
    let rest = props.counts.total.saturating_sub(drawn);
    if rest > 0 {
        parts.push(("st-other".to_string(), x, 100.0 - x, format!("{rest} other")));
    }
    html! {
        <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-hidden="true">
            { for parts.into_iter().map(|(class, x, w, label)| html! {
                <rect class={class} x={format!("{x:.2}")} y="0" width={format!("{w:.2}")} height="6"><title>{ label }</title></rect>
            }) }
        </svg>
    }
}
