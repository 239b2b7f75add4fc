//! Performance marks that the benchmark harness (`cargo xtask bench`) reads back through WebDriver.
//!
//! A measure ends when the frame showing the result has been painted (a `requestAnimationFrame`
//! followed by a zero timeout), not when Yew returns: that is when the reader sees it. Entries:
//!
//! * `dockaudit:parse` (measure): reading a fetched or opened file (JSON, digest, schema), from
//!   the first slice of the parse (`crate::loading`) to the reducer taking the report;
//! * `dockaudit:interactive` (mark): the first report (or comparison, or fleet heatmap) is rendered
//!   and painted; its `startTime` counts from navigation;
//! * `dockaudit:filter` (measure): from a filter change (report or fleet) to the painted result;
//! * `dockaudit:diff` (measure): from opening "Compare" to the painted comparison.
//!
//! Marks cost a few microseconds and never fail the viewer: a browser without the Performance API
//! just records nothing.

use std::cell::{Cell, RefCell};

use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;

/// What an action leads to, when it is worth timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timed {
    /// A report's text is read (ends when the reducer returns).
    Parse,
    /// The check list is filtered (ends after the next painted render).
    Filter,
    /// The comparison is shown (ends after the next painted render).
    Diff,
}

impl Timed {
    fn name(self) -> &'static str {
        match self {
            Timed::Parse => "dockaudit:parse",
            Timed::Filter => "dockaudit:filter",
            Timed::Diff => "dockaudit:diff",
        }
    }
}

/// Which actions are timed, and as what.
pub fn classify(action: &Action) -> Option<Timed> {
    match action {
        Action::Fetched { .. } | Action::FileRead { .. } | Action::Loaded { .. } | Action::FileLoaded { .. } => {
            Some(Timed::Parse)
        }
        Action::ToggleStatus(_)
        | Action::SetSection(_)
        | Action::SetLevel(_)
        | Action::SetEvaluation(_)
        | Action::SetTarget(_)
        | Action::SetText(_)
        | Action::ClearFilters => Some(Timed::Filter),
        Action::SetMode(Mode::Diff) => Some(Timed::Diff),
        _ => None,
    }
}

thread_local! {
    /// Measures started by an action and waiting for the render that shows its result.
    static WAITING: RefCell<Vec<Timed>> = const { RefCell::new(Vec::new()) };
    /// Whether `dockaudit:interactive` has been marked on this page.
    static INTERACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// Call right before dispatching `action`; pass the result to [`after_reduce`].
pub fn before(action: &Action) -> Option<Timed> {
    let timed = classify(action)?;
    // A report read in slices started its measure when its first slice ran.
    if !matches!(action, Action::Loaded { .. } | Action::FileLoaded { .. }) {
        mark(&start_of(timed));
    }
    if timed != Timed::Parse {
        WAITING.with(|w| w.borrow_mut().push(timed));
    }
    Some(timed)
}

/// Call right after the reducer has run.
pub fn after_reduce(timed: Option<Timed>) {
    if timed == Some(Timed::Parse) {
        finish(Timed::Parse);
    }
}

/// Call from an effect after every render: marks "interactive" once a report is shown, and ends
/// the measures waiting for this render, each once its frame is painted.
pub fn rendered(showing_report: bool) {
    let first = showing_report && !INTERACTIVE.with(|i| i.replace(true));
    let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
    if !first && waiting.is_empty() {
        return;
    }
    after_paint(move || {
        if first {
            mark("dockaudit:interactive");
        }
        for timed in waiting {
            finish(timed);
        }
    });
}

/// Call when a filter outside the report view (the fleet's) changes what is shown; the measure
/// ends once the next render is painted.
pub fn filter_started() {
    mark(&start_of(Timed::Filter));
    WAITING.with(|w| w.borrow_mut().push(Timed::Filter));
}

/// Call when a report starts being read in slices; the measure ends when the reducer has it.
pub fn parse_started() {
    mark(&start_of(Timed::Parse));
}

fn start_of(timed: Timed) -> String {
    format!("{}:start", timed.name())
}

fn finish(timed: Timed) {
    let end = format!("{}:end", timed.name());
    mark(&end);
    if let Some(p) = performance() {
        let _ = p.measure_with_start_mark_and_end_mark(timed.name(), &start_of(timed), &end);
    }
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// Runs `then` after the next frame has been painted.
#[cfg(target_arch = "wasm32")]
fn after_paint(then: impl FnOnce() + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let Some(window) = web_sys::window() else { return };
    let later = window.clone();
    let on_frame = Closure::once_into_js(move || {
        let run = Closure::once_into_js(then);
        let _ = later.set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), 0);
    });
    let _ = window.request_animation_frame(on_frame.unchecked_ref());
}

/// Outside a browser nothing is painted; the marks are simply not taken.
#[cfg(not(target_arch = "wasm32"))]
fn after_paint(then: impl FnOnce() + 'static) {
    drop(then);
}

#[cfg(test)]
mod tests {
    use super::*;
    use dockaudit_shared::report::Status;

    #[test]
    fn times_reading_filtering_and_comparing_only() {
        let fetched = Action::Fetched {
            index: 0,
            text: String::new(),
        };
        assert_eq!(classify(&fetched), Some(Timed::Parse));
        assert_eq!(classify(&Action::ToggleStatus(Status::Fail)), Some(Timed::Filter));
        assert_eq!(classify(&Action::SetText("web".into())), Some(Timed::Filter));
        assert_eq!(classify(&Action::SetMode(Mode::Diff)), Some(Timed::Diff));
        assert_eq!(classify(&Action::SetMode(Mode::Report)), None);
        assert_eq!(classify(&Action::Move(1)), None);
    }
}
