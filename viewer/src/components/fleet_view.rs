//! The fleet page (`?fleet=<url of index.json>`): fetches the index, keeps the whole view in the
//! address bar, and lays out the controls, the heatmap and the host or check panel. What is shown
//! is decided by `dockaudit_shared::view::fleet`; this component only wires it to the browser.

use std::rc::Rc;

use dockaudit_shared::view::fleet::{self, FleetAction, FleetModel, FleetSpec, FleetState};
use yew::prelude::*;

use crate::browser;
use crate::components::fleet_controls::FleetControls;
use crate::components::fleet_heatmap::{FleetHeatmap, MapRef};
use crate::components::fleet_panel::{FleetCheckPanel, FleetHostPanel};
use crate::hooks::{theme_label, use_theme};

/// Callback every fleet component uses to change the fleet view.
pub type FleetDispatch = Callback<FleetAction>;

/// [`FleetState`] as a Yew reducer (the state itself stays framework-free).
#[derive(Debug, Clone, PartialEq)]
struct Fleet(FleetState);

impl Reducible for Fleet {
    type Action = FleetAction;

    fn reduce(self: Rc<Self>, action: FleetAction) -> Rc<Self> {
        Rc::new(Fleet(Rc::unwrap_or_clone(self).0.reduce(action)))
    }
}

/// The prepared index as a memo key: the same model when it is the same allocation.
#[derive(Debug, Clone)]
struct ModelRef(Rc<FleetModel>);

impl PartialEq for ModelRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(PartialEq, Properties)]
pub struct Props {
    pub spec: FleetSpec,
}

#[component]
pub fn FleetApp(props: &Props) -> Html {
    let fleet = use_reducer(|| Fleet(FleetState::new(props.spec.clone())));
    let dispatch: FleetDispatch = {
        let dispatcher = fleet.dispatcher();
        use_callback((), move |action: FleetAction, _| {
            if changes_rows(&action) {
                crate::perf::filter_started();
            }
            dispatcher.dispatch(action);
        })
    };
    let state = &fleet.0;
    {
        let showing = state.index().is_some();
        use_effect(move || crate::perf::rendered(showing));
    }
    {
        let url = state.spec.index.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // `dockaudit:parse`: reading the index and preparing it (the reducer). Reading the
                // JSON, typing it and preparing it (the reducer, then the first heatmap) are three
                // tasks with the page painting in between, rather than one long one.
                let loaded = match crate::loading::fetch_bytes(&url).await {
                    Ok(bytes) => {
                        crate::perf::parse_started();
                        let json = fleet::read_index_json(&String::from_utf8_lossy(&bytes));
                        drop(bytes);
                        crate::browser::yield_to_browser().await;
                        json.and_then(fleet::read_index_from_json).map(Rc::new)
                    }
                    Err(e) => Err(e),
                };
                let read = loaded.is_ok();
                crate::browser::yield_to_browser().await;
                dispatch.emit(FleetAction::IndexLoaded(loaded));
                if read {
                    crate::perf::after_reduce(Some(crate::perf::Timed::Parse));
                }
            });
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with(state.wanted_history(), move |wanted| {
            if let Some((key, url)) = wanted.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let history = match crate::loading::fetch_bytes(&url).await {
                        Ok(bytes) => fleet::read_history(&String::from_utf8_lossy(&bytes)).map(Rc::new),
                        Err(e) => Err(e),
                    };
                    dispatch.emit(FleetAction::HistoryLoaded { key, history });
                });
            }
        });
    }
    use_effect_with(state.spec.encode(), |query| browser::replace_query(query));
    let (theme, toggle_theme) = use_theme();

    let today = use_memo((), |_| {
        fleet::day_number(&String::from(js_sys::Date::new_0().to_iso_string())).unwrap_or(0)
    });
    // The heatmap depends on the filters and the sort only: opening a panel or scrolling keeps it.
    let map_key = (
        state.model.clone().map(ModelRef),
        FleetSpec {
            host: None,
            check: None,
            row: 0,
            ..state.spec.clone()
        },
        *today,
    );
    let map = use_memo(map_key, |(model, spec, today)| {
        model.as_ref().map(|m| Rc::new(fleet::heatmap(&m.0, spec, *today)))
    });

    let body = match (&state.index, map.as_ref()) {
        (fleet::Fetch::Failed(message), _) => html! {
            <section class="empty" data-testid="fleet-error">
                <h2>{ "The fleet could not be opened" }</h2>
                <p role="alert">{ message.clone() }</p>
            </section>
        },
        (fleet::Fetch::Ready(index), Some(map)) => {
            let spec = &state.spec;
            let panel = match (&spec.host, &spec.check) {
                (Some(key), _) => index.hosts.iter().find(|h| h.key.as_str() == key).map(|host| {
                    let history = state.histories.get(key).cloned();
                    html! { <FleetHostPanel host={host.clone()} {history} spec={spec.clone()} dispatch={dispatch.clone()} /> }
                }),
                (None, Some(check)) => {
                    let hosts = fleet::failing_hosts(index, check);
                    let column = map.columns.iter().find(|c| &c.id == check);
                    let label = column.map(|c| map.count_label(c));
                    Some(html! {
                        <FleetCheckPanel check={check.clone()} {hosts} {label} spec={spec.clone()} dispatch={dispatch.clone()} />
                    })
                }
                (None, None) => None,
            };
            html! {
                <>
                    <p class="fleet-summary" data-testid="fleet-summary">
                        { format!("{} hosts · index written {} · ", map.total_hosts, index.generated_at) }
                        <span class={classes!("stale-count", (map.stale_hosts > 0).then_some("has-stale"))}>
                            { format!("{} stale (last run more than {} days ago)", map.stale_hosts, spec.stale_days) }
                        </span>
                    </p>
                    <FleetControls spec={spec.clone()} labels={map.model.labels.clone()} sections={map.model.sections.clone()}
                        shown={map.rows.len()} total={map.total_hosts} dispatch={dispatch.clone()} />
                    <div class={classes!("fleet-split", panel.is_some().then_some("with-panel"))}>
                        <FleetHeatmap map={MapRef(map.clone())} spec={spec.clone()} dispatch={dispatch.clone()} />
                        { panel.unwrap_or_default() }
                    </div>
                </>
            }
        }
        _ => html! { <section class="empty" data-testid="loading"><h2>{ "Loading the fleet…" }</h2></section> },
    };

    html! {
        <div class="app fleet-app" data-testid="app">
            <header class="topbar">
                <h1 class="brand">{ "dockaudit viewer" }</h1>
                <span class="fleet-title" title={state.spec.index.clone()}>{ format!("Fleet · {}", state.spec.index) }</span>
                <button class="theme-toggle" onclick={toggle_theme} data-testid="theme-toggle"
                    aria-label="Switch colour theme">{ theme_label(theme) }</button>
            </header>
            <main class="content fleet-content" data-testid="fleet-view">{ body }</main>
        </div>
    }
}

/// Whether an action changes the rows or columns shown (a filter measure for the benchmark).
fn changes_rows(action: &FleetAction) -> bool {
    !matches!(
        action,
        FleetAction::IndexLoaded(_)
            | FleetAction::HistoryLoaded { .. }
            | FleetAction::SelectHost(_)
            | FleetAction::SelectCheck(_)
            | FleetAction::ScrolledTo(_)
    )
}
