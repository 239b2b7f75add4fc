//! docker-bench-security JSON log (`docker-bench-security.log.json`) → [`Report`].
//!
//! The log is written by shell `printf`, so its shape drifts: `items` may be missing, empty or a
//! string, words carry odd spacing and case, descriptions may repeat the id ("1.1.12 - Ensure …"),
//! deprecated checks come without an id, ids repeat, numbers arrive as strings and unknown keys
//! appear. The importer tolerates all of that without losing a result:
//!
//! * WARN → fail, PASS → pass, INFO → info, NOTE → manual; any other word → error (never a pass).
//! * An id-less entry is matched to a catalogue check by the words of its description, else kept
//!   as `dbs-unidentified-N`; a repeated id keeps both results, the second as `ID#2`.
//! * Ids outside the catalogue (community checks such as `C.5.3.1`) are kept under section "other".
//! * Catalogue checks the log lacks are added as `skipped`, so every report has all 117 ids, and
//!   `errors` records what a docker-bench-security log cannot provide (host facts, per-target
//!   observed values, and run times when `start`/`end` are absent).
//!
//! Findings: one per `items` entry. docker-bench-security lists containers by name in section 5
//! (and in 4.1, which it evaluates on running containers), image tags or ids in the rest of
//! section 4, and paths for files; a result with details but no items gets one host or daemon
//! finding holding the details.
//!
//! Output is bounded by the log's size ([`crate::limits`]): at most [`DBS_MAX_RESULTS`] results,
//! and findings within [`dbs_findings_budget`]. Past the budget, findings stop repeating their
//! result's details and remediation, then stop being added; the import notes and the result's
//! summary say so.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::ImportOutcome;
use crate::catalog;
use crate::digest;
use crate::limits::{dbs_findings_budget, DBS_MAX_RESULTS};
use crate::load::LoadError;
use crate::report::{
    Benchmark, CheckResult, CollectionError, DerivedFrom, Finding, Host, Report, Run, Selection, Status, Target,
    TargetKind, Tool, SCHEMA_VERSION,
};
use crate::summary::Summary;

/// `source` of every [`CollectionError`] the importer writes, and the `derived_from` kind.
pub const SOURCE: &str = "docker-bench-security log";

/// Section given to results whose id is not in the catalogue.
pub const OTHER_SECTION: &str = "other";

/// Summary of catalogue checks the log has no result for.
pub const NOT_IN_LOG: &str = "Not present in the docker-bench-security log";

/// Minimum word overlap (Dice coefficient, per mille) for matching an id-less description to a
/// catalogue title. High enough that a merely related title ("insecure registries") does not win.
const MATCH_THRESHOLD: u32 = 600;

/// Converts a parsed docker-bench-security log into an unsealed report.
pub fn import_dbs(value: &Value) -> Result<ImportOutcome, LoadError> {
    let top = value
        .as_object()
        .ok_or_else(|| bad("the top level is not a JSON object"))?;
    let tests = match top.get("tests") {
        Some(Value::Array(tests)) => tests,
        Some(other) => {
            return Err(bad(format!(
                "`tests` should be a list of sections but is {}",
                kind_of(other)
            )))
        }
        None => {
            return Err(bad(
                "it has no `tests` list (docker-bench-security may have stopped before any check ran)",
            ))
        }
    };
    let mut notes = Vec::new();
    let version = top
        .get("dockerbenchsecurity")
        .and_then(text)
        .unwrap_or_else(|| "unknown".into());

    let entries = read_entries(tests, &mut notes);
    if entries.len() > DBS_MAX_RESULTS {
        return Err(bad(format!(
            "it has {} results, more than the {DBS_MAX_RESULTS} an import accepts (the benchmark has {} checks)",
            entries.len(),
            catalog::CHECK_COUNT
        )));
    }
    let mut budget = FindingsBudget::new(dbs_findings_budget(json_len(value)));
    let results = build_results(entries, &mut budget, &mut notes);
    budget.explain(&mut notes);
    let imported = results.len();

    let mut by_id: BTreeMap<&str, Vec<&CheckResult>> = BTreeMap::new();
    for r in &results {
        by_id.entry(base_id(&r.id)).or_default().push(r);
    }
    let mut ordered = Vec::with_capacity(catalog::CHECK_COUNT + 8);
    let mut absent = Vec::new();
    for meta in catalog::all() {
        match by_id.remove(meta.id) {
            Some(found) => ordered.extend(found.into_iter().cloned()),
            None => {
                absent.push(meta.id);
                ordered.push(CheckResult::for_id(meta.id, Status::Skipped, NOT_IN_LOG));
            }
        }
    }
    // Everything outside the catalogue, in log order.
    ordered.extend(
        results
            .iter()
            .filter(|r| catalog::get(base_id(&r.id)).is_none())
            .cloned(),
    );

    let start = read_time(top, "start", &mut notes);
    let end = read_time(top, "end", &mut notes);
    let duration_ms = match (start, end) {
        (Some(s), Some(e)) if e >= s => u64::try_from(e - s).unwrap_or(0).saturating_mul(1000),
        (Some(_), Some(_)) => {
            notes.push("The log's end time is before its start time; the run duration is left at 0.".into());
            0
        }
        _ => 0,
    };

    let mut errors = Vec::new();
    if !absent.is_empty() {
        errors.push(CollectionError {
            source: SOURCE.into(),
            reason: format!(
                "the log has no result for {} checks: {}",
                absent.len(),
                absent.join(", ")
            ),
            affects: absent.iter().map(|s| s.to_string()).collect(),
        });
    }
    errors.push(CollectionError {
        source: SOURCE.into(),
        reason: "the log records no host or Docker Engine facts (hostname, OS, kernel, engine version, storage \
                 driver), so those report fields are empty"
            .into(),
        affects: vec![],
    });
    errors.push(CollectionError {
        source: SOURCE.into(),
        reason: "the log gives no observed or expected value per target; findings carry only \
                 docker-bench-security's item names and details text"
            .into(),
        affects: vec![],
    });
    let missing_times: Vec<&str> = [("start", start), ("end", end)]
        .into_iter()
        .filter(|(_, t)| t.is_none())
        .map(|(k, _)| k)
        .collect();
    if !missing_times.is_empty() {
        errors.push(CollectionError {
            source: SOURCE.into(),
            reason: format!(
                "the log has no usable {} time, so when the run happened or how long it took is unknown",
                missing_times.join(" or ")
            ),
            affects: vec![],
        });
    }

    let mut details = BTreeMap::new();
    details.insert("dbs_version".to_string(), version.clone());
    for (key, field) in [("dbs_score", "score"), ("dbs_checks", "checks")] {
        if let Some(v) = top.get(field).and_then(text) {
            details.insert(key.to_string(), v);
        }
    }

    if !version.starts_with("1.6") {
        notes.insert(
            0,
            format!(
                "This log comes from docker-bench-security {version}; its ids were matched against CIS Docker \
                 Benchmark 1.6.0 and may not mean the same checks."
            ),
        );
    }
    notes.insert(
        0,
        format!(
            "Imported from a docker-bench-security {version} log: {imported} result(s); {} catalogue check(s) it \
             does not cover are marked skipped. WARN became fail, NOTE became manual.",
            absent.len()
        ),
    );

    let computed = digest::compute(value);
    let run_id = format!(
        "dbs-{}",
        computed
            .get(digest::PREFIX.len()..digest::PREFIX.len() + 16)
            .unwrap_or("")
    );
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "docker-bench-security".into(),
            version,
        },
        benchmark: Benchmark::default(),
        run: Run {
            id: run_id,
            started_at: start.and_then(rfc3339_utc).unwrap_or_default(),
            finished_at: end.and_then(rfc3339_utc).unwrap_or_default(),
            duration_ms,
            command_line: vec![],
            selection: Selection::default(),
        },
        host: Host::default(),
        summary: Summary::compute(&ordered),
        results: ordered,
        errors,
        hardening: None,
        target_labels: None,
        derived_from: Some(DerivedFrom {
            kind: SOURCE.into(),
            digest: None,
            details,
        }),
        signoff: None,
        ssh_signature: None,
        digest: None,
    };
    Ok(ImportOutcome { report, notes })
}

fn bad(detail: impl Into<String>) -> LoadError {
    LoadError::InvalidDockerBench { detail: detail.into() }
}

/// One result entry of the log, read leniently.
#[derive(Debug, Default)]
struct Entry {
    /// The id as written (trimmed); may be empty.
    id: String,
    /// The description without an embedded id or the stale "(Automated)"-style labels.
    desc: String,
    /// The result word as written, trimmed.
    result: String,
    details: String,
    /// Items in log order, without docker-bench-security's "(truncated)" marker.
    items: Vec<String>,
    /// Items exactly as tokens, to recognise them echoed at the end of `details`.
    raw_tokens: Vec<String>,
    truncated: bool,
    remediation: Option<String>,
    impact: Option<String>,
    /// Set when the id was taken from the description rather than the `id` field.
    id_from_desc: bool,
}

fn read_entries(tests: &[Value], notes: &mut Vec<String>) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (i, section) in tests.iter().enumerate() {
        let name = section
            .get("desc")
            .and_then(text)
            .unwrap_or_else(|| format!("number {}", i + 1));
        let results = match section.get("results") {
            Some(Value::Array(results)) => results,
            None | Some(Value::Null) => {
                notes.push(format!(
                    "The log's section \"{name}\" has no results list; it holds no checks."
                ));
                continue;
            }
            Some(other) => {
                notes.push(format!(
                    "The log's section \"{name}\" has {} where a results list belongs; it was ignored.",
                    kind_of(other)
                ));
                continue;
            }
        };
        for (j, raw) in results.iter().enumerate() {
            match raw.as_object() {
                Some(obj) => entries.push(read_entry(obj)),
                None => notes.push(format!(
                    "Entry {} of the log's section \"{name}\" is {}, not a check result; it was ignored.",
                    j + 1,
                    kind_of(raw)
                )),
            }
        }
    }
    entries
}

fn read_entry(obj: &Map<String, Value>) -> Entry {
    let field = |key: &str| obj.get(key).and_then(text);
    let mut id = field("id").unwrap_or_default();
    let mut desc = field("desc").unwrap_or_default();
    let mut id_from_desc = false;
    if let Some((embedded, rest)) = split_embedded_id(&desc) {
        if id.is_empty() || id == embedded {
            id_from_desc = id.is_empty();
            id = embedded;
            desc = rest;
        }
    }
    let raw_tokens = item_tokens(obj.get("items"));
    let truncated = raw_tokens.iter().any(|t| t == "(truncated)");
    let items = raw_tokens.iter().filter(|t| *t != "(truncated)").cloned().collect();
    Entry {
        id,
        desc: strip_labels(&desc),
        result: field("result").unwrap_or_default(),
        details: field("details").unwrap_or_default(),
        items,
        raw_tokens,
        truncated,
        remediation: field("remediation"),
        impact: field("remediation-impact"),
        id_from_desc,
    }
}

/// Resolves ids (description match, unidentified, duplicates) and converts each entry.
fn build_results(entries: Vec<Entry>, budget: &mut FindingsBudget, notes: &mut Vec<String>) -> Vec<CheckResult> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut unidentified = 0;
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let mut how = None;
        let base = if !entry.id.is_empty() {
            if entry.id_from_desc {
                notes.push(format!(
                    "An entry without an id names {} at the start of its description; it was filed under {}.",
                    entry.id, entry.id
                ));
            }
            entry.id.clone()
        } else if let Some(id) = match_title(&entry.desc) {
            notes.push(format!(
                "The id-less entry \"{}\" was matched to check {id} by its description.",
                entry.desc
            ));
            how = Some(format!(
                "docker-bench-security gave no id; this was matched to {id} by its description."
            ));
            id.to_string()
        } else {
            unidentified += 1;
            let id = format!("dbs-unidentified-{unidentified}");
            notes.push(format!(
                "The id-less entry \"{}\" matches no catalogue check; it is kept as {id} in section \"other\".",
                entry.desc
            ));
            id
        };
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let mut id = if *n == 1 { base.clone() } else { format!("{base}#{n}") };
        // The log may itself use an id this numbering produces ("5.12#2"); the later entry moves
        // on, so ids stay unique. `n` is kept, so each number is tried once: linear overall.
        while taken.contains(&id) {
            *n += 1;
            id = format!("{base}#{n}");
        }
        if id != base {
            notes.push(format!(
                "The log reports check {base} more than once; occurrence {n} is kept as {id}."
            ));
        }
        taken.insert(id.clone());
        out.push(convert(entry, &base, id, how.as_deref(), budget, notes));
    }
    out
}

fn convert(
    entry: Entry,
    base: &str,
    id: String,
    how: Option<&str>,
    budget: &mut FindingsBudget,
    notes: &mut Vec<String>,
) -> CheckResult {
    let status = map_result(&entry.result);
    let details = entry.details.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut summary = match (entry.desc.is_empty(), details.is_empty()) {
        (false, false) => format!("{} — {details}", entry.desc),
        (false, true) => entry.desc.clone(),
        (true, false) => details,
        (true, true) => format!("docker-bench-security reported {}", entry.result),
    };
    if status.is_none() {
        let word = if entry.result.is_empty() {
            "no result".to_string()
        } else {
            format!("\"{}\"", entry.result)
        };
        notes.push(format!(
            "Check {id} has {word} instead of PASS, WARN, INFO or NOTE; it is recorded as an error."
        ));
        summary = format!("docker-bench-security gave {word}, not PASS, WARN, INFO or NOTE, so no verdict: {summary}");
    }
    if let Some(how) = how {
        add_sentence(&mut summary, how);
    }
    if entry.truncated {
        add_sentence(
            &mut summary,
            "The log's item list was cut short (docker-bench-security's -n limit); more targets may be affected.",
        );
    }

    let mut result = CheckResult::for_id(base, status.unwrap_or(Status::Error), summary);
    result.id = id;
    if catalog::get(base).is_none() {
        result.section = OTHER_SECTION.into();
        result.title = if entry.desc.is_empty() {
            format!("docker-bench-security check {base}")
        } else {
            entry.desc.clone()
        };
    }
    result.remediation = match (&entry.remediation, &entry.impact) {
        (Some(r), Some(i)) => format!("{r} Impact: {i}"),
        (Some(r), None) => r.clone(),
        (None, Some(i)) if result.remediation.is_empty() => format!("Impact: {i}"),
        (None, Some(i)) => format!("{} Impact: {i}", result.remediation),
        (None, None) => result.remediation,
    };
    let (findings, omitted) = findings(&entry, base, budget);
    result.findings = findings;
    if omitted > 0 {
        add_sentence(
            &mut result.summary,
            &format!(
                "{omitted} more item(s) in the log are not listed as findings: the import's size limit was reached."
            ),
        );
    }
    result
}

/// Appends a sentence, ending the previous text with a full stop first when it has none.
fn add_sentence(text: &mut String, sentence: &str) {
    if !text.is_empty() {
        if !text.ends_with(['.', '!', '?']) {
            text.push('.');
        }
        text.push(' ');
    }
    text.push_str(sentence);
}

/// The result's findings, and how many items were left out because the budget ran out.
fn findings(entry: &Entry, base: &str, budget: &mut FindingsBudget) -> (Vec<Finding>, usize) {
    let message = details_message(&entry.details, &entry.raw_tokens);
    let remediation = entry.remediation.as_deref().unwrap_or_default();
    if entry.items.is_empty() {
        if entry.details.is_empty() {
            return (vec![], 0);
        }
        let target = match section_of(base) {
            "2" => Target::new(TargetKind::Daemon, "daemon", "Docker daemon"),
            _ => Target::new(TargetKind::Host, "host", "audited host"),
        };
        // One finding per entry: linear in the entry's own text, so never held back.
        budget.spend(FINDING_OVERHEAD + 2 * entry.details.len() + remediation.len());
        return (
            vec![Finding {
                target,
                message: entry.details.clone(),
                observed: entry.details.clone(),
                expected: String::new(),
                remediation: remediation.to_string(),
            }],
            0,
        );
    }
    let mut out = Vec::new();
    for (i, item) in entry.items.iter().enumerate() {
        let (message, remediation) = match budget.take(item, message, remediation) {
            Some(texts) => texts,
            None => {
                let omitted = entry.items.len() - i;
                budget.omitted += omitted;
                return (out, omitted);
            }
        };
        out.push(Finding {
            target: guess_target(base, item),
            message: message.to_string(),
            observed: item.clone(),
            expected: String::new(),
            remediation: remediation.to_string(),
        });
    }
    (out, 0)
}

/// What one finding costs beyond its texts: its field names and target, as the report stores them.
const FINDING_OVERHEAD: usize = 128;

/// A finding's message once the budget no longer allows repeating the result's details.
pub const MESSAGE_NOT_REPEATED: &str = "See the result's summary (not repeated per finding: import size limit).";

/// A finding's remediation once the budget no longer allows repeating the result's.
pub const REMEDIATION_NOT_REPEATED: &str =
    "See the result's remediation (not repeated per finding: import size limit).";

/// Bytes of findings the import may still produce ([`dbs_findings_budget`]), and what was held back.
#[derive(Debug)]
struct FindingsBudget {
    left: usize,
    /// Half the budget is kept for findings that do not repeat the texts, so that a few findings
    /// with long texts cannot leave the rest of the items without any.
    reserve: usize,
    /// Findings that point at their result's texts instead of repeating them.
    shortened: usize,
    /// Items with no finding at all.
    omitted: usize,
}

impl FindingsBudget {
    fn new(bytes: usize) -> Self {
        FindingsBudget {
            left: bytes,
            reserve: bytes / 2,
            shortened: 0,
            omitted: 0,
        }
    }

    fn spend(&mut self, bytes: usize) {
        self.left = self.left.saturating_sub(bytes);
    }

    /// The message and remediation a finding for `item` may carry: the full texts while they fit,
    /// then short pointers to the result (in the reserved half); `None` once not even those fit.
    fn take<'a>(&mut self, item: &str, message: &'a str, remediation: &'a str) -> Option<(&'a str, &'a str)> {
        // The item is stored as the observed value and, at most twice, in the target.
        let base = FINDING_OVERHEAD + 3 * item.len();
        let full = base + message.len() + remediation.len();
        if full <= self.left.saturating_sub(self.reserve) {
            self.left -= full;
            return Some((message, remediation));
        }
        let short = |text: &'a str, pointer: &'static str| if text.len() <= pointer.len() { text } else { pointer };
        let (message, remediation) = (
            short(message, MESSAGE_NOT_REPEATED),
            short(remediation, REMEDIATION_NOT_REPEATED),
        );
        let cost = base + message.len() + remediation.len();
        if cost <= self.left {
            self.left -= cost;
            self.shortened += 1;
            return Some((message, remediation));
        }
        None
    }

    /// Import notes saying what the budget held back, if anything.
    fn explain(&self, notes: &mut Vec<String>) {
        if self.shortened > 0 {
            notes.push(format!(
                "The log's item lists are too large to repeat each result's details and remediation in every \
                 finding; {} finding(s) point at their result's summary and remediation instead.",
                self.shortened
            ));
        }
        if self.omitted > 0 {
            notes.push(format!(
                "The log lists more items than an import holds; {} item(s) are not listed as findings (their \
                 results say how many).",
                self.omitted
            ));
        }
    }
}

/// Length of `value` written as compact JSON, without building the text: the log's size, near
/// enough, for [`dbs_findings_budget`].
fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a sink that never fails cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// PASS/WARN/INFO/NOTE in any case and spacing, also "[WARN]" as printed on the terminal.
fn map_result(word: &str) -> Option<Status> {
    let word = word
        .trim()
        .trim_matches(|c| c == '[' || c == ']')
        .trim()
        .to_ascii_uppercase();
    match word.as_str() {
        "PASS" => Some(Status::Pass),
        "WARN" => Some(Status::Fail),
        "INFO" => Some(Status::Info),
        "NOTE" => Some(Status::Manual),
        _ => None,
    }
}

/// The id a result was filed under, without a duplicate suffix ("5.12#2" → "5.12").
fn base_id(id: &str) -> &str {
    id.split_once('#').map_or(id, |(base, _)| base)
}

/// Top-level section of a CIS id; community ids ("C.5.3.1") mirror the CIS numbering after "C.".
fn section_of(id: &str) -> &str {
    let id = id.strip_prefix("C.").or_else(|| id.strip_prefix("c.")).unwrap_or(id);
    id.split('.').next().unwrap_or(id)
}

fn guess_target(base: &str, item: &str) -> Target {
    // RepoTags print as "[nginx:1.25]"; the brackets are not part of the name.
    let clean = item.trim_matches(|c| c == '[' || c == ']');
    let clean = if clean.is_empty() { item } else { clean };
    let community = base.starts_with("C.") || base.starts_with("c.");
    let kind = if clean.starts_with('/') {
        TargetKind::File
    } else {
        match section_of(base) {
            "5" => TargetKind::Container,
            "4" if base == "4.1" || community => TargetKind::Container,
            "4" => TargetKind::Image,
            "2" => TargetKind::Daemon,
            "7" => TargetKind::Swarm,
            _ => TargetKind::Host,
        }
    };
    match kind {
        TargetKind::Container | TargetKind::Image if looks_like_hex_id(clean) => Target::new(kind, clean, ""),
        TargetKind::Container | TargetKind::Image => Target::new(kind, "", clean),
        _ => Target::new(kind, clean, clean),
    }
}

fn looks_like_hex_id(s: &str) -> bool {
    let s = s.strip_prefix("sha256:").unwrap_or(s);
    (12..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// docker-bench-security writes details as "TEXT: item1 item2"; the finding message drops the
/// echoed list because each finding already names its item.
///
/// The message is the text before the first `:` whose remainder splits into exactly the item
/// tokens. Trying every `:` in turn would cost quadratic time on a details text made of colons, so
/// only the (at most two) places where such a `:` can stand are tried: as the last character of
/// the word just before the final `tokens.len()` words, or inside the word where the first token
/// begins right after it.
fn details_message<'a>(details: &'a str, tokens: &[String]) -> &'a str {
    let Some(first) = tokens.first() else {
        return details;
    };
    let words = word_spans(details);
    let (m, k) = (words.len(), tokens.len());
    let rest_is = |from: usize, want: &[String]| {
        words[from..]
            .iter()
            .map(|&(start, end)| &details[start..end])
            .eq(want.iter().map(String::as_str))
    };
    let mut colons = [None, None];
    // "TEXT: item1 item2": the colon ends a word and the remaining words are the items.
    if let Some(&(start, end)) = m.checked_sub(k + 1).map(|i| &words[i]) {
        if details[start..end].ends_with(':') && rest_is(m - k, tokens) {
            colons[0] = Some(end - 1);
        }
    }
    // "TEXT:item1 item2": the first item is glued to the colon.
    if let Some(&(start, end)) = m.checked_sub(k).map(|i| &words[i]) {
        let word = &details[start..end];
        if !first.is_empty() && word.len() > first.len() && word.ends_with(first.as_str()) {
            let colon = end - first.len() - 1;
            if details.as_bytes()[colon] == b':' && rest_is(m - k + 1, &tokens[1..]) {
                colons[1] = Some(colon);
            }
        }
    }
    colons
        .into_iter()
        .flatten()
        .map(|pos| details[..pos].trim())
        .find(|head| !head.is_empty())
        .unwrap_or(details)
}

/// Byte ranges of the whitespace-separated words of `s`, as `str::split_whitespace` finds them.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(from)) => {
                spans.push((from, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(from) = start {
        spans.push((from, s.len()));
    }
    spans
}

/// Items as tokens: a list of strings, or one whitespace-separated string (how the shell built it).
fn item_tokens(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(text).collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(other) => text(other).into_iter().collect(),
        None => vec![],
    }
}

/// A scalar as trimmed text; `None` for null and empty strings.
fn text(value: &Value) -> Option<String> {
    let s = match value {
        Value::Null => return None,
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items.iter().filter_map(text).collect::<Vec<_>>().join(" "),
        Value::Object(_) => value.to_string(),
    };
    (!s.is_empty()).then_some(s)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// "1.1.12 - Ensure …" or "1.1.12  Ensure …" → ("1.1.12", "Ensure …").
fn split_embedded_id(desc: &str) -> Option<(String, String)> {
    let trimmed = desc.trim_start();
    let end = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .unwrap_or(trimmed.len());
    let token = trimmed[..end].trim_end_matches('.');
    if !is_dotted_id(token) {
        return None;
    }
    let after = &trimmed[end..];
    let rest = after.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':'));
    (!rest.is_empty() && rest.len() < after.len()).then(|| (token.to_string(), rest.to_string()))
}

/// "5.4", "1.1.12", "C.5.3.1", "C.1"; a bare number is not an id.
fn is_dotted_id(token: &str) -> bool {
    let (body, community) = match token.strip_prefix("C.") {
        Some(rest) => (rest, true),
        None => (token, false),
    };
    let parts: Vec<&str> = body.split('.').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (community || parts.len() >= 2)
}

const LABELS: [&str; 4] = ["(automated)", "(manual)", "(scored)", "(not scored)"];

/// Drops docker-bench-security's "(Automated)"/"(Scored)" labels, which are stale CIS 1.3 text.
///
/// Each label in turn is removed wherever it appears, ignoring ASCII case, including where a
/// removal joins the text around it into a new one ("(man(manual)ual)"). One pass per label with
/// the output as a stack does that in linear time: after each character, a label that now ends
/// the output is popped. Labels are ASCII and cannot overlap themselves, so the result is the
/// same as removing the leftmost occurrence until none is left.
fn strip_labels(desc: &str) -> String {
    let mut text = desc.to_string();
    for label in LABELS {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            out.push(c);
            let cut = out.len().saturating_sub(label.len());
            if out.len() >= label.len() && out.as_bytes()[cut..].eq_ignore_ascii_case(label.as_bytes()) {
                out.truncate(cut);
            }
        }
        text = out;
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "be", "been", "ensure", "for", "has", "have", "if", "in", "is", "of", "on", "or", "that",
    "the", "to",
];

/// Lower-case content words, without labels, "(Deprecated)" and punctuation.
fn words(s: &str) -> BTreeSet<String> {
    let mut lower = s.to_lowercase();
    for label in LABELS.iter().chain(&["(deprecated)"]) {
        lower = lower.replace(label, " ");
    }
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Every catalogue id with the content words of its title, computed once rather than per entry.
fn title_words() -> &'static [(&'static str, BTreeSet<String>)] {
    static TITLES: OnceLock<Vec<(&'static str, BTreeSet<String>)>> = OnceLock::new();
    TITLES.get_or_init(|| catalog::all().map(|c| (c.id, words(c.title))).collect())
}

/// The catalogue id whose title shares most words with `desc`, if clearly the best and close enough.
fn match_title(desc: &str) -> Option<&'static str> {
    let want = words(desc);
    if want.len() < 2 {
        return None;
    }
    let mut scored: Vec<(u32, &'static str)> = title_words()
        .iter()
        .map(|(id, have)| {
            let common = want.intersection(have).count();
            let total = want.len() + have.len();
            let dice = u32::try_from(2000 * common / total.max(1)).unwrap_or(0);
            (dice, *id)
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scored.as_slice() {
        [(best, id), rest @ ..] if *best >= MATCH_THRESHOLD && rest.first().is_none_or(|(next, _)| next < best) => {
            Some(*id)
        }
        _ => None,
    }
}

/// Epoch seconds from a number or a numeric string; notes values that are present but unreadable.
fn read_time(top: &Map<String, Value>, key: &str, notes: &mut Vec<String>) -> Option<i64> {
    let value = top.get(key)?;
    let secs = match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole_seconds)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(whole_seconds))
        }
        _ => None,
    };
    match secs.filter(|s| rfc3339_utc(*s).is_some()) {
        Some(s) => Some(s),
        None => {
            if !value.is_null() {
                notes.push(format!(
                    "The log's `{key}` value {value} is not a Unix time; it was ignored."
                ));
            }
            None
        }
    }
}

fn whole_seconds(f: f64) -> Option<i64> {
    // Years 0..=9999 fit comfortably; anything larger is rejected by `rfc3339_utc` anyway.
    (f.is_finite() && f.abs() < 1e15).then(|| f.floor() as i64)
}

/// Formats Unix seconds as RFC 3339 UTC ("2023-11-14T22:13:20Z"); `None` outside years 0–9999.
pub fn rfc3339_utc(secs: i64) -> Option<String> {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days)?;
    if !(0..=9999).contains(&y) {
        return None;
    }
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    ))
}

/// Proleptic Gregorian date of a day count since 1970-01-01, via 400-year eras (146 097 days each).
fn civil_from_days(days: i64) -> Option<(i64, u32, u32)> {
    let z = days.checked_add(719_468)?; // shift the epoch to 0000-03-01 so leap days end a year
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year, 0..=365
    let mp = (5 * doy + 2) / 153; // month counted from March, 0..=11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era.checked_mul(400)? + i64::from(month <= 2);
    Some((year, u32::try_from(month).ok()?, u32::try_from(day).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use serde_json::json;

    const LOG: &str = include_str!("../../../tests/fixtures/dbs/docker-bench-log.json");

    fn fixture() -> (Value, ImportOutcome) {
        let value: Value = serde_json::from_str(LOG).unwrap();
        let outcome = import_dbs(&value).unwrap();
        (value, outcome)
    }

    /// Counts the log's result words the way a reader of the log would.
    fn log_counts(value: &Value) -> BTreeMap<String, u32> {
        let mut counts = BTreeMap::new();
        for section in value["tests"].as_array().unwrap() {
            for r in section["results"].as_array().unwrap() {
                let word = r["result"].as_str().unwrap().trim().to_ascii_uppercase();
                *counts.entry(word).or_insert(0) += 1;
            }
        }
        counts
    }

    #[test]
    fn counts_match_the_log() {
        let (value, outcome) = fixture();
        let log = log_counts(&value);
        let c = &outcome.report.summary.counts;
        assert_eq!(c.pass, log["PASS"]);
        assert_eq!(c.fail, log["WARN"]);
        assert_eq!(c.info, log["INFO"]);
        assert_eq!(c.manual, log["NOTE"]);
        assert_eq!(c.warn + c.error + c.not_applicable, 0);
    }

    #[test]
    fn no_result_is_lost_and_every_catalogue_id_is_present() {
        let (value, outcome) = fixture();
        let report = &outcome.report;
        let in_log: u32 = log_counts(&value).values().sum();
        let kept = report.results.iter().filter(|r| r.status != Status::Skipped).count();
        assert_eq!(kept, in_log as usize);
        for meta in catalog::all() {
            assert!(report.result(meta.id).is_some(), "{} missing", meta.id);
        }
        let skipped = report.results.iter().filter(|r| r.status == Status::Skipped).count();
        assert!(report
            .results
            .iter()
            .filter(|r| r.status == Status::Skipped)
            .all(|r| r.summary == NOT_IN_LOG));
        let absent = &report.errors[0];
        assert_eq!(absent.source, SOURCE);
        assert!(
            absent
                .reason
                .starts_with(&format!("the log has no result for {skipped} checks: ")),
            "{}",
            absent.reason
        );
        assert_eq!(absent.affects.len(), skipped);
        // Catalogue order first, then the extras in log order.
        let ids: Vec<&str> = report.results.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(&ids[..3], ["1.1.1", "1.1.2", "1.1.3"]);
        let extras: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| catalog::get(base_id(id)).is_none())
            .collect();
        assert_eq!(extras, ["dbs-unidentified-1", "C.5.3.1", "C.5.3.2"]);
        assert_eq!(
            ids.iter().position(|i| *i == "5.12#2"),
            ids.iter().position(|i| *i == "5.12").map(|p| p + 1)
        );
    }

    #[test]
    fn report_round_trips_through_the_strict_schema() {
        let (_, outcome) = fixture();
        let text = serde_json::to_string_pretty(&outcome.report).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, outcome.report);
        let (sealed, _) = digest::seal(&outcome.report).unwrap();
        let loaded = crate::load::load(&sealed).unwrap();
        assert!(loaded.digest.is_valid());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    #[test]
    fn report_metadata_comes_from_the_log() {
        let (value, outcome) = fixture();
        let r = &outcome.report;
        assert_eq!(r.schema_version, SCHEMA_VERSION);
        assert_eq!(
            r.tool,
            Tool {
                name: "docker-bench-security".into(),
                version: "1.6.0".into()
            }
        );
        assert_eq!(r.run.started_at, "2023-11-14T22:13:20Z");
        assert_eq!(r.run.finished_at, "2023-11-14T22:14:10Z");
        assert_eq!(r.run.duration_ms, 50_000);
        assert!(r.run.command_line.is_empty());
        assert_eq!(r.run.id.len(), 4 + 16);
        assert!(r.run.id.starts_with("dbs-"));
        assert_eq!(
            import_dbs(&value).unwrap().report.run.id,
            r.run.id,
            "run id is deterministic"
        );
        let derived = r.derived_from.as_ref().unwrap();
        assert_eq!(derived.kind, SOURCE);
        assert_eq!(derived.digest, None);
        assert_eq!(derived.details["dbs_version"], "1.6.0");
        assert_eq!(derived.details["dbs_score"], "-7");
        assert_eq!(derived.details["dbs_checks"], "41");
        assert_eq!(r.digest, None);
        assert_eq!(r.host, Host::default());
        assert!(r
            .errors
            .iter()
            .any(|e| e.reason.contains("no host or Docker Engine facts")));
        assert!(r
            .errors
            .iter()
            .any(|e| e.reason.contains("no observed or expected value")));
        assert!(
            !r.errors.iter().any(|e| e.reason.contains("start")),
            "both times are present"
        );
    }

    #[test]
    fn quirky_entries_are_understood() {
        let (_, outcome) = fixture();
        let r = &outcome.report;
        let get = |id: &str| r.result(id).unwrap_or_else(|| panic!("{id}"));

        // " warn " and "Pass".
        assert_eq!(get("1.1.3").status, Status::Fail);
        assert!(
            get("1.1.3").findings.is_empty(),
            "empty items and no details give no finding"
        );
        assert_eq!(get("2.4").status, Status::Pass);

        // Embedded ids are removed from the text; an empty id is taken from the description.
        assert_eq!(get("1.1.12").summary, "Ensure auditing is configured for Dockerfiles and directories - /etc/containerd/config.toml — File not found");
        assert_eq!(get("1.1.13").status, Status::Info);
        assert_eq!(get("1.1.12").title, catalog::get("1.1.12").unwrap().title);

        // The deprecated id-less entry is matched by description; the other stays unidentified.
        let exp = get("2.18");
        assert_eq!(exp.status, Status::Info);
        assert!(exp.summary.contains("matched to 2.18"), "{}", exp.summary);
        let unknown = get("dbs-unidentified-1");
        assert_eq!(unknown.section, OTHER_SECTION);
        assert_eq!(
            unknown.title,
            "(Deprecated) Ensure the legacy registry protocol v1 is switched off"
        );

        // Duplicate ids keep both results.
        assert_eq!(get("5.12").findings.len(), 2);
        let dup = get("5.12#2");
        assert_eq!(dup.section, "5");
        assert_eq!(dup.findings[0].target, Target::new(TargetKind::Container, "", "cache"));

        // Community checks are kept under "other", for review.
        let community = get("C.5.3.1");
        assert_eq!(community.section, OTHER_SECTION);
        assert_eq!(community.evaluation, catalog::Evaluation::Review);
        assert_eq!(
            community.title,
            "Ensure that CAP_DAC_READ_SEARCH Linux kernel capability is disabled"
        );
        assert_eq!(community.findings[0].target.kind, TargetKind::Container);
        assert!(r
            .summary
            .sections
            .iter()
            .any(|s| s.id == OTHER_SECTION && s.title == "Other"));

        // Items as a string, container names, truncated lists.
        assert_eq!(get("5.4").findings.len(), 1);
        assert_eq!(
            get("5.4").findings[0].message,
            "Capabilities added: CapAdd=[SYS_ADMIN] to web"
        );
        let apparmor = get("5.2");
        assert_eq!(apparmor.findings.len(), 3);
        assert_eq!(apparmor.findings[0].message, "No AppArmorProfile Found");
        assert_eq!(apparmor.findings[2].observed, "cache");
        assert!(apparmor.summary.contains("cut short"));
        assert_eq!(
            apparmor.remediation,
            "If AppArmor is applicable for your Linux OS, you should enable it. Impact: The container will have the security controls defined in the AppArmor profile."
        );
        assert_eq!(
            apparmor.findings[0].remediation,
            "If AppArmor is applicable for your Linux OS, you should enable it."
        );

        // 4.1 lists containers, 4.6 images (a tag in brackets and a short id), 3.17 files.
        assert_eq!(
            get("4.1").findings[0].target,
            Target::new(TargetKind::Container, "", "web")
        );
        let images: Vec<&Target> = get("4.6").findings.iter().map(|f| &f.target).collect();
        assert_eq!(images[0], &Target::new(TargetKind::Image, "", "nginx:1.25"));
        assert_eq!(images[1], &Target::new(TargetKind::Image, "3b5e9a1c7f20", ""));
        assert_eq!(get("4.6").findings[0].observed, "[nginx:1.25]");
        assert_eq!(get("3.17").findings[0].target.kind, TargetKind::File);

        // Details without items give one host finding; no log remediation keeps the catalogue's.
        let sprawl = get("6.1");
        assert_eq!(sprawl.findings.len(), 1);
        assert_eq!(sprawl.findings[0].target.kind, TargetKind::Host);
        assert_eq!(sprawl.findings[0].observed, "There are currently: 12 images");
        assert_eq!(sprawl.remediation, catalog::get("6.1").unwrap().remediation);
        assert_eq!(get("1.2.2").findings.len(), 1, "empty string items with details");
        assert_eq!(get("1.2.1").status, Status::Manual);

        // Notes explain each repair.
        for needle in [
            "matched to check 2.18",
            "dbs-unidentified-1",
            "5.12#2",
            "filed under 1.1.13",
        ] {
            assert!(
                outcome.notes.iter().any(|n| n.contains(needle)),
                "no note about {needle}: {:?}",
                outcome.notes
            );
        }
    }

    #[test]
    fn unknown_words_missing_times_and_odd_sections_are_tolerated() {
        let log = json!({
            "dockerbenchsecurity": 1.5,
            "tests": [
                {"id": "2", "desc": "Daemon", "results": [
                    {"id": "2.1", "desc": "x", "result": "FAIL"},
                    {"id": "2.2", "desc": "y"},
                    "not an entry",
                    {"id": "2.3", "result": "[NOTE]", "items": 5}
                ]},
                {"id": "3", "desc": "Files"},
                {"id": "4", "desc": "Images", "results": {"oops": 1}}
            ],
            "start": "yesterday"
        });
        let outcome = import_dbs(&log).unwrap();
        let r = &outcome.report;
        assert_eq!(r.result("2.1").unwrap().status, Status::Error);
        assert_eq!(r.result("2.2").unwrap().status, Status::Error);
        assert_eq!(r.result("2.3").unwrap().status, Status::Manual);
        assert_eq!(r.result("2.3").unwrap().findings[0].observed, "5");
        assert_eq!(r.results.iter().filter(|r| r.status != Status::Skipped).count(), 3);
        assert_eq!(r.run.started_at, "");
        assert_eq!(r.run.duration_ms, 0);
        assert!(r
            .errors
            .iter()
            .any(|e| e.reason.contains("no usable start or end time")));
        assert_eq!(r.tool.version, "1.5");
        assert!(outcome.notes.iter().any(|n| n.contains("docker-bench-security 1.5")));
        assert!(outcome.notes.iter().any(|n| n.contains("yesterday")));
        assert!(outcome.notes.iter().any(|n| n.contains("\"Files\" has no results")));
        assert!(outcome.notes.iter().any(|n| n.contains("not a check result")));
        assert!(outcome.notes.iter().any(|n| n.contains("\"FAIL\"")));
    }

    #[test]
    fn malformed_logs_are_errors() {
        assert!(matches!(
            import_dbs(&json!([])),
            Err(LoadError::InvalidDockerBench { .. })
        ));
        let err = import_dbs(&json!({"dockerbenchsecurity": "1.6.0"})).unwrap_err();
        assert!(err.to_string().contains("no `tests` list"), "{err}");
        let err = import_dbs(&json!({"dockerbenchsecurity": "1.6.0", "tests": "x"})).unwrap_err();
        assert!(err.to_string().contains("a string"), "{err}");
    }

    #[test]
    fn description_matching() {
        assert_eq!(
            match_title("(Deprecated) Ensure experimental features are not implemented in production"),
            Some("2.18")
        );
        assert_eq!(
            match_title(
                "Ensure auditing is configured for Docker files and directories - /etc/docker/daemon.json (Automated)"
            ),
            Some("1.1.11")
        );
        assert_eq!(
            match_title("(Deprecated) Ensure the legacy registry protocol v1 is switched off"),
            None
        );
        assert_eq!(match_title("(Deprecated)"), None);
        assert_eq!(strip_labels("Ensure X (Automated)  now (not scored)"), "Ensure X now");
    }

    #[test]
    fn embedded_ids() {
        let split = |s: &str| split_embedded_id(s);
        assert_eq!(split("1.1.12 - Ensure a"), Some(("1.1.12".into(), "Ensure a".into())));
        assert_eq!(split("1.1.12  Ensure a"), Some(("1.1.12".into(), "Ensure a".into())));
        assert_eq!(split("C.5.3.1: Ensure a"), Some(("C.5.3.1".into(), "Ensure a".into())));
        assert_eq!(split("2 images are fine"), None);
        assert_eq!(split("5.4"), None);
        assert_eq!(split("Ensure 5.4 is met"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339_utc(0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_700_000_000).unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339_utc(951_782_400).unwrap(), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(1_709_164_800).unwrap(), "2024-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(-86_400).unwrap(), "1969-12-31T00:00:00Z");
        assert_eq!(rfc3339_utc(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339_utc(253_402_300_800), None);
        assert_eq!(rfc3339_utc(i64::MAX), None);
        assert_eq!(rfc3339_utc(i64::MIN), None);
    }

    /// The former `details_message`, quadratic on many colons; the reference for equal results.
    fn details_message_reference<'a>(details: &'a str, tokens: &[String]) -> &'a str {
        if tokens.is_empty() {
            return details;
        }
        for (pos, _) in details.match_indices(':') {
            let (head, tail) = (&details[..pos], &details[pos + 1..]);
            if !head.trim().is_empty() && tail.split_whitespace().eq(tokens.iter().map(String::as_str)) {
                return head.trim();
            }
        }
        details
    }

    /// The former `strip_labels`, quadratic on repeated labels; the reference for equal results.
    fn strip_labels_reference(desc: &str) -> String {
        let mut out = desc.to_string();
        for label in LABELS {
            while let Some(pos) = out.to_ascii_lowercase().find(label) {
                out.replace_range(pos..pos + label.len(), "");
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Deterministic pseudo-random text over `alphabet` (xorshift), for differential tests.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % 1_000_003).unwrap()
        }
        fn text(&mut self, alphabet: &[&str], max: usize) -> String {
            let len = self.next() % (max + 1);
            (0..len).map(|_| alphabet[self.next() % alphabet.len()]).collect()
        }
    }

    #[test]
    fn details_message_matches_the_former_implementation() {
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        let alphabet = [":", " ", "a", "b", "é", "\t", "a:", ": "];
        for _ in 0..200_000 {
            let details = g.text(&alphabet, 10);
            let tokens: Vec<String> = (0..g.next() % 4)
                .map(|_| g.text(&["a", "b", ":", "é", " "], 2))
                .collect();
            assert_eq!(
                details_message(&details, &tokens),
                details_message_reference(&details, &tokens),
                "{details:?} {tokens:?}"
            );
        }
        let tokens = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(details_message("Found: a b", &tokens(&["a", "b"])), "Found");
        assert_eq!(details_message("Found:a b", &tokens(&["a", "b"])), "Found");
        assert_eq!(details_message("x: y: a", &tokens(&["a"])), "x: y");
        assert_eq!(details_message(": a", &tokens(&["a"])), ": a");
        assert_eq!(details_message("Found: a b", &tokens(&["a b"])), "Found: a b");
    }

    #[test]
    fn strip_labels_matches_the_former_implementation() {
        let mut g = Gen(0x2545_f491_4f6c_dd1d);
        let alphabet = [
            "(",
            ")",
            "man",
            "ual",
            "(manual)",
            "(MANUAL)",
            "(Automated)",
            "(auto",
            "mated)",
            "(not scored)",
            "(not",
            " scored)",
            "(scored)",
            " ",
            "é",
            "x",
        ];
        for _ in 0..100_000 {
            let desc = g.text(&alphabet, 8);
            assert_eq!(strip_labels(&desc), strip_labels_reference(&desc), "{desc:?}");
        }
        assert_eq!(strip_labels("a (man(manual)ual) b"), "a b");
        assert_eq!(strip_labels("a (auto(manual)mated) b"), "a (automated) b");
    }

    /// A 1 MB `details` of colons and a 1 MB description of repeated "(Manual)" labels through the
    /// whole import, then 4 MB of each through the two functions. The former code re-scanned the
    /// rest of the text at every colon and re-lowered the whole description at every label (about
    /// 5·10¹¹ and 10¹¹ byte steps at 1 MB, 16 times that at 4 MB; 400 KB of colons already took
    /// 53 s), so this test would not finish; one pass each takes well under a second unoptimised.
    #[test]
    fn hostile_details_and_labels_take_linear_time() {
        const N: usize = 1 << 20;
        let log = json!({
            "dockerbenchsecurity": "1.6.0",
            "tests": [{"desc": "Container Runtime", "results": [
                {"id": "5.4", "desc": "(Manual)".repeat(N / 8), "result": "WARN",
                 "details": ":".repeat(N), "items": ["web"]},
                {"id": "5.5", "desc": "Privileged", "result": "WARN",
                 "details": format!("{}: web", "a:".repeat(N / 2)), "items": "web"}
            ]}]
        });
        let r = import_dbs(&log).unwrap().report;
        let caps = r.result("5.4").unwrap();
        assert_eq!(caps.findings[0].message.len(), N);
        assert!(
            caps.summary.starts_with(":::"),
            "the description is empty once its labels go"
        );
        let privileged = r.result("5.5").unwrap();
        assert_eq!(privileged.findings[0].message.len(), N);
        assert!(privileged.findings[0].message.ends_with("a:"));
        assert_eq!(strip_labels(&"(manual)".repeat(N / 2)), "");
        assert_eq!(strip_labels(&"(man".repeat(N / 4)), "(man".repeat(N / 4));
        assert_eq!(details_message(&":".repeat(4 * N), &["x".to_string()]).len(), 4 * N);
        let echoed = format!("{} x", ":".repeat(4 * N));
        assert_eq!(details_message(&echoed, &["x".to_string()]).len(), 4 * N - 1);
    }

    /// A log that itself names "5.12#2" next to repeated "5.12" still gives every result its own id.
    #[test]
    fn numbered_duplicates_never_collide_with_ids_in_the_log() {
        let entry = |id: &str| json!({"id": id, "desc": "x", "result": "WARN"});
        let log = json!({"dockerbenchsecurity": "1.6.0", "tests": [{"results": [
            entry("5.12"), entry("5.12#2"), entry("5.12"), entry("5.12#2"),
            entry("dbs-unidentified-1"), {"desc": "no id and no catalogue match", "result": "INFO"}
        ]}]});
        let report = import_dbs(&log).unwrap().report;
        let ids: Vec<&str> = report
            .results
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.starts_with("5.12") || id.starts_with("dbs-"))
            .collect();
        assert_eq!(
            ids,
            [
                "5.12",
                "5.12#2",
                "5.12#3",
                "5.12#2#2",
                "dbs-unidentified-1",
                "dbs-unidentified-1#2"
            ]
        );
        let (sealed, _) = digest::seal(&report).unwrap();
        let loaded = crate::load::load(&sealed).unwrap();
        assert!(
            !loaded.warnings.iter().any(|w| w.contains("more than once")),
            "{:?}",
            loaded.warnings
        );
    }

    /// About 1 MB of log whose one result lists 100 000 items next to 300 KB of details and
    /// 300 KB of remediation. Repeating both texts in every finding, as the importer did, asks for
    /// 60 GB; the report now grows by at most the findings budget plus a small multiple of the log.
    #[test]
    fn a_hostile_log_imports_within_a_bounded_output_size() {
        const ITEMS: usize = 100_000;
        let log = json!({
            "dockerbenchsecurity": "1.6.0",
            "tests": [{"desc": "Container Runtime", "results": [
                {"id": "5.4", "desc": "Privileged", "result": "WARN",
                 "details": format!("Privileged: {}", "d".repeat(300_000)),
                 "remediation": "r".repeat(300_000),
                 "items": "c ".repeat(ITEMS)},
                {"id": "5.5", "desc": "Mounts", "result": "WARN", "details": "Mounts: web db", "items": "web db"}
            ]}]
        });
        let input = json_len(&log);
        assert!((800_000..1_100_000).contains(&input), "{input}");
        let empty = import_dbs(&json!({"dockerbenchsecurity": "1.6.0", "tests": []})).unwrap();
        let baseline = serde_json::to_string(&empty.report).unwrap().len();

        let outcome = import_dbs(&log).unwrap();
        let output = serde_json::to_string(&outcome.report).unwrap().len();
        assert!(
            output <= baseline + dbs_findings_budget(input) + 3 * input,
            "{output} bytes of report from {input} bytes of log"
        );

        let r = &outcome.report;
        let privileged = r.result("5.4").unwrap();
        let listed = privileged.findings.len();
        assert!(listed > 10_000 && listed < ITEMS, "{listed} findings");
        assert_eq!(
            privileged.findings[0].message.len(),
            300_012,
            "the first findings are whole"
        );
        let last = privileged.findings.last().unwrap();
        assert_eq!(
            (last.message.as_str(), last.remediation.as_str()),
            (MESSAGE_NOT_REPEATED, REMEDIATION_NOT_REPEATED)
        );
        assert!(privileged.summary.contains(&format!(
            "{} more item(s) in the log are not listed as findings: the import's size limit was reached.",
            ITEMS - listed
        )));
        assert!(
            privileged.remediation.starts_with("rrr"),
            "the result keeps the remediation once"
        );
        assert!(privileged.summary.contains("ddd"), "the result keeps the details once");
        // The budget is shared, so a later result may also be cut short, but it says so.
        let mounts = r.result("5.5").unwrap();
        assert!(mounts.findings.len() == 2 || mounts.summary.contains("not listed as findings"));
        let notes = outcome.notes.join("\n");
        assert!(notes.contains("point at their result's summary"), "{notes}");
        let omitted = ITEMS - listed + 2 - mounts.findings.len();
        assert!(
            notes.contains(&format!("{omitted} item(s) are not listed")),
            "{omitted}: {notes}"
        );
    }

    #[test]
    fn a_log_with_too_many_results_is_refused() {
        let log = json!({"tests": [{"results": vec![json!({}); DBS_MAX_RESULTS + 1]}]});
        let err = import_dbs(&log).unwrap_err().to_string();
        assert!(
            err.contains("10001 results, more than the 10000 an import accepts"),
            "{err}"
        );
        let log = json!({"tests": [{"results": vec![json!({"id": "9.9", "result": "INFO"}); DBS_MAX_RESULTS]}]});
        assert_eq!(
            import_dbs(&log).unwrap().report.results.len(),
            catalog::CHECK_COUNT + DBS_MAX_RESULTS
        );
    }

    /// Real logs, even of hosts with many containers, stay whole.
    #[test]
    fn the_fixture_is_within_every_bound() {
        let (_, outcome) = fixture();
        assert!(!outcome
            .notes
            .iter()
            .any(|n| n.contains("size limit") || n.contains("not listed")));
        let many = json!({"dockerbenchsecurity": "1.6.0", "tests": [{"results": [
            {"id": "5.4", "result": "WARN", "details": "Privileged containers", "remediation": "x".repeat(500),
             "items": (0..5000).map(|i| format!("container-{i}")).collect::<Vec<_>>()}
        ]}]});
        let r = import_dbs(&many).unwrap().report;
        let found = &r.result("5.4").unwrap().findings;
        assert_eq!(found.len(), 5000);
        assert!(found.iter().all(|f| f.remediation.len() == 500));
    }
}
