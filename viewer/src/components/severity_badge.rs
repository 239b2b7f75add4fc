//! A check's severity (from the catalogue, by id) as a badge: colour plus the word, so it reads
//! without colour and in print.

use dockaudit_shared::catalog::Severity;
use yew::prelude::*;

#[derive(Debug, PartialEq, Properties)]
pub struct Props {
    /// `None` for ids the catalogue does not know.
    pub severity: Option<Severity>,
}

#[component]
pub fn SeverityBadge(props: &Props) -> Html {
    let (class, text) = props
        .severity
        .map_or(("unrated", "unrated"), |s| (s.as_str(), s.label()));
    html! {
        <span class={classes!("sev", format!("sev-{class}"))} data-testid="severity-badge" data-severity={class}
            title="Severity of a failure (see docs/severity.md)">
            { text }
        </span>
    }
}
