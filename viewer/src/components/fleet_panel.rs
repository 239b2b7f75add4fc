//! The panels beside the heatmap: one host (its latest report and its trend from
//! `hosts/<host>.json`) and one check (every host failing it, fleet-wide, and on request the
//! containers and images their reports name).

use dockaudit_shared::catalog;
use dockaudit_shared::fleet::{FleetHost, HostHistory};
use dockaudit_shared::view::fleet::{self, FailingHost, Fetch, FleetAction, FleetSpec};
use dockaudit_shared::view::trend;
use yew::prelude::*;

use crate::components::fleet_view::FleetDispatch;

const W: f64 = 420.0;
const H: f64 = 150.0;
const PAD: f64 = 24.0;

#[derive(PartialEq, Properties)]
pub struct HostProps {
    pub host: FleetHost,
    /// `None` until its fetch starts.
    pub history: Option<Fetch<HostHistory>>,
    pub spec: FleetSpec,
    pub dispatch: FleetDispatch,
}

/// `?<query>` for a link of this page.
fn href(query: Option<String>) -> Option<String> {
    query.map(|q| format!("?{q}"))
}

#[component]
pub fn FleetHostPanel(props: &HostProps) -> Html {
    let h = &props.host;
    let close = props.dispatch.reform(|_: MouseEvent| FleetAction::SelectHost(None));
    let name = h.host.clone().unwrap_or_else(|| h.key.to_string());
    let latest = href(props.spec.report_link(&h.latest.report_key, None));
    let trend = match &props.history {
        None | Some(Fetch::Loading) => html! { <p class="muted">{ "Loading the host's history…" }</p> },
        Some(Fetch::Failed(message)) => html! { <p class="error" role="alert">{ message.clone() }</p> },
        Some(Fetch::Ready(history)) => history_view(history, &props.spec),
    };
    html! {
        <aside class="fleet-panel" data-testid="fleet-host-panel" aria-label={format!("Host {name}")}>
            <div class="panel-head">
                <h2>{ name.clone() }</h2>
                <button class="remove" onclick={close} aria-label="Close the host panel">{ "×" }</button>
            </div>
            <p class="labels">
                { for h.labels.iter().map(|(k, v)| html! { <span class="label-chip">{ format!("{k}={v}") }</span> }) }
            </p>
            <p>
                { format!("Last run {} · score {} · {} failing · {} runs published",
                    trend::short_time(&h.latest.started_at),
                    h.latest.score.map_or("—".into(), |s| format!("{s:.1}")),
                    h.latest.counts.fail, h.runs) }
            </p>
            if let Some(link) = latest {
                <a class="button primary" href={link} data-testid="fleet-open-report">{ "Open the latest report" }</a>
            }
            <h3>{ "Trend" }</h3>
            { trend }
        </aside>
    }
}

fn history_view(history: &HostHistory, spec: &FleetSpec) -> Html {
    let series = fleet::history_series(history);
    let points = trend::chart_points(&series.points, W, H, PAD);
    let y = |score: f64| PAD + (H - 2.0 * PAD) * (1.0 - score / 100.0);
    html! {
        <>
            <svg class="trend-chart" viewBox={format!("0 0 {W} {H}")} role="img" data-testid="fleet-trend"
                aria-label={format!("Score of {} over {} runs", series.host, series.points.len())}>
                { for [0.0, 50.0, 100.0].into_iter().map(|g| html! {
                    <>
                        <line class="grid" x1={PAD.to_string()} x2={(W - PAD).to_string()} y1={format!("{:.1}", y(g))} y2={format!("{:.1}", y(g))} />
                        <text class="axis" x="2" y={format!("{:.1}", y(g) + 4.0)}>{ format!("{g}") }</text>
                    </>
                }) }
                <polyline class="trend-line" points={trend::polyline(&points)} />
                { for points.iter().map(|c| html! {
                    <circle class="trend-point" cx={format!("{:.1}", c.x)} cy={format!("{:.1}", c.y)} r="4">
                        <title>{ format!("score {:.1}", c.score) }</title>
                    </circle>
                }) }
            </svg>
            <table class="fleet-runs" data-testid="fleet-runs">
                <thead><tr><th>{ "Run" }</th><th>{ "Score" }</th><th>{ "Failing" }</th><th></th></tr></thead>
                <tbody>
                    { for history.runs.iter().rev().map(|r| html! {
                        <tr key={r.report_key.clone()}>
                            <td class="mono">{ trend::short_time(&r.started_at) }</td>
                            <td>{ r.score.map_or("—".into(), |s| format!("{s:.1}")) }</td>
                            <td>{ r.counts.fail }</td>
                            <td>
                                if let Some(link) = href(spec.report_link(&r.report_key, None)) {
                                    <a href={link}>{ "open" }</a>
                                }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

#[derive(PartialEq, Properties)]
pub struct CheckProps {
    pub check: String,
    /// Every host failing the check, fleet-wide.
    pub hosts: Vec<FailingHost>,
    /// "5.5 fails on 37 of 412 hosts" for the hosts shown, when the check is a column.
    pub label: Option<String>,
    pub spec: FleetSpec,
    pub dispatch: FleetDispatch,
}

/// Most reports the check panel fetches to list offending containers.
const MAX_REPORTS: usize = 50;

/// The offenders one host's report names for a check, or why they could not be read.
type Offenders = (String, Result<Vec<String>, String>);

#[component]
pub fn FleetCheckPanel(props: &CheckProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| FleetAction::SelectCheck(None));
    let title = catalog::get(&props.check).map_or(String::new(), |m| m.title.to_string());
    let offenders = use_state(|| None::<Vec<Offenders>>);
    // Another check, another list.
    {
        let offenders = offenders.clone();
        use_effect_with(props.check.clone(), move |_| offenders.set(None));
    }
    let load = {
        let offenders = offenders.clone();
        let hosts: Vec<FailingHost> = props.hosts.iter().take(MAX_REPORTS).cloned().collect();
        let spec = props.spec.clone();
        let check = props.check.clone();
        Callback::from(move |_: MouseEvent| {
            let offenders = offenders.clone();
            let hosts = hosts.clone();
            let spec = spec.clone();
            let check = check.clone();
            offenders.set(Some(Vec::new()));
            wasm_bindgen_futures::spawn_local(async move {
                let mut found: Vec<Offenders> = Vec::new();
                for h in hosts {
                    let names = match spec.object_url(&h.report_key) {
                        Some(url) => match crate::loading::fetch_bytes(&url).await {
                            Ok(bytes) => crate::loading::parse(&url, bytes).await.map(|r| {
                                let mut names: Vec<String> = r
                                    .report
                                    .result(&check)
                                    .map(|c| c.findings.iter().map(|f| f.target.name.clone()).collect())
                                    .unwrap_or_default();
                                names.sort();
                                names.dedup();
                                names
                            }),
                            Err(e) => Err(e),
                        },
                        None => Err("the index names no usable report key".into()),
                    };
                    found.push((h.name.clone(), names));
                    offenders.set(Some(found.clone()));
                }
            });
        })
    };
    html! {
        <aside class="fleet-panel" data-testid="fleet-check-panel" aria-label={format!("Check {}", props.check)}>
            <div class="panel-head">
                <h2><span class="check-id">{ props.check.clone() }</span>{ " " }{ title }</h2>
                <button class="remove" onclick={close} aria-label="Close the check panel">{ "×" }</button>
            </div>
            if let Some(label) = &props.label {
                <p data-testid="fleet-check-count">{ label.clone() }</p>
            }
            <h3>{ format!("Failing on {} hosts, fleet-wide", props.hosts.len()) }</h3>
            <ul class="failing-hosts" data-testid="fleet-failing-hosts">
                { for props.hosts.iter().map(|h| {
                    let key = h.key.clone();
                    let select = props.dispatch.reform(move |_: MouseEvent| FleetAction::SelectHost(Some(key.clone())));
                    html! {
                        <li key={h.key.clone()} data-host={h.key.clone()}>
                            <button class="link" onclick={select}>{ h.name.clone() }</button>
                            if let Some(n) = h.offenders {
                                <span class="offenders" title="offending containers, images or files">{ n }</span>
                            }
                            if let Some(link) = href(props.spec.report_link(&h.report_key, Some(&props.check))) {
                                { " " }<a href={link}>{ "report" }</a>
                            }
                        </li>
                    }
                }) }
            </ul>
            if !props.hosts.is_empty() {
                <h3>{ "Containers and images" }</h3>
                { match &*offenders {
                    None => html! {
                        <button class="button" onclick={load} data-testid="fleet-load-offenders">
                            { format!("List them (reads {} reports)", props.hosts.len().min(MAX_REPORTS)) }
                        </button>
                    },
                    Some(found) => html! {
                        <ul class="offender-list" data-testid="fleet-offenders">
                            { for found.iter().map(|(host, names)| html! {
                                <li>
                                    <strong>{ host.clone() }</strong>{ ": " }
                                    { match names {
                                        Ok(n) if n.is_empty() => "no target named".to_string(),
                                        Ok(n) => n.join(", "),
                                        Err(e) => e.clone(),
                                    } }
                                </li>
                            }) }
                            if found.len() < props.hosts.len().min(MAX_REPORTS) {
                                <li class="muted">{ "reading…" }</li>
                            }
                        </ul>
                    },
                } }
            }
        </aside>
    }
}
