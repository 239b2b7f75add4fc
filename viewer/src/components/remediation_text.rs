//! Remediation text with its `inline code` shown as code.
//!
//! The split is `dockaudit_shared::view::remediation::segments`; every piece is rendered as a text
//! node (code pieces inside `<code>`), so markup in a catalogue or report string is shown, never
//! interpreted.

use dockaudit_shared::view::remediation::{segments, Segment};
use yew::prelude::*;

#[derive(Debug, PartialEq, Properties)]
pub struct Props {
    pub text: AttrValue,
}

#[component]
pub fn RemediationText(props: &Props) -> Html {
    html! {
        { for segments(&props.text).into_iter().map(|s| match s {
            Segment::Text(t) => html! { { t.to_string() } },
            Segment::Code(c) => html! { <code>{ c.to_string() }</code> },
        }) }
    }
}
