//! The heatmap: hosts down, checks across under their (collapsible) sections, each cell coloured by
//! the host's latest status for that check. A cell opens that host's report at that check (fetched
//! from the store only then); a host opens its panel (report and trend); a check opens the hosts
//! failing it.
//!
//! A fleet has thousands of hosts and every host 117 cells, so only the rows in view (plus a margin,
//! [`window`]) are in the page: rows have one fixed height, and spacers stand for the rest. A row's
//! cells are one element (a `gridcell` spanning the check columns) painted as a gradient of runs of
//! equal statuses ([`Heatmap::runs`]), so a filter restyles a few dozen elements, not thousands.
//! A click on it opens the cell under the pointer.
//!
//! It is an ARIA grid: `aria-rowcount` counts every host, each rendered row carries its
//! `aria-rowindex`, and a row's cells are named by what they say ([`Heatmap::row_summary`]). The
//! arrow keys, Page Up/Down, Home and End move a cell cursor ([`grid_move`]), scrolling the rows they
//! reach into the page; a polite live region reads the cell under it, and Enter opens it. Rows and
//! the header are memoised components, and one listener on the grid serves every row.

use std::cell::RefCell;
use std::rc::Rc;

use dockaudit_shared::report::Status;
use dockaudit_shared::view::fleet::{grid_move, Column, FleetAction, FleetSpec, GridKey, Group, Heatmap};
use dockaudit_shared::view::window::{scroll_to, window, Window};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::fleet_view::FleetDispatch;

/// Height of a host row in pixels (fleetview.css: `.hm-body .hm-row`).
pub const ROW_PX: u32 = 16;
/// Width of a cell plus the gap after it, in pixels (fleetview.css: `.hm-col`, 12px + 1px).
const CELL_PX: usize = 13;
/// How long the grid must rest before its scroll position goes into the address.
const SCROLL_SETTLE_MS: i32 = 300;

/// The heatmap as a property: the same heatmap when it is the same allocation.
#[derive(Debug, Clone)]
pub struct MapRef(pub Rc<Heatmap>);

impl PartialEq for MapRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(PartialEq, Properties)]
pub struct Props {
    pub map: MapRef,
    pub spec: FleetSpec,
    pub dispatch: FleetDispatch,
}

/// The `data-*` attribute `name` of the nearest ancestor of `target` that has it.
fn closest_data(target: &web_sys::Element, name: &str) -> Option<String> {
    let found = target.closest(&format!("[data-{name}]")).ok()??;
    found.get_attribute(&format!("data-{name}"))
}

fn event_element(e: &Event) -> Option<web_sys::Element> {
    e.target()?.dyn_into::<web_sys::Element>().ok()
}

/// Opens a query of this page (a report of the fleet), keeping the fleet in the history.
fn open(query: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(&format!("?{query}"));
    }
}

/// Opens the report of shown row `row` at column `col` (a collapsed section opens the report at its top).
fn open_cell(map: &Heatmap, spec: &FleetSpec, row: usize, col: usize) {
    let (Some(host), Some(column)) = (map.host(row), map.columns.get(col)) else {
        return;
    };
    let check = (!column.collapsed_section).then_some(column.id.as_str());
    if let Some(link) = spec.report_link(&host.report_key, check) {
        open(&link);
    }
}

/// The grid position of an element of a host row: (row, column), column 0 being the host's name
/// and `n` the n-th cell (the strip's cursor, else its first cell).
fn grid_position(el: &web_sys::Element) -> Option<(usize, usize)> {
    let row_el = el.closest("[data-row]").ok()??;
    let row = row_el.get_attribute("data-row")?.parse().ok()?;
    if el.closest("[role=rowheader]").ok()?.is_some() {
        return Some((row, 0));
    }
    let strip = el.closest(".strip").ok()??;
    let col = strip
        .get_attribute("data-cursor-col")
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    Some((row, col + 1))
}

/// The element to focus for a grid position (the host's name, or the row's strip), if its row is
/// in the page.
fn grid_element(scroller: &web_sys::Element, (row, col): (usize, usize)) -> Option<web_sys::HtmlElement> {
    let row_el = scroller.query_selector(&format!("[data-row='{row}']")).ok()??;
    let el = row_el
        .query_selector(if col == 0 { "button" } else { ".strip" })
        .ok()??;
    el.dyn_into::<web_sys::HtmlElement>().ok()
}

/// The scroller's scroll position and height, in pixels.
fn scroll_of(scroller: &web_sys::Element) -> (u32, u32) {
    let px = |v: i32| u32::try_from(v).unwrap_or(0);
    (px(scroller.scroll_top()), px(scroller.client_height()))
}

#[component]
pub fn FleetHeatmap(props: &Props) -> Html {
    let map = &props.map.0;
    let spec = &props.spec;
    let d = &props.dispatch;
    let rows = map.rows.len();
    let scroller = use_node_ref();
    // The rows rendered; until the grid is laid out, a screenful from the row the link names.
    let shown = use_state_eq(|| window(rows, ROW_PX, px_of_row(spec.row), 0));
    // A grid position to focus once its row is rendered.
    let focus_wanted = use_mut_ref(|| None::<(usize, usize)>);
    // The live region reading the cell under the keyboard's cursor.
    let live = use_node_ref();
    // The pending "scroll position into the address" timer.
    let settle = use_mut_ref(|| None::<i32>);

    // The scroller's last known position and height (reading them forces a layout, so they are
    // read on scroll and once laid out, not on every change).
    let scrolled = use_mut_ref(|| None::<(u32, u32)>);
    // A new heatmap (a filter or sort changed, or the page opened): scroll to the row the view
    // says, and render the rows around it.
    {
        let scroller = scroller.clone();
        let shown = shown.clone();
        let scrolled = scrolled.clone();
        let top = px_of_row(spec.row.min(rows.saturating_sub(1)));
        use_effect_with(props.map.clone(), move |_| {
            let known = *scrolled.borrow();
            let view = match (known, scroller.cast::<web_sys::Element>()) {
                (Some((at, view)), _) if at == top => view,
                (_, Some(el)) => {
                    el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
                    let (at, view) = scroll_of(&el);
                    *scrolled.borrow_mut() = Some((at, view));
                    view
                }
                (known, None) => known.map_or(0, |k| k.1),
            };
            shown.set(window(rows, ROW_PX, top, view));
        });
    }
    // Focus what the keyboard asked for once it is in the page.
    {
        let scroller = scroller.clone();
        let focus_wanted = focus_wanted.clone();
        let live = live.clone();
        let map = map.clone();
        use_effect(move || {
            let wanted = *focus_wanted.borrow();
            if let (Some(at), Some(el)) = (wanted, scroller.cast::<web_sys::Element>()) {
                if let Some(target) = grid_element(&el, at) {
                    focus_wanted.borrow_mut().take();
                    focus(&map, &live, &target, at);
                }
            }
        });
    }

    let on_scroll = {
        let shown = shown.clone();
        let d = d.clone();
        let settle = settle.clone();
        let scrolled = scrolled.clone();
        Callback::from(move |e: Event| {
            let Some(el) = event_element(&e) else { return };
            let (top, view) = scroll_of(&el);
            *scrolled.borrow_mut() = Some((top, view));
            shown.set(window(rows, ROW_PX, top, view));
            remember_scroll(&settle, &d, (top / ROW_PX) as usize);
        })
    };

    let on_click = {
        let map = map.clone();
        let spec = spec.clone();
        let d = d.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = event_element(&e) else { return };
            if el.closest("button.host-name").ok().flatten().is_some() {
                if let Some(key) = closest_data(&el, "host") {
                    d.emit(FleetAction::SelectHost(Some(key)));
                }
                return;
            }
            if !el.class_list().contains("strip") {
                return;
            }
            let Some(row) = closest_data(&el, "row").and_then(|r| r.parse::<usize>().ok()) else {
                return;
            };
            let col = usize::try_from(e.offset_x()).unwrap_or(0) / CELL_PX;
            open_cell(&map, &spec, row, col.min(map.columns.len().saturating_sub(1)));
        })
    };

    let on_key = {
        let map = map.clone();
        let spec = spec.clone();
        let scroller = scroller.clone();
        let shown = shown.clone();
        let focus_wanted = focus_wanted.clone();
        let live = live.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = event_element(&e) else { return };
            let Some(at) = grid_position(&el) else { return };
            if matches!(e.key().as_str(), "Enter" | " ") && at.1 > 0 {
                e.prevent_default();
                open_cell(&map, &spec, at.0, at.1 - 1);
                return;
            }
            let Some(key) = GridKey::parse(&e.key(), e.ctrl_key() || e.meta_key()) else {
                return;
            };
            e.prevent_default();
            let Some(scroll_el) = scroller.cast::<web_sys::Element>() else {
                return;
            };
            let (top, view) = scroll_of(&scroll_el);
            // A page: the rows under the sticky header are not in view.
            let page = (view / ROW_PX).saturating_sub(8).max(1) as usize;
            let Some(to) = grid_move(at, key, map.rows.len(), map.columns.len(), page) else {
                return;
            };
            if let Some(target) = grid_element(&scroll_el, to) {
                focus(&map, &live, &target, to);
                return;
            }
            // Not in the page yet: render the rows around it, then focus it.
            *focus_wanted.borrow_mut() = Some(to);
            let top = scroll_to(to.0, ROW_PX, top, view).unwrap_or(top);
            scroll_el.set_scroll_top(i32::try_from(top).unwrap_or(i32::MAX));
            shown.set(window(map.rows.len(), ROW_PX, top, view));
        })
    };

    if map.rows.is_empty() {
        return html! {
            <section class="heatmap-wrap empty" data-testid="fleet-heatmap">
                <p>{ "No host matches these filters." }</p>
            </section>
        };
    }

    let head_rows = head_rows(map);
    let w: Window = *shown;
    let current = spec.host.as_deref();

    html! {
        <section class="heatmap-wrap" data-testid="fleet-heatmap">
            <div class="heatmap-scroll" ref={scroller} onscroll={on_scroll}>
                <div class="heatmap" role="grid" aria-label="Hosts and their checks"
                    aria-rowcount={(head_rows + rows).to_string()}
                    aria-colcount={(map.columns.len() + 1).to_string()}>
                    <HeatHead map={props.map.clone()} check={spec.check.clone()} dispatch={d.clone()} />
                    <div class="hm-body" role="rowgroup" onclick={on_click} onkeydown={on_key}>
                        { spacer(w.above) }
                        { for w.range().map(|row| {
                            // Keyed by position (host keys of a hostile index may repeat): a
                            // scroll keeps the rows it keeps in view, a new heatmap redraws them.
                            let is_current = current.is_some() && map.host(row).map(|h| h.key.as_str()) == current;
                            html! {
                                <HeatRow key={row} map={props.map.clone()} {row} current={is_current}
                                    aria_row={head_rows + row + 1} />
                            }
                        }) }
                        { spacer(w.below) }
                    </div>
                </div>
            </div>
            <p class="visually-hidden" aria-live="polite" ref={live} data-testid="fleet-cell-reader"></p>
        </section>
    }
}

/// Pixels from the top of the rows to row `row`.
fn px_of_row(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX).saturating_mul(ROW_PX)
}

/// Focuses a grid position: the host's name, or the row's strip with its cursor on the cell
/// (drawn by CSS from `--cursor`, named in `data-cursor` and read out by the live region).
fn focus(map: &Heatmap, live: &NodeRef, target: &web_sys::HtmlElement, (row, col): (usize, usize)) {
    if col > 0 {
        let i = col - 1;
        let id = map.columns.get(i).map_or("", |c| c.id.as_str());
        let _ = target.set_attribute("data-cursor-col", &i.to_string());
        let _ = target.set_attribute("data-cursor", id);
        let _ = target.style().set_property("--cursor", &format!("{}px", i * CELL_PX));
        if let Some(el) = live.cast::<web_sys::Element>() {
            el.set_text_content(Some(&cell_words(map, row, i)));
        }
    }
    let _ = target.focus();
}

/// "web-003.prod, 5.11 Ensure that CPU priority is set appropriately: fail".
fn cell_words(map: &Heatmap, row: usize, col: usize) -> String {
    let (Some(host), Some(column)) = (map.host(row), map.columns.get(col)) else {
        return String::new();
    };
    let status = map
        .cells(row)
        .get(col)
        .copied()
        .flatten()
        .map_or("no result", |s| s.label());
    format!("{}, {} {}: {status}", host.name, column.id, column.title)
}

/// Header rows: sections, subsections (when any), checks, failing-host counts.
fn head_rows(map: &Heatmap) -> usize {
    if map.groups.iter().any(|g| g.depth == 1) {
        4
    } else {
        3
    }
}

#[derive(PartialEq, Properties)]
struct HeadProps {
    map: MapRef,
    /// The check whose panel is open.
    check: Option<String>,
    dispatch: FleetDispatch,
}

/// The header rows: the section tree (collapsible), the checks (each opens its panel), and how
/// many shown hosts fail each. Re-rendered only when the heatmap or the open check changes.
#[component]
fn HeatHead(props: &HeadProps) -> Html {
    let map = &props.map.0;
    let d = &props.dispatch;
    let head_rows = head_rows(map);
    let group_row = |depth: u8, aria_row: usize| -> Html {
        let mut cells = Vec::new();
        let mut i = 0;
        while i < map.columns.len() {
            match map.groups.iter().find(|g| g.depth == depth && g.first == i) {
                Some(g) => {
                    cells.push(group_header(g, d));
                    i += g.span.max(1);
                }
                None => {
                    let start = i;
                    while i < map.columns.len() && !map.groups.iter().any(|g| g.depth == depth && g.first == i) {
                        i += 1;
                    }
                    cells.push(html! {
                        <div class="hm-group blank" role="columnheader" aria-colspan={(i - start).to_string()}>
                            { sized_box(&span_px(i - start), "18") }
                        </div>
                    });
                }
            }
        }
        html! {
            <div class={classes!("hm-row", "groups", (depth == 1).then_some("sub"))} role="row" aria-rowindex={aria_row.to_string()}>
                <div class="hm-corner" role="columnheader">{ if depth == 0 { "Sections" } else { "" } }</div>
                { cells }
            </div>
        }
    };
    html! {
        <div class="hm-head" role="rowgroup">
            { group_row(0, 1) }
            if head_rows == 4 {
                { group_row(1, 2) }
            }
            <div class="hm-row checks" role="row" aria-rowindex={(head_rows - 1).to_string()}>
                <div class="hm-corner" role="columnheader">{ "Host · score" }</div>
                { for map.columns.iter().map(|c| {
                    let id = c.id.clone();
                    let select = if c.collapsed_section {
                        d.reform(move |_: MouseEvent| FleetAction::ToggleGroup(id.clone()))
                    } else {
                        d.reform(move |_: MouseEvent| FleetAction::SelectCheck(Some(id.clone())))
                    };
                    let is_current = props.check.as_ref() == Some(&c.id);
                    html! {
                        <div key={column_key(c)} class={classes!("hm-col", c.collapsed_section.then_some("folded"), is_current.then_some("current"))}
                            role="columnheader" title={format!("{} — {}", c.title, map.count_label(c))}>
                            <button class="col-id" onclick={select} data-testid="fleet-check" data-check={c.id.clone()}>
                                { c.id.clone() }
                            </button>
                        </div>
                    }
                }) }
            </div>
            <div class="hm-row fail-counts" role="row" aria-rowindex={head_rows.to_string()}>
                <div class="hm-corner" role="rowheader">{ "failing hosts" }</div>
                { for map.columns.iter().map(|c| html! {
                    <div key={column_key(c)} class={classes!("hm-fail-count", (c.counts.fail > 0).then_some("has-fail"))} role="gridcell"
                        data-testid="fleet-count" data-check={c.id.clone()} aria-label={map.count_label(c)}>
                        { c.counts.fail }
                    </div>
                }) }
            </div>
        </div>
    }
}

/// A column's key among its siblings: check ids are unique, and so are collapsed sections.
fn column_key(c: &Column) -> String {
    format!("{}{}", if c.collapsed_section { 's' } else { 'c' }, c.id)
}

/// Puts the first row in view into the address once scrolling rests.
fn remember_scroll(settle: &Rc<RefCell<Option<i32>>>, d: &FleetDispatch, top: usize) {
    let Some(w) = web_sys::window() else { return };
    if let Some(id) = settle.borrow_mut().take() {
        w.clear_timeout_with_handle(id);
    }
    let d = d.clone();
    let done = settle.clone();
    let later = Closure::once_into_js(move || {
        done.borrow_mut().take();
        d.emit(FleetAction::ScrolledTo(top));
    });
    if let Ok(id) = w.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), SCROLL_SETTLE_MS) {
        *settle.borrow_mut() = Some(id);
    }
}

/// Width in pixels of `span` columns (12px cells, 1px apart).
fn span_px(span: usize) -> String {
    (span * CELL_PX).saturating_sub(1).to_string()
}

/// An empty box `width` × `height` pixels: sizes spacers and headers through attributes, since the
/// page's CSP allows no inline styles.
fn sized_box(width: &str, height: &str) -> Html {
    html! { <svg class="sized" width={width.to_string()} height={height.to_string()} aria-hidden="true" focusable="false" /> }
}

/// What stands for the rows above or below the rendered ones.
fn spacer(px: u32) -> Html {
    html! { <div class="hm-spacer" aria-hidden="true">{ sized_box("1", &px.to_string()) }</div> }
}

#[derive(PartialEq, Properties)]
struct RowProps {
    map: MapRef,
    /// Position among the shown rows.
    row: usize,
    current: bool,
    aria_row: usize,
}

/// One host row: its name (a button opening its panel), score, stale badge, and its cells.
#[component]
fn HeatRow(props: &RowProps) -> Html {
    let map = &props.map.0;
    let Some(host) = map.host(props.row) else {
        return Html::default();
    };
    let stale = map.is_stale(host);
    let score = host.score.map_or("—".to_string(), |s| format!("{s:.0}"));
    let strip = use_node_ref();
    {
        // Painted through the CSSOM: the page's CSP allows no inline style attributes.
        let strip = strip.clone();
        let paint = (
            strip_gradient(map, props.row),
            format!("{}px", span_px(map.columns.len())),
        );
        use_effect_with(paint, move |(gradient, width)| {
            if let Some(el) = strip.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("background-image", gradient);
                let _ = style.set_property("width", width);
            }
        });
    }
    html! {
        <div class={classes!("hm-row", "host-row", stale.then_some("stale"), props.current.then_some("current"))}
            role="row" aria-rowindex={props.aria_row.to_string()} data-host={host.key.clone()}
            data-row={props.row.to_string()} data-testid="fleet-row">
            <div class="hm-host" role="rowheader">
                <button class="host-name" data-testid="fleet-host" title={host.labels.join(", ")}
                    aria-label={format!("{}, score {score}", host.name)}>{ host.name.clone() }</button>
                <span class="host-score" aria-hidden="true">{ score }</span>
                if stale {
                    <span class="stale-badge" data-testid="stale-badge" title={format!("last run {}", host.started_at)}>
                        { map.age_days(host).map_or("stale".to_string(), |a| format!("{a} d")) }
                    </span>
                }
            </div>
            <div class="strip" role="gridcell" aria-colspan={map.columns.len().to_string()} tabindex="-1"
                aria-label={map.row_summary(props.row)} ref={strip}
                data-cells={map.row_letters(props.row)} data-testid="fleet-cells"></div>
        </div>
    }
}

/// A row's cells as one CSS gradient: a hard-edged stop pair per run of equal statuses, in the
/// theme's cell colours (fleetview.css `--hm-*`); the gaps between cells are drawn over it by CSS.
fn strip_gradient(map: &Heatmap, row: usize) -> String {
    let mut out = String::from("linear-gradient(90deg");
    for (first, n, status) in map.runs(row) {
        let (from, to) = (first * CELL_PX, (first + n) * CELL_PX);
        out.push_str(&format!(", var(--hm-{}) {from}px {to}px", cell_colour(status)));
    }
    out.push(')');
    out
}

/// The colour variable of a status (fleetview.css: `--hm-<name>`).
fn cell_colour(s: Option<Status>) -> &'static str {
    match s {
        None => "none",
        Some(Status::Pass) => "pass",
        Some(Status::Fail) => "fail",
        Some(Status::Warn) => "warn",
        Some(Status::Info) => "info",
        Some(Status::Manual) => "manual",
        Some(Status::NotApplicable) | Some(Status::Skipped) => "na",
        Some(Status::Error) => "error",
    }
}

fn group_header(g: &Group, d: &FleetDispatch) -> Html {
    let id = g.id.clone();
    let toggle = d.reform(move |_: MouseEvent| FleetAction::ToggleGroup(id.clone()));
    let arrow = if g.collapsed { "▸" } else { "▾" };
    html! {
        <div class={classes!("hm-group", format!("depth-{}", g.depth))} role="columnheader"
            aria-colspan={g.span.to_string()} title={g.title.clone()}>
            { sized_box(&span_px(g.span), "18") }
            <button class="group-toggle" onclick={toggle} aria-expanded={(!g.collapsed).to_string()}
                data-testid="fleet-group" data-group={g.id.clone()}>
                { format!("{arrow} {}", g.id) }
                if g.span > 3 {
                    { format!(" {}", g.title) }
                }
            </button>
        </div>
    }
}
