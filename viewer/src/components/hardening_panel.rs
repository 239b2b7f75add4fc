//! A container's least-privilege proposal (report schema 2): each flag with the observed reason,
//! what could not be observed, and the `docker run` line and Compose override with a copy
//! button. The text comes from `dockaudit_shared::hardening`, so it is byte for byte what
//! `dockaudit harden` prints; Yew renders all of it as text.

use dockaudit_shared::hardening::{compose_override, docker_run, rows, Proposal, RowKind};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::hooks::ReportRef;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    /// The selected target's key (a container's name).
    pub target: String,
}

#[component]
pub fn HardeningPanel(props: &Props) -> Html {
    let proposal = props
        .report
        .report
        .hardening
        .as_ref()
        .and_then(|h| h.for_container(&props.target));
    match proposal {
        Some(p) => html! { <Panel proposal={p.clone()} /> },
        None => html! {},
    }
}

#[derive(PartialEq, Properties)]
struct PanelProps {
    proposal: Proposal,
}

#[component]
fn Panel(props: &PanelProps) -> Html {
    let p = &props.proposal;
    let run = docker_run(p);
    let compose = compose_override(p);
    let heading_id = "hardening-heading";
    html! {
        <section class="hardening" data-testid="hardening-panel" aria-labelledby={heading_id}>
            <h2 id={heading_id}>{ format!("Least privilege for {}", p.container.name) }</h2>
            <p class="hint">
                { "Proposed from what the container was seen doing. Prove it before use: " }
                <code>{ format!("dockaudit harden --trial {}", p.container.name) }</code>
            </p>
            <table class="hardening-flags" data-testid="hardening-flags">
                <thead><tr><th scope="col">{ "Flag" }</th><th scope="col">{ "Why" }</th></tr></thead>
                <tbody>
                    { for rows(p).into_iter().map(|row| {
                        // Prefixed: the app's stylesheet gives `.remove` (a close button) a
                        // position of its own and hides it in print.
                        let class = match row.kind {
                            RowKind::Add => "flag-add",
                            RowKind::Keep => "flag-keep",
                            RowKind::Remove => "flag-remove",
                            RowKind::Volume => "flag-volume",
                        };
                        html! {
                            <tr class={class}>
                                <td class="flag"><code>{ row.flag }</code></td>
                                <td class="why">{ row.reason }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if p.capabilities.incomplete.is_some() || !p.gaps.is_empty() {
                <ul class="hardening-gaps" data-testid="hardening-gaps">
                    if let Some(why) = &p.capabilities.incomplete {
                        <li>{ format!("Capabilities may be incomplete: {why}") }</li>
                    }
                    { for p.gaps.iter().map(|g| html! {
                        <li>{ format!("Not observed — {}: {}. {}", g.source, g.reason, g.effect) }</li>
                    }) }
                </ul>
            }
            <Snippet title="docker run" text={run} testid="hardening-run" />
            if let Some(yaml) = compose {
                <Snippet title="Compose override" text={yaml} testid="hardening-compose" />
            }
        </section>
    }
}

#[derive(PartialEq, Properties)]
struct SnippetProps {
    title: AttrValue,
    text: String,
    testid: AttrValue,
}

/// A block of text with a button that copies it.
#[component]
fn Snippet(props: &SnippetProps) -> Html {
    let status = use_state(|| None::<&'static str>);
    let onclick = {
        let text = props.text.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let done = match copy(&text) {
                Ok(()) => "Copied",
                Err(_) => "Copying is not allowed here: select the text and copy it",
            };
            status.set(Some(done));
        })
    };
    html! {
        <div class="snippet" data-testid={props.testid.clone()}>
            <div class="snippet-head">
                <h3>{ props.title.clone() }</h3>
                <button type="button" class="copy" {onclick} aria-label={format!("Copy the {}", props.title)}>
                    { "Copy" }
                </button>
                <span class="copy-status" role="status" aria-live="polite">{ status.unwrap_or("") }</span>
            </div>
            <pre><code>{ props.text.clone() }</code></pre>
        </div>
    }
}

/// `navigator.clipboard.writeText(text)`; the promise is not awaited (the browser reports a
/// refusal itself), only its absence is an error.
fn copy(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let navigator = js_sys::Reflect::get(&window, &JsValue::from_str("navigator"))?;
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::from_str("no clipboard"));
    }
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))?.dyn_into()?;
    write.call1(&clipboard, &JsValue::from_str(text))?;
    Ok(())
}
