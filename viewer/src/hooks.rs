//! Glue between `dockaudit_shared::view` and Yew: the reducer handle and cheap-to-compare props.

use std::rc::Rc;

use dockaudit_shared::view::state::{Action, LoadedReport, ViewerState};
use yew::prelude::*;

/// The shared [`ViewerState`] as a Yew reducer. The state itself stays framework-free; this
/// newtype only adapts its by-value `reduce` to Yew's `Rc` one.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewer(pub ViewerState);

impl Reducible for Viewer {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Reports are behind `Rc`, so this clone copies pointers, not reports.
        let state = Rc::unwrap_or_clone(self).0;
        Rc::new(Viewer(state.reduce(action)))
    }
}

/// Callback every component uses to change the state.
pub type Dispatch = Callback<Action>;

/// A loaded report as a prop: equal when it is the same report, without comparing its contents
/// (which would walk every finding on each render).
#[derive(Debug, Clone)]
pub struct ReportRef(pub Rc<LoadedReport>);

impl PartialEq for ReportRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for ReportRef {
    type Target = LoadedReport;

    fn deref(&self) -> &LoadedReport {
        &self.0
    }
}

/// The colour theme and the button label that switches it, shared by the report and fleet pages.
#[hook]
pub fn use_theme() -> (crate::browser::Theme, Callback<MouseEvent>) {
    let theme = use_state(crate::browser::initial_theme);
    use_effect_with(*theme, |t| crate::browser::apply_theme(*t));
    let toggle = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = theme.other();
            crate::browser::save_theme(next);
            theme.set(next);
        })
    };
    (*theme, toggle)
}

/// The label of the theme button in each theme.
pub fn theme_label(theme: crate::browser::Theme) -> &'static str {
    match theme {
        crate::browser::Theme::Light => "Dark theme",
        crate::browser::Theme::Dark => "Light theme",
    }
}
