//! The file picker (several files at once). Dropping files anywhere on the page works too; the
//! app handles that.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::hooks::Dispatch;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub dispatch: Dispatch,
}

#[component]
pub fn Loader(props: &Props) -> Html {
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            crate::loading::read_files(input.files(), dispatch.clone());
            // Let the same file be picked again (e.g. after fixing it).
            input.set_value("");
        })
    };
    html! {
        <div class="loader">
            <label class="button primary" for="file-input">{ "Open reports…" }</label>
            <input id="file-input" class="visually-hidden" type="file" multiple=true
                accept=".json,application/json" {onchange} data-testid="file-input" />
            <span class="hint">{ "or drop files here" }</span>
        </div>
    }
}
