//! Which host, which engine, when, which run, and whether the file is as it was written.

use dockaudit_shared::digest::DigestCheck;
use yew::prelude::*;

use crate::components::signature_badge::SignatureBadge;
use crate::hooks::ReportRef;
use crate::signoff_store::SignoffContext;

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
}

fn or_unknown(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("unknown").to_string()
}

#[component]
pub fn ReportHeader(props: &Props) -> Html {
    let loaded = &*props.report;
    let r = &loaded.report;
    // The signature shown is the active report's, verified with the loaded allowed signers.
    let signature = use_context::<SignoffContext>()
        .filter(|c| c.report == props.report)
        .map(|c| c.report_signature.clone());
    let (digest_state, digest_text, digest_title) = match &loaded.digest {
        // A digest is unkeyed: it shows the file is unchanged, never who wrote it ("signed by" is
        // only ever the signature badge's, after verification).
        DigestCheck::Valid(d) => (
            "valid",
            "intact (digest matches)".to_string(),
            format!("{d}: unchanged since it was written; this says nothing about who wrote it"),
        ),
        DigestCheck::Mismatch { stored, computed } => (
            "mismatch",
            "digest MISMATCH".to_string(),
            format!("stored {stored}, content hashes to {computed}"),
        ),
        DigestCheck::Missing { computed } => (
            "missing",
            "no digest".to_string(),
            format!("content hashes to {computed}"),
        ),
    };
    let engine = match (&r.host.docker.server_version, &r.host.docker.api_version) {
        (Some(v), Some(api)) => format!("Docker {v} (API {api})"),
        (Some(v), None) => format!("Docker {v}"),
        _ => "unknown".to_string(),
    };
    html! {
        <section class="report-header" data-testid="report-header">
            if matches!(loaded.digest, DigestCheck::Mismatch { .. }) {
                <div class="banner error" role="alert" data-testid="digest-warning">
                    <strong>{ "This report was changed after it was written." }</strong>
                    { " Its content does not match its digest, so its findings cannot be trusted as the tool's output. \
                       Ask for the original file." }
                </div>
            }
            <dl class="facts">
                <div><dt>{ "Host" }</dt><dd data-testid="hdr-host">{ or_unknown(r.host.hostname.as_deref()) }</dd></div>
                <div><dt>{ "Engine" }</dt><dd data-testid="hdr-engine">{ engine }</dd></div>
                <div><dt>{ "When" }</dt><dd data-testid="hdr-when">{ r.run.started_at.clone() }</dd></div>
                <div><dt>{ "Run" }</dt><dd data-testid="hdr-run" class="mono">{ r.run.id.clone() }</dd></div>
                <div>
                    <dt>{ "Integrity" }</dt>
                    <dd><span class={classes!("digest", digest_state)} data-testid="digest-status" data-state={digest_state}
                        title={digest_title}>{ digest_text }</span></dd>
                </div>
                if let Some(status) = signature {
                    <div>
                        <dt>{ "Signature" }</dt>
                        <dd><SignatureBadge {status} testid="report-signature" /></dd>
                    </div>
                }
                <div>
                    <dt>{ "Source" }</dt>
                    <dd data-testid="hdr-format">
                        { loaded.format.label() }{ " · " }{ r.tool.name.clone() }{ " " }{ r.tool.version.clone() }
                        { " · " }{ loaded.name.clone() }
                    </dd>
                </div>
            </dl>
            // Shown open, never folded away: a reader must not miss that the file was converted or
            // repaired on loading, or that facts were not collected.
            if !loaded.warnings.is_empty() || !r.errors.is_empty() {
                <div class="warnings open" data-testid="report-warnings">
                    if !loaded.warnings.is_empty() {
                        <div class="load-warnings" role="alert" data-testid="load-warnings">
                            <strong>{ format!("{} warning(s) from loading this file", loaded.warnings.len()) }</strong>
                            <ul>
                                { for loaded.warnings.iter().map(|w| html! { <li data-testid="load-warning">{ w.clone() }</li> }) }
                            </ul>
                        </div>
                    }
                    if !r.errors.is_empty() {
                        <div class="not-collected" data-testid="not-collected">
                            <strong>{ format!("{} fact(s) could not be collected", r.errors.len()) }</strong>
                            <ul>
                                { for r.errors.iter().map(|e| html! {
                                    <li>
                                        { "Not collected: " }<span class="mono">{ e.source.clone() }</span>{ " — " }{ e.reason.clone() }
                                        if !e.affects.is_empty() {
                                            { format!(" (affects {})", e.affects.join(", ")) }
                                        }
                                    </li>
                                }) }
                            </ul>
                        </div>
                    }
                </div>
            }
        </section>
    }
}
