//! The top-level components: [`App`] picks the page from the address (a fleet, or reports), and
//! [`ReportApp`] owns the reports' state, connects browser events to actions and picks the view.

use dockaudit_shared::view::fleet::{self, FleetSpec};
use dockaudit_shared::view::signoff::{report_digest, Persist, SignoffAction};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::{self, Mode};
use yew::prelude::*;

use crate::browser;
use crate::components::diff_view::DiffView;
use crate::components::fleet_view::FleetApp;
use crate::components::loader::Loader;
use crate::components::mode_tabs::ModeTabs;
use crate::components::notices::Notices;
use crate::components::report_view::ReportView;
use crate::components::sources::{self, Sources};
use crate::components::targets_view::TargetsView;
use crate::components::trend_view::TrendView;
use crate::components::{evidence_view::EvidenceView, signoff_panel::SignoffView};
use crate::hooks::{theme_label, use_theme, Dispatch, ReportRef, Viewer};
use crate::signoff_store::{self, SignoffContext};

/// The page the address asks for: `?fleet=<index.json>` opens the fleet view, anything else the
/// report viewer (reports opened from the fleet carry the way back in `fleet_back=`).
#[component]
pub fn App() -> Html {
    let query = browser::query();
    let has_report = !url::decode(&query).sources.is_empty();
    match FleetSpec::decode(&query).filter(|_| !has_report) {
        Some(spec) => html! { <FleetApp {spec} /> },
        None => html! { <ReportApp /> },
    }
}

/// The report viewer: one or more reports, their views, and sign-off.
#[component]
fn ReportApp() -> Html {
    let viewer = use_reducer(|| Viewer(dockaudit_shared::view::state::ViewerState::from_query(&browser::query())));
    let dispatch: Dispatch = {
        let dispatcher = viewer.dispatcher();
        use_callback((), move |action: Action, _| {
            let timed = crate::perf::before(&action);
            dispatcher.dispatch(action);
            crate::perf::after_reduce(timed);
        })
    };
    let state = &viewer.0;
    // Benchmark marks (perf.rs): ended once each render's frame is painted.
    {
        let showing = state.active().is_some() || state.pair().is_some();
        use_effect(move || crate::perf::rendered(showing));
    }

    // `?report=` sources are fetched once, when the page opens.
    {
        let pending = state.pending_fetches();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| crate::loading::fetch_sources(pending, dispatch));
    }
    // The address bar always carries the view, so a copied link reproduces it (and the way back
    // to the fleet the report was opened from).
    let back = use_memo((), |_| fleet::back_link(&browser::query()));
    {
        let back = (*back).clone();
        use_effect_with(state.query(), move |query| match back {
            Some(back) => browser::replace_query(&format!(
                "{query}{}{}={}",
                if query.is_empty() { "" } else { "&" },
                fleet::BACK_KEY,
                url::percent_encode(&back)
            )),
            None => browser::replace_query(query),
        });
    }
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = browser::keyboard(dispatch);
            move || drop(listener)
        });
    }
    use_effect_with(state.view.check.clone(), |_| browser::scroll_selected_into_view());
    // Sign-off drafts: read the active report's back from storage, store every change, and fetch
    // a sign-off the link names.
    {
        let restore = state
            .active()
            .and_then(|r| state.signoff.needs_restore(r))
            .map(str::to_string);
        let dispatch = dispatch.clone();
        use_effect_with(restore, move |digest| {
            if let Some(digest) = digest.clone() {
                let text = signoff_store::load(&digest);
                dispatch.emit(Action::Signoff(SignoffAction::Restored { digest, text }));
            }
        });
    }
    {
        let persist = state
            .active()
            .map_or(Persist::Keep, |r| state.signoff.persist(report_digest(r)));
        use_effect_with(persist, signoff_store::persist);
    }
    // The allowed_signers file: read back once, kept in the browser while loaded.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            if let Some((name, text)) = signoff_store::load_allowed() {
                dispatch.emit(Action::Signoff(SignoffAction::AllowedSigners { name, text }));
            }
        });
        let kept = state.signoff.allowed.as_ref().map(|t| (t.name.clone(), t.text.clone()));
        use_effect_with(kept, signoff_store::persist_allowed);
    }
    {
        let linked = state.signoff.pending_fetch().map(str::to_string);
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            if let Some(url) = linked {
                signoff_store::fetch_linked(url, dispatch);
            }
        });
    }

    let (theme, toggle_theme) = use_theme();

    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            crate::loading::read_files(e.data_transfer().and_then(|dt| dt.files()), dispatch.clone());
        })
    };

    let active = state.active().cloned().map(ReportRef);
    let loading = !state.pending_fetches().is_empty();
    let body = match state.view.mode {
        Mode::Report => match &active {
            Some(report) => {
                html! { <ReportView report={report.clone()} view={state.view.clone()} dispatch={dispatch.clone()} /> }
            }
            None => html! { <Empty loading={loading} /> },
        },
        Mode::Targets => match &active {
            Some(report) => {
                html! { <TargetsView report={report.clone()} view={state.view.clone()} dispatch={dispatch.clone()} /> }
            }
            None => html! { <Empty loading={loading} /> },
        },
        Mode::Signoff => match &active {
            Some(_) => {
                html! { <SignoffView message={state.signoff.message.clone()} carry={state.signoff.carry.clone()} /> }
            }
            None => html! { <Empty loading={loading} /> },
        },
        Mode::Evidence => match &active {
            Some(_) => html! { <EvidenceView /> },
            None => html! { <Empty loading={loading} /> },
        },
        Mode::Diff => {
            let pair = state.pair().and_then(|(a, b)| {
                let get = |i: usize| state.sources.get(i).and_then(|s| s.ready()).cloned().map(ReportRef);
                Some(((a, get(a)?), (b, get(b)?)))
            });
            let choices = dockaudit_shared::view::state::choices(state);
            html! { <DiffView {pair} {choices} view={state.view.clone()} dispatch={dispatch.clone()} /> }
        }
        Mode::Trend => {
            let reports: Vec<(usize, ReportRef)> = state.ready().map(|(i, r)| (i, ReportRef(r.clone()))).collect();
            html! { <TrendView {reports} view={state.view.clone()} dispatch={dispatch.clone()} /> }
        }
    };

    // The sign-off of the active report, for the check detail, sign-off and evidence views.
    let today = signoff_store::today();
    let body = match active.as_ref().and_then(|report| {
        let eval = state.signoff.evaluate(report, &today)?;
        Some(SignoffContext {
            digest: report_digest(report).to_string(),
            signoff: std::rc::Rc::new(state.signoff.signoff_for(report)),
            eval: std::rc::Rc::new(eval),
            report: report.clone(),
            today: today.clone(),
            dispatch: dispatch.clone(),
            report_signature: state.signoff.report_signature(report, signoff_store::now_unix()),
            signoff_signature: state.signoff.signoff_signature(report, signoff_store::now_unix()),
            principals: state.signoff.signers().principals(),
            allowed_name: state.signoff.allowed.as_ref().map(|t| t.name.clone()),
        })
    }) {
        Some(context) => {
            html! { <ContextProvider<SignoffContext> {context}>{ body }</ContextProvider<SignoffContext>> }
        }
        None => body,
    };

    html! {
        <div class="app" {ondragover} {ondrop} data-testid="app">
            <header class="topbar">
                <h1 class="brand">{ "dockaudit viewer" }</h1>
                if let Some(back) = (*back).clone() {
                    <a class="button back-to-fleet" href={format!("?{back}")} data-testid="back-to-fleet">{ "← Fleet" }</a>
                }
                <Loader dispatch={dispatch.clone()} />
                <ModeTabs mode={state.view.mode} dispatch={dispatch.clone()} />
                <button class="theme-toggle" onclick={toggle_theme} data-testid="theme-toggle"
                    aria-label="Switch colour theme">{ theme_label(theme) }</button>
            </header>
            <div class="layout">
                <Sources rows={sources::rows(state)} active={state.view.active}
                    mode={if state.view.mode.is_single_report() { Mode::Report } else { state.view.mode }}
                    pair={state.pair()} dispatch={dispatch.clone()} />
                <main class="content">
                    <Notices notices={state.notices.clone()} dispatch={dispatch.clone()} />
                    { body }
                </main>
            </div>
            <footer class="keys">
                { "Keys: j/k or ↑/↓ move · Enter or o opens · Esc closes · / searches · drop report files anywhere" }
            </footer>
        </div>
    }
}

#[derive(PartialEq, Properties)]
struct EmptyProps {
    /// Whether reports named in the link are still being fetched.
    loading: bool,
}

/// Shown until a report is loaded.
#[component]
fn Empty(props: &EmptyProps) -> Html {
    if props.loading {
        return html! { <section class="empty" data-testid="loading"><h2>{ "Loading reports…" }</h2></section> };
    }
    html! {
        <section class="empty" data-testid="empty">
            <h2>{ "No report open" }</h2>
            <p>{ "Open one or more dockaudit reports (any schema version) or docker-bench-security JSON logs with the button above, or drop them anywhere on this page." }</p>
            <p>{ "Everything stays in this browser: nothing is uploaded." }</p>
        </section>
    }
}
