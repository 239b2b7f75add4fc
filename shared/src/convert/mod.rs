//! Interchange formats: a report as SARIF 2.1.0, JUnit XML, HDF (Heimdall) or CSV.
//!
//! Every converter is a pure function of the report (and the catalogue, for the texts a report does
//! not carry), so the CLI and the viewer export byte-identical files and the same report always
//! gives the same output. XML and CSV escaping is written here rather than pulled in, to keep this
//! crate small and buildable for `wasm32-unknown-unknown`.
//!
//! ```
//! use dockaudit_shared::convert::Format;
//! assert_eq!(Format::parse("sarif"), Some(Format::Sarif));
//! assert_eq!(Format::Junit.file_extension(), "junit.xml");
//! ```

pub mod csv;
pub mod hdf;
pub mod junit;
pub mod sarif;

use sha2::{Digest, Sha256};

use crate::catalog;
use crate::report::{CheckResult, Finding, Report, Target, TargetKind};

pub use csv::{results_to_csv, to_csv};
pub use hdf::to_hdf;
pub use junit::to_junit;
pub use sarif::to_sarif;

/// The interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Sarif,
    Junit,
    Hdf,
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Sarif, Format::Junit, Format::Hdf, Format::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Hdf => "hdf",
            Format::Csv => "csv",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// File name suffix consumers recognise (`.sarif` is what GitHub's upload action looks for).
    pub fn file_extension(self) -> &'static str {
        match self {
            Format::Sarif => "sarif",
            Format::Junit => "junit.xml",
            Format::Hdf => "hdf.json",
            Format::Csv => "csv",
        }
    }

    /// MIME type for downloads.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Sarif => "application/sarif+json",
            Format::Junit => "application/xml",
            Format::Hdf => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
        }
    }

    /// The whole report in this format, as the text of a file.
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Sarif => json_text(&to_sarif(report)),
            Format::Junit => to_junit(report),
            Format::Hdf => json_text(&to_hdf(report)),
            Format::Csv => to_csv(report),
        }
    }
}

/// A download name such as `vm-2026-11-29T120833Z.sarif`: host and start time, limited to
/// characters every file system accepts.
pub fn file_name(report: &Report, format: Format) -> String {
    let host = report.host.hostname.as_deref().unwrap_or("dockaudit");
    let when: String = report.run.started_at.chars().filter(|c| *c != ':').collect();
    let stem: String = format!("{host}-{when}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let stem = stem.trim_matches(|c| c == '-' || c == '.');
    let stem = if stem.is_empty() { "dockaudit" } else { stem };
    format!("{stem}.{}", format.file_extension())
}

/// Pretty JSON with a final newline. Serialising a `Value` cannot fail (its keys are strings).
fn json_text(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Stable identity of "this check on this target", for SARIF's `partialFingerprints`.
///
/// SHA-256 over the check id, the target kind and [`Target::key`] (a container's *name*, since ids
/// change when a container is re-created), separated by NUL so no two triples collide. The same
/// check on the same target gives the same value in every run; a renamed container gives another.
pub fn fingerprint(check_id: &str, kind: TargetKind, key: &str) -> String {
    let mut h = Sha256::new();
    h.update(check_id.as_bytes());
    h.update([0]);
    h.update(kind.as_str().as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    s
}

/// The findings of a check grouped by target (kind and key), in order of first appearance: SARIF
/// wants one result per offending target even when a check reports several facts about it.
pub(crate) fn by_target(r: &CheckResult) -> Vec<(&Target, Vec<&Finding>)> {
    let mut groups: Vec<(&Target, Vec<&Finding>)> = Vec::new();
    for f in &r.findings {
        let same = |t: &Target| t.kind == f.target.kind && t.key() == f.target.key();
        match groups.iter_mut().find(|(t, _)| same(t)) {
            Some((_, list)) => list.push(f),
            None => groups.push((&f.target, vec![f])),
        }
    }
    groups
}

/// One finding for people: `container web: message`, then what was found, expected, and the fix.
pub(crate) fn finding_text(f: &Finding) -> String {
    let mut s = format!("{} {}: {}", f.target.kind.as_str(), f.target.display(), f.message);
    match (f.observed.is_empty(), f.expected.is_empty()) {
        (false, false) => s.push_str(&format!("\n  found: {}; expected: {}", f.observed, f.expected)),
        (false, true) => s.push_str(&format!("\n  found: {}", f.observed)),
        (true, false) => s.push_str(&format!("\n  expected: {}", f.expected)),
        (true, true) => {}
    }
    if !f.remediation.is_empty() {
        s.push_str(&format!("\n  fix: {}", f.remediation));
    }
    s
}

/// Every finding of a check, one block per finding.
pub(crate) fn findings_text(r: &CheckResult) -> String {
    r.findings.iter().map(finding_text).collect::<Vec<_>>().join("\n")
}

/// Microseconds as decimal seconds with six places, exactly (no floating-point rounding).
pub(crate) fn seconds(us: u64) -> String {
    format!("{}.{:06}", us / 1_000_000, us % 1_000_000)
}

/// Catalogue texts of a check, or what the report itself carries for ids the catalogue lacks.
pub(crate) struct Texts<'a> {
    pub title: &'a str,
    pub rationale: &'a str,
    pub audit: &'a str,
    pub remediation: &'a str,
    pub impact: &'a str,
}

pub(crate) fn texts(r: &CheckResult) -> Texts<'_> {
    match catalog::get(&r.id) {
        Some(m) => Texts {
            title: if r.title.is_empty() { m.title } else { &r.title },
            rationale: m.rationale,
            audit: m.audit,
            remediation: if r.remediation.is_empty() {
                m.remediation
            } else {
                &r.remediation
            },
            impact: m.impact,
        },
        None => Texts {
            title: &r.title,
            rationale: "",
            audit: "",
            remediation: &r.remediation,
            impact: "",
        },
    }
}

/// Whether `s` is an RFC 3339 date-time (`2026-01-05T10:00:00Z`, optional fraction and offset):
/// SARIF and the JUnit schema type their time fields, so anything else is left out.
pub(crate) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let fixed = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !fixed {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use crate::test_support::report_with;

    fn container(name: &str) -> Finding {
        Finding {
            target: Target::new(TargetKind::Container, format!("id-{name}"), name),
            message: format!("{name} is privileged"),
            observed: "true".into(),
            expected: "false".into(),
            remediation: format!("re-create {name}"),
        }
    }

    #[test]
    fn convert_fingerprint_follows_check_and_container_name() {
        let a = fingerprint("5.5", TargetKind::Container, "web");
        assert_eq!(a, fingerprint("5.5", TargetKind::Container, "web"));
        assert_eq!(a.len(), 64);
        assert_ne!(a, fingerprint("5.5", TargetKind::Container, "web2"));
        assert_ne!(a, fingerprint("5.4", TargetKind::Container, "web"));
        assert_ne!(a, fingerprint("5.5", TargetKind::Image, "web"));
        // The separator keeps ("5.5", "1") and ("5.51", "") apart.
        assert_ne!(
            fingerprint("5.5", TargetKind::Host, "1"),
            fingerprint("5.51", TargetKind::Host, "")
        );
    }

    #[test]
    fn convert_groups_findings_by_target_in_order() {
        let mut twice = container("web");
        twice.message = "second fact".into();
        let r = report_with(vec![(
            "5.5",
            Status::Fail,
            vec![container("web"), container("db"), twice],
        )]);
        let groups = by_target(&r.results[0]);
        let names: Vec<(&str, usize)> = groups.iter().map(|(t, f)| (t.name.as_str(), f.len())).collect();
        assert_eq!(names, [("web", 2), ("db", 1)]);
    }

    #[test]
    fn convert_seconds_are_exact() {
        assert_eq!(seconds(0), "0.000000");
        assert_eq!(seconds(1_234_567), "1.234567");
        assert_eq!(seconds(42), "0.000042");
    }

    #[test]
    fn convert_recognises_rfc3339() {
        for ok in [
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:00:00.123Z",
            "2026-01-05T10:00:00+02:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "",
            "yesterday",
            "2026-01-05",
            "2026-01-05 10:00:00Z",
            "2026-01-05T10:00:00",
            "2026-01-05T10:00:00.Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn convert_file_names_are_safe() {
        let mut r = report_with(vec![]);
        r.run.started_at = "2026-11-29T12:08:33Z".into();
        assert_eq!(file_name(&r, Format::Sarif), "host-a-2026-11-29T120833Z.sarif");
        r.host.hostname = Some("../../etc/<x>".into());
        let name = file_name(&r, Format::Csv);
        assert!(
            !name.contains('/') && !name.contains('<') && name.ends_with(".csv"),
            "{name}"
        );
    }

    #[test]
    fn convert_every_format_renders_the_minimal_report() {
        let r = report_with(vec![("5.5", Status::Fail, vec![container("web")])]);
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(f));
            assert!(!f.render(&r).is_empty(), "{f:?}");
        }
    }
}
