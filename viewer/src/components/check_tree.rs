//! Sections 1 … 7 with their subsections and checks: a status badge and the number of offending
//! targets per check, the number of failing checks per section, and a mark on decided checks.
//! By severity ([`TreeOrder::Severity`]), the same tree has one group per severity instead
//! (`dockaudit_shared::view::tree::by_severity`), so both orders behave alike.
//!
//! It follows the WAI-ARIA tree pattern in either order: one tab stop (roving `tabindex`), ↑/↓ move the focus
//! through the visible rows, → opens a section or enters it, ← closes it or goes to its parent,
//! Home/End go to the first and last row, Enter or Space opens the focused check and moves the
//! focus into its detail (or opens and closes the focused section).

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use dockaudit_shared::catalog::Severity;
use dockaudit_shared::report::CheckResult;
use dockaudit_shared::signoff::effective::EffectiveStatus;
use dockaudit_shared::view::filter::{self, Filters};
use dockaudit_shared::view::fix_first::needs_fix;
use dockaudit_shared::view::state::{Action, TreeOrder};
use dockaudit_shared::view::tree::{self, Group};
use yew::prelude::*;

use crate::browser;
use crate::components::severity_badge::SeverityBadge;
use crate::components::status_badge::StatusBadge;
use crate::hooks::{Dispatch, ReportRef};
use crate::signoff_store::SignoffContext;

/// Element id of the tree (the skip link's target).
pub const TREE_ID: &str = "check-tree";

#[derive(PartialEq, Properties)]
pub struct Props {
    pub report: ReportRef,
    pub filters: Filters,
    pub collapsed: BTreeSet<String>,
    pub selected: Option<String>,
    pub dispatch: Dispatch,
    /// Sections (the benchmark's order) or severities.
    #[prop_or_default]
    pub order: TreeOrder,
}

/// One visible row of the tree, in display order.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    /// `g:<id>` for a section, `c:<id>` for a check (a check and a section may share an id).
    key: String,
    id: String,
    group: bool,
    expanded: bool,
    parent: Option<usize>,
}

fn flatten(groups: &[Group<'_>], collapsed: &BTreeSet<String>, parent: Option<usize>, out: &mut Vec<Node>) {
    for g in groups {
        let expanded = !collapsed.contains(&g.id);
        let at = out.len();
        out.push(Node {
            key: format!("g:{}", g.id),
            id: g.id.clone(),
            group: true,
            expanded,
            parent,
        });
        if expanded {
            for r in &g.checks {
                out.push(Node {
                    key: format!("c:{}", r.id),
                    id: r.id.clone(),
                    group: false,
                    expanded: false,
                    parent: Some(at),
                });
            }
            flatten(&g.groups, collapsed, Some(at), out);
        }
    }
}

/// What a key does to the focused row `at`: the row to focus and the action to take.
fn on_key(nodes: &[Node], at: usize, key: &str) -> Option<(usize, Option<Action>)> {
    let node = nodes.get(at)?;
    let last = nodes.len().checked_sub(1)?;
    Some(match key {
        "ArrowDown" => (at.saturating_add(1).min(last), None),
        "ArrowUp" => (at.saturating_sub(1), None),
        "Home" => (0, None),
        "End" => (last, None),
        "ArrowRight" if node.group && !node.expanded => (at, Some(Action::ToggleGroup(node.id.clone()))),
        "ArrowRight" if node.group => ((at + 1).min(last), None),
        "ArrowLeft" if node.group && node.expanded => (at, Some(Action::ToggleGroup(node.id.clone()))),
        "ArrowLeft" => (node.parent.unwrap_or(at), None),
        "Enter" | " " if node.group => (at, Some(Action::ToggleGroup(node.id.clone()))),
        "Enter" | " " => (at, Some(Action::Select(node.id.clone()))),
        _ => return None,
    })
}

#[component]
pub fn CheckTree(props: &Props) -> Html {
    let focus = use_state(|| None::<String>);
    let signoff = use_context::<SignoffContext>();
    // Counted while the report was read (ten thousand findings for a check on a large host); the
    // lookup by id is made once per report, not on every filter change.
    let offenders = use_memo(props.report.clone(), |r| {
        r.report
            .results
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), r.prepared.offenders(i)))
            .collect::<HashMap<String, usize>>()
    });
    let visible = filter::visible(&props.report.report.results, &props.filters);
    let severity = props.order == TreeOrder::Severity;
    let (groups, testid, label) = if severity {
        (tree::by_severity(&visible), "severity-list", "Checks by severity")
    } else {
        (tree::build(&visible), "check-tree", "Checks by section")
    };
    if groups.is_empty() {
        return html! {
            <section class="tree empty-tree" data-testid={testid} id={TREE_ID} tabindex="-1">
                <p>{ "No check matches the filters." }</p>
            </section>
        };
    }
    let mut nodes = Vec::new();
    flatten(&groups, &props.collapsed, None, &mut nodes);
    let nodes = Rc::new(nodes);
    // The one tab stop: the row last focused, else the open check, else the first row.
    let stop = focus
        .as_ref()
        .filter(|k| nodes.iter().any(|n| &n.key == *k))
        .cloned()
        .or_else(|| {
            props
                .selected
                .as_ref()
                .map(|id| format!("c:{id}"))
                .filter(|k| nodes.iter().any(|n| &n.key == k))
        })
        .unwrap_or_else(|| nodes[0].key.clone());
    let onkeydown = {
        let nodes = nodes.clone();
        let focus = focus.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(current) = browser::event_data(&e, "data-node") else {
                return;
            };
            let Some(at) = nodes.iter().position(|n| n.key == current) else {
                return;
            };
            let Some((to, action)) = on_key(&nodes, at, &e.key()) else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            let opens = matches!(action, Some(Action::Select(_)));
            if let Some(action) = action {
                dispatch.emit(action);
            }
            let key = nodes[to].key.clone();
            browser::focus_tree_node(TREE_ID, &key);
            focus.set(Some(key));
            if opens {
                browser::request_detail_focus();
            }
        })
    };
    let ctx = Ctx {
        props,
        stop: &stop,
        focus: &focus,
        signoff: signoff.as_ref(),
        severity,
        offenders: &offenders,
    };
    html! {
        <section class={classes!("tree", severity.then_some("severity-list"))} data-testid={testid} aria-label={label}>
            <ul role="tree" id={TREE_ID} class="tree-root" aria-label={label} {onkeydown}>
                { for groups.iter().map(|g| group(g, &ctx, 1)) }
            </ul>
        </section>
    }
}

/// What every row needs while rendering.
struct Ctx<'a> {
    props: &'a Props,
    /// Key of the row that takes the tab stop.
    stop: &'a str,
    focus: &'a UseStateHandle<Option<String>>,
    signoff: Option<&'a SignoffContext>,
    /// Groups are severities, not sections.
    severity: bool,
    /// Distinct offenders per check id.
    offenders: &'a HashMap<String, usize>,
}

impl Ctx<'_> {
    fn tabindex(&self, key: &str) -> &'static str {
        if key == self.stop {
            "0"
        } else {
            "-1"
        }
    }

    fn focus_on(&self, key: String) -> Callback<FocusEvent> {
        let focus = self.focus.clone();
        Callback::from(move |e: FocusEvent| {
            // Only the row itself, not a focus bubbling up from a row inside it.
            if browser::event_data(&e, "data-node").as_deref() == Some(key.as_str()) && focus.as_deref() != Some(&key) {
                focus.set(Some(key.clone()));
            }
        })
    }
}

fn group(g: &Group<'_>, ctx: &Ctx<'_>, level: u8) -> Html {
    let props = ctx.props;
    let collapsed = props.collapsed.contains(&g.id);
    let id = g.id.clone();
    let toggle = props.dispatch.reform(move |e: MouseEvent| {
        e.stop_propagation();
        Action::ToggleGroup(id.clone())
    });
    let key = format!("g:{}", g.id);
    let (head, label, testid) = if ctx.severity {
        let failing = g.checks.iter().filter(|r| needs_fix(r.status)).count();
        let severity = Severity::ALL.into_iter().find(|s| s.as_str() == g.id);
        (
            html! {
                <>
                    <span class="chevron" aria-hidden="true">{ if collapsed { "▸" } else { "▾" } }</span>
                    <SeverityBadge {severity} />
                    <span class="group-total">{ format!("{} checks · {failing} failing", g.counts.total) }</span>
                </>
            },
            format!("{} — {failing} failing of {} checks", g.title, g.counts.total),
            format!("severity-group-{}", g.id),
        )
    } else {
        let failing = g.failing();
        (
            html! {
                <>
                    <span class="chevron" aria-hidden="true">{ if collapsed { "▸" } else { "▾" } }</span>
                    <span class="group-id">{ g.id.clone() }</span>
                    <span class="group-title">{ g.title.clone() }</span>
                    <span class={classes!("fail-count", (failing > 0).then_some("has-fail"))} data-testid="section-fail-count"
                        title="failing checks">{ format!("{failing} fail") }</span>
                    <span class="group-total">{ format!("{} checks", g.counts.total) }</span>
                </>
            },
            format!("{} {} — {failing} failing of {} checks", g.id, g.title, g.counts.total),
            format!("section-{}", g.id),
        )
    };
    html! {
        <li role="treeitem" class={classes!("group", format!("depth-{}", level - 1))} key={key.clone()}
            aria-expanded={(!collapsed).to_string()} aria-level={level.to_string()}
            aria-label={label}
            tabindex={ctx.tabindex(&key)} data-node={key.clone()} onfocus={ctx.focus_on(key.clone())}
            data-testid={testid}>
            <div class={classes!("group-head", ctx.severity.then_some("severity-head"))} onclick={toggle}>
                { head }
            </div>
            if !collapsed {
                <ul role="group" class="checks">
                    { for g.checks.iter().map(|r| row(r, ctx, level + 1)) }
                    { for g.groups.iter().map(|sub| group(sub, ctx, level + 1)) }
                </ul>
            }
        </li>
    }
}

/// "decided" when the sign-off settles the check, "partly decided" when some decision is about
/// it but targets stay open; `None` without a decision.
fn decided(r: &CheckResult, signoff: Option<&SignoffContext>) -> Option<&'static str> {
    let e = signoff?.eval.result(&r.id)?;
    if e.decisions.is_empty() {
        return None;
    }
    Some(match e.effective {
        EffectiveStatus::Unchanged(_) => "partly decided",
        _ => "decided",
    })
}

fn row(r: &CheckResult, ctx: &Ctx<'_>, level: u8) -> Html {
    let props = ctx.props;
    let selected = props.selected.as_deref() == Some(r.id.as_str());
    let id = r.id.clone();
    let key = format!("c:{}", r.id);
    let onclick = {
        let focus = ctx.focus.clone();
        let key = key.clone();
        props.dispatch.reform(move |_: MouseEvent| {
            focus.set(Some(key.clone()));
            Action::Select(id.clone())
        })
    };
    let offenders = ctx.offenders.get(&r.id).copied().unwrap_or_else(|| r.offender_count());
    let mark = decided(r, ctx.signoff);
    html! {
        // No `key`: a hand-edited report may repeat an id, and duplicate keys would break rendering.
        <li role="treeitem" class={classes!("check-row", selected.then_some("selected"))} {onclick}
            aria-selected={selected.to_string()} aria-level={level.to_string()}
            tabindex={ctx.tabindex(&key)} data-node={key.clone()} onfocus={ctx.focus_on(key.clone())}
            data-testid={if ctx.severity { "severity-row" } else { "check-row" }} data-check-id={r.id.clone()}>
            <StatusBadge status={r.status} />
            <span class="check-id">{ r.id.clone() }</span>
            <span class="check-title">{ r.title.clone() }</span>
            if let Some(mark) = mark {
                <span class={classes!("decided-mark", (mark == "decided").then_some("settled"))}
                    data-testid="check-decided" title="sign-off decisions">{ mark }</span>
            }
            if offenders > 0 {
                <span class="offenders" data-testid="check-offenders" title="offending targets">
                    { offenders }<span class="visually-hidden">{ " offending" }</span>
                </span>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: &str, group: bool, expanded: bool, parent: Option<usize>) -> Node {
        Node {
            key: key.into(),
            id: key[2..].into(),
            group,
            expanded,
            parent,
        }
    }

    #[test]
    fn keys_move_through_the_visible_rows_like_a_tree() {
        let nodes = [
            node("g:1", true, true, None),
            node("c:1.1", false, false, Some(0)),
            node("g:2", true, false, None),
        ];
        assert_eq!(on_key(&nodes, 0, "ArrowDown"), Some((1, None)));
        assert_eq!(on_key(&nodes, 2, "ArrowDown"), Some((2, None)));
        assert_eq!(on_key(&nodes, 0, "ArrowUp"), Some((0, None)));
        assert_eq!(on_key(&nodes, 1, "End"), Some((2, None)));
        assert_eq!(on_key(&nodes, 2, "Home"), Some((0, None)));
        assert_eq!(on_key(&nodes, 1, "ArrowLeft"), Some((0, None)));
        assert_eq!(on_key(&nodes, 0, "ArrowRight"), Some((1, None)));
        assert_eq!(
            on_key(&nodes, 2, "ArrowRight"),
            Some((2, Some(Action::ToggleGroup("2".into()))))
        );
        assert_eq!(
            on_key(&nodes, 0, "ArrowLeft"),
            Some((0, Some(Action::ToggleGroup("1".into()))))
        );
        assert_eq!(
            on_key(&nodes, 1, "Enter"),
            Some((1, Some(Action::Select("1.1".into()))))
        );
        assert_eq!(on_key(&nodes, 2, " "), Some((2, Some(Action::ToggleGroup("2".into())))));
        assert_eq!(on_key(&nodes, 1, "x"), None);
    }
}
