//! The viewer's state and the reducer that is its only way of changing.
//!
//! Reports are held behind [`Rc`], so the cloning a UI framework's reducer does per event costs a
//! few pointer copies, never a report. Loading goes through [`crate::load::load`], so the viewer
//! accepts exactly the files `dockaudit` itself accepts, with the same error messages.

use std::rc::Rc;

use crate::catalog::{severity, Evaluation};
use crate::digest::DigestCheck;
use crate::load::{self, SourceFormat};
use crate::report::{CheckResult, Report, Status};

use super::filter::{self, Filters};
use super::prepared::Prepared;
use super::signoff::{SignoffAction, SignoffState};
use super::targets;
use super::tree;
use super::trend;
use super::url::{self, Mode, SourceRef, ViewSpec, MAX_SOURCES};

/// A report that was read successfully.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedReport {
    /// File name or URL, as the reader gave it.
    pub name: String,
    pub report: Report,
    /// The digest checked in the viewer against the file's content.
    pub digest: DigestCheck,
    pub format: SourceFormat,
    /// Things the reader should know (conversions, repairs).
    pub warnings: Vec<String>,
    /// The bytes the report's SSH signature covers, when it has one.
    pub signed_bytes: Option<Vec<u8>>,
    /// What every render asks of the findings, worked out once (see [`Prepared`]).
    pub prepared: Prepared,
}

impl LoadedReport {
    /// Reads a file's text; the error is a sentence for the reader.
    pub fn parse(name: &str, text: &str) -> Result<Self, String> {
        let loaded = load::load(text).map_err(|e| e.to_string())?;
        // Two results for one check: the viewer would show one and could hide the other.
        load::require_unique_results(&loaded.report).map_err(|e| e.to_string())?;
        Ok(LoadedReport {
            name: name.to_string(),
            digest: loaded.digest,
            format: loaded.format,
            warnings: loaded.warnings,
            signed_bytes: loaded.signed_bytes,
            prepared: Prepared::of(&loaded.report),
            report: loaded.report,
        })
    }

    /// The collector's SSH signature checked against `allowed` at Unix time `now`.
    pub fn signature_status(
        &self,
        allowed: &crate::sshsig::AllowedSigners,
        now: i64,
    ) -> crate::sshsig::SignatureStatus {
        crate::sshsig::report_signature_status(&self.report, self.signed_bytes.as_deref(), allowed, now)
    }

    /// Short label: "host · 2026-01-01 00:00".
    pub fn label(&self) -> String {
        format!("{} · {}", self.host(), trend::short_time(&self.report.run.started_at))
    }

    /// The audited host's name, or a placeholder.
    pub fn host(&self) -> &str {
        self.report
            .host
            .hostname
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or(trend::UNKNOWN_HOST)
    }
}

/// Where a source stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceState {
    /// Being fetched.
    Loading,
    /// Named by a link as a local file that the reader has to open again.
    Missing,
    Ready(Rc<LoadedReport>),
    /// Could not be fetched or read; the message says why.
    Failed(String),
}

/// One entry of the viewer's report list.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub origin: SourceRef,
    pub state: SourceState,
}

impl Source {
    pub fn ready(&self) -> Option<&Rc<LoadedReport>> {
        match &self.state {
            SourceState::Ready(r) => Some(r),
            _ => None,
        }
    }
}

/// A message about a file that could not be opened (its slot is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: u32,
    /// File name.
    pub name: String,
    pub message: String,
}

/// Everything the viewer shows, apart from transient UI details (hover, focus).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewerState {
    pub sources: Vec<Source>,
    /// Files that failed to open; loaded reports are unaffected.
    pub notices: Vec<Notice>,
    /// The view, with `sources` left empty (they are derived from `self.sources`).
    pub view: ViewSpec,
    /// Sign-off drafts, messages and carry-forward offers (see [`super::signoff`]).
    pub signoff: SignoffState,
    next_notice: u32,
}

/// Every way the state can change.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A file's text arrived (file picker or drop).
    FileRead {
        name: String,
        text: String,
    },
    /// A file could not be read at all (browser error).
    FileUnreadable {
        name: String,
        reason: String,
    },
    /// The body of the `index`-th source (a URL) arrived.
    Fetched {
        index: usize,
        text: String,
    },
    /// The `index`-th source's report, already read (in slices, outside the reducer: see
    /// [`super::chunked`]), or why it could not be.
    Loaded {
        index: usize,
        loaded: Result<Rc<LoadedReport>, String>,
    },
    /// A file's report, already read in slices, or why it could not be.
    FileLoaded {
        name: String,
        loaded: Result<Rc<LoadedReport>, String>,
    },
    /// Fetching the `index`-th source failed.
    FetchFailed {
        index: usize,
        reason: String,
    },
    DismissNotice(u32),
    RemoveSource(usize),
    SetMode(Mode),
    /// Show this source in the report and target views.
    SetActive(usize),
    SetBase(usize),
    SetHead(usize),
    SwapPair,
    /// Select a check and open its detail.
    Select(String),
    /// Open the selected check's detail (or select the first visible check).
    Open,
    Close,
    /// Move the selection through the visible checks (+1 next, −1 previous).
    Move(i32),
    /// Collapse or expand a section or subsection.
    ToggleGroup(String),
    ToggleStatus(Status),
    SetSection(Option<String>),
    SetLevel(Option<u8>),
    SetEvaluation(Option<Evaluation>),
    SetTarget(Option<String>),
    SetText(String),
    ClearFilters,
    SetChangedOnly(bool),
    SetHost(Option<String>),
    /// List the report's checks in benchmark order or by severity.
    SetOrder(TreeOrder),
    /// A sign-off change on the active report.
    Signoff(SignoffAction),
}

impl Default for ViewerState {
    fn default() -> Self {
        ViewerState {
            sources: Vec::new(),
            notices: Vec::new(),
            view: ViewSpec::default(),
            signoff: SignoffState::default(),
            next_notice: 1,
        }
    }
}

impl ViewerState {
    /// The state a link describes: URL sources start loading, file sources wait to be re-opened.
    pub fn from_query(query: &str) -> Self {
        let mut view = url::decode(query);
        let sources = std::mem::take(&mut view.sources)
            .into_iter()
            .map(|origin| {
                let state = match origin {
                    SourceRef::Url(_) => SourceState::Loading,
                    SourceRef::File(_) => SourceState::Missing,
                };
                Source { origin, state }
            })
            .collect();
        ViewerState {
            sources,
            signoff: SignoffState::linked(view.signoff.clone()),
            view,
            ..ViewerState::default()
        }
    }

    /// The view as a link carries it.
    pub fn spec(&self) -> ViewSpec {
        ViewSpec {
            sources: self.sources.iter().map(|s| s.origin.clone()).collect(),
            ..self.view.clone()
        }
    }

    /// The query string for the current view (without `?`).
    pub fn query(&self) -> String {
        url::encode(&self.spec())
    }

    /// Indexes and URLs of sources still to be fetched.
    pub fn pending_fetches(&self) -> Vec<(usize, String)> {
        self.sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match (&s.origin, &s.state) {
                (SourceRef::Url(u), SourceState::Loading) => Some((i, u.clone())),
                _ => None,
            })
            .collect()
    }

    /// Loaded reports with their source index.
    pub fn ready(&self) -> impl Iterator<Item = (usize, &Rc<LoadedReport>)> {
        self.sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.ready().map(|r| (i, r)))
    }

    /// The report of the report and target views, if it is loaded.
    pub fn active(&self) -> Option<&Rc<LoadedReport>> {
        self.sources.get(self.view.active).and_then(Source::ready)
    }

    /// The diff's base and head: the chosen ones, else the two latest loaded runs (older first).
    pub fn pair(&self) -> Option<(usize, usize)> {
        let ready: Vec<(usize, &Rc<LoadedReport>)> = self.ready().collect();
        let is_ready = |i: usize| ready.iter().any(|(j, _)| *j == i);
        match (self.view.base, self.view.head) {
            (Some(a), Some(b)) if is_ready(a) && is_ready(b) => return Some((a, b)),
            _ => {}
        }
        let mut by_time = ready.clone();
        by_time.sort_by(|(i, a), (j, b)| a.report.run.started_at.cmp(&b.report.run.started_at).then(i.cmp(j)));
        let n = by_time.len();
        if n < 2 {
            return None;
        }
        let (latest, before) = (by_time[n - 1].0, by_time[n - 2].0);
        let other = |chosen: usize| if chosen == latest { before } else { latest };
        Some(
            match (
                self.view.base.filter(|a| is_ready(*a)),
                self.view.head.filter(|b| is_ready(*b)),
            ) {
                (Some(a), _) => (a, other(a)),
                (None, Some(b)) => (other(b), b),
                (None, None) => (before, latest),
            },
        )
    }

    /// The checks of the active report that pass the filters, in benchmark order.
    pub fn visible(&self) -> Vec<&crate::report::CheckResult> {
        self.active()
            .map(|r| filter::visible(&r.report.results, &self.view.filters))
            .unwrap_or_default()
    }

    /// Check ids the keyboard steps through in the current mode.
    pub fn navigation_order(&self) -> Vec<String> {
        let Some(active) = self.active() else { return Vec::new() };
        match self.view.mode {
            Mode::Report if self.view.order == TreeOrder::Severity => {
                let visible = self.visible();
                tree::navigation_order(&tree::by_severity(&visible), &self.view.collapsed)
            }
            Mode::Report => {
                let visible = self.visible();
                tree::navigation_order(&tree::build(&visible), &self.view.collapsed)
            }
            Mode::Targets => match &self.view.filters.target {
                Some(t) => targets::checks_for(&active.report, t)
                    .into_iter()
                    .map(|(r, _)| r.id.clone())
                    .collect(),
                None => Vec::new(),
            },
            Mode::Diff | Mode::Trend | Mode::Signoff | Mode::Evidence => Vec::new(),
        }
    }

    /// Applies one action and returns the new state.
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::FileRead { name, text } => self.file_read(name, &text),
            Action::FileUnreadable { name, reason } => {
                self.notice(name, format!("The file could not be read: {reason}"));
            }
            Action::Fetched { index, text } => {
                if let Some(source) = self.sources.get_mut(index) {
                    let name = source.origin.name().to_string();
                    source.state = match LoadedReport::parse(&name, &text) {
                        Ok(r) => SourceState::Ready(Rc::new(r)),
                        Err(e) => SourceState::Failed(e),
                    };
                }
            }
            Action::Loaded { index, loaded } => {
                if let Some(source) = self.sources.get_mut(index) {
                    source.state = match loaded {
                        Ok(r) => SourceState::Ready(r),
                        Err(e) => SourceState::Failed(e),
                    };
                }
            }
            Action::FileLoaded { name, loaded } => self.file_loaded(name, loaded),
            Action::FetchFailed { index, reason } => {
                if let Some(source) = self.sources.get_mut(index) {
                    source.state = SourceState::Failed(reason);
                }
            }
            Action::DismissNotice(id) => self.notices.retain(|n| n.id != id),
            Action::RemoveSource(index) => self.remove_source(index),
            Action::SetMode(mode) => self.view.mode = mode,
            Action::SetActive(i) if i < self.sources.len() => self.view.active = i,
            Action::SetBase(i) if i < self.sources.len() => {
                // Picking the current head as base swaps the two, so the pair stays two runs.
                let pair = self.pair();
                self.view.base = Some(i);
                if let Some((a, b)) = pair {
                    self.view.head = Some(if b == i { a } else { b });
                }
            }
            Action::SetHead(i) if i < self.sources.len() => {
                let pair = self.pair();
                self.view.head = Some(i);
                if let Some((a, b)) = pair {
                    self.view.base = Some(if a == i { b } else { a });
                }
            }
            Action::SetActive(_) | Action::SetBase(_) | Action::SetHead(_) => {}
            Action::SwapPair => {
                if let Some((a, b)) = self.pair() {
                    self.view.base = Some(b);
                    self.view.head = Some(a);
                }
            }
            Action::Select(id) => {
                self.view.check = Some(id);
                self.view.detail_open = true;
            }
            Action::Open => {
                if self.view.check.is_none() {
                    self.view.check = self.navigation_order().into_iter().next();
                }
                self.view.detail_open = self.view.check.is_some();
            }
            Action::Close => self.view.detail_open = false,
            Action::Move(delta) => self.move_selection(delta),
            Action::ToggleGroup(id) => {
                if !self.view.collapsed.remove(&id) {
                    self.view.collapsed.insert(id);
                }
            }
            Action::ToggleStatus(s) => {
                let set = &mut self.view.filters.statuses;
                if !set.remove(&s) {
                    set.insert(s);
                }
            }
            Action::SetSection(s) => self.view.filters.section = s,
            Action::SetLevel(l) => self.view.filters.level = l,
            Action::SetEvaluation(e) => self.view.filters.evaluation = e,
            Action::SetTarget(t) => self.view.filters.target = t.filter(|t| !t.is_empty()),
            Action::SetText(t) => self.view.filters.text = t,
            Action::ClearFilters => self.view.filters = Filters::default(),
            Action::SetChangedOnly(on) => self.view.changed_only = on,
            Action::SetHost(h) => self.view.host = h,
            Action::SetOrder(o) => self.view.order = o,
            Action::Signoff(a) => {
                let active = self.active().cloned();
                self.signoff.reduce(a, active.as_deref());
            }
        }
        self.settle_signoff();
        self
    }

    /// Imports a linked sign-off once its report is loaded, then drops it from the link.
    fn settle_signoff(&mut self) {
        if self.view.signoff.is_none() {
            return;
        }
        let active = self.active().cloned();
        if self.signoff.settle(active.as_deref()) {
            self.view.signoff = None;
        }
    }

    fn notice(&mut self, name: String, message: String) {
        let id = self.next_notice;
        self.next_notice = self.next_notice.wrapping_add(1);
        self.notices.push(Notice { id, name, message });
    }

    fn file_read(&mut self, name: String, text: &str) {
        let parsed = LoadedReport::parse(&name, text).map(Rc::new);
        self.file_loaded(name, parsed);
    }

    fn file_loaded(&mut self, name: String, parsed: Result<Rc<LoadedReport>, String>) {
        let slot = self
            .sources
            .iter()
            .position(|s| matches!(&s.origin, SourceRef::File(f) if *f == name) && s.state == SourceState::Missing);
        match (parsed, slot) {
            (Ok(r), Some(i)) => self.sources[i].state = SourceState::Ready(r),
            (Ok(r), None) if self.sources.len() < MAX_SOURCES => {
                self.sources.push(Source {
                    origin: SourceRef::File(name),
                    state: SourceState::Ready(r),
                });
                // A freshly opened file is what the reader wants to see, unless they are comparing.
                if self.view.mode.is_single_report() || self.active().is_none() {
                    self.view.active = self.sources.len() - 1;
                }
            }
            (Ok(_), None) => {
                self.notice(
                    name,
                    format!("At most {MAX_SOURCES} reports can be open at once; close one first."),
                );
            }
            (Err(e), _) => self.notice(name, e),
        }
    }

    fn remove_source(&mut self, index: usize) {
        if index >= self.sources.len() {
            return;
        }
        self.sources.remove(index);
        let shift = |i: usize| {
            if i > index {
                Some(i - 1)
            } else if i == index {
                None
            } else {
                Some(i)
            }
        };
        self.view.active = shift(self.view.active).unwrap_or(0);
        self.view.base = self.view.base.and_then(shift);
        self.view.head = self.view.head.and_then(shift);
    }

    fn move_selection(&mut self, delta: i32) {
        let order = self.navigation_order();
        if order.is_empty() {
            return;
        }
        let current = self
            .view
            .check
            .as_ref()
            .and_then(|c| order.iter().position(|id| id == c));
        let last = order.len() - 1;
        let next = match current {
            None if delta >= 0 => 0,
            None => last,
            Some(i) => {
                let step = usize::try_from(delta.unsigned_abs()).unwrap_or(usize::MAX);
                if delta >= 0 {
                    i.saturating_add(step).min(last)
                } else {
                    i.saturating_sub(step)
                }
            }
        };
        self.view.check = Some(order[next].clone());
    }
}

/// How the report view lists its checks: the benchmark's sections, or by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TreeOrder {
    #[default]
    Benchmark,
    Severity,
}

impl TreeOrder {
    /// The link's `order=` value (the default, benchmark, is never written).
    pub fn as_str(self) -> &'static str {
        match self {
            TreeOrder::Benchmark => "benchmark",
            TreeOrder::Severity => "severity",
        }
    }

    pub fn parse(s: &str) -> Option<TreeOrder> {
        [TreeOrder::Benchmark, TreeOrder::Severity]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// Checks by severity (critical first, unknown ids last); within one severity the ones that need a
/// fix first, most offenders first, then benchmark order.
pub fn by_severity<'a>(checks: &[&'a CheckResult]) -> Vec<&'a CheckResult> {
    use super::fix_first::{needs_fix, severity_order};
    // Offenders counted once per check, not once per comparison (each count walks the findings).
    let mut keyed: Vec<(usize, &'a CheckResult)> = checks.iter().map(|c| (c.offender_count(), *c)).collect();
    keyed.sort_by(|(an, a), (bn, b)| {
        severity_order(severity::of(&a.id), severity::of(&b.id))
            .then(needs_fix(b.status).cmp(&needs_fix(a.status)))
            .then(bn.cmp(an))
            .then_with(|| crate::catalog::compare_ids(&a.id, &b.id))
    });
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// Which sources may be compared: loaded ones, with a label.
pub fn choices(state: &ViewerState) -> Vec<(usize, String)> {
    state.ready().map(|(i, r)| (i, r.label())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest;
    use crate::report::{Finding, Target, TargetKind};
    use crate::test_support::report_with;

    fn sealed(host: &str, at: &str, results: Vec<(&str, Status, Vec<Finding>)>) -> String {
        let mut r = report_with(results);
        r.host.hostname = Some(host.into());
        r.run.started_at = at.into();
        r.run.id = format!("run-{at}");
        digest::seal(&r).unwrap().0
    }

    fn c(name: &str) -> Finding {
        Finding {
            target: Target::new(TargetKind::Container, format!("id-{name}"), name),
            message: format!("{name} runs privileged"),
            observed: String::new(),
            expected: String::new(),
            remediation: String::new(),
        }
    }

    fn monday() -> String {
        sealed(
            "node-1",
            "2026-01-05T10:00:00Z",
            vec![
                ("1.1.1", Status::Pass, vec![]),
                ("5.4", Status::Pass, vec![]),
                ("5.5", Status::Fail, vec![c("web")]),
                ("5.10", Status::Warn, vec![c("db")]),
            ],
        )
    }

    fn tuesday() -> String {
        sealed(
            "node-1",
            "2026-01-06T10:00:00Z",
            vec![
                ("1.1.1", Status::Pass, vec![]),
                ("5.4", Status::Fail, vec![c("api")]),
                ("5.5", Status::Pass, vec![]),
                ("5.10", Status::Warn, vec![c("db")]),
            ],
        )
    }

    fn with_files(files: &[(&str, String)]) -> ViewerState {
        files.iter().fold(ViewerState::default(), |s, (name, text)| {
            s.reduce(Action::FileRead {
                name: (*name).into(),
                text: text.clone(),
            })
        })
    }

    #[test]
    fn bad_files_leave_loaded_reports_alone() {
        let s = with_files(&[("mon.json", monday())]);
        assert!(s.active().is_some());
        let s = s.reduce(Action::FileRead {
            name: "junk.txt".into(),
            text: "hello".into(),
        });
        let half = &monday()[..200];
        let s = s.reduce(Action::FileRead {
            name: "half.json".into(),
            text: half.into(),
        });
        assert_eq!(s.sources.len(), 1);
        assert_eq!(s.active().map(|r| r.name.as_str()), Some("mon.json"));
        assert_eq!(s.notices.len(), 2);
        assert!(s.notices[0].message.contains("not JSON"), "{}", s.notices[0].message);
        assert!(s.notices[1].message.contains("truncated"), "{}", s.notices[1].message);
        let id = s.notices[0].id;
        let s = s.reduce(Action::DismissNotice(id));
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn digest_is_verified_on_load() {
        let s = with_files(&[
            ("mon.json", monday()),
            ("edited.json", monday().replace("node-1", "node-2")),
        ]);
        assert!(s.sources[0].ready().unwrap().digest.is_valid());
        assert!(matches!(
            s.sources[1].ready().unwrap().digest,
            DigestCheck::Mismatch { .. }
        ));
    }

    #[test]
    fn links_restore_sources_and_view() {
        let s = with_files(&[("mon.json", monday())])
            .reduce(Action::ToggleStatus(Status::Fail))
            .reduce(Action::SetText("web".into()))
            .reduce(Action::Select("5.5".into()));
        let q = s.query();
        assert_eq!(q, "file=mon.json&check=5.5&status=fail&q=web");
        let restored = ViewerState::from_query(&q);
        assert_eq!(restored.sources[0].state, SourceState::Missing);
        assert!(restored.pending_fetches().is_empty());
        let restored = restored.reduce(Action::FileRead {
            name: "mon.json".into(),
            text: monday(),
        });
        assert_eq!(restored.sources.len(), 1);
        assert_eq!(restored.view, s.view);
        assert_eq!(
            restored.visible().iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["5.5"]
        );
    }

    #[test]
    fn url_sources_fill_their_slots_in_order() {
        let s = ViewerState::from_query("report=a.json&report=b.json&report=c.json&r=1");
        assert_eq!(
            s.pending_fetches(),
            [(0, "a.json".into()), (1, "b.json".into()), (2, "c.json".into())]
        );
        let s = s
            .reduce(Action::Fetched {
                index: 1,
                text: tuesday(),
            })
            .reduce(Action::FetchFailed {
                index: 2,
                reason: "HTTP 404".into(),
            })
            .reduce(Action::Fetched {
                index: 0,
                text: "{\"a\":".into(),
            });
        assert_eq!(s.view.active, 1);
        assert_eq!(
            s.active().map(|r| r.report.run.started_at.as_str()),
            Some("2026-01-06T10:00:00Z")
        );
        assert!(matches!(&s.sources[0].state, SourceState::Failed(m) if m.contains("truncated")));
        assert_eq!(s.sources[2].state, SourceState::Failed("HTTP 404".into()));
        assert_eq!(s.query(), "report=a.json&report=b.json&report=c.json&r=1");
    }

    #[test]
    fn diff_pair_defaults_to_the_two_latest_runs() {
        let s = with_files(&[("tue.json", tuesday()), ("mon.json", monday())]);
        assert_eq!(s.pair(), Some((1, 0)));
        let s = s.reduce(Action::SwapPair);
        assert_eq!(s.pair(), Some((0, 1)));
        let s = s.reduce(Action::SetBase(1));
        assert_eq!(s.pair(), Some((1, 0)));
        assert_eq!(with_files(&[("mon.json", monday())]).pair(), None);
    }

    #[test]
    fn keyboard_moves_through_visible_checks() {
        let s = with_files(&[("mon.json", monday())]);
        let s = s.reduce(Action::Move(1));
        assert_eq!(s.view.check.as_deref(), Some("1.1.1"));
        let s = s
            .reduce(Action::Move(1))
            .reduce(Action::Move(1))
            .reduce(Action::Move(1))
            .reduce(Action::Move(5));
        assert_eq!(s.view.check.as_deref(), Some("5.10"));
        let s = s.reduce(Action::Move(-1));
        assert_eq!(s.view.check.as_deref(), Some("5.5"));
        // Collapsed groups are skipped.
        let s = s
            .reduce(Action::ToggleGroup("5".into()))
            .reduce(Action::Move(-1))
            .reduce(Action::Move(1));
        assert_eq!(s.view.check.as_deref(), Some("1.1.1"));
        let s = s.reduce(Action::Close);
        assert!(!s.view.detail_open);
        let s = s.reduce(Action::Open);
        assert!(s.view.detail_open);
    }

    #[test]
    fn target_mode_navigates_that_targets_checks() {
        let s = with_files(&[("tue.json", tuesday())])
            .reduce(Action::SetMode(Mode::Targets))
            .reduce(Action::SetTarget(Some("db".into())));
        assert_eq!(s.navigation_order(), ["5.10"]);
        let s = s.reduce(Action::SetTarget(Some(String::new())));
        assert_eq!(s.view.filters.target, None);
    }

    #[test]
    fn removing_a_source_keeps_indexes_pointing_at_the_same_reports() {
        let s = with_files(&[("a.json", monday()), ("b.json", tuesday()), ("c.json", monday())])
            .reduce(Action::SetBase(0))
            .reduce(Action::SetHead(2))
            .reduce(Action::SetActive(1))
            .reduce(Action::RemoveSource(0));
        assert_eq!(s.sources.len(), 2);
        assert_eq!(s.view.active, 0);
        assert_eq!(s.view.base, None);
        assert_eq!(s.view.head, Some(1));
    }

    #[test]
    fn too_many_files_are_refused_politely() {
        let mut s = ViewerState::default();
        for i in 0..=MAX_SOURCES {
            s = s.reduce(Action::FileRead {
                name: format!("{i}.json"),
                text: monday(),
            });
        }
        assert_eq!(s.sources.len(), MAX_SOURCES);
        assert_eq!(s.notices.len(), 1);
        assert_eq!(choices(&s).len(), MAX_SOURCES);
    }

    #[test]
    fn severity_order_lists_escapes_first_and_round_trips_in_the_link() {
        let s = with_files(&[("tue.json", tuesday())]).reduce(Action::SetOrder(TreeOrder::Severity));
        // Critical (the warning 5.10 before the passing 5.5), then high, then low.
        assert_eq!(s.navigation_order(), ["5.10", "5.5", "5.4", "1.1.1"]);
        let q = s.query();
        assert_eq!(q, "file=tue.json&order=severity");
        assert_eq!(ViewerState::from_query(&q).view.order, TreeOrder::Severity);
        let back = s.reduce(Action::SetOrder(TreeOrder::Benchmark));
        assert_eq!(back.query(), "file=tue.json");
        assert_eq!(back.navigation_order()[0], "1.1.1");
        assert_eq!(url::decode("order=nonsense").order, TreeOrder::Benchmark);
    }

    #[test]
    fn a_report_with_two_results_for_one_check_is_refused() {
        let r = report_with(vec![("5.4", Status::Fail, vec![]), ("5.4", Status::Pass, vec![])]);
        let err = LoadedReport::parse("dup.json", &digest::seal(&r).unwrap().0).unwrap_err();
        assert!(err.contains("more than one result for check(s) 5.4"), "{err}");
    }
}
