//! Who signed a report or sign-off, as verified in the browser against the loaded allowed signers:
//! "signed by <principal> (fingerprint)", unsigned, invalid, not allowed, outside the key's validity.
//! Only a signature verified here ever reads "signed by"; a matching digest only reads "intact".

use dockaudit_shared::sshsig::SignatureStatus;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub status: SignatureStatus,
    /// `data-testid` of the badge.
    pub testid: AttrValue,
}

#[component]
pub fn SignatureBadge(props: &Props) -> Html {
    let state = props.status.state().as_str();
    let (text, principal) = match &props.status {
        SignatureStatus::Verified { principal, fingerprint } => (
            format!("signed by {principal} ({fingerprint}), verified against your allowed signers"),
            principal.clone(),
        ),
        SignatureStatus::Unsigned => ("unsigned".to_string(), String::new()),
        other => (other.describe(), String::new()),
    };
    html! {
        <span class={classes!("signature-state", state)} data-testid={props.testid.clone()} data-state={state}
            data-principal={principal} data-fingerprint={props.status.fingerprint().unwrap_or_default().to_string()}>
            { text }
        </span>
    }
}
