//! A check status as a coloured badge (colour plus text, so it reads without colour too).

use dockaudit_shared::report::Status;
use yew::prelude::*;

#[derive(Debug, PartialEq, Properties)]
pub struct Props {
    pub status: Status,
}

#[component]
pub fn StatusBadge(props: &Props) -> Html {
    let s = props.status;
    html! {
        <span class={classes!("badge", format!("st-{}", s.as_str()))} data-testid="status-badge" data-status={s.as_str()}>
            { s.label() }
        </span>
    }
}

/// Badge for an optional status ("—" when the run lacks the check).
#[derive(Debug, PartialEq, Properties)]
pub struct MaybeProps {
    pub status: Option<Status>,
}

#[component]
pub fn MaybeStatusBadge(props: &MaybeProps) -> Html {
    match props.status {
        Some(status) => html! { <StatusBadge {status} /> },
        None => html! { <span class="badge st-none" data-status="none">{ "—" }</span> },
    }
}
