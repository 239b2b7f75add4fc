//! One check: the verdict, why it matters, how it is audited, how to fix it, and every finding.

use dockaudit_shared::catalog;
use dockaudit_shared::report::{CheckResult, Finding};
use dockaudit_shared::view::filter::evaluation_str;
use dockaudit_shared::view::state::Action;
use yew::prelude::*;

use crate::components::decision_form::DecisionPanel;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub check: String,
    pub dispatch: Dispatch,
}

#[component]
pub fn CheckDetail(props: &Props) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Close);
    let Some(r) = props.report.report.result(&props.check) else {
        return html! {
            <section class="detail" data-testid="check-detail">
                <p>{ format!("This report has no check {}.", props.check) }</p>
                <button class="close" onclick={close}>{ "Close" }</button>
            </section>
        };
    };
    let meta = catalog::get(&r.id);
    let remediation = if r.remediation.is_empty() {
        meta.map(|m| m.remediation.to_string())
    } else {
        Some(r.remediation.clone())
    };
    html! {
        <section class="detail" data-testid="check-detail" data-check-id={r.id.clone()} aria-label="Check detail">
            <header class="detail-head">
                <StatusBadge status={r.status} />
                <crate::components::severity_badge::SeverityBadge severity={catalog::severity::of(&r.id)} />
                <h2><span class="check-id">{ r.id.clone() }</span>{ " " }{ r.title.clone() }</h2>
                <button class="close" onclick={close} aria-label="Close detail (Esc)" data-testid="detail-close">{ "×" }</button>
            </header>
            <p class="meta">
                { format!("Level {} · CIS: {} · dockaudit: {}", r.level, assessment(r), evaluation_str(r.evaluation)) }
            </p>
            <p class="verdict" data-testid="detail-summary">{ r.summary.clone() }</p>
            if let Some(m) = meta {
                <h3>{ "Why it matters" }</h3>
                <p data-testid="detail-rationale">{ m.rationale }</p>
                <h3>{ "How it is audited" }</h3>
                <p data-testid="detail-audit">{ m.audit }</p>
            }
            if let Some(text) = remediation {
                <h3>{ "Remediation" }</h3>
                <p data-testid="detail-remediation"><crate::components::remediation_text::RemediationText text={text} /></p>
            }
            if let Some(m) = meta {
                <h3>{ "Impact" }</h3>
                <p>{ m.impact }</p>
            }
            <Findings findings={r.findings.clone()} />
            <DecisionPanel key={r.id.clone()} check={r.id.clone()} />
            if let Some(m) = meta.filter(|m| !m.notes.is_empty()) {
                <details class="notes">
                    <summary>{ "How dockaudit differs from other tools here" }</summary>
                    <p>{ m.notes }</p>
                </details>
            }
        </section>
    }
}

fn assessment(r: &CheckResult) -> &'static str {
    match r.assessment {
        catalog::Assessment::Automated => "automated",
        catalog::Assessment::Manual => "manual",
    }
}

#[derive(PartialEq, Properties)]
pub struct FindingsProps {
    pub findings: Vec<Finding>,
}

/// Rows shown before "show all": enough for any real host, small enough to render at once.
const FIRST_ROWS: usize = 200;

/// The findings table: one row per target, with what was seen, what was expected, and the fix.
#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    let show_all = use_state(|| false);
    if props.findings.is_empty() {
        return html! { <p class="no-findings" data-testid="no-findings">{ "No findings." }</p> };
    }
    let total = props.findings.len();
    let shown = if *show_all { total } else { total.min(FIRST_ROWS) };
    let expand = {
        let show_all = show_all.clone();
        Callback::from(move |_: MouseEvent| show_all.set(true))
    };
    html! {
        <>
            <h3>{ format!("Findings ({total})") }</h3>
            <table class="findings" data-testid="findings-table">
                <thead>
                    <tr><th>{ "Target" }</th><th>{ "Finding" }</th><th>{ "Observed" }</th><th>{ "Expected" }</th><th>{ "Remediation" }</th></tr>
                </thead>
                <tbody>
                    { for props.findings.iter().take(shown).map(|f| html! {
                        <tr data-testid="finding-row">
                            <td data-testid="finding-target">
                                <span class="kind">{ f.target.kind.as_str() }</span>{ " " }
                                <span class="target-name" title={f.target.id.clone()}>{ f.target.display().to_string() }</span>
                            </td>
                            <td data-testid="finding-message">{ f.message.clone() }</td>
                            <td class="mono" data-testid="finding-observed">{ f.observed.clone() }</td>
                            <td class="mono" data-testid="finding-expected">{ f.expected.clone() }</td>
                            <td data-testid="finding-remediation">{ f.remediation.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if shown < total {
                <button class="link" onclick={expand} data-testid="findings-show-all">
                    { format!("Show all {total} findings ({} more)", total - shown) }
                </button>
            }
        </>
    }
}
