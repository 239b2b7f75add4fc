//! Report / by target / compare / trend.

use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use yew::prelude::*;

use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub mode: Mode,
    pub dispatch: Dispatch,
}

#[component]
pub fn ModeTabs(props: &Props) -> Html {
    html! {
        <nav class="tabs" aria-label="View">
            { for Mode::ALL.into_iter().map(|m| {
                let onclick = props.dispatch.reform(move |_: MouseEvent| Action::SetMode(m));
                let current = m == props.mode;
                html! {
                    <button class={classes!("tab", current.then_some("current"))} {onclick}
                        aria-pressed={current.to_string()} data-testid={format!("mode-{}", m.as_str())}>
                        { m.label() }
                    </button>
                }
            }) }
        </nav>
    }
}
