//! Several runs of one host: the score over time (plain SVG) and each check's status per run.

use dockaudit_shared::report::Report;
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::trend::{self, HostSeries};
use dockaudit_shared::view::url::ViewSpec;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::status_badge::MaybeStatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    /// Every loaded report with its source index.
    pub reports: Vec<(usize, ReportRef)>,
    pub view: ViewSpec,
    pub dispatch: Dispatch,
}

const W: f64 = 640.0;
const H: f64 = 200.0;
const PAD: f64 = 28.0;

#[component]
pub fn TrendView(props: &Props) -> Html {
    let all = trend::series(props.reports.iter().map(|(i, r)| (*i, &r.report)));
    // The chosen host, else the one with the most runs.
    let chosen = props
        .view
        .host
        .as_ref()
        .and_then(|h| all.iter().find(|s| &s.host == h))
        .or_else(|| all.iter().max_by_key(|s| s.points.len()));
    let Some(series) = chosen else {
        return html! {
            <section class="trend-view empty" data-testid="trend-view">
                <h2>{ "Trend" }</h2>
                <p>{ "Open several reports of the same host to see how its score and checks changed." }</p>
            </section>
        };
    };
    let d = &props.dispatch;
    let on_host = d.reform(|e: Event| Action::SetHost(e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())));
    let changed_only = props.view.changed_only;
    let toggle_changed = d.reform(move |_: Event| Action::SetChangedOnly(!changed_only));
    let runs: Vec<&Report> = series
        .points
        .iter()
        .filter_map(|p| {
            props
                .reports
                .iter()
                .find(|(i, _)| *i == p.source)
                .map(|(_, r)| &r.report)
        })
        .collect();
    let rows = trend::timeline(&runs, changed_only);

    html! {
        <section class="trend-view" data-testid="trend-view">
            <div class="diff-controls">
                <label>{ "Host " }
                    <select onchange={on_host} data-testid="trend-host">
                        { for all.iter().map(|s| html! {
                            <option value={s.host.clone()} selected={s.host == series.host}>
                                { format!("{} ({} runs)", s.host, s.points.len()) }
                            </option>
                        }) }
                    </select>
                </label>
                <label class="toggle">
                    <input type="checkbox" checked={changed_only} onchange={toggle_changed} data-testid="trend-changed-only" />
                    { " changed checks only" }
                </label>
            </div>
            { chart(series) }
            <table class="timeline" data-testid="timeline">
                <thead>
                    <tr>
                        <th>{ "Check" }</th>
                        { for series.points.iter().map(|p| html! { <th class="mono" title={p.run_id.clone()}>{ trend::short_time(&p.started_at) }</th> }) }
                    </tr>
                </thead>
                <tbody>
                    { for rows.iter().map(|row| html! {
                        <tr key={row.id.clone()} data-testid="timeline-row" data-check-id={row.id.clone()}>
                            <th class="timeline-check" title={row.title.clone()}>
                                <span class="check-id">{ row.id.clone() }</span>{ " " }{ row.title.clone() }
                            </th>
                            { for row.statuses.iter().map(|s| html! { <td><MaybeStatusBadge status={*s} /></td> }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn chart(series: &HostSeries) -> Html {
    let points = trend::chart_points(&series.points, W, H, PAD);
    let line = trend::polyline(&points);
    let y = |score: f64| PAD + (H - 2.0 * PAD) * (1.0 - score / 100.0);
    html! {
        <svg class="trend-chart" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="trend-chart"
            aria-label={format!("Score of {} over {} runs", series.host, series.points.len())}>
            { for [0.0, 50.0, 100.0].into_iter().map(|g| html! {
                <>
                    <line class="grid" x1={PAD.to_string()} x2={(W - PAD).to_string()} y1={format!("{:.1}", y(g))} y2={format!("{:.1}", y(g))} />
                    <text class="axis" x="2" y={format!("{:.1}", y(g) + 4.0)}>{ format!("{g}") }</text>
                </>
            }) }
            <polyline class="trend-line" points={line} />
            { for points.iter().zip(series.points.iter().filter(|p| p.score.is_some())).map(|(c, p)| html! {
                <circle class="trend-point" cx={format!("{:.1}", c.x)} cy={format!("{:.1}", c.y)} r="4" data-testid="trend-point">
                    <title>{ format!("{} · score {:.1} · {} failing", p.started_at, c.score, p.fail) }</title>
                </circle>
            }) }
        </svg>
    }
}
