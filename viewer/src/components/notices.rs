//! Files that could not be opened, each with the loader's explanation. Loaded reports stay.

use dockaudit_shared::view::state::{Action, Notice};
use yew::prelude::*;

use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub notices: Vec<Notice>,
    pub dispatch: Dispatch,
}

#[component]
pub fn Notices(props: &Props) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    html! {
        <section class="notices" aria-live="polite">
            { for props.notices.iter().map(|n| {
                let id = n.id;
                let onclick = props.dispatch.reform(move |_: MouseEvent| Action::DismissNotice(id));
                html! {
                    <div class="notice error" role="alert" key={n.id} data-testid="load-error">
                        <strong class="notice-name" data-testid="load-error-name">{ n.name.clone() }</strong>
                        <span class="notice-message" data-testid="load-error-message">{ n.message.clone() }</span>
                        <button class="dismiss" {onclick} aria-label="Dismiss">{ "×" }</button>
                    </div>
                }
            }) }
        </section>
    }
}
