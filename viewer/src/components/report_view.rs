//! One report: header, "Fix first", summary, filters, the check tree (or the checks by severity)
//! and the selected check's detail.

use dockaudit_shared::view::filter::facet_counts;
use dockaudit_shared::view::url::ViewSpec;
use yew::prelude::*;

use crate::components::check_detail::CheckDetail;
use crate::components::check_tree::CheckTree;
use crate::components::export::Export;
use crate::components::filters::{Filters, TargetOption};
use crate::components::fix_first::FixFirst;
use crate::components::report_header::ReportHeader;
use crate::components::summary::Summary;
use crate::components::tree_order::TreeOrderToggle;
use crate::hooks::{Dispatch, ReportRef};

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub view: ViewSpec,
    pub dispatch: Dispatch,
}

/// Containers and images of a report as filter options.
pub fn target_options(report: &ReportRef) -> Vec<TargetOption> {
    report
        .prepared
        .summary()
        .iter()
        .map(|t| TargetOption {
            label: format!("{} {} ({} offending)", t.kind.as_str(), t.name, t.offending.len()),
            key: t.key.clone(),
        })
        .collect()
}

#[component]
pub fn ReportView(props: &Props) -> Html {
    let report = &props.report;
    let view = &props.view;
    let counts = facet_counts(&report.report.results, &view.filters);
    // The targets were listed while the report was read; their labels are made once per report,
    // not per render (a filter change re-renders this view).
    let targets = use_memo(report.clone(), target_options);
    let detail = view.check.clone().filter(|_| view.detail_open);
    html! {
        <div class="report-view" data-testid="report-view">
            <ReportHeader report={report.clone()} />
            <FixFirst report={report.clone()} selected={view.check.clone()} dispatch={props.dispatch.clone()} />
            <Summary report={report.clone()} selected={view.filters.statuses.iter().copied().collect::<Vec<_>>()}
                dispatch={props.dispatch.clone()} />
            <Filters filters={view.filters.clone()} {counts} targets={(*targets).clone()} dispatch={props.dispatch.clone()} />
            <Export report={report.clone()} filters={view.filters.clone()} />
            <TreeOrderToggle order={view.order} dispatch={props.dispatch.clone()} />
            <div class={classes!("split", detail.is_some().then_some("with-detail"))}>
                <CheckTree report={report.clone()} filters={view.filters.clone()} collapsed={view.collapsed.clone()}
                    selected={view.check.clone()} dispatch={props.dispatch.clone()} order={view.order} />
                if let Some(check) = detail {
                    <CheckDetail report={report.clone()} {check} dispatch={props.dispatch.clone()} target={view.filters.target.clone()} />
                }
            </div>
        </div>
    }
}
