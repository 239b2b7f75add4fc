//! Report / by target / compare / trend, and in the report the skip links to the check tree and
//! the open check's detail (keyboard readers need not tab through the filters).

use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::url::Mode;
use yew::prelude::*;

use crate::browser;
use crate::components::check_detail::DETAIL_ID;
use crate::components::check_tree::TREE_ID;
use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub mode: Mode,
    pub dispatch: Dispatch,
}

#[component]
pub fn ModeTabs(props: &Props) -> Html {
    let skip = |target: &'static str, text: &'static str| {
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            if target == TREE_ID {
                browser::focus_tree(TREE_ID);
            } else {
                browser::focus_id(target);
            }
        });
        html! {
            <a class="skip-link" href={format!("#{target}")} {onclick} data-testid={format!("skip-{target}")}>{ text }</a>
        }
    };
    html! {
        <>
        if props.mode == Mode::Report {
            <div class="skip-links">
                { skip(TREE_ID, "Skip to the checks") }
                { skip(DETAIL_ID, "Skip to the check's detail") }
            </div>
        }
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
        </>
    }
}
