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
