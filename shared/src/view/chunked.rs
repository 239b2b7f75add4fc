//! Reading a large report in slices, so a browser tab can paint and answer input between them.
//!
//! [`LoadedReport::parse`] reads a file in one go: a 100 MB report holds the page's only thread
//! for seconds. [`ChunkedLoad`] does the same work in steps of a bounded size, each one a few
//! tens of milliseconds, and the viewer yields to the browser between steps:
//!
//! 1. *scan*: find where each element of the top-level `results` array starts and ends (a byte
//!    scanner that only tracks strings and nesting);
//! 2. *envelope*: parse everything but the results (small), the same way [`crate::load`] does;
//! 3. *results*: parse each result, feed its RFC 8785 bytes to the digest's SHA-256 and keep the
//!    typed result.
//!
//! The digest is the one [`crate::digest::verify`] computes: JCS sorts the top-level members and
//! the results are one member, so the canonical bytes are "members before `results`", then each
//! result's canonical bytes, then "members after". Only the common case takes this path: a
//! current-schema dockaudit report under the JCS digest rule, without a byte-order mark, that
//! [`crate::load`] would read without a warning. Anything else — an error, an older schema, a
//! docker-bench-security log, a repaired summary — is read again by [`LoadedReport::parse`], so
//! the result and every message are exactly the ones a one-go read gives.

use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::digest::{self, DigestCheck, Rule};
use crate::load::SourceFormat;
use crate::report::{CheckResult, Report, SCHEMA_VERSION};
use crate::summary::Summary;

use super::state::LoadedReport;

/// Bytes of input a step of the scan covers at most (scanning is cheap per byte).
const SCAN_FACTOR: usize = 8;

/// A report being read step by step.
pub struct ChunkedLoad {
    name: String,
    bytes: Vec<u8>,
    phase: Phase,
}

enum Phase {
    Scan(Scanner),
    Results(Box<Assembly>),
    /// Taken by [`ChunkedLoad::step`] when the result is handed out.
    Finished,
}

/// What the scan found, then the results read so far.
struct Assembly {
    /// Byte ranges of the results' elements in the input.
    elements: Vec<(usize, usize)>,
    next: usize,
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
}

impl ChunkedLoad {
    /// Starts reading `bytes` (a file's or a response's body) named `name`.
    pub fn new(name: &str, bytes: Vec<u8>) -> Self {
        ChunkedLoad {
            name: name.to_string(),
            bytes,
            phase: Phase::Scan(Scanner::default()),
        }
    }

    /// How far the read is, as (done, total) in bytes of input.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.bytes.len();
        match &self.phase {
            Phase::Scan(s) => (s.pos / 2, total),
            Phase::Results(a) => {
                let done = a.elements.get(a.next).map_or(total, |(start, _)| *start);
                (total / 2 + done / 2, total)
            }
            Phase::Finished => (total, total),
        }
    }

    /// Does about `budget` bytes' worth of work; returns the outcome once the read is over.
    /// Each call does at least one unit of work (one result), so any budget finishes.
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
                    let (start, end) = a.elements[a.next];
                    if !a.read_element(&self.bytes[start..end], a.next == 0) {
                        return Some(self.fallback());
                    }
                    a.next += 1;
                    spent += end - start;
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

/// Sets up the digest from the envelope: the input without the results' elements.
fn start_assembly(bytes: &[u8], scan: &Scanner) -> Option<Assembly> {
    let (open, close) = (scan.results_open?, scan.results_close?);
    let mut envelope = Vec::with_capacity(open + 1 + bytes.len() - close);
    envelope.extend_from_slice(&bytes[..=open]);
    envelope.extend_from_slice(&bytes[close..]);
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
    let signed_too = map.contains_key(digest::SIGNATURE_MEMBER);
    // JCS orders members by their names' UTF-16 code units.
    let mut members: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| k.as_str() != "digest").collect();
    members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    let split = members.iter().position(|(k, _)| k.as_str() == "results")?;
    let member = |(k, v): &(&String, &Value)| -> Option<Vec<u8>> {
        let mut out = serde_json_canonicalizer::to_vec(&Value::String((*k).clone())).ok()?;
        out.push(b':');
        out.extend(serde_json_canonicalizer::to_vec(*v).ok()?);
        Some(out)
    };
    // `{` m1 , m2 , … "results":[ <elements> ] , m… `}`, with or without the signature member.
    let frame = |skip_signature: bool| -> Option<(Vec<u8>, Vec<u8>)> {
        let keep = |(k, _): &&(&String, &Value)| !(skip_signature && k.as_str() == digest::SIGNATURE_MEMBER);
        let mut head = b"{".to_vec();
        for m in members[..split].iter().filter(keep) {
            head.extend(member(m)?);
            head.push(b',');
        }
        head.extend_from_slice(b"\"results\":[");
        let mut tail = b"]".to_vec();
        for m in members[split + 1..].iter().filter(keep) {
            tail.push(b',');
            tail.extend(member(m)?);
        }
        tail.push(b'}');
        Some((head, tail))
    };
    let (digest_head, digest_tail) = frame(false)?;
    let (signed, signed_tail) = if signed_too {
        let (head, tail) = frame(true)?;
        (Some(head), tail)
    } else {
        (None, Vec::new())
    };
    let envelope = Report::deserialize(&value).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(&digest_head);
    Some(Assembly {
        elements: scan.elements.clone(),
        next: 0,
        hasher,
        signed,
        digest_tail,
        signed_tail,
        envelope,
        stored,
        results: Vec::with_capacity(scan.elements.len()),
    })
}

impl Assembly {
    /// Reads one result; `false` when it does not read cleanly (the caller falls back).
    fn read_element(&mut self, raw: &[u8], first: bool) -> bool {
        let Ok(text) = std::str::from_utf8(raw) else {
            return false;
        };
        let Ok(value) = crate::json::parse(text) else {
            return false;
        };
        let Ok(canonical) = serde_json_canonicalizer::to_vec(&value) else {
            return false;
        };
        let Ok(result) = CheckResult::deserialize(&value) else {
            return false;
        };
        if !first {
            self.hasher.update(b",");
        }
        self.hasher.update(&canonical);
        if let Some(signed) = &mut self.signed {
            if !first {
                signed.push(b',');
            }
            signed.extend_from_slice(&canonical);
        }
        self.results.push(result);
        true
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
        })
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

/// A resumable byte scanner that finds the top-level `results` array and its elements. It does
/// not validate JSON (the parser does, per piece); it only has to be right about strings, so a
/// bracket inside a string is not taken for structure.
#[derive(Default)]
struct Scanner {
    pos: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// At depth 1, whether the next string is a member name.
    expect_key: bool,
    key_start: usize,
    /// The last member name seen at depth 1.
    last_key: Vec<u8>,
    results_open: Option<usize>,
    results_close: Option<usize>,
    element_start: Option<usize>,
    elements: Vec<(usize, usize)>,
    closed: bool,
}

impl Scanner {
    fn in_results(&self) -> bool {
        self.results_open.is_some() && self.results_close.is_none()
    }

    fn scan(&mut self, bytes: &[u8], budget: usize) -> Scan {
        let end = bytes.len().min(self.pos.saturating_add(budget));
        while self.pos < end {
            let i = self.pos;
            let b = bytes[i];
            self.pos += 1;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.depth == 1 && self.expect_key {
                        self.last_key = bytes[self.key_start..i].to_vec();
                        self.expect_key = false;
                    }
                }
                continue;
            }
            if self.closed {
                if !b.is_ascii_whitespace() {
                    return Scan::Fallback;
                }
                continue;
            }
            match b {
                b'"' => {
                    if self.depth == 0 || (self.in_results() && self.depth == 2) {
                        return Scan::Fallback;
                    }
                    self.in_string = true;
                    self.key_start = i + 1;
                }
                b'{' | b'[' => {
                    if self.depth == 0 && b != b'{' {
                        return Scan::Fallback;
                    }
                    if self.depth == 1 && self.last_key == b"results" {
                        if b != b'[' || self.results_open.is_some() {
                            return Scan::Fallback;
                        }
                        self.results_open = Some(i);
                    } else if self.in_results() && self.depth == 2 {
                        if b != b'{' {
                            return Scan::Fallback;
                        }
                        self.element_start = Some(i);
                    }
                    self.depth += 1;
                    if self.depth == 1 {
                        self.expect_key = true;
                    }
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        return Scan::Fallback;
                    }
                    self.depth -= 1;
                    if self.in_results() && self.depth == 2 {
                        match self.element_start.take() {
                            Some(start) => self.elements.push((start, i + 1)),
                            None => return Scan::Fallback,
                        }
                    } else if self.in_results() && self.depth == 1 {
                        self.results_close = Some(i);
                    }
                    if self.depth == 1 {
                        self.last_key.clear();
                    }
                    if self.depth == 0 {
                        self.closed = true;
                    }
                }
                b',' if self.depth == 1 => {
                    self.expect_key = true;
                    self.last_key.clear();
                }
                b if self.depth == 0 && !b.is_ascii_whitespace() => return Scan::Fallback,
                b if self.in_results() && self.depth == 2 && !matches!(b, b',' | b' ' | b'\n' | b'\r' | b'\t') => {
                    return Scan::Fallback;
                }
                _ => {}
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
