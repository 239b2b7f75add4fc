//! One check: the verdict, why it matters, how it is audited, how to fix it, and its findings
//! (about the target the view is filtered on, when it is), each marked when a sign-off decision
//! covers it.

use std::collections::BTreeMap;

use dockaudit_shared::catalog;
use dockaudit_shared::report::{CheckResult, Finding};
use dockaudit_shared::signoff::DecisionKind;
use dockaudit_shared::view::filter::evaluation_str;
use dockaudit_shared::view::signoff::thousands;
use dockaudit_shared::view::state::Action;
use dockaudit_shared::view::targets::{findings_about, FINDINGS_PAGE};
use yew::prelude::*;

use crate::browser;
use crate::components::decision_form::DecisionPanel;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};
use crate::signoff_store::SignoffContext;

/// Element id of the detail (the skip link's and the keyboard's target).
pub const DETAIL_ID: &str = "check-detail";

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub check: String,
    pub dispatch: Dispatch,
    /// The target the view is filtered on: only its findings are listed.
    #[prop_or_default]
    pub target: Option<String>,
}

#[component]
pub fn CheckDetail(props: &Props) -> Html {
    // Opened from the keyboard: the focus follows into the detail.
    use_effect_with(props.check.clone(), |_| {
        if browser::take_detail_focus() {
            browser::focus_id(DETAIL_ID);
        }
    });
    let close = props.dispatch.reform(|_: MouseEvent| Action::Close);
    let Some(r) = props.report.report.result(&props.check) else {
        return html! {
            <section class="detail" data-testid="check-detail" id={DETAIL_ID} tabindex="-1">
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
        <section class="detail" data-testid="check-detail" data-check-id={r.id.clone()} aria-label="Check detail"
            id={DETAIL_ID} tabindex="-1">
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
            <Findings findings={findings_about(r, props.target.as_deref()).into_iter().cloned().collect::<Vec<_>>()}
                check={r.id.clone()} of={r.findings.len()} target={props.target.clone()} />
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
    /// The check they belong to, to mark the findings its decisions cover.
    #[prop_or_default]
    pub check: Option<String>,
    /// How many findings the check has in all, when `findings` are one target's.
    #[prop_or_default]
    pub of: Option<usize>,
    /// The target they were narrowed to.
    #[prop_or_default]
    pub target: Option<String>,
    /// Every row at once, no paging: printed evidence must name every offender.
    #[prop_or_default]
    pub all: bool,
}

/// The decision kind covering each target of a check (`None` key: the whole check).
fn decided_targets(
    ctx: Option<&SignoffContext>,
    check: Option<&str>,
) -> BTreeMap<Option<(String, String)>, DecisionKind> {
    let (Some(ctx), Some(check)) = (ctx, check) else {
        return BTreeMap::new();
    };
    ctx.signoff
        .decisions
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            d.check == check
                && ctx
                    .eval
                    .decisions
                    .get(*i)
                    .is_some_and(|s| s.status == dockaudit_shared::signoff::effective::DecisionStatus::Applied)
        })
        .map(|(_, d)| {
            (
                d.target.as_ref().map(|t| (t.kind.as_str().to_string(), t.key.clone())),
                d.kind,
            )
        })
        .collect()
}

/// The findings table: one row per target, with what was seen, what was expected, and the fix;
/// the first [`FINDINGS_PAGE`] rows, then "show more" a page at a time.
#[component]
pub fn Findings(props: &FindingsProps) -> Html {
    let all_rows = props.all;
    let shown = use_state(move || if all_rows { usize::MAX } else { FINDINGS_PAGE });
    let ctx = use_context::<SignoffContext>();
    let total = props.findings.len();
    let scope = match (&props.target, props.of) {
        (Some(t), Some(of)) => format!(" about {t}, of {} in all", thousands(of)),
        _ => String::new(),
    };
    if props.findings.is_empty() {
        let text = match &props.target {
            Some(t) => format!("No finding of this check is about {t}."),
            None => "No findings.".to_string(),
        };
        return html! { <p class="no-findings" data-testid="no-findings">{ text }</p> };
    }
    let decided = decided_targets(ctx.as_ref(), props.check.as_deref());
    let limit = (*shown).min(total);
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + FINDINGS_PAGE))
    };
    let all = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(usize::MAX))
    };
    html! {
        <>
            <h3 data-testid="findings-heading">{ format!("Findings ({}{scope})", thousands(total)) }</h3>
            <table class="findings" data-testid="findings-table">
                <thead>
                    <tr><th scope="col">{ "Target" }</th><th scope="col">{ "Finding" }</th><th scope="col">{ "Observed" }</th><th scope="col">{ "Expected" }</th><th scope="col">{ "Remediation" }</th></tr>
                </thead>
                <tbody>
                    { for props.findings.iter().take(limit).map(|f| {
                        let key = Some((f.target.kind.as_str().to_string(), f.target.key().to_string()));
                        let decision = decided.get(&key).or_else(|| decided.get(&None));
                        html! {
                            <tr data-testid="finding-row" class={classes!(decision.is_some().then_some("decided"))}>
                                <td data-testid="finding-target">
                                    <span class="kind">{ f.target.kind.as_str() }</span>{ " " }
                                    <span class="target-name" title={f.target.id.clone()}>{ f.target.display().to_string() }</span>
                                    if let Some(k) = decision {
                                        { " " }<span class="decided-mark settled" data-testid="finding-decided" data-kind={k.as_str()}>{ k.label() }</span>
                                    }
                                </td>
                                <td data-testid="finding-message">{ f.message.clone() }</td>
                                <td class="mono" data-testid="finding-observed">{ f.observed.clone() }</td>
                                <td class="mono" data-testid="finding-expected">{ f.expected.clone() }</td>
                                <td data-testid="finding-remediation">{ f.remediation.clone() }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if limit < total {
                <p class="findings-more" data-testid="findings-more">
                    { format!("Showing {} of {} findings, and {} more. ", thousands(limit), thousands(total), thousands(total - limit)) }
                    <button class="link" onclick={more} data-testid="findings-show-more">
                        { format!("Show {} more", thousands(FINDINGS_PAGE.min(total - limit))) }
                    </button>
                    { " · " }
                    <button class="link" onclick={all} data-testid="findings-show-all">{ format!("Show all {}", thousands(total)) }</button>
                </p>
            }
        </>
    }
}
