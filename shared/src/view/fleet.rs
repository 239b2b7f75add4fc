//! The fleet view: a published fleet's `index.json` ([`crate::fleet`]) as a heatmap of hosts ×
//! checks, with its sorts, filters, per-check counts, stale hosts and the URL that keeps it all.
//!
//! Everything the viewer's fleet components show is computed here, without a browser:
//!
//! * [`FleetSpec`]: the view as a link carries it ([`FleetSpec::encode`], [`FleetSpec::decode`]);
//! * [`FleetState`] and [`FleetAction`]: the loaded index and host histories, and the reducer;
//! * [`heatmap`]: the rows (hosts, sorted and filtered), the columns (checks in benchmark order,
//!   under their sections, a collapsed section as one column) and the cells;
//! * [`failing_hosts`]: the hosts failing one check, fleet-wide.
//!
//! Filters combine with AND. The status filter keeps the hosts with at least one shown check in
//! one of the statuses, and the checks at least one shown host has in one of them; the text
//! filter matches hosts (name, key, labels), every word somewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::catalog;
use crate::fleet::{FleetHost, FleetIndex, HostHistory};
use crate::report::Status;

use super::url::{percent_decode, percent_encode, MAX_VALUE_LEN};

/// Hosts whose latest run is older than this many days are flagged, unless the link says otherwise.
pub const DEFAULT_STALE_DAYS: u32 = 7;
/// Host rows shown per page of the heatmap (the DOM stays small on fleets of thousands).
pub const PAGE_SIZE: usize = 50;

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
    /// Page of host rows (from 0).
    pub page: usize,
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
            page: 0,
        }
    }
}

impl FleetSpec {
    /// The spec of a query string, or `None` when it names no fleet (no `fleet=`). Lenient like
    /// [`super::url::decode`]: anything unreadable is ignored.
    pub fn decode(query: &str) -> Option<FleetSpec> {
        let mut spec = FleetSpec::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let mut value = percent_decode(raw);
            if value.len() > MAX_VALUE_LEN {
                let mut cut = MAX_VALUE_LEN;
                while !value.is_char_boundary(cut) {
                    cut -= 1;
                }
                value.truncate(cut);
            }
            let nonempty = |v: String| (!v.trim().is_empty()).then_some(v);
            match percent_decode(key).as_str() {
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
                "page" => spec.page = value.parse().ok().filter(|p| *p < 100_000).unwrap_or(0),
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
        if self.page != 0 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
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
        let mut q = format!("report={}", percent_encode(&url));
        if let Some(c) = check {
            q.push_str(&format!("&check={}", percent_encode(c)));
        }
        q.push_str(&format!("&{BACK_KEY}={}", percent_encode(&self.encode())));
        Some(q)
    }
}

/// Query key of a report view opened from the fleet: the fleet view's own query, to go back to.
pub const BACK_KEY: &str = "fleet_back";

/// The fleet query a report view link carries back (`fleet_back=`), if any.
pub fn back_link(query: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        let back = percent_decode(v);
        (k == BACK_KEY && FleetSpec::decode(&back).is_some()).then_some(back)
    })
}

/// "5", "1.1": digits separated by single dots.
fn is_section_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
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
    SetPage(usize),
}

impl FleetState {
    pub fn new(spec: FleetSpec) -> FleetState {
        FleetState {
            spec,
            index: Fetch::Loading,
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
            FleetAction::SetPage(p) => s.page = p,
        }
        if filters_changed {
            self.spec.page = 0;
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

/// One host row of the heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct HostRow {
    pub key: String,
    /// The host's name, else its key.
    pub name: String,
    /// `key=value`, sorted by key.
    pub labels: Vec<String>,
    pub score: Option<f64>,
    /// Failing checks in the latest run (all checks, not only the shown ones).
    pub failures: u32,
    pub started_at: String,
    /// Whole days since the latest run started (`None` when its time does not read).
    pub age_days: Option<i64>,
    pub stale: bool,
    /// The latest report's key (relative to the fleet's root).
    pub report_key: String,
    /// One status per column (a collapsed section shows its worst); `None` where the run has no
    /// result for that check.
    pub cells: Vec<Option<Status>>,
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

/// The heatmap as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
    /// Every host passing the filters, sorted (the page shows a slice of them).
    pub rows: Vec<HostRow>,
    /// Hosts in the index.
    pub total_hosts: usize,
    pub stale_hosts: usize,
    /// Every label offered by the label filter (`key=value`), sorted.
    pub labels: Vec<String>,
    /// Sections and subsections present, with titles, for the section filter.
    pub sections: Vec<(String, String)>,
}

impl Heatmap {
    /// The rows of page `page` (the last page when `page` is past the end).
    pub fn page(&self, page: usize) -> (&[HostRow], usize) {
        let pages = self.pages();
        let page = page.min(pages.saturating_sub(1));
        let start = page * PAGE_SIZE;
        let end = (start + PAGE_SIZE).min(self.rows.len());
        (&self.rows[start.min(end)..end], page)
    }

    pub fn pages(&self) -> usize {
        self.rows.len().div_ceil(PAGE_SIZE).max(1)
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
struct CheckInfo {
    id: String,
    section: String,
    subsection: Option<String>,
    title: String,
    level: Option<u8>,
}

fn check_info(id: &str) -> CheckInfo {
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

fn in_section(info: &CheckInfo, section: &str) -> bool {
    info.section == section || catalog::id_matches_prefix(&info.id, section)
}

fn host_name(h: &FleetHost) -> String {
    h.host
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| h.key.to_string())
}

fn label_strings(h: &FleetHost) -> Vec<String> {
    h.labels.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

fn host_matches_text(h: &FleetHost, words: &[String]) -> bool {
    let mut hay = host_name(h).to_lowercase();
    hay.push('\n');
    hay.push_str(&h.key.as_str().to_lowercase());
    for l in label_strings(h) {
        hay.push('\n');
        hay.push_str(&l.to_lowercase());
    }
    words.iter().all(|w| hay.contains(w.as_str()))
}

fn host_has_label(h: &FleetHost, label: &str) -> bool {
    match label.split_once('=') {
        Some((k, v)) => h.labels.get(k).is_some_and(|x| x == v),
        None => h.labels.contains_key(label),
    }
}

/// The heatmap of `index` under `spec`, on day `today` (days since 1970, see [`day_number`]).
pub fn heatmap(index: &FleetIndex, spec: &FleetSpec, today: i64) -> Heatmap {
    // Checks present anywhere in the fleet, in benchmark order.
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for h in &index.hosts {
        ids.extend(h.latest.statuses.keys().map(String::as_str));
    }
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_by(|a, b| catalog::compare_ids(a, b));
    let infos: Vec<CheckInfo> = ids.iter().map(|id| check_info(id)).collect();

    let mut sections: Vec<(String, String)> = Vec::new();
    for info in &infos {
        for id in std::iter::once(&info.section).chain(info.subsection.as_ref()) {
            if !id.is_empty() && !sections.iter().any(|(s, _)| s == id) {
                let title = catalog::section_title(id).unwrap_or("Other").to_string();
                sections.push((id.clone(), title));
            }
        }
    }
    let mut labels: BTreeSet<String> = BTreeSet::new();
    for h in &index.hosts {
        labels.extend(label_strings(h));
    }

    // Checks kept by the section and level filters.
    let kept: Vec<&CheckInfo> = infos
        .iter()
        .filter(|i| spec.section.as_deref().is_none_or(|s| in_section(i, s)))
        .filter(|i| spec.level.is_none_or(|l| i.level == Some(l)))
        .collect();

    let words: Vec<String> = spec.text.split_whitespace().map(str::to_lowercase).collect();
    let age_of = |h: &FleetHost| day_number(&h.latest.started_at).map(|d| today - d);
    let is_stale = |h: &FleetHost| age_of(h).is_none_or(|a| a > i64::from(spec.stale_days));
    let stale_hosts = index.hosts.iter().filter(|h| is_stale(h)).count();
    let has_status =
        |h: &FleetHost, c: &CheckInfo| h.latest.statuses.get(&c.id).is_some_and(|s| spec.statuses.contains(s));
    let hosts: Vec<&FleetHost> = index
        .hosts
        .iter()
        .filter(|h| spec.label.as_deref().is_none_or(|l| host_has_label(h, l)))
        .filter(|h| host_matches_text(h, &words))
        .filter(|h| !spec.stale_only || is_stale(h))
        .filter(|h| spec.statuses.is_empty() || kept.iter().any(|c| has_status(h, c)))
        .collect();
    let checks: Vec<&CheckInfo> = kept
        .into_iter()
        .filter(|c| spec.statuses.is_empty() || hosts.iter().any(|h| has_status(h, c)))
        .collect();

    // Columns: checks, except that a collapsed section or subsection stands for all of its own.
    let mut columns: Vec<Column> = Vec::new();
    let mut members: Vec<Vec<&str>> = Vec::new();
    for c in &checks {
        let folded = [Some(&c.section), c.subsection.as_ref()]
            .into_iter()
            .flatten()
            .find(|g| spec.collapsed.contains(*g));
        match folded {
            Some(g) => {
                if columns.last().is_some_and(|col| col.collapsed_section && &col.id == g) {
                    if let Some(m) = members.last_mut() {
                        m.push(&c.id);
                    }
                } else {
                    columns.push(Column {
                        id: g.clone(),
                        title: catalog::section_title(g).unwrap_or("Other").to_string(),
                        collapsed_section: true,
                        counts: ColumnCounts::default(),
                    });
                    members.push(vec![&c.id]);
                }
            }
            None => {
                columns.push(Column {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    collapsed_section: false,
                    counts: ColumnCounts::default(),
                });
                members.push(vec![&c.id]);
            }
        }
    }

    let mut rows: Vec<HostRow> = hosts
        .iter()
        .map(|h| {
            let cells = members
                .iter()
                .map(|ids| {
                    ids.iter()
                        .filter_map(|id| h.latest.statuses.get(*id).copied())
                        .max_by_key(|s| severity(*s))
                })
                .collect();
            HostRow {
                key: h.key.to_string(),
                name: host_name(h),
                labels: label_strings(h),
                score: h.latest.score,
                failures: h.latest.counts.fail,
                started_at: h.latest.started_at.clone(),
                age_days: age_of(h),
                stale: is_stale(h),
                report_key: h.latest.report_key.clone(),
                cells,
            }
        })
        .collect();
    sort_rows(&mut rows, spec.sort);

    for row in &rows {
        for (col, cell) in columns.iter_mut().zip(&row.cells) {
            let Some(s) = cell else { continue };
            col.counts.with_result += 1;
            match s {
                Status::Fail => col.counts.fail += 1,
                Status::Warn => col.counts.warn += 1,
                Status::Error => col.counts.error += 1,
                Status::Pass => col.counts.pass += 1,
                _ => {}
            }
        }
    }

    let groups = groups(&columns, &checks, &spec.collapsed);
    Heatmap {
        columns,
        groups,
        rows,
        total_hosts: index.hosts.len(),
        stale_hosts,
        labels: labels.into_iter().collect(),
        sections,
    }
}

fn sort_rows(rows: &mut [HostRow], sort: HostSort) {
    let by_name = |a: &HostRow, b: &HostRow| a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key));
    match sort {
        HostSort::Score => rows.sort_by(|a, b| {
            match (a.score, b.score) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| by_name(a, b))
        }),
        HostSort::Failures => rows.sort_by(|a, b| b.failures.cmp(&a.failures).then_with(|| by_name(a, b))),
        HostSort::Name => rows.sort_by(by_name),
        // RFC 3339 UTC times of one form sort as text; oldest first.
        HostSort::Age => rows.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| by_name(a, b))),
    }
}

/// The section tree over the columns: each section (and subsection) spans its columns.
fn groups(columns: &[Column], checks: &[&CheckInfo], collapsed: &BTreeSet<String>) -> Vec<Group> {
    let info_of = |id: &str| checks.iter().find(|c| c.id == id);
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
                info_of(&col.id).map_or((String::new(), None), |c| (c.section.clone(), c.subsection.clone()))
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
    crate::fleet::parse_index(text).map_err(|e| format!("The fleet index cannot be read: {e}."))
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

    fn today(index: &FleetIndex) -> i64 {
        index
            .hosts
            .iter()
            .filter_map(|h| day_number(&h.latest.started_at))
            .max()
            .unwrap_or(0)
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
            page: 3,
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
        // Junk is ignored.
        let junk = FleetSpec::decode("fleet=i.json&sort=x&level=9&stale=-1&page=z&section=5;x&status=bogus").unwrap();
        assert_eq!(junk, plain_with("i.json"));
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
        let spec = plain_with("index.json");
        let map = heatmap(&index, &spec, today(&index));
        assert_eq!(map.rows.len(), 40);
        assert_eq!(map.total_hosts, 40);
        for (i, col) in map.columns.iter().enumerate() {
            let fails = index
                .hosts
                .iter()
                .filter(|h| h.latest.statuses.get(&col.id) == Some(&Status::Fail))
                .count();
            assert_eq!(col.counts.fail, fails, "{}", col.id);
            let shown = map.rows.iter().filter(|r| r.cells[i] == Some(Status::Fail)).count();
            assert_eq!(shown, fails);
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
    }

    #[test]
    fn sorts_order_hosts() {
        let index = sample();
        let t = today(&index);
        let rows = |sort| {
            heatmap(
                &index,
                &FleetSpec {
                    sort,
                    ..plain_with("i")
                },
                t,
            )
            .rows
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
        let t = today(&index);
        let map = |spec: FleetSpec| heatmap(&index, &spec, t);
        let all = map(plain_with("i"));

        let by_section = map(FleetSpec {
            section: Some("5".into()),
            ..plain_with("i")
        });
        assert!(by_section.columns.iter().all(|c| c.id.starts_with("5.")));
        assert_eq!(by_section.rows.len(), 40);

        let by_level = map(FleetSpec {
            level: Some(2),
            ..plain_with("i")
        });
        assert!(by_level
            .columns
            .iter()
            .all(|c| catalog::get(&c.id).is_some_and(|m| m.level == 2)));

        let failing = map(FleetSpec {
            statuses: [Status::Fail].into(),
            ..plain_with("i")
        });
        assert!(failing.rows.iter().all(|r| r.cells.contains(&Some(Status::Fail))));
        assert!(failing.columns.iter().all(|c| c.counts.fail > 0));
        assert!(failing.columns.len() < all.columns.len());

        let label = all.labels.first().cloned().unwrap();
        let labelled = map(FleetSpec {
            label: Some(label.clone()),
            ..plain_with("i")
        });
        assert!(!labelled.rows.is_empty() && labelled.rows.len() < 40);
        assert!(labelled.rows.iter().all(|r| r.labels.contains(&label)));

        let name = all.rows[3].name.clone();
        let texted = map(FleetSpec {
            text: name.to_uppercase(),
            ..plain_with("i")
        });
        assert!(texted.rows.iter().any(|r| r.name == name));
        assert!(texted
            .rows
            .iter()
            .all(|r| r.name.contains(&name) || r.labels.iter().any(|l| l.contains(&name))));

        let stale = map(FleetSpec {
            stale_only: true,
            ..plain_with("i")
        });
        assert_eq!(stale.rows.len(), all.stale_hosts);
        assert!(stale.rows.iter().all(|r| r.stale && r.age_days.is_some_and(|a| a > 7)));
        assert!(all.stale_hosts > 0 && all.stale_hosts < 40);
    }

    #[test]
    fn a_collapsed_section_is_one_column_with_the_worst_status() {
        let index = sample();
        let t = today(&index);
        let spec = FleetSpec {
            collapsed: ["5".to_string()].into(),
            ..plain_with("i")
        };
        let map = heatmap(&index, &spec, t);
        let (i, col) = map.columns.iter().enumerate().find(|(_, c)| c.id == "5").unwrap();
        assert!(col.collapsed_section);
        assert!(!map.columns.iter().any(|c| c.id.starts_with("5.")));
        for (row, host) in map
            .rows
            .iter()
            .map(|r| (r, index.hosts.iter().find(|h| h.key.as_str() == r.key).unwrap()))
        {
            let any_fail = host
                .latest
                .statuses
                .iter()
                .any(|(id, s)| id.starts_with("5.") && *s == Status::Fail);
            assert_eq!(row.cells[i] == Some(Status::Fail), any_fail);
        }
        let g = map.groups.iter().find(|g| g.id == "5").unwrap();
        assert!(g.collapsed && g.span == 1);
        assert_eq!(
            map.count_label(col),
            format!("5 has failures on {} of 40 hosts", col.counts.fail)
        );
    }

    #[test]
    fn reducer_resets_the_page_on_filter_changes() {
        let s = FleetState::new(FleetSpec {
            page: 2,
            ..plain_with("i.json")
        });
        let s = s.reduce(FleetAction::SetPage(4));
        assert_eq!(s.spec.page, 4);
        let s = s
            .reduce(FleetAction::ToggleStatus(Status::Fail))
            .reduce(FleetAction::SelectHost(Some("web-1".into())));
        assert_eq!(s.spec.page, 0);
        assert_eq!(s.spec.encode(), "fleet=i.json&status=fail&host=web-1");
        let s = s.reduce(FleetAction::ClearFilters);
        assert_eq!(s.spec.encode(), "fleet=i.json&host=web-1");
        assert_eq!(s.wanted_history(), None);
        let index = Rc::new(sample());
        let key = index.hosts[0].key.to_string();
        let s = s
            .reduce(FleetAction::IndexLoaded(Ok(index)))
            .reduce(FleetAction::SelectHost(Some(key.clone())));
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
    fn pages_cover_every_row_once() {
        let index = fleet(&FleetShape {
            hosts: 250,
            seed: 1,
            ..FleetShape::default()
        })
        .index;
        let map = heatmap(&index, &plain_with("i"), today(&index));
        assert_eq!(map.pages(), 5);
        let n: usize = (0..5).map(|p| map.page(p).0.len()).sum();
        assert_eq!(n, 250);
        assert_eq!(map.page(99).1, 4);
    }
}
