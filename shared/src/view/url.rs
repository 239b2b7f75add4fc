//! The whole view state as a query string, so a copied link reproduces what the reader sees.
//!
//! ```text
//! ?report=reports/mon.json&report=reports/tue.json   reports fetched from the page's origin, in order
//! &file=host-a.json                                  a report that was opened from disk (must be re-opened)
//! &view=report|targets|diff|trend|signoff|evidence   mode (report is the default)
//! &r=1  &a=0&b=1                                     shown report; diff base and head (source indexes)
//! &check=5.10&closed=1                               selected check; detail panel closed
//! &status=fail,warn&section=5&level=1&eval=automatic&target=web&q=privileged
//! &changed=1&fold=1,3&host=node-1                    diff "changed only"; collapsed groups; trend host
//! &signoff=reports/signoff.json                      a sign-off to fetch and import (same origin)
//! &order=severity                                    report view's checks by severity
//! ```
//!
//! Decoding is lenient: unknown keys and malformed values are ignored, because a link may have been
//! edited by hand or written by a newer viewer. Values are percent-encoded (UTF-8, RFC 3986
//! unreserved characters plus `/ : ,` kept as they are); `+` decodes as a space.

use std::collections::BTreeSet;

use crate::report::Status;

use super::filter::{evaluation_str, parse_evaluation, Filters};

/// Most report sources a link may name; more would be a denial of service on the reader.
pub const MAX_SOURCES: usize = 32;
/// Longest value kept from a link (longer free text or ids are cut).
pub const MAX_VALUE_LEN: usize = 2048;

/// Where a report came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// Fetched from a URL relative to the page (`?report=`).
    Url(String),
    /// Opened from disk or dropped; only its name can be carried in a link.
    File(String),
}

impl SourceRef {
    /// The URL or file name.
    pub fn name(&self) -> &str {
        match self {
            SourceRef::Url(s) | SourceRef::File(s) => s,
        }
    }
}

/// The viewer's top-level modes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// One report: summary, tree, detail.
    #[default]
    Report,
    /// One report, organised by container or image.
    Targets,
    /// Two reports compared.
    Diff,
    /// Several runs of one host over time.
    Trend,
    /// Decisions, open items, summary and signature for one report.
    Signoff,
    /// The printable evidence of one report's sign-off.
    Evidence,
}

impl Mode {
    pub const ALL: [Mode; 6] = [
        Mode::Report,
        Mode::Targets,
        Mode::Diff,
        Mode::Trend,
        Mode::Signoff,
        Mode::Evidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Report => "report",
            Mode::Targets => "targets",
            Mode::Diff => "diff",
            Mode::Trend => "trend",
            Mode::Signoff => "signoff",
            Mode::Evidence => "evidence",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Label for the mode tabs.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Report => "Report",
            Mode::Targets => "By target",
            Mode::Diff => "Compare",
            Mode::Trend => "Trend",
            Mode::Signoff => "Sign-off",
            Mode::Evidence => "Evidence",
        }
    }

    /// Whether the mode shows one report (the active one) rather than several.
    pub fn is_single_report(self) -> bool {
        !matches!(self, Mode::Diff | Mode::Trend)
    }
}

/// Everything a link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSpec {
    pub sources: Vec<SourceRef>,
    pub mode: Mode,
    /// Index into `sources` of the report shown in the report and target views.
    pub active: usize,
    /// Diff base (older run), index into `sources`.
    pub base: Option<usize>,
    /// Diff head (newer run), index into `sources`.
    pub head: Option<usize>,
    /// Selected check id.
    pub check: Option<String>,
    /// Whether the selected check's detail is open.
    pub detail_open: bool,
    pub filters: Filters,
    /// Diff and timeline: hide rows that did not change.
    pub changed_only: bool,
    /// Collapsed section and subsection ids.
    pub collapsed: BTreeSet<String>,
    /// Host shown in the trend view.
    pub host: Option<String>,
    /// A sign-off to fetch from the page's origin and import into the active report.
    pub signoff: Option<String>,
    /// How the report view lists checks (`order=severity`).
    pub order: super::state::TreeOrder,
}

impl Default for ViewSpec {
    fn default() -> Self {
        ViewSpec {
            sources: Vec::new(),
            mode: Mode::Report,
            active: 0,
            base: None,
            head: None,
            check: None,
            detail_open: true,
            filters: Filters::default(),
            changed_only: false,
            collapsed: BTreeSet::new(),
            host: None,
            signoff: None,
            order: super::state::TreeOrder::Benchmark,
        }
    }
}

/// Writes the view as a query string (without the leading `?`); defaults are left out.
pub fn encode(spec: &ViewSpec) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for s in &spec.sources {
        match s {
            SourceRef::Url(u) => pairs.push(("report", u.clone())),
            SourceRef::File(f) => pairs.push(("file", f.clone())),
        }
    }
    if spec.mode != Mode::Report {
        pairs.push(("view", spec.mode.as_str().into()));
    }
    if spec.active != 0 {
        pairs.push(("r", spec.active.to_string()));
    }
    if let Some(a) = spec.base {
        pairs.push(("a", a.to_string()));
    }
    if let Some(b) = spec.head {
        pairs.push(("b", b.to_string()));
    }
    if let Some(c) = &spec.check {
        pairs.push(("check", c.clone()));
        if !spec.detail_open {
            pairs.push(("closed", "1".into()));
        }
    }
    let f = &spec.filters;
    if !f.statuses.is_empty() {
        pairs.push((
            "status",
            f.statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","),
        ));
    }
    if let Some(s) = &f.section {
        pairs.push(("section", s.clone()));
    }
    if let Some(l) = f.level {
        pairs.push(("level", l.to_string()));
    }
    if let Some(e) = f.evaluation {
        pairs.push(("eval", evaluation_str(e).into()));
    }
    if let Some(t) = &f.target {
        pairs.push(("target", t.clone()));
    }
    if !f.text.is_empty() {
        pairs.push(("q", f.text.clone()));
    }
    if spec.changed_only {
        pairs.push(("changed", "1".into()));
    }
    if !spec.collapsed.is_empty() {
        pairs.push(("fold", spec.collapsed.iter().cloned().collect::<Vec<_>>().join(",")));
    }
    if let Some(h) = &spec.host {
        pairs.push(("host", h.clone()));
    }
    if let Some(s) = &spec.signoff {
        pairs.push(("signoff", s.clone()));
    }
    if spec.order != super::state::TreeOrder::Benchmark {
        pairs.push(("order", spec.order.as_str().into()));
    }
    join_pairs(pairs)
}

/// Joins `key=value` pairs into a query string (without `?`), each value percent-encoded; keys are
/// the caller's own constants.
pub fn join_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The pairs of a query string (with or without the leading `?`), keys and values percent-decoded,
/// each value cut to [`MAX_VALUE_LEN`] bytes (on a character boundary); a pair without `=` has an
/// empty value.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    let query = query.strip_prefix('?').unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let mut value = percent_decode(raw);
        if value.len() > MAX_VALUE_LEN {
            let mut cut = MAX_VALUE_LEN;
            while !value.is_char_boundary(cut) {
                cut -= 1;
            }
            value.truncate(cut);
        }
        (percent_decode(key), value)
    })
}

/// Reads a query string (with or without the leading `?`); anything unreadable is ignored.
pub fn decode(query: &str) -> ViewSpec {
    let mut spec = ViewSpec::default();
    for (key, value) in query_pairs(query) {
        let index = |v: &str| v.parse::<usize>().ok().filter(|i| *i < MAX_SOURCES);
        let nonempty = |v: String| (!v.trim().is_empty()).then_some(v);
        match key.as_str() {
            "report" if spec.sources.len() < MAX_SOURCES && !value.is_empty() => {
                spec.sources.push(SourceRef::Url(value));
            }
            "file" if spec.sources.len() < MAX_SOURCES && !value.is_empty() => {
                spec.sources.push(SourceRef::File(value));
            }
            "view" => spec.mode = Mode::parse(&value).unwrap_or_default(),
            "r" => spec.active = index(&value).unwrap_or(0),
            "a" => spec.base = index(&value),
            "b" => spec.head = index(&value),
            "check" => spec.check = nonempty(value),
            "closed" => spec.detail_open = value != "1",
            "status" => spec.filters.statuses = value.split(',').filter_map(Status::parse).collect(),
            "section" => spec.filters.section = nonempty(value).filter(|s| is_section_id(s)),
            "level" => spec.filters.level = value.parse().ok().filter(|l| (1..=2).contains(l)),
            "eval" => spec.filters.evaluation = parse_evaluation(&value),
            "target" => spec.filters.target = nonempty(value),
            "q" => spec.filters.text = value,
            "changed" => spec.changed_only = value == "1",
            "fold" => {
                spec.collapsed = value
                    .split(',')
                    .filter(|s| is_section_id(s))
                    .map(str::to_string)
                    .collect();
            }
            "host" => spec.host = nonempty(value),
            "signoff" => spec.signoff = nonempty(value),
            "order" => spec.order = super::state::TreeOrder::parse(&value).unwrap_or_default(),
            _ => {}
        }
    }
    spec
}

/// "5", "1.1": digits separated by single dots.
pub(crate) fn is_section_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn keep_as_is(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':' | b',')
}

/// Percent-encodes every byte of the UTF-8 text except unreserved characters and `/ : ,`.
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if keep_as_is(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as a space); malformed escapes stay literal and invalid UTF-8
/// becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Evaluation;

    fn full() -> ViewSpec {
        ViewSpec {
            sources: vec![
                SourceRef::Url("reports/mon day.json".into()),
                SourceRef::File("tue&wed=#1%.json".into()),
                SourceRef::Url("https://example.invalid/r?x=1&y=2".into()),
            ],
            mode: Mode::Diff,
            active: 1,
            base: Some(0),
            head: Some(2),
            check: Some("5.10".into()),
            detail_open: false,
            filters: Filters {
                statuses: [Status::Fail, Status::NotApplicable].into(),
                section: Some("1.1".into()),
                level: Some(2),
                evaluation: Some(Evaluation::Review),
                target: Some("web+api & <b>".into()),
                text: "  \"><script>alert(1)</script> ünïcødé 100% + ".into(),
            },
            changed_only: true,
            collapsed: ["1".to_string(), "1.2".to_string()].into(),
            host: Some("node 1".into()),
            signoff: Some("reports/sign off.json".into()),
            order: crate::view::state::TreeOrder::Severity,
        }
    }

    #[test]
    fn every_field_round_trips() {
        let spec = full();
        let q = encode(&spec);
        assert_eq!(decode(&q), spec);
        assert_eq!(decode(&format!("?{q}")), spec);
        // Nothing that would break the query's structure survives unescaped.
        for bad in ['#', ' ', '<', '>', '"', '+'] {
            assert!(!q.contains(bad), "{bad:?} in {q}");
        }
        assert_eq!(q.matches('&').count() + 1, q.split('&').count());
    }

    #[test]
    fn defaults_encode_to_nothing() {
        assert_eq!(encode(&ViewSpec::default()), "");
        assert_eq!(decode(""), ViewSpec::default());
    }

    #[test]
    fn sources_keep_their_order() {
        let spec = decode("file=b.json&report=a.json&report=c.json");
        assert_eq!(
            spec.sources,
            [
                SourceRef::File("b.json".into()),
                SourceRef::Url("a.json".into()),
                SourceRef::Url("c.json".into())
            ]
        );
    }

    #[test]
    fn browser_style_encoding_is_understood() {
        // URLSearchParams writes spaces as '+' and escapes '/'.
        let spec = decode("report=reports%2Fa.json&q=no+memory+limit&status=fail%2Cwarn");
        assert_eq!(spec.sources, [SourceRef::Url("reports/a.json".into())]);
        assert_eq!(spec.filters.text, "no memory limit");
        assert_eq!(spec.filters.statuses, [Status::Fail, Status::Warn].into());
    }

    #[test]
    fn junk_is_ignored() {
        let spec = decode("view=nope&r=x&a=99999&level=7&status=bogus,fail&section=5;drop&fold=1,,x&eval=?&zzz=1&&=&%");
        assert_eq!(spec.mode, Mode::Report);
        assert_eq!(spec.active, 0);
        assert_eq!(spec.base, None);
        assert_eq!(spec.filters.level, None);
        assert_eq!(spec.filters.statuses, [Status::Fail].into());
        assert_eq!(spec.filters.section, None);
        assert_eq!(spec.collapsed, ["1".to_string()].into());
        assert_eq!(spec.filters.evaluation, None);
    }

    #[test]
    fn limits_hold() {
        let many = (0..100)
            .map(|i| format!("report=r{i}.json"))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(decode(&many).sources.len(), MAX_SOURCES);
        let long = format!("q={}", "é".repeat(MAX_VALUE_LEN));
        let text = decode(&long).filters.text;
        assert!(text.len() <= MAX_VALUE_LEN && text.chars().all(|c| c == 'é'));
    }

    #[test]
    fn percent_coding_edge_cases() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz%41"), "%zzA");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
        assert_eq!(percent_encode("a b/c:d,e&f=g"), "a%20b/c:d,e%26f%3Dg");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }
}
