//! The list of opened reports: which one is shown, which are loading, missing or broken.

use dockaudit_shared::digest::DigestState;
/// The rows are computed in `shared` (and tested there); the component only draws them.
pub use dockaudit_shared::view::sources::{rows, RowStatus, SourceRow};
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use yew::prelude::*;

use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub rows: Vec<SourceRow>,
    pub active: usize,
    pub mode: Mode,
    pub pair: Option<(usize, usize)>,
    pub dispatch: Dispatch,
}

#[component]
pub fn Sources(props: &Props) -> Html {
    if props.rows.is_empty() {
        return html! {};
    }
    let single = matches!(props.mode, Mode::Report | Mode::Targets);
    html! {
        <aside class="sources" aria-label="Opened reports">
            <h2>{ "Reports" }</h2>
            <ul data-testid="source-list">
                { for props.rows.iter().map(|row| {
                    let i = row.index;
                    let current = single && i == props.active;
                    let role = match props.pair {
                        Some((a, _)) if !single && a == i => Some("older"),
                        Some((_, b)) if !single && b == i => Some("newer"),
                        _ => None,
                    };
                    let show = props.dispatch.reform(move |_: MouseEvent| Action::SetActive(i));
                    let remove = props.dispatch.reform(move |_: MouseEvent| Action::RemoveSource(i));
                    let body = match &row.status {
                        RowStatus::Loading => html! { <span class="source-state" data-testid="source-loading">{ "loading…" }</span> },
                        RowStatus::Missing => html! {
                            <span class="source-state warn" data-testid="source-missing">
                                { "open this file again to restore the shared view" }
                            </span>
                        },
                        RowStatus::Failed(message) => html! {
                            <span class="source-state error" role="alert" data-testid="source-error">{ message.clone() }</span>
                        },
                        RowStatus::Ready { label, format, digest } => html! {
                            <>
                                <button class="source-label" onclick={show} data-testid="source-show">{ label.clone() }</button>
                                <span class="source-format">{ format.clone() }</span>
                                if *digest == DigestState::Mismatch {
                                    <span class="source-state error">{ "digest mismatch" }</span>
                                }
                            </>
                        },
                    };
                    html! {
                        <li key={i} class={classes!("source", current.then_some("current"))} data-testid="source-item"
                            aria-current={current.then_some("true")}>
                            <span class="source-name" title={row.name.clone()}>
                                { if row.from_url { "↓ " } else { "" } }{ row.name.clone() }
                            </span>
                            if let Some(role) = role {
                                <span class="pair-role">{ role }</span>
                            }
                            { body }
                            if !matches!(row.status, RowStatus::Loading) {
                                <button class="remove" onclick={remove} aria-label="Close this report">{ "×" }</button>
                            }
                        </li>
                    }
                }) }
            </ul>
        </aside>
    }
}
