//! The report view's order: the benchmark's sections or by severity. Both are the check tree
//! ([`crate::components::check_tree`]); by severity, the visible checks are listed under
//! Critical, High, Medium and Low, failing ones and those with most offenders first
//! (`dockaudit_shared::view::tree::by_severity`).

use dockaudit_shared::view::state::{Action, TreeOrder};
use yew::prelude::*;

use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct ToggleProps {
    pub order: TreeOrder,
    pub dispatch: Dispatch,
}

/// Two buttons, one pressed: "Benchmark order" and "By severity".
#[component]
pub fn TreeOrderToggle(props: &ToggleProps) -> Html {
    let button = |order: TreeOrder, label: &str| {
        let onclick = props.dispatch.reform(move |_: MouseEvent| Action::SetOrder(order));
        let on = props.order == order;
        html! {
            <button class={classes!("tab", on.then_some("current"))} {onclick} aria-pressed={on.to_string()}
                data-testid={format!("order-{}", order.as_str())}>{ label.to_string() }</button>
        }
    };
    html! {
        <div class="tree-order tabs" role="group" aria-label="Order of the checks" data-testid="tree-order">
            { button(TreeOrder::Benchmark, "Benchmark order") }
            { button(TreeOrder::Severity, "By severity") }
        </div>
    }
}
