//! The fleet view: a published fleet's `index.json` ([`crate::fleet`]) as a heatmap of hosts ×
//! checks, with its sorts, filters, per-check counts, stale hosts and the URL that keeps it all.
//!
//! Everything the viewer's fleet components show is computed here, without a browser:
//!
//! * [`FleetSpec`]: the view as a link carries it ([`FleetSpec::encode`], [`FleetSpec::decode`]);
//! * [`FleetState`] and [`FleetAction`]: the loaded index and host histories, and the reducer;
//! * [`FleetModel`]: the index prepared once when it arrives — checks in benchmark order, each
//!   host's statuses as one row over them, its search text — so that every filter and sort is an
//!   index computation over it, not a walk through the index's maps;
//! * [`heatmap`]: the rows (hosts, sorted and filtered: indexes into the model), the columns
//!   (checks in benchmark order, under their sections, a collapsed section as one column) and the
//!   cells;
//! * [`grid_move`]: where the arrow keys move in the heatmap's grid (the viewer renders the rows
//!   in view only, with [`super::window`]);
//! * [`failing_hosts`]: the hosts failing one check, fleet-wide.
//!
//! Filters combine with AND. The status filter keeps the hosts with at least one shown check in
//! one of the statuses, and the checks at least one shown host has in one of them; the text
//! filter matches hosts (name, key, labels), every word somewhere.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use crate::catalog;
use crate::fleet::{FleetHost, FleetIndex, HostHistory};
use crate::report::Status;

use super::url::{is_section_id, join_pairs, query_pairs};

/// Hosts whose latest run is older than this many days are flagged, unless the link says otherwise.
pub const DEFAULT_STALE_DAYS: u32 = 7;
/// Most distinct checks the heatmap shows as columns (the catalogue has 117; an index naming more
/// is not one this program wrote, and the rest are left out rather than growing every row).
pub const MAX_CHECKS: usize = 512;
/// Furthest host row a link may scroll to.
const MAX_ROW: usize = 1_000_000;

/// How host rows are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HostSort {
    /// Lowest score first (hosts without a score last).
    #[default]
    Score,
    /// Most failing checks first.
    Failures,
    /// By name.
    Name,
    /// Oldest last run first.
    Age,
}

impl HostSort {
    pub const ALL: [HostSort; 4] = [HostSort::Score, HostSort::Failures, HostSort::Name, HostSort::Age];

    pub fn as_str(self) -> &'static str {
        match self {
            HostSort::Score => "score",
            HostSort::Failures => "failures",
            HostSort::Name => "name",
            HostSort::Age => "age",
        }
    }

    pub fn parse(s: &str) -> Option<HostSort> {
        HostSort::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Label for the sort control.
    pub fn label(self) -> &'static str {
        match self {
            HostSort::Score => "score (lowest first)",
            HostSort::Failures => "failures (most first)",
            HostSort::Name => "name",
            HostSort::Age => "age of last run (oldest first)",
        }
    }
}

/// The fleet view as a link carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetSpec {
    /// URL of `index.json`, relative to the page (`fleet=`).
    pub index: String,
    pub sort: HostSort,
    /// `key=value` or `key`: only hosts with that label.
    pub label: Option<String>,
    /// A section or subsection id: only its checks.
    pub section: Option<String>,
    pub level: Option<u8>,
    pub statuses: BTreeSet<Status>,
    /// Words matched against host names, keys and labels.
    pub text: String,
    /// Runs older than this many days are stale.
    pub stale_days: u32,
    /// Only stale hosts.
    pub stale_only: bool,
    /// Collapsed section and subsection ids on the check axis.
    pub collapsed: BTreeSet<String>,
    /// The host whose panel is open (its key).
    pub host: Option<String>,
    /// The check whose panel is open.
    pub check: Option<String>,
    /// The first host row in view (the heatmap's scroll position, from 0).
    pub row: usize,
}

impl Default for FleetSpec {
    fn default() -> Self {
        FleetSpec {
            index: String::new(),
            sort: HostSort::default(),
            label: None,
            section: None,
            level: None,
            statuses: BTreeSet::new(),
            text: String::new(),
            stale_days: DEFAULT_STALE_DAYS,
            stale_only: false,
            collapsed: BTreeSet::new(),
            host: None,
            check: None,
            row: 0,
        }
    }
}

impl FleetSpec {
    /// The spec of a query string, or `None` when it names no fleet (no `fleet=`). Lenient like
    /// [`super::url::decode`]: anything unreadable is ignored.
    pub fn decode(query: &str) -> Option<FleetSpec> {
        let mut spec = FleetSpec::default();
        for (key, value) in query_pairs(query) {
            let nonempty = |v: String| (!v.trim().is_empty()).then_some(v);
            match key.as_str() {
                "fleet" => spec.index = value,
                "sort" => spec.sort = HostSort::parse(&value).unwrap_or_default(),
                "label" => spec.label = nonempty(value),
                "section" => spec.section = nonempty(value).filter(|s| is_section_id(s)),
                "level" => spec.level = value.parse().ok().filter(|l| (1..=2).contains(l)),
                "status" => spec.statuses = value.split(',').filter_map(Status::parse).collect(),
                "q" => spec.text = value,
                "stale" => spec.stale_days = value.parse().ok().filter(|d| *d <= 3650).unwrap_or(DEFAULT_STALE_DAYS),
                "stale_only" => spec.stale_only = value == "1",
                "fold" => {
                    spec.collapsed = value
                        .split(',')
                        .filter(|s| is_section_id(s))
                        .map(str::to_string)
                        .collect();
                }
                "host" => spec.host = nonempty(value),
                "check" => spec.check = nonempty(value),
                "row" => spec.row = value.parse().ok().filter(|r| *r <= MAX_ROW).unwrap_or(0),
                _ => {}
            }
        }
        (!spec.index.trim().is_empty()).then_some(spec)
    }

    /// The query string (without `?`); defaults are left out.
    pub fn encode(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("fleet", self.index.clone())];
        if self.sort != HostSort::default() {
            pairs.push(("sort", self.sort.as_str().into()));
        }
        if let Some(l) = &self.label {
            pairs.push(("label", l.clone()));
        }
        if let Some(s) = &self.section {
            pairs.push(("section", s.clone()));
        }
        if let Some(l) = self.level {
            pairs.push(("level", l.to_string()));
        }
        if !self.statuses.is_empty() {
            let list: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            pairs.push(("status", list.join(",")));
        }
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        if self.stale_days != DEFAULT_STALE_DAYS {
            pairs.push(("stale", self.stale_days.to_string()));
        }
        if self.stale_only {
            pairs.push(("stale_only", "1".into()));
        }
        if !self.collapsed.is_empty() {
            pairs.push(("fold", self.collapsed.iter().cloned().collect::<Vec<_>>().join(",")));
        }
        if let Some(h) = &self.host {
            pairs.push(("host", h.clone()));
        }
        if let Some(c) = &self.check {
            pairs.push(("check", c.clone()));
        }
        if self.row != 0 {
            pairs.push(("row", self.row.to_string()));
        }
        join_pairs(pairs)
    }

    /// Where the fleet's objects live: the index URL up to and including its last `/`.
    pub fn base(&self) -> &str {
        match self.index.rfind('/') {
            Some(i) => &self.index[..=i],
            None => "",
        }
    }

    /// URL of an object of the fleet (`reports/…`, `hosts/…`), relative to the page. Keys come
    /// from the index (outside input): only plain relative keys are accepted.
    pub fn object_url(&self, key: &str) -> Option<String> {
        let plain = !key.is_empty()
            && !key.starts_with('/')
            && key
                .split('/')
                .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains(['\\', '?', '#', ':']));
        plain.then(|| format!("{}{key}", self.base()))
    }

    /// The link that opens a host's report at a check in the report view, with the way back.
    pub fn report_link(&self, report_key: &str, check: Option<&str>) -> Option<String> {
        let url = self.object_url(report_key)?;
        let mut pairs = vec![("report", url)];
        if let Some(c) = check {
            pairs.push(("check", c.to_string()));
        }
        pairs.push((BACK_KEY, self.encode()));
        Some(join_pairs(pairs))
    }
}

/// Query key of a report view opened from the fleet: the fleet view's own query, to go back to.
pub const BACK_KEY: &str = "fleet_back";

/// The fleet query a report view link carries back (`fleet_back=`), if any.
pub fn back_link(query: &str) -> Option<String> {
    query_pairs(query).find_map(|(k, back)| (k == BACK_KEY && FleetSpec::decode(&back).is_some()).then_some(back))
}

/// A fetched object: loading, read, or why not.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch<T> {
    Loading,
    Ready(Rc<T>),
    Failed(String),
}

/// The fleet view's whole state.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetState {
    pub spec: FleetSpec,
    pub index: Fetch<FleetIndex>,
    /// The index prepared for filtering, once it is read.
    pub model: Option<Rc<FleetModel>>,
    /// Host histories by host key, fetched when a host's panel opens.
    pub histories: BTreeMap<String, Fetch<HostHistory>>,
}

/// Every way the fleet view changes.
#[derive(Debug, Clone, PartialEq)]
pub enum FleetAction {
    /// The index arrived (already read), or could not be had.
    IndexLoaded(Result<Rc<FleetIndex>, String>),
    /// A host's history arrived, or could not be had.
    HistoryLoaded {
        key: String,
        history: Result<Rc<HostHistory>, String>,
    },
    SetSort(HostSort),
    SetLabel(Option<String>),
    SetSection(Option<String>),
    SetLevel(Option<u8>),
    ToggleStatus(Status),
    SetText(String),
    SetStaleDays(u32),
    SetStaleOnly(bool),
    ClearFilters,
    /// Collapse or expand a section on the check axis.
    ToggleGroup(String),
    /// Open a host's panel (`None` closes it).
    SelectHost(Option<String>),
    /// Open a check's panel (`None` closes it).
    SelectCheck(Option<String>),
    /// The heatmap was scrolled: this host row is the first in view.
    ScrolledTo(usize),
}

impl FleetState {
    pub fn new(spec: FleetSpec) -> FleetState {
        FleetState {
            spec,
            index: Fetch::Loading,
            model: None,
            histories: BTreeMap::new(),
        }
    }

    pub fn index(&self) -> Option<&Rc<FleetIndex>> {
        match &self.index {
            Fetch::Ready(i) => Some(i),
            _ => None,
        }
    }

    /// The history to fetch for the open host panel, if it is not fetched yet: (key, URL).
    pub fn wanted_history(&self) -> Option<(String, String)> {
        let key = self.spec.host.as_ref()?;
        if self.histories.contains_key(key) {
            return None;
        }
        let host = self.index()?.hosts.iter().find(|h| h.key.as_str() == key)?;
        Some((key.clone(), self.spec.object_url(&host.history_key)?))
    }

    pub fn reduce(mut self, action: FleetAction) -> FleetState {
        let filters_changed = matches!(
            action,
            FleetAction::SetSort(_)
                | FleetAction::SetLabel(_)
                | FleetAction::SetSection(_)
                | FleetAction::SetLevel(_)
                | FleetAction::ToggleStatus(_)
                | FleetAction::SetText(_)
                | FleetAction::SetStaleDays(_)
                | FleetAction::SetStaleOnly(_)
                | FleetAction::ClearFilters
        );
        let s = &mut self.spec;
        match action {
            FleetAction::IndexLoaded(r) => {
                self.model = r.as_ref().ok().map(|i| Rc::new(FleetModel::new(i)));
                self.index = match r {
                    Ok(i) => Fetch::Ready(i),
                    Err(e) => Fetch::Failed(e),
                }
            }
            FleetAction::HistoryLoaded { key, history } => {
                let fetch = match history {
                    Ok(h) => Fetch::Ready(h),
                    Err(e) => Fetch::Failed(e),
                };
                self.histories.insert(key, fetch);
            }
            FleetAction::SetSort(sort) => s.sort = sort,
            FleetAction::SetLabel(l) => s.label = l.filter(|l| !l.trim().is_empty()),
            FleetAction::SetSection(sec) => s.section = sec.filter(|x| is_section_id(x)),
            FleetAction::SetLevel(l) => s.level = l,
            FleetAction::ToggleStatus(st) => {
                if !s.statuses.remove(&st) {
                    s.statuses.insert(st);
                }
            }
            FleetAction::SetText(t) => s.text = t,
            FleetAction::SetStaleDays(d) => s.stale_days = d.min(3650),
            FleetAction::SetStaleOnly(on) => s.stale_only = on,
            FleetAction::ClearFilters => {
                *s = FleetSpec {
                    index: std::mem::take(&mut s.index),
                    sort: s.sort,
                    collapsed: std::mem::take(&mut s.collapsed),
                    host: s.host.take(),
                    check: s.check.take(),
                    ..FleetSpec::default()
                };
            }
            FleetAction::ToggleGroup(id) => {
                if !s.collapsed.remove(&id) {
                    s.collapsed.insert(id);
                }
            }
            FleetAction::SelectHost(h) => s.host = h,
            FleetAction::SelectCheck(c) => s.check = c,
            FleetAction::ScrolledTo(r) => s.row = r.min(MAX_ROW),
        }
        if filters_changed {
            self.spec.row = 0;
        }
        self
    }
}

/// Days since 1970-01-01 of an RFC 3339 time's date (`2026-01-02T…`), if it reads as one.
pub fn day_number(rfc3339: &str) -> Option<i64> {
    let date = rfc3339.get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || date.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    // Days from civil (proleptic Gregorian), after H. Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Severity order for the worst status of a collapsed section.
fn severity(s: Status) -> u8 {
    match s {
        Status::Fail => 7,
        Status::Error => 6,
        Status::Warn => 5,
        Status::Manual => 4,
        Status::Info => 3,
        Status::Pass => 2,
        Status::NotApplicable => 1,
        Status::Skipped => 0,
    }
}

/// What is known of a check id: its section, subsection, title and level.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInfo {
    pub id: String,
    pub section: String,
    pub subsection: Option<String>,
    pub title: String,
    pub level: Option<u8>,
}

impl CheckInfo {
    fn of(id: &str) -> CheckInfo {
        match catalog::get(id) {
            Some(m) => CheckInfo {
                id: id.to_string(),
                section: m.section.to_string(),
                subsection: m.subsection.map(str::to_string),
                title: m.title.to_string(),
                level: Some(m.level),
            },
            None => {
                let parts: Vec<&str> = id.split('.').collect();
                CheckInfo {
                    id: id.to_string(),
                    section: parts.first().copied().unwrap_or_default().to_string(),
                    subsection: (parts.len() >= 3).then(|| format!("{}.{}", parts[0], parts[1])),
                    title: id.to_string(),
                    level: None,
                }
            }
        }
    }

    fn in_section(&self, section: &str) -> bool {
        self.section == section || catalog::id_matches_prefix(&self.id, section)
    }
}

/// One host of the index, prepared for filtering.
#[derive(Debug, Clone, PartialEq)]
pub struct HostEntry {
    pub key: String,
    /// The host's name, else its key.
    pub name: String,
    /// `key=value`, sorted by key.
    pub labels: Vec<String>,
    pub score: Option<f64>,
    /// Failing checks in the latest run (all checks, not only the shown ones).
    pub failures: u32,
    pub started_at: String,
    /// Day number of `started_at` ([`day_number`]).
    pub day: Option<i64>,
    /// The latest report's key (relative to the fleet's root).
    pub report_key: String,
    /// Name, key and labels, lowercase, one per line: what the text filter searches.
    haystack: String,
    /// The latest run's status of each check of [`FleetModel::checks`] (`None`: no result).
    statuses: Vec<Option<Status>>,
}

impl HostEntry {
    /// The status of the check at `position` in [`FleetModel::checks`].
    pub fn status(&self, position: usize) -> Option<Status> {
        self.statuses.get(position).copied().flatten()
    }

    fn has_label(&self, label: &str) -> bool {
        match label.split_once('=') {
            Some(_) => self.labels.iter().any(|l| l == label),
            None => self
                .labels
                .iter()
                .any(|l| l.split_once('=').is_some_and(|(k, _)| k == label)),
        }
    }
}

/// The index prepared once for the heatmap: every filter, sort and count is computed over this.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetModel {
    /// Checks present anywhere in the fleet, in benchmark order (at most [`MAX_CHECKS`]).
    pub checks: Vec<CheckInfo>,
    /// The index's hosts, in its order.
    pub hosts: Vec<HostEntry>,
    /// Every label offered by the label filter (`key=value`), sorted.
    pub labels: Vec<String>,
    /// Sections and subsections present, with titles, for the section filter.
    pub sections: Vec<(String, String)>,
}

impl FleetModel {
    pub fn new(index: &FleetIndex) -> FleetModel {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        for h in &index.hosts {
            ids.extend(h.latest.statuses.keys().map(String::as_str));
        }
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_by(|a, b| catalog::compare_ids(a, b));
        ids.truncate(MAX_CHECKS);
        let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let checks: Vec<CheckInfo> = ids.iter().map(|id| CheckInfo::of(id)).collect();

        let mut sections: Vec<(String, String)> = Vec::new();
        for info in &checks {
            for id in std::iter::once(&info.section).chain(info.subsection.as_ref()) {
                if !id.is_empty() && !sections.iter().any(|(s, _)| s == id) {
                    let title = catalog::section_title(id).unwrap_or("Other").to_string();
                    sections.push((id.clone(), title));
                }
            }
        }
        let mut labels: BTreeSet<String> = BTreeSet::new();
        let hosts: Vec<HostEntry> = index
            .hosts
            .iter()
            .map(|h| {
                let mut statuses = vec![None; checks.len()];
                for (id, s) in &h.latest.statuses {
                    if let Some(&i) = position.get(id.as_str()) {
                        statuses[i] = Some(*s);
                    }
                }
                let host_labels: Vec<String> = h.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                labels.extend(host_labels.iter().cloned());
                let name = host_name(h);
                let mut haystack = name.to_lowercase();
                haystack.push('\n');
                haystack.push_str(&h.key.as_str().to_lowercase());
                for l in &host_labels {
                    haystack.push('\n');
                    haystack.push_str(&l.to_lowercase());
                }
                HostEntry {
                    key: h.key.to_string(),
                    name,
                    labels: host_labels,
                    score: h.latest.score,
                    failures: h.latest.counts.fail,
                    started_at: h.latest.started_at.clone(),
                    day: day_number(&h.latest.started_at),
                    report_key: h.latest.report_key.clone(),
                    haystack,
                    statuses,
                }
            })
            .collect();
        FleetModel {
            checks,
            hosts,
            labels: labels.into_iter().collect(),
            sections,
        }
    }

    /// Position of a check in [`FleetModel::checks`].
    pub fn check_position(&self, id: &str) -> Option<usize> {
        self.checks.iter().position(|c| c.id == id)
    }
}

/// Hosts of the shown rows with each status, for one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnCounts {
    pub fail: usize,
    pub warn: usize,
    pub error: usize,
    pub pass: usize,
    /// Shown hosts with a result for the column.
    pub with_result: usize,
}

/// One column: a check, or a collapsed section standing for its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Check id, or the collapsed section's id.
    pub id: String,
    pub title: String,
    pub collapsed_section: bool,
    pub counts: ColumnCounts,
    /// Positions in [`FleetModel::checks`] of the checks it shows (one, or a section's).
    members: Vec<usize>,
}

/// A section or subsection over the check axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub title: String,
    /// 0 for a section, 1 for a subsection.
    pub depth: u8,
    /// Index of its first column and how many it spans.
    pub first: usize,
    pub span: usize,
    pub collapsed: bool,
}

/// The heatmap as shown: which hosts, in which order, under which columns. Rows are positions in
/// the model's hosts; the cells of every shown row are computed once, row after row.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub model: Rc<FleetModel>,
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
    /// Every host passing the filters, sorted: positions in `model.hosts`.
    pub rows: Vec<usize>,
    /// One status per shown row and column, row after row (`None`: no result).
    cells: Vec<Option<Status>>,
    /// Hosts in the index.
    pub total_hosts: usize,
    pub stale_hosts: usize,
    today: i64,
    stale_days: u32,
}

impl Heatmap {
    /// The host of shown row `row`.
    pub fn host(&self, row: usize) -> Option<&HostEntry> {
        self.model.hosts.get(*self.rows.get(row)?)
    }

    /// The cells of shown row `row`, one per column.
    pub fn cells(&self, row: usize) -> &[Option<Status>] {
        let n = self.columns.len();
        self.cells.get(row * n..(row + 1) * n).unwrap_or(&[])
    }

    /// Whole days since the host's latest run started (`None` when its time does not read).
    pub fn age_days(&self, host: &HostEntry) -> Option<i64> {
        host.day.map(|d| self.today - d)
    }

    /// Whether the host's latest run is older than the stale limit (or has no readable time).
    pub fn is_stale(&self, host: &HostEntry) -> bool {
        self.age_days(host).is_none_or(|a| a > i64::from(self.stale_days))
    }

    /// The shown row of a host key.
    pub fn row_of(&self, key: &str) -> Option<usize> {
        self.rows.iter().position(|&h| self.model.hosts[h].key == key)
    }

    /// The cells of shown row `row` as runs of equal statuses, left to right: (first column,
    /// columns, status). What the viewer draws a row from.
    pub fn runs(&self, row: usize) -> Vec<(usize, usize, Option<Status>)> {
        let mut out: Vec<(usize, usize, Option<Status>)> = Vec::new();
        for (i, cell) in self.cells(row).iter().enumerate() {
            match out.last_mut() {
                Some(run) if run.2 == *cell => run.1 += 1,
                _ => out.push((i, 1, *cell)),
            }
        }
        out
    }

    /// Shown row `row` as one letter per column ([`status_letter`]): compact, and what tests read.
    pub fn row_letters(&self, row: usize) -> String {
        self.cells(row).iter().map(|c| status_letter(*c)).collect()
    }

    /// What the cells of shown row `row` say, for a screen reader: the columns failing, in error
    /// and warning by id, and how many of each other status ("fail 2.2, 5.11; warn 2.14; pass 98").
    pub fn row_summary(&self, row: usize) -> String {
        const NAMED: [Status; 3] = [Status::Fail, Status::Error, Status::Warn];
        let cells = self.cells(row);
        let mut parts: Vec<String> = Vec::new();
        for status in NAMED {
            let ids: Vec<&str> = cells
                .iter()
                .zip(&self.columns)
                .filter(|(c, _)| **c == Some(status))
                .map(|(_, col)| col.id.as_str())
                .collect();
            if !ids.is_empty() {
                parts.push(format!("{} {}", status.label(), ids.join(", ")));
            }
        }
        let mut counted: Vec<(Option<Status>, usize)> = Vec::new();
        for c in cells.iter().filter(|c| !c.is_some_and(|s| NAMED.contains(&s))) {
            match counted.iter_mut().find(|(s, _)| s == c) {
                Some((_, n)) => *n += 1,
                None => counted.push((*c, 1)),
            }
        }
        for (status, n) in counted {
            parts.push(format!("{} {n}", status.map_or("no result", |s| s.label())));
        }
        parts.join("; ")
    }

    /// "5.5 fails on 37 of 412 hosts" for a column.
    pub fn count_label(&self, column: &Column) -> String {
        let hosts = self.rows.len();
        let noun = if hosts == 1 { "host" } else { "hosts" };
        let verb = if column.collapsed_section {
            "has failures"
        } else {
            "fails"
        };
        format!("{} {verb} on {} of {hosts} {noun}", column.id, column.counts.fail)
    }
}

/// One letter per status (`-` for no result): `p` pass, `f` fail, `w` warn, `i` info, `m`
/// manual, `n` not applicable, `e` error, `s` skipped.
pub fn status_letter(s: Option<Status>) -> char {
    match s {
        None => '-',
        Some(Status::Pass) => 'p',
        Some(Status::Fail) => 'f',
        Some(Status::Warn) => 'w',
        Some(Status::Info) => 'i',
        Some(Status::Manual) => 'm',
        Some(Status::NotApplicable) => 'n',
        Some(Status::Error) => 'e',
        Some(Status::Skipped) => 's',
    }
}

fn host_name(h: &FleetHost) -> String {
    h.host
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| h.key.to_string())
}

/// The heatmap of `model` under `spec`, on day `today` (days since 1970, see [`day_number`]).
pub fn heatmap(model: &Rc<FleetModel>, spec: &FleetSpec, today: i64) -> Heatmap {
    let m: &FleetModel = model;
    // Checks kept by the section and level filters (positions in m.checks).
    let kept: Vec<usize> = (0..m.checks.len())
        .filter(|&i| spec.section.as_deref().is_none_or(|s| m.checks[i].in_section(s)))
        .filter(|&i| spec.level.is_none_or(|l| m.checks[i].level == Some(l)))
        .collect();

    let words: Vec<String> = spec.text.split_whitespace().map(str::to_lowercase).collect();
    let stale = |h: &HostEntry| h.day.is_none_or(|d| today - d > i64::from(spec.stale_days));
    let stale_hosts = m.hosts.iter().filter(|h| stale(h)).count();
    let wanted = |s: Option<Status>| s.is_some_and(|s| spec.statuses.contains(&s));
    let mut rows: Vec<usize> = (0..m.hosts.len())
        .filter(|&i| {
            let h = &m.hosts[i];
            spec.label.as_deref().is_none_or(|l| h.has_label(l))
                && words.iter().all(|w| h.haystack.contains(w.as_str()))
                && (!spec.stale_only || stale(h))
                && (spec.statuses.is_empty() || kept.iter().any(|&c| wanted(h.statuses[c])))
        })
        .collect();
    let checks: Vec<usize> = if spec.statuses.is_empty() {
        kept
    } else {
        kept.into_iter()
            .filter(|&c| rows.iter().any(|&h| wanted(m.hosts[h].statuses[c])))
            .collect()
    };

    // Columns: checks, except that a collapsed section or subsection stands for all of its own.
    let mut columns: Vec<Column> = Vec::new();
    for &c in &checks {
        let info = &m.checks[c];
        let folded = [Some(&info.section), info.subsection.as_ref()]
            .into_iter()
            .flatten()
            .find(|g| spec.collapsed.contains(*g));
        let extends_last =
            folded.is_some_and(|g| columns.last().is_some_and(|col| col.collapsed_section && &col.id == g));
        match folded {
            Some(_) if extends_last => {
                if let Some(col) = columns.last_mut() {
                    col.members.push(c);
                }
            }
            Some(g) => columns.push(Column {
                id: g.clone(),
                title: catalog::section_title(g).unwrap_or("Other").to_string(),
                collapsed_section: true,
                counts: ColumnCounts::default(),
                members: vec![c],
            }),
            None => columns.push(Column {
                id: info.id.clone(),
                title: info.title.clone(),
                collapsed_section: false,
                counts: ColumnCounts::default(),
                members: vec![c],
            }),
        }
    }

    sort_rows(m, &mut rows, spec.sort);

    let mut cells = Vec::with_capacity(rows.len() * columns.len());
    for &h in &rows {
        let statuses = &m.hosts[h].statuses;
        for col in columns.iter_mut() {
            let cell = match col.members.as_slice() {
                [one] => statuses[*one],
                many => many.iter().filter_map(|&c| statuses[c]).max_by_key(|s| severity(*s)),
            };
            if let Some(s) = cell {
                col.counts.with_result += 1;
                match s {
                    Status::Fail => col.counts.fail += 1,
                    Status::Warn => col.counts.warn += 1,
                    Status::Error => col.counts.error += 1,
                    Status::Pass => col.counts.pass += 1,
                    _ => {}
                }
            }
            cells.push(cell);
        }
    }

    let groups = groups(m, &columns, &spec.collapsed);
    Heatmap {
        model: model.clone(),
        columns,
        groups,
        rows,
        cells,
        total_hosts: m.hosts.len(),
        stale_hosts,
        today,
        stale_days: spec.stale_days,
    }
}

fn sort_rows(m: &FleetModel, rows: &mut [usize], sort: HostSort) {
    let by_name = |a: &HostEntry, b: &HostEntry| a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key));
    let host = |i: &usize| &m.hosts[*i];
    match sort {
        HostSort::Score => rows.sort_by(|a, b| {
            let (a, b) = (host(a), host(b));
            match (a.score, b.score) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| by_name(a, b))
        }),
        HostSort::Failures => rows.sort_by(|a, b| {
            let (a, b) = (host(a), host(b));
            b.failures.cmp(&a.failures).then_with(|| by_name(a, b))
        }),
        HostSort::Name => rows.sort_by(|a, b| by_name(host(a), host(b))),
        // RFC 3339 UTC times of one form sort as text; oldest first.
        HostSort::Age => rows.sort_by(|a, b| {
            let (a, b) = (host(a), host(b));
            a.started_at.cmp(&b.started_at).then_with(|| by_name(a, b))
        }),
    }
}

/// The section tree over the columns: each section (and subsection) spans its columns.
fn groups(m: &FleetModel, columns: &[Column], collapsed: &BTreeSet<String>) -> Vec<Group> {
    // The section and subsection of each column.
    let owners: Vec<(String, Option<String>)> = columns
        .iter()
        .map(|col| {
            if col.collapsed_section {
                match col.id.split_once('.') {
                    Some((s, _)) => (s.to_string(), Some(col.id.clone())),
                    None => (col.id.clone(), None),
                }
            } else {
                col.members
                    .first()
                    .and_then(|&c| m.checks.get(c))
                    .map_or((String::new(), None), |c| (c.section.clone(), c.subsection.clone()))
            }
        })
        .collect();
    let mut out: Vec<Group> = Vec::new();
    let mut push = |id: &str, depth: u8, i: usize| match out.iter_mut().rev().find(|g| g.depth == depth) {
        Some(g) if g.id == id && g.first + g.span == i => g.span += 1,
        _ => out.push(Group {
            id: id.to_string(),
            title: catalog::section_title(id).unwrap_or("Other").to_string(),
            depth,
            first: i,
            span: 1,
            collapsed: collapsed.contains(id),
        }),
    };
    for (i, (section, sub)) in owners.iter().enumerate() {
        push(section, 0, i);
        if let Some(sub) = sub {
            push(sub, 1, i);
        }
    }
    out
}

/// A key pressed in the heatmap's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKey {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    /// First cell of the row (the host name); with Ctrl, of the first row.
    Home {
        ctrl: bool,
    },
    /// Last cell of the row; with Ctrl, of the last row.
    End {
        ctrl: bool,
    },
}

impl GridKey {
    /// The key of a `KeyboardEvent.key`, if the grid moves on it.
    pub fn parse(key: &str, ctrl: bool) -> Option<GridKey> {
        Some(match key {
            "ArrowUp" => GridKey::Up,
            "ArrowDown" => GridKey::Down,
            "ArrowLeft" => GridKey::Left,
            "ArrowRight" => GridKey::Right,
            "PageUp" => GridKey::PageUp,
            "PageDown" => GridKey::PageDown,
            "Home" => GridKey::Home { ctrl },
            "End" => GridKey::End { ctrl },
            _ => return None,
        })
    }
}

/// Where focus goes in a grid of `rows` host rows and `columns` status columns: a position is
/// (row, column), column 0 being the host's name and `1..=columns` its cells; `page` rows are in
/// view. `None` when there is nowhere to go.
pub fn grid_move(at: (usize, usize), key: GridKey, rows: usize, columns: usize, page: usize) -> Option<(usize, usize)> {
    if rows == 0 {
        return None;
    }
    let (row, col) = (at.0.min(rows - 1), at.1.min(columns));
    let last = rows - 1;
    let page = page.max(1);
    let to = match key {
        GridKey::Up => (row.checked_sub(1)?, col),
        GridKey::Down => (row + 1, col),
        GridKey::Left => (row, col.checked_sub(1)?),
        GridKey::Right => (row, col + 1),
        GridKey::PageUp => (row.saturating_sub(page), col),
        GridKey::PageDown => ((row + page).min(last), col),
        GridKey::Home { ctrl } => (if ctrl { 0 } else { row }, 0),
        GridKey::End { ctrl } => (if ctrl { last } else { row }, columns),
    };
    (to.0 <= last && to.1 <= columns && to != (row, col)).then_some(to)
}

/// A host failing a check, for the check's panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingHost {
    pub key: String,
    pub name: String,
    /// Distinct offending targets (containers, images…) the run counted, when it counted any.
    pub offenders: Option<u32>,
    pub report_key: String,
}

/// Every host of the fleet whose latest run fails `check`, by name.
pub fn failing_hosts(index: &FleetIndex, check: &str) -> Vec<FailingHost> {
    let mut out: Vec<FailingHost> = index
        .hosts
        .iter()
        .filter(|h| h.latest.statuses.get(check) == Some(&Status::Fail))
        .map(|h| FailingHost {
            key: h.key.to_string(),
            name: host_name(h),
            offenders: h.latest.offenders.get(check).copied(),
            report_key: h.latest.report_key.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key)));
    out
}

/// A host's history as a trend series (one point per run, oldest first), for the score chart.
pub fn history_series(history: &HostHistory) -> super::trend::HostSeries {
    super::trend::HostSeries {
        host: history.host.clone().unwrap_or_else(|| history.key.to_string()),
        points: history
            .runs
            .iter()
            .enumerate()
            .map(|(i, r)| super::trend::TrendPoint {
                source: i,
                run_id: r.run_id.clone(),
                started_at: r.started_at.clone(),
                score: r.score,
                fail: r.counts.fail,
            })
            .collect(),
    }
}

/// Reads `index.json` for the viewer; the error is a sentence for the reader.
pub fn read_index(text: &str) -> Result<FleetIndex, String> {
    crate::fleet::parse_index(text).map_err(index_error)
}

/// [`read_index`] in two halves (JSON, then the typed index), so the page can paint between them.
pub fn read_index_json(text: &str) -> Result<serde_json::Value, String> {
    crate::fleet::index_value(text).map_err(index_error)
}

/// The second half of [`read_index`], from [`read_index_json`]'s value.
pub fn read_index_from_json(value: serde_json::Value) -> Result<FleetIndex, String> {
    crate::fleet::index_from_value(value).map_err(index_error)
}

fn index_error(e: crate::fleet::FleetFormatError) -> String {
    format!("The fleet index cannot be read: {e}.")
}

/// Reads `hosts/<host>.json` for the viewer; the error is a sentence for the reader.
pub fn read_history(text: &str) -> Result<HostHistory, String> {
    crate::fleet::parse_history(text).map_err(|e| format!("The host's history cannot be read: {e}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fleet::{fleet, FleetShape};

    fn sample() -> FleetIndex {
        fleet(&FleetShape {
            hosts: 40,
            seed: 7,
            ..FleetShape::default()
        })
        .index
    }

    /// Read in two halves, the index is the one read in one go, errors included.
    #[test]
    fn the_index_read_in_halves_is_the_index_read_whole() {
        let text = serde_json::to_string(&sample()).unwrap();
        let halves = read_index_json(&text).and_then(read_index_from_json);
        assert_eq!(halves, read_index(&text));
        for bad in ["{", "{\"format_version\": 999}", "{\"format_version\": 1}", "[]"] {
            let halves = read_index_json(bad).and_then(read_index_from_json);
            assert_eq!(halves, read_index(bad), "{bad}");
            assert!(halves.is_err(), "{bad}");
        }
    }

    fn today(index: &FleetIndex) -> i64 {
        index
            .hosts
            .iter()
            .filter_map(|h| day_number(&h.latest.started_at))
            .max()
            .unwrap_or(0)
    }

    fn map_of(index: &FleetIndex, spec: &FleetSpec) -> Heatmap {
        heatmap(&Rc::new(FleetModel::new(index)), spec, today(index))
    }

    /// The names of the shown rows, in order.
    fn names(map: &Heatmap) -> Vec<String> {
        (0..map.rows.len()).map(|r| map.host(r).unwrap().name.clone()).collect()
    }

    #[test]
    fn spec_round_trips_through_the_query() {
        let spec = FleetSpec {
            index: "fleet/prod index.json".into(),
            sort: HostSort::Age,
            label: Some("env=prod & <b>".into()),
            section: Some("1.1".into()),
            level: Some(2),
            statuses: [Status::Fail, Status::Warn].into(),
            text: " web ünï 100% + ".into(),
            stale_days: 30,
            stale_only: true,
            collapsed: ["1".to_string(), "4".to_string()].into(),
            host: Some("web-1".into()),
            check: Some("5.5".into()),
            row: 300,
        };
        let q = spec.encode();
        assert_eq!(FleetSpec::decode(&q), Some(spec.clone()));
        assert_eq!(FleetSpec::decode(&format!("?{q}")), Some(spec));
        let plain = FleetSpec {
            index: "index.json".into(),
            ..FleetSpec::default()
        };
        assert_eq!(plain.encode(), "fleet=index.json");
        assert_eq!(FleetSpec::decode("report=a.json"), None);
        // Junk is ignored, and so is the old `page=`.
        let junk =
            FleetSpec::decode("fleet=i.json&sort=x&level=9&stale=-1&row=z&page=3&section=5;x&status=bogus").unwrap();
        assert_eq!(junk, plain_with("i.json"));
        assert_eq!(FleetSpec::decode("fleet=i.json&row=99999999999").unwrap().row, 0);
    }

    fn plain_with(index: &str) -> FleetSpec {
        FleetSpec {
            index: index.into(),
            ..FleetSpec::default()
        }
    }

    #[test]
    fn object_urls_stay_below_the_index() {
        let spec = plain_with("store/fleet/index.json");
        assert_eq!(spec.base(), "store/fleet/");
        assert_eq!(
            spec.object_url("reports/web-1/a.json").as_deref(),
            Some("store/fleet/reports/web-1/a.json")
        );
        for bad in [
            "",
            "/etc/passwd",
            "../x.json",
            "a//b",
            "reports/./x",
            "https://evil/x",
            "a?b",
            "a\\b",
        ] {
            assert_eq!(spec.object_url(bad), None, "{bad}");
        }
        assert_eq!(
            plain_with("index.json").object_url("hosts/a.json").as_deref(),
            Some("hosts/a.json")
        );
    }

    #[test]
    fn report_links_carry_the_way_back() {
        let spec = FleetSpec {
            statuses: [Status::Fail].into(),
            ..plain_with("f/index.json")
        };
        let link = spec.report_link("reports/web-1/r.json", Some("5.5")).unwrap();
        let view = super::super::url::decode(&link);
        assert_eq!(
            view.sources,
            [super::super::url::SourceRef::Url("f/reports/web-1/r.json".into())]
        );
        assert_eq!(view.check.as_deref(), Some("5.5"));
        assert_eq!(back_link(&link).as_deref(), Some("fleet=f/index.json&status=fail"));
        assert_eq!(back_link("report=a.json"), None);
    }

    #[test]
    fn counts_say_how_many_hosts_fail_each_check() {
        let index = sample();
        let map = map_of(&index, &plain_with("index.json"));
        assert_eq!(map.rows.len(), 40);
        assert_eq!(map.total_hosts, 40);
        for (i, col) in map.columns.iter().enumerate() {
            let fails = index
                .hosts
                .iter()
                .filter(|h| h.latest.statuses.get(&col.id) == Some(&Status::Fail))
                .count();
            assert_eq!(col.counts.fail, fails, "{}", col.id);
            let shown = (0..map.rows.len())
                .filter(|&r| map.cells(r)[i] == Some(Status::Fail))
                .count();
            assert_eq!(shown, fails);
        }
        // Every cell is the index's status of that host and check.
        for r in 0..map.rows.len() {
            let host = map.host(r).unwrap();
            let entry = index.hosts.iter().find(|h| h.key.as_str() == host.key).unwrap();
            for (col, cell) in map.columns.iter().zip(map.cells(r)) {
                assert_eq!(*cell, entry.latest.statuses.get(&col.id).copied());
            }
        }
        let c55 = map.columns.iter().find(|c| c.id == "5.5").unwrap();
        assert_eq!(
            map.count_label(c55),
            format!("5.5 fails on {} of 40 hosts", c55.counts.fail)
        );
        assert_eq!(failing_hosts(&index, "5.5").len(), c55.counts.fail);
        // Columns in benchmark order, under their sections.
        let ids: Vec<&str> = map.columns.iter().map(|c| c.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_by(|a, b| catalog::compare_ids(a, b));
        assert_eq!(ids, sorted);
        let spans: usize = map.groups.iter().filter(|g| g.depth == 0).map(|g| g.span).sum();
        assert_eq!(spans, map.columns.len());
        // Runs, letters and the summary say the same as the cells.
        for r in 0..map.rows.len() {
            let cells = map.cells(r);
            let runs = map.runs(r);
            assert_eq!(runs.iter().map(|x| x.1).sum::<usize>(), cells.len());
            for (first, n, status) in runs {
                assert!(cells[first..first + n].iter().all(|c| *c == status));
            }
            let letters: Vec<char> = map.row_letters(r).chars().collect();
            assert_eq!(letters.len(), cells.len());
            assert!(letters.iter().zip(cells).all(|(l, c)| *l == status_letter(*c)));
            let summary = map.row_summary(r);
            let fails: Vec<&str> = map
                .columns
                .iter()
                .zip(cells)
                .filter(|(_, c)| **c == Some(Status::Fail))
                .map(|(col, _)| col.id.as_str())
                .collect();
            if !fails.is_empty() {
                assert!(summary.starts_with(&format!("fail {}", fails.join(", "))), "{summary}");
            }
            let passes = cells.iter().filter(|c| **c == Some(Status::Pass)).count();
            assert!(summary.contains(&format!("pass {passes}")), "{summary}");
        }
        assert_eq!(map.cells(40), &[] as &[Option<Status>]);
        assert!(map.host(40).is_none());
    }

    #[test]
    fn sorts_order_hosts() {
        let index = sample();
        let rows = |sort| {
            let map = map_of(
                &index,
                &FleetSpec {
                    sort,
                    ..plain_with("i")
                },
            );
            (0..map.rows.len())
                .map(|r| map.host(r).unwrap().clone())
                .collect::<Vec<_>>()
        };
        let by_score = rows(HostSort::Score);
        assert!(by_score.windows(2).all(|w| match (w[0].score, w[1].score) {
            (Some(a), Some(b)) => a <= b,
            (None, Some(_)) => false,
            _ => true,
        }));
        assert!(rows(HostSort::Failures)
            .windows(2)
            .all(|w| w[0].failures >= w[1].failures));
        assert!(rows(HostSort::Name).windows(2).all(|w| w[0].name <= w[1].name));
        assert!(rows(HostSort::Age)
            .windows(2)
            .all(|w| w[0].started_at <= w[1].started_at));
    }

    #[test]
    fn filters_narrow_hosts_and_checks() {
        let index = sample();
        let model = Rc::new(FleetModel::new(&index));
        let t = today(&index);
        let map = |spec: FleetSpec| heatmap(&model, &spec, t);
        let all = map(plain_with("i"));

        let by_section = map(FleetSpec {
            section: Some("5".into()),
            ..plain_with("i")
        });
        assert!(by_section.columns.iter().all(|c| c.id.starts_with("5.")));
        assert_eq!(by_section.rows.len(), 40);
        let by_subsection = map(FleetSpec {
            section: Some("1.1".into()),
            ..plain_with("i")
        });
        assert!(!by_subsection.columns.is_empty());
        assert!(by_subsection.columns.iter().all(|c| c.id.starts_with("1.1.")));

        let by_level = map(FleetSpec {
            level: Some(2),
            ..plain_with("i")
        });
        assert!(!by_level.columns.is_empty());
        assert!(by_level
            .columns
            .iter()
            .all(|c| catalog::get(&c.id).is_some_and(|m| m.level == 2)));

        let failing = map(FleetSpec {
            statuses: [Status::Fail].into(),
            ..plain_with("i")
        });
        assert!((0..failing.rows.len()).all(|r| failing.cells(r).contains(&Some(Status::Fail))));
        assert!(failing.columns.iter().all(|c| c.counts.fail > 0));
        assert!(failing.columns.len() < all.columns.len());

        let label = model.labels.first().cloned().unwrap();
        let labelled = map(FleetSpec {
            label: Some(label.clone()),
            ..plain_with("i")
        });
        assert!(!labelled.rows.is_empty() && labelled.rows.len() < 40);
        assert!((0..labelled.rows.len()).all(|r| labelled.host(r).unwrap().labels.contains(&label)));
        let key_only = map(FleetSpec {
            label: Some("env".into()),
            ..plain_with("i")
        });
        assert_eq!(key_only.rows.len(), 40);

        let name = all.host(3).unwrap().name.clone();
        let texted = map(FleetSpec {
            text: name.to_uppercase(),
            ..plain_with("i")
        });
        let found = names(&texted);
        assert!(found.contains(&name));
        assert!((0..texted.rows.len()).all(|r| {
            let h = texted.host(r).unwrap();
            h.name.contains(&name) || h.labels.iter().any(|l| l.contains(&name))
        }));
        let nothing = map(FleetSpec {
            text: "no-such-host".into(),
            ..plain_with("i")
        });
        assert!(nothing.rows.is_empty());

        let stale = map(FleetSpec {
            stale_only: true,
            ..plain_with("i")
        });
        assert_eq!(stale.rows.len(), all.stale_hosts);
        assert!((0..stale.rows.len()).all(|r| {
            let h = stale.host(r).unwrap();
            stale.is_stale(h) && stale.age_days(h).is_some_and(|a| a > 7)
        }));
        assert!(all.stale_hosts > 0 && all.stale_hosts < 40);
    }

    #[test]
    fn a_collapsed_section_is_one_column_with_the_worst_status() {
        let index = sample();
        let spec = FleetSpec {
            collapsed: ["5".to_string()].into(),
            ..plain_with("i")
        };
        let map = map_of(&index, &spec);
        let (i, col) = map.columns.iter().enumerate().find(|(_, c)| c.id == "5").unwrap();
        assert!(col.collapsed_section);
        assert!(!map.columns.iter().any(|c| c.id.starts_with("5.")));
        for r in 0..map.rows.len() {
            let key = &map.host(r).unwrap().key;
            let host = index.hosts.iter().find(|h| h.key.as_str() == key).unwrap();
            let any_fail = host
                .latest
                .statuses
                .iter()
                .any(|(id, s)| id.starts_with("5.") && *s == Status::Fail);
            assert_eq!(map.cells(r)[i] == Some(Status::Fail), any_fail);
        }
        let g = map.groups.iter().find(|g| g.id == "5").unwrap();
        assert!(g.collapsed && g.span == 1);
        assert_eq!(
            map.count_label(col),
            format!("5 has failures on {} of 40 hosts", col.counts.fail)
        );
    }

    #[test]
    fn hostile_indexes_stay_bounded() {
        let mut index = sample();
        // Far more distinct check ids than the catalogue has, and ids that are not ids at all.
        for (n, h) in index.hosts.iter_mut().enumerate() {
            for k in 0..50 {
                h.latest.statuses.insert(format!("{n}.{k}.x"), Status::Fail);
            }
            h.latest.statuses.insert(String::new(), Status::Warn);
            h.latest.started_at = "not a time".into();
        }
        let model = Rc::new(FleetModel::new(&index));
        assert_eq!(model.checks.len(), MAX_CHECKS);
        let map = heatmap(&model, &plain_with("i"), 0);
        assert_eq!(map.rows.len(), 40);
        assert_eq!(map.stale_hosts, 40);
        assert_eq!(map.cells(0).len(), map.columns.len());
    }

    #[test]
    fn reducer_resets_the_scroll_on_filter_changes() {
        let s = FleetState::new(FleetSpec {
            row: 2,
            ..plain_with("i.json")
        });
        let s = s.reduce(FleetAction::ScrolledTo(400));
        assert_eq!(s.spec.row, 400);
        assert_eq!(s.spec.encode(), "fleet=i.json&row=400");
        let s = s
            .reduce(FleetAction::ToggleStatus(Status::Fail))
            .reduce(FleetAction::SelectHost(Some("web-1".into())));
        assert_eq!(s.spec.row, 0);
        assert_eq!(s.spec.encode(), "fleet=i.json&status=fail&host=web-1");
        let s = s.reduce(FleetAction::ClearFilters);
        assert_eq!(s.spec.encode(), "fleet=i.json&host=web-1");
        assert_eq!(s.wanted_history(), None);
        let index = Rc::new(sample());
        let key = index.hosts[0].key.to_string();
        let s = s
            .reduce(FleetAction::IndexLoaded(Ok(index)))
            .reduce(FleetAction::SelectHost(Some(key.clone())));
        assert_eq!(s.model.as_ref().map(|m| m.hosts.len()), Some(40));
        assert_eq!(s.wanted_history(), Some((key.clone(), format!("hosts/{key}.json"))));
        let s = s.reduce(FleetAction::HistoryLoaded {
            key,
            history: Err("HTTP 404".into()),
        });
        assert_eq!(s.wanted_history(), None);
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(day_number("2000-03-01T00:00:00Z"), Some(11_017));
        assert_eq!(day_number("2026-01-02"), Some(20_455));
        assert_eq!(day_number("yesterday"), None);
        assert_eq!(day_number("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn arrow_keys_walk_the_grid_and_stop_at_its_edges() {
        let k = |key, ctrl| GridKey::parse(key, ctrl).unwrap();
        // 10 rows, 5 status columns (column 0 is the host name), 4 rows a page.
        let mv = |at, key| grid_move(at, key, 10, 5, 4);
        assert_eq!(mv((0, 0), k("ArrowDown", false)), Some((1, 0)));
        assert_eq!(mv((0, 0), k("ArrowUp", false)), None);
        assert_eq!(mv((0, 0), k("ArrowLeft", false)), None);
        assert_eq!(mv((0, 0), k("ArrowRight", false)), Some((0, 1)));
        assert_eq!(mv((0, 5), k("ArrowRight", false)), None);
        assert_eq!(mv((9, 2), k("ArrowDown", false)), None);
        assert_eq!(mv((1, 2), k("PageDown", false)), Some((5, 2)));
        assert_eq!(mv((8, 2), k("PageDown", false)), Some((9, 2)));
        assert_eq!(mv((2, 2), k("PageUp", false)), Some((0, 2)));
        assert_eq!(mv((3, 3), k("Home", false)), Some((3, 0)));
        assert_eq!(mv((3, 3), k("Home", true)), Some((0, 0)));
        assert_eq!(mv((3, 3), k("End", false)), Some((3, 5)));
        assert_eq!(mv((3, 3), k("End", true)), Some((9, 5)));
        assert_eq!(GridKey::parse("Enter", false), None);
        assert_eq!(grid_move((0, 0), GridKey::Down, 0, 5, 4), None);
        // A position left over from a longer list is brought inside.
        assert_eq!(grid_move((50, 9), GridKey::Up, 10, 5, 4), Some((8, 5)));
    }
}
