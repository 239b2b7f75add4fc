//! Reading a large report in slices, so a browser tab can paint and answer input between them.
//!
//! [`LoadedReport::parse`] reads a file in one go: a 100 MB report holds the page's only thread
//! for seconds. [`ChunkedLoad`] does the same work in steps of a bounded size, each one a few
//! milliseconds, and the viewer yields to the browser between steps:
//!
//! 1. *scan*: find where each element of the top-level `results` array starts and ends, and in
//!    each of them where each element of its `findings` array does (a byte scanner that only
//!    tracks strings and nesting);
//! 2. *envelope*: parse everything but the results (small), the same way [`crate::load`] does;
//! 3. *results*: for each result, its envelope (the result with an empty `findings` array), then
//!    each finding on its own: its RFC 8785 bytes go to the digest's SHA-256 and its typed value to
//!    the result. A step never reads more than a few findings past its budget, however many
//!    thousand findings one check has.
//!
//! The digest is the one [`crate::digest::verify`] computes: JCS sorts each object's members and
//! the results (and a result's findings) are one member, so the canonical bytes are "members
//! before `results`", then each result's canonical bytes, then "members after", and a result's
//! are built the same way around its findings. A finding's canonical bytes are written straight
//! from its text ([`crate::digest::jcs`]), without a `serde_json::Value`. Only the common case
//! takes this path: a current-schema dockaudit report under the JCS digest rule, without a
//! byte-order mark, that [`crate::load`] would read without a warning. Anything else — an error,
//! an older schema, a docker-bench-security log, a repaired summary, a text the fast writer is
//! not sure of — is read again by [`LoadedReport::parse`], so the result and every message are
//! exactly the ones a one-go read gives.

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::digest::{self, jcs, DigestCheck, Rule};
use crate::load::SourceFormat;
use crate::report::{CheckResult, Finding, Report, SCHEMA_VERSION};
use crate::summary::Summary;

use super::prepared::Preparing;
use super::state::LoadedReport;

/// Bytes of input a step of the scan covers at most (scanning is cheap per byte).
const SCAN_FACTOR: usize = 8;
/// What listing a finding's target costs, in bytes of input read (a finding is ~450 bytes; a
/// hash lookup of its target is a small fraction of parsing it).
const PREPARE_BYTES_PER_FINDING: usize = 32;

/// A report being read step by step.
pub struct ChunkedLoad {
    name: String,
    bytes: Vec<u8>,
    phase: Phase,
}

enum Phase {
    Scan(Box<Scanner>),
    Results(Box<Assembly>),
    /// Taken by [`ChunkedLoad::step`] when the result is handed out.
    Finished,
}

/// One element of `results`, as the scan found it.
#[derive(Debug, Clone, PartialEq)]
struct Element {
    start: usize,
    end: usize,
    /// Its `findings` array, when the result is read finding by finding.
    findings: Option<Findings>,
}

/// Where a result's `findings` array and each of its elements sit in the input.
#[derive(Debug, Clone, PartialEq)]
struct Findings {
    /// Offsets of its `[` and `]`.
    open: usize,
    close: usize,
    items: Vec<(usize, usize)>,
}

/// What the scan found, then the results read so far.
struct Assembly {
    elements: Vec<Element>,
    next: usize,
    /// The result being read finding by finding.
    open: Option<OpenResult>,
    hasher: Sha256,
    /// The signed bytes, when the report carries an SSH signature.
    signed: Option<Vec<u8>>,
    /// Canonical bytes of the members after `results` (with the closing `]` and `}`), for the
    /// digest and for the signed bytes.
    digest_tail: Vec<u8>,
    signed_tail: Vec<u8>,
    envelope: Report,
    stored: Option<String>,
    results: Vec<CheckResult>,
    /// Each result's targets and the by-target summary, worked out as results complete.
    preparing: Preparing,
}

/// A result whose findings are being read.
struct OpenResult {
    result: CheckResult,
    next: usize,
    /// Its canonical bytes after the findings' elements.
    tail: Vec<u8>,
}

impl ChunkedLoad {
    /// Starts reading `bytes` (a file's or a response's body) named `name`.
    pub fn new(name: &str, bytes: Vec<u8>) -> Self {
        ChunkedLoad {
            name: name.to_string(),
            bytes,
            phase: Phase::Scan(Box::default()),
        }
    }

    /// How far the read is, as (done, total) in bytes of input.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.bytes.len();
        match &self.phase {
            Phase::Scan(s) => (s.pos / 2, total),
            Phase::Results(a) => {
                let done = a.elements.get(a.next).map_or(total, |e| match (&a.open, &e.findings) {
                    (Some(open), Some(f)) => f.items.get(open.next).map_or(f.close, |(start, _)| *start),
                    _ => e.start,
                });
                (total / 2 + done / 2, total)
            }
            Phase::Finished => (total, total),
        }
    }

    /// Does about `budget` bytes' worth of work; returns the outcome once the read is over.
    /// Each call does at least one unit of work (one finding, or one result without findings),
    /// so any budget finishes.
    pub fn step(&mut self, budget: usize) -> Option<Result<LoadedReport, String>> {
        let budget = budget.max(1);
        match &mut self.phase {
            Phase::Scan(scanner) => match scanner.scan(&self.bytes, budget.saturating_mul(SCAN_FACTOR)) {
                Scan::More => None,
                Scan::Fallback => Some(self.fallback()),
                Scan::Done => match start_assembly(&self.bytes, scanner) {
                    Some(assembly) => {
                        self.phase = Phase::Results(Box::new(assembly));
                        None
                    }
                    None => Some(self.fallback()),
                },
            },
            Phase::Results(a) => {
                let mut spent = 0;
                while spent < budget && a.next < a.elements.len() {
                    match a.advance(&self.bytes) {
                        Some(n) => spent += n,
                        None => return Some(self.fallback()),
                    }
                }
                if a.next < a.elements.len() {
                    return None;
                }
                let outcome = match std::mem::replace(&mut self.phase, Phase::Finished) {
                    Phase::Results(a) => a.finish(&self.name),
                    _ => None,
                };
                Some(match outcome {
                    Some(loaded) => {
                        self.bytes = Vec::new();
                        Ok(loaded)
                    }
                    None => self.fallback(),
                })
            }
            Phase::Finished => Some(Err("the report was already read".into())),
        }
    }

    /// Reads the whole input the one-go way (for every case the sliced path leaves out).
    fn fallback(&mut self) -> Result<LoadedReport, String> {
        self.phase = Phase::Finished;
        let bytes = std::mem::take(&mut self.bytes);
        let text = String::from_utf8_lossy(&bytes);
        LoadedReport::parse(&self.name, &text)
    }

    /// Runs every step at once (tests, and callers without an event loop).
    pub fn run(mut self, budget: usize) -> Result<LoadedReport, String> {
        loop {
            if let Some(outcome) = self.step(budget) {
                return outcome;
            }
        }
    }
}

/// JCS bytes of `"name":value`.
fn member_bytes(name: &str, value: &Value) -> Option<Vec<u8>> {
    let mut out = serde_json_canonicalizer::to_vec(&Value::String(name.to_string())).ok()?;
    out.push(b':');
    out.extend(serde_json_canonicalizer::to_vec(value).ok()?);
    Some(out)
}

/// The canonical bytes of the object `map` around the elements of its array member `split`:
/// `{` members before it `"split":[` and `]` members after it `}`, leaving out the members named
/// in `skip`. JCS orders members by their names' UTF-16 code units.
fn frame(map: &Map<String, Value>, split: &str, skip: &[&str]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut members: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !skip.contains(&k.as_str())).collect();
    members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    let at = members.iter().position(|(k, _)| k.as_str() == split)?;
    let mut head = b"{".to_vec();
    for (k, v) in &members[..at] {
        head.extend(member_bytes(k, v)?);
        head.push(b',');
    }
    head.extend(serde_json_canonicalizer::to_vec(&Value::String(split.to_string())).ok()?);
    head.extend_from_slice(b":[");
    let mut tail = b"]".to_vec();
    for (k, v) in &members[at + 1..] {
        tail.push(b',');
        tail.extend(member_bytes(k, v)?);
    }
    tail.push(b'}');
    Some((head, tail))
}

/// `bytes[start..end]` without the elements between `open` and `close` (the array left empty).
fn without_elements(bytes: &[u8], start: usize, end: usize, open: usize, close: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(open + 1 - start + end - close);
    out.extend_from_slice(&bytes[start..=open]);
    out.extend_from_slice(&bytes[close..end]);
    out
}

/// Sets up the digest from the envelope: the input without the results' elements.
fn start_assembly(bytes: &[u8], scan: &mut Scanner) -> Option<Assembly> {
    let (open, close) = (scan.results_open?, scan.results_close?);
    let envelope = without_elements(bytes, 0, bytes.len(), open, close);
    let text = std::str::from_utf8(&envelope).ok()?;
    let value = crate::json::parse(text).ok()?;
    let map = value.as_object()?;
    if map.contains_key("dockerbenchsecurity") || map.get("schema_version")?.as_u64()? != u64::from(SCHEMA_VERSION) {
        return None;
    }
    let stored = match map.get("digest") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return None,
    };
    if stored.as_deref().and_then(Rule::of).unwrap_or(Rule::Jcs) != Rule::Jcs {
        return None;
    }
    let (digest_head, digest_tail) = frame(map, "results", &["digest"])?;
    let (signed, signed_tail) = if map.contains_key(digest::SIGNATURE_MEMBER) {
        let (head, tail) = frame(map, "results", &["digest", digest::SIGNATURE_MEMBER])?;
        (Some(head), tail)
    } else {
        (None, Vec::new())
    };
    let envelope = Report::deserialize(&value).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(&digest_head);
    let elements = std::mem::take(&mut scan.elements);
    Some(Assembly {
        results: Vec::with_capacity(elements.len()),
        elements,
        next: 0,
        open: None,
        hasher,
        signed,
        digest_tail,
        signed_tail,
        envelope,
        stored,
        preparing: Preparing::default(),
    })
}

impl Assembly {
    /// Canonical bytes for the digest (and the signed bytes).
    fn feed(&mut self, canonical: &[u8]) {
        feed(&mut self.hasher, &mut self.signed, canonical);
    }

    /// Reads the next unit (a result's envelope, one finding, or a whole result) and returns the
    /// bytes of input it covered; `None` when it does not read cleanly (the caller falls back).
    fn advance(&mut self, bytes: &[u8]) -> Option<usize> {
        let element = self.elements.get(self.next)?;
        let (start, end) = (element.start, element.end);
        let Some(findings) = &element.findings else {
            self.read_element(&bytes[start..end])?;
            self.next += 1;
            return Some(end - start);
        };
        let Some(open) = &mut self.open else {
            let envelope = without_elements(bytes, start, end, findings.open, findings.close);
            let value = crate::json::parse(std::str::from_utf8(&envelope).ok()?).ok()?;
            let (head, tail) = frame(value.as_object()?, "findings", &[])?;
            let mut result = CheckResult::deserialize(&value).ok()?;
            result.findings.reserve_exact(findings.items.len());
            if self.next > 0 {
                self.feed(b",");
            }
            self.feed(&head);
            self.open = Some(OpenResult { result, next: 0, tail });
            return Some(envelope.len());
        };
        match findings.items.get(open.next) {
            Some(&(start, end)) => {
                let raw = &bytes[start..end];
                let canonical = jcs::canonical(raw)?;
                let finding: Finding = serde_json::from_slice(raw).ok()?;
                open.result.findings.push(finding);
                if open.next > 0 {
                    feed(&mut self.hasher, &mut self.signed, b",");
                }
                open.next += 1;
                feed(&mut self.hasher, &mut self.signed, &canonical);
                Some(end - start)
            }
            None => {
                let open = self.open.take()?;
                self.feed(&open.tail);
                self.preparing.add(&open.result);
                let spent = open.result.findings.len();
                self.results.push(open.result);
                self.next += 1;
                // Listing its targets visits each finding once more: a small share of reading it.
                Some(spent.saturating_mul(PREPARE_BYTES_PER_FINDING).max(1))
            }
        }
    }

    /// Reads one result in one go (a result without findings, or one the scan could not split).
    fn read_element(&mut self, raw: &[u8]) -> Option<()> {
        let value = crate::json::parse(std::str::from_utf8(raw).ok()?).ok()?;
        let canonical = serde_json_canonicalizer::to_vec(&value).ok()?;
        let result = CheckResult::deserialize(&value).ok()?;
        if self.next > 0 {
            self.feed(b",");
        }
        self.feed(&canonical);
        self.preparing.add(&result);
        self.results.push(result);
        Some(())
    }

    /// The loaded report, or `None` when the one-go read would have said more (a warning).
    fn finish(mut self, name: &str) -> Option<LoadedReport> {
        self.hasher.update(&self.digest_tail);
        let computed = hex_digest(self.hasher.finalize().as_slice());
        let digest = match self.stored {
            Some(stored) if stored == computed => DigestCheck::Valid(computed),
            Some(stored) => DigestCheck::Mismatch { stored, computed },
            None => DigestCheck::Missing { computed },
        };
        let signed_bytes = self.signed.map(|mut s| {
            s.extend_from_slice(&self.signed_tail);
            s
        });
        let mut report = self.envelope;
        report.results = self.results;
        // What `load` would repair or warn about goes the one-go way, so its words are kept.
        let complete = crate::catalog::all().all(|c| report.result(c.id).is_some());
        if Summary::compute(&report.results) != report.summary
            || !complete
            || !crate::load::repeated_ids(&report).is_empty()
        {
            return None;
        }
        Some(LoadedReport {
            name: name.to_string(),
            report,
            digest,
            format: SourceFormat::Dockaudit {
                schema_version: SCHEMA_VERSION,
            },
            warnings: Vec::new(),
            signed_bytes,
            prepared: self.preparing.finish(),
        })
    }
}

fn feed(hasher: &mut Sha256, signed: &mut Option<Vec<u8>>, canonical: &[u8]) {
    hasher.update(canonical);
    if let Some(signed) = signed {
        signed.extend_from_slice(canonical);
    }
}

fn hex_digest(hash: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(digest::PREFIX.len() + 64);
    s.push_str(digest::PREFIX);
    for b in hash {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// Where the scan stands.
enum Scan {
    More,
    Done,
    /// Not a shape the sliced read handles (or not JSON at all): read it in one go.
    Fallback,
}

/// Nesting levels the scanner cares about: inside the root object, the `results` array, a
/// result, its `findings` array.
const IN_ROOT: usize = 1;
const IN_RESULTS: usize = 2;
const IN_RESULT: usize = 3;
const IN_FINDINGS: usize = 4;
/// Deeper nesting than serde_json reads (128) is left to the one-go reader and its message.
const MAX_SCAN_DEPTH: usize = 128;

/// A resumable byte scanner that finds the top-level `results` array, its elements, and in each
/// the elements of its `findings` array. It does not validate JSON (the parsers do, per piece);
/// it only has to be right about strings and nesting, so a bracket inside a string is not taken
/// for structure. Anything unexpected at the results' level sends the whole file the one-go way;
/// anything unexpected in a result's findings reads that result in one go.
#[derive(Default)]
struct Scanner {
    pos: usize,
    /// For each open container, whether it is an object.
    stack: Vec<bool>,
    in_string: bool,
    escaped: bool,
    /// In an object, whether the next string is a member name.
    expect_key: bool,
    key_start: usize,
    /// The last member name seen in the root object and in the current result.
    root_key: (usize, usize),
    result_key: (usize, usize),
    results_open: Option<usize>,
    results_close: Option<usize>,
    results_sep: Sep,
    elements: Vec<Element>,
    /// The result being scanned.
    current: Current,
    closed: bool,
}

/// What was last seen in an array the scanner splits: commas must separate its elements.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// Its `[`.
    #[default]
    Open,
    Element,
    Comma,
}

/// The result element being scanned.
#[derive(Default)]
struct Current {
    start: usize,
    open: Option<usize>,
    close: Option<usize>,
    items: Vec<(usize, usize)>,
    item_start: usize,
    sep: Sep,
    /// Cleared when its findings are not an array of objects found once.
    splittable: bool,
}

impl Scanner {
    fn in_results(&self) -> bool {
        self.results_open.is_some() && self.results_close.is_none()
    }

    fn in_findings(&self) -> bool {
        self.current.open.is_some() && self.current.close.is_none()
    }

    fn scan(&mut self, bytes: &[u8], budget: usize) -> Scan {
        let end = bytes.len().min(self.pos.saturating_add(budget));
        while self.pos < end {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.pos += 1;
                    continue;
                }
                // The rest of the string, fast: only `"` and `\` matter.
                match memchr::memchr2(b'"', b'\\', &bytes[self.pos..end]) {
                    None => self.pos = end,
                    Some(k) => {
                        let at = self.pos + k;
                        self.pos = at + 1;
                        if bytes[at] == b'"' {
                            self.in_string = false;
                            self.string_ended(at);
                        } else {
                            self.escaped = true;
                        }
                    }
                }
                continue;
            }
            let i = self.pos;
            let b = bytes[i];
            self.pos += 1;
            if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                continue;
            }
            if self.closed {
                return Scan::Fallback;
            }
            let depth = self.stack.len();
            let in_results = self.in_results();
            match b {
                b'"' => {
                    if depth == 0 || (in_results && depth == IN_RESULTS) {
                        return Scan::Fallback;
                    }
                    if in_results && depth == IN_FINDINGS && self.in_findings() {
                        self.current.splittable = false;
                    }
                    self.in_string = true;
                    self.key_start = i + 1;
                }
                b'{' | b'[' => {
                    let object = b == b'{';
                    if depth == 0 && !object {
                        return Scan::Fallback;
                    }
                    if depth == IN_ROOT && &bytes[self.root_key.0..self.root_key.1] == b"results" {
                        if object || self.results_open.is_some() {
                            return Scan::Fallback;
                        }
                        self.results_open = Some(i);
                        self.results_sep = Sep::Open;
                    } else if in_results && depth == IN_RESULTS {
                        if !object || self.results_sep == Sep::Element {
                            return Scan::Fallback;
                        }
                        self.current = Current {
                            start: i,
                            splittable: true,
                            ..Current::default()
                        };
                        self.result_key = (0, 0);
                    } else if in_results
                        && depth == IN_RESULT
                        && &bytes[self.result_key.0..self.result_key.1] == b"findings"
                    {
                        if object || self.current.open.is_some() {
                            self.current.splittable = false;
                        } else {
                            self.current.open = Some(i);
                        }
                    } else if in_results && depth == IN_FINDINGS && self.in_findings() {
                        if object && self.current.sep != Sep::Element {
                            self.current.item_start = i;
                        } else {
                            self.current.splittable = false;
                        }
                    }
                    self.stack.push(object);
                    self.expect_key = object;
                    if self.stack.len() > MAX_SCAN_DEPTH {
                        return Scan::Fallback;
                    }
                }
                b'}' | b']' => {
                    let Some(object) = self.stack.pop() else {
                        return Scan::Fallback;
                    };
                    if object != (b == b'}') {
                        return Scan::Fallback;
                    }
                    self.expect_key = false;
                    match self.stack.len() {
                        IN_FINDINGS if in_results && self.in_findings() => {
                            let start = self.current.item_start;
                            self.current.items.push((start, i + 1));
                            self.current.sep = Sep::Element;
                        }
                        IN_RESULT if in_results && self.in_findings() => {
                            if self.current.sep == Sep::Comma {
                                self.current.splittable = false;
                            }
                            self.current.close = Some(i);
                        }
                        IN_RESULTS if in_results => {
                            self.results_sep = Sep::Element;
                            let current = std::mem::take(&mut self.current);
                            let findings = match (current.open, current.close) {
                                (Some(open), Some(close)) if current.splittable => Some(Findings {
                                    open,
                                    close,
                                    items: current.items,
                                }),
                                _ => None,
                            };
                            self.elements.push(Element {
                                start: current.start,
                                end: i + 1,
                                findings,
                            });
                        }
                        IN_ROOT if in_results => {
                            if self.results_sep == Sep::Comma {
                                return Scan::Fallback;
                            }
                            self.results_close = Some(i);
                        }
                        0 => self.closed = true,
                        _ => {}
                    }
                    self.value_ended();
                }
                b',' => {
                    if in_results && depth == IN_RESULTS {
                        if self.results_sep != Sep::Element {
                            return Scan::Fallback;
                        }
                        self.results_sep = Sep::Comma;
                    } else if in_results && depth == IN_FINDINGS && self.in_findings() {
                        if self.current.sep != Sep::Element {
                            self.current.splittable = false;
                        }
                        self.current.sep = Sep::Comma;
                    }
                    if self.stack.last() == Some(&true) {
                        self.expect_key = true;
                    }
                    self.value_ended();
                }
                _ => {
                    if depth == 0 || (in_results && depth == IN_RESULTS) {
                        return Scan::Fallback;
                    }
                    if in_results && depth == IN_FINDINGS && self.in_findings() && b != b':' {
                        self.current.splittable = false;
                    }
                }
            }
        }
        if self.pos < bytes.len() {
            Scan::More
        } else if self.closed && self.results_close.is_some() {
            Scan::Done
        } else {
            Scan::Fallback
        }
    }

    /// A string ended at `quote`: a member name when one was expected.
    fn string_ended(&mut self, quote: usize) {
        if !self.expect_key {
            return;
        }
        self.expect_key = false;
        let key = (self.key_start, quote);
        match self.stack.len() {
            IN_ROOT => self.root_key = key,
            IN_RESULT if self.in_results() => self.result_key = key,
            _ => {}
        }
    }

    /// A member's value (or an element) ended: its name no longer applies.
    fn value_ended(&mut self) {
        match self.stack.len() {
            IN_ROOT => self.root_key = (0, 0),
            IN_RESULT => self.result_key = (0, 0),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use crate::test_support::{self, report_with};

    fn both(name: &str, text: &str, budget: usize) -> (Result<LoadedReport, String>, Result<LoadedReport, String>) {
        let one_go = LoadedReport::parse(name, text);
        let sliced = ChunkedLoad::new(name, text.as_bytes().to_vec()).run(budget);
        (one_go, sliced)
    }

    fn full_report() -> Report {
        let mut r = report_with(crate::catalog::all().map(|c| (c.id, Status::Pass, vec![])).collect());
        r.results[3].status = Status::Fail;
        r.results[3].findings = vec![test_support::container_finding("web \"[{x}]\" ünï")];
        r.summary = Summary::compute(&r.results);
        r
    }

    #[test]
    fn sliced_read_equals_the_one_go_read() {
        let (sealed, _) = digest::seal(&full_report()).unwrap();
        for budget in [1, 100, 10_000, usize::MAX] {
            let (a, b) = both("r.json", &sealed, budget);
            assert!(
                a.as_ref().is_ok_and(|r| r.digest.is_valid() && r.warnings.is_empty()),
                "{a:?}"
            );
            assert_eq!(a, b, "budget {budget}");
        }
        // Compact JSON too.
        let value: Value = serde_json::from_str(&sealed).unwrap();
        let compact = serde_json::to_string(&value).unwrap();
        let (a, b) = both("r.json", &compact, 50);
        assert_eq!(a, b);
    }

    #[test]
    fn edited_and_unsealed_reports_keep_their_digest_verdict() {
        let (sealed, _) = digest::seal(&full_report()).unwrap();
        let edited = sealed.replacen("\"host-a\"", "\"host-b\"", 1);
        let (a, b) = both("r.json", &edited, 64);
        assert!(matches!(a.as_ref().unwrap().digest, DigestCheck::Mismatch { .. }));
        assert_eq!(a, b);
        let mut unsealed: Value = serde_json::from_str(&sealed).unwrap();
        unsealed.as_object_mut().unwrap().remove("digest");
        let (a, b) = both("r.json", &unsealed.to_string(), 64);
        assert!(matches!(a.as_ref().unwrap().digest, DigestCheck::Missing { .. }));
        assert_eq!(a, b);
    }

    #[test]
    fn everything_else_reads_as_it_always_did() {
        let (sealed, _) = digest::seal(&full_report()).unwrap();
        let dup = report_with(vec![("5.4", Status::Fail, vec![]), ("5.4", Status::Pass, vec![])]);
        let cases = [
            String::new(),
            "  ".into(),
            "hello".into(),
            "[1,2]".into(),
            sealed[..sealed.len() / 2].to_string(),
            format!("\u{feff}{sealed}"),
            format!("{sealed} x"),
            sealed.replacen("\"schema_version\": 1", "\"schema_version\": 9", 1),
            sealed.replacen("\"results\": [", "\"results\": [1, ", 1),
            sealed.replacen("\"results\": [", "\"results\": \"no\", \"x\": [", 1),
            digest::seal(&report_with(vec![("5.4", Status::Fail, vec![])]))
                .unwrap()
                .0,
            digest::seal(&dup).unwrap().0,
            test_support::docker_bench_log(),
        ];
        for (i, text) in cases.iter().enumerate() {
            let (a, b) = both("x.json", text, 32);
            assert_eq!(a, b, "case {i}");
        }
    }

    #[test]
    fn signed_bytes_match() {
        let mut value: Value = serde_json::from_str(&digest::seal(&full_report()).unwrap().0).unwrap();
        let map = value.as_object_mut().unwrap();
        map.remove("digest");
        map.insert(
            "ssh_signature".into(),
            serde_json::json!({"public_key": "ssh-ed25519 AAAA", "signature": "x"}),
        );
        let (text, _) = digest::seal_value(value).unwrap();
        let (a, b) = both("r.json", &text, 16);
        assert!(a.as_ref().is_ok_and(|a| a.signed_bytes.is_some()), "{a:?}");
        assert_eq!(a, b);
    }

    /// A report where a few checks name many targets, with awkward strings.
    fn many_findings() -> Report {
        let mut r = full_report();
        for (k, i) in [3usize, 10, 40].into_iter().enumerate() {
            r.results[i].status = Status::Fail;
            r.results[i].findings = (0..50)
                .map(|n| {
                    let mut f = test_support::container_finding(&format!("c{k}-{n} \"q\" \\ \u{1} é 😀 [{{x}}]"));
                    f.observed = format!("{n}\n\t/\u{7f}");
                    f
                })
                .collect();
        }
        r.summary = Summary::compute(&r.results);
        r
    }

    #[test]
    fn findings_are_read_one_by_one_with_the_same_outcome() {
        let (sealed, _) = digest::seal(&many_findings()).unwrap();
        for budget in [1, 300, 5_000, usize::MAX] {
            let (a, b) = both("r.json", &sealed, budget);
            assert!(a.as_ref().is_ok_and(|r| r.digest.is_valid()), "{a:?}");
            assert_eq!(a, b, "budget {budget}");
        }
        // A step with a small budget reads one finding at a time: at least one step per finding.
        let mut load = ChunkedLoad::new("r.json", sealed.clone().into_bytes());
        let mut steps = 0;
        while load.step(1).is_none() {
            steps += 1;
        }
        assert!(steps > 150, "{steps}");
        // The scan split every result that has findings.
        let mut scanner = Scanner::default();
        assert!(matches!(scanner.scan(sealed.as_bytes(), usize::MAX), Scan::Done));
        let split: usize = scanner
            .elements
            .iter()
            .filter_map(|e| e.findings.as_ref())
            .map(|f| f.items.len())
            .sum();
        assert_eq!(split, 150);
        // Compact, and edited inside a finding.
        let value: Value = serde_json::from_str(&sealed).unwrap();
        let (a, b) = both("r.json", &serde_json::to_string(&value).unwrap(), 64);
        assert_eq!(a, b);
        let edited = sealed.replacen("c1-7 ", "c1-8 ", 1);
        let (a, b) = both("r.json", &edited, 64);
        assert!(matches!(a.as_ref().unwrap().digest, DigestCheck::Mismatch { .. }));
        assert_eq!(a, b);
    }

    #[test]
    fn odd_findings_arrays_read_as_they_always_did() {
        let (sealed, _) = digest::seal(&many_findings()).unwrap();
        let first = "\"findings\": [\n";
        assert!(sealed.contains(first));
        let cases = [
            // Not objects, missing and extra commas, a second or escaped `findings`, a shadow copy.
            sealed.replacen(first, "\"findings\": [ 1, ", 1),
            sealed.replacen(first, "\"findings\": [ \"x\", ", 1),
            sealed.replacen(first, "\"findings\": [ [], ", 1),
            sealed.replacen(
                "},\n        {\n          \"expected\"",
                "}\n        {\n          \"expected\"",
                1,
            ),
            sealed.replacen(
                "},\n        {\n          \"expected\"",
                "},,\n        {\n          \"expected\"",
                1,
            ),
            sealed.replacen(first, "\"findings\": [ ,", 1),
            sealed.replacen(first, "\"find\\u0069ngs\": [\n", 1),
            sealed.replacen(first, "\"findings\": [], \"findings\": [\n", 1),
            sealed.replacen(first, "\"findings\": [], \"find\\u0069ngs\": [\n", 1),
            sealed.replacen("\"message\": \"m\",", "\"message\": \"m\", \"message\": \"n\",", 1),
            sealed.replacen("\"message\": \"m\",", "\"message\": \"m\", \"surprise\": 1,", 1),
            sealed.replacen("\"message\": \"m\",", "\"message\": 7,", 1),
            sealed.replacen("\"kind\": \"container\"", "\"kind\": \"spaceship\"", 1),
            sealed.replacen("\"message\": \"m\",", "\"message\": \"m\\ud800\",", 1),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_ne!(text, &sealed, "case {i} changed nothing");
            let (a, b) = both("x.json", text, 32);
            assert_eq!(a, b, "case {i}");
        }
    }

    #[test]
    fn progress_moves_forward() {
        let (sealed, _) = digest::seal(&full_report()).unwrap();
        let mut load = ChunkedLoad::new("r.json", sealed.into_bytes());
        let mut last = 0;
        let mut steps = 0;
        while load.step(500).is_none() {
            let (done, total) = load.progress();
            assert!(done >= last && done <= total);
            last = done;
            steps += 1;
        }
        assert!(steps > 5, "{steps}");
    }
}
