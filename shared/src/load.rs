//! Reading a report file of any supported kind: the one entry point for the CLI and the viewer.
//!
//! [`load`] takes the file's text and decides what it is: a dockaudit report (of this or an older
//! schema version) or a docker-bench-security JSON log, which is converted by [`crate::import`].
//! Every failure is a [`LoadError`] whose message tells a reviewer what is wrong with the file and
//! what to do, because the person opening a report is rarely the one who produced it.
//!
//! The digest is always checked over the parsed JSON as written, never over a re-serialised typed
//! report, so fields this build does not know about still count (see [`crate::digest`]).

use serde::Deserialize;
use serde_json::Value;

use crate::digest::{self, DigestCheck};
use crate::report::{CheckResult, CollectionError, DerivedFrom, Finding, Host, Report, Run, Tool};
use crate::summary::Summary;
use crate::{catalog, import, SCHEMA_VERSION};

/// A successfully read file.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The report, converted to the current schema.
    pub report: Report,
    /// The file's own digest checked against its content (`Missing` for foreign formats).
    pub digest: DigestCheck,
    pub format: SourceFormat,
    /// Things a reviewer should know that did not stop loading (conversions, repairs, oddities).
    pub warnings: Vec<String>,
    /// For a report carrying an SSH signature: the bytes it covers, as read from the file
    /// ([`crate::digest::signed_bytes`]); `None` for unsigned reports.
    pub signed_bytes: Option<Vec<u8>>,
}

impl Loaded {
    /// The collector's SSH signature checked against `allowed` at Unix time `now`: namespace
    /// `dockaudit-report`, signed at the run's end (`run.finished_at`).
    pub fn signature_status(
        &self,
        allowed: &crate::sshsig::AllowedSigners,
        now: i64,
    ) -> crate::sshsig::SignatureStatus {
        crate::sshsig::report_signature_status(&self.report, self.signed_bytes.as_deref(), allowed, now)
    }

    /// Check ids with more than one result (sorted): a reader that keeps one of them could hide a
    /// failure behind a pass, so comparing and viewing refuse such a report ([`require_unique_results`]).
    pub fn repeated_ids(&self) -> Vec<String> {
        repeated_ids(&self.report)
    }
}

/// Check ids with more than one result in `report`, sorted, each once.
pub fn repeated_ids(report: &Report) -> Vec<String> {
    let mut ids: Vec<&str> = report.results.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let mut repeated: Vec<String> = ids
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0].to_string())
        .collect();
    repeated.dedup();
    repeated
}

/// Refuses a report with two results for one check id (for `diff` and the viewer).
pub fn require_unique_results(report: &Report) -> Result<(), LoadError> {
    let repeated = repeated_ids(report);
    if repeated.is_empty() {
        return Ok(());
    }
    let refs: Vec<&str> = repeated.iter().map(String::as_str).collect();
    Err(LoadError::RepeatedResults {
        ids: list_preview(&refs, 12),
    })
}

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// A dockaudit report, with the schema version it was written in.
    Dockaudit { schema_version: u32 },
    /// A docker-bench-security JSON log (`docker-bench-security.log.json`).
    DockerBenchSecurity,
}

impl SourceFormat {
    /// Short label for people, e.g. "dockaudit report (schema 1)".
    pub fn label(&self) -> String {
        match self {
            SourceFormat::Dockaudit { schema_version } => {
                format!("dockaudit report (schema {schema_version})")
            }
            SourceFormat::DockerBenchSecurity => "docker-bench-security log".to_string(),
        }
    }
}

/// Why a file could not be read. Messages are complete sentences for the person opening the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    #[error("The file is empty.")]
    Empty,
    #[error("This file is not JSON: {detail} at line {line}, column {column}.")]
    NotJson { line: usize, column: usize, detail: String },
    #[error(
        "The file ends early at line {line}, column {column} — it is probably truncated (an interrupted download or copy)."
    )]
    Truncated { line: usize, column: usize },
    #[error("This is neither a dockaudit report nor a docker-bench-security log: the file holds {found}.")]
    NotAReport { found: String },
    #[error(
        "This report was written by a newer dockaudit (schema {found}); this program reads schema versions up to {supported} — upgrade dockaudit to open it."
    )]
    NewerSchema { found: u64, supported: u32 },
    #[error("This dockaudit report does not match its format: {detail}.")]
    InvalidReport { detail: String },
    #[error("This docker-bench-security log cannot be read: {detail}.")]
    InvalidDockerBench { detail: String },
    #[error(
        "The file names the member \"{name}\" twice in one object (line {line}, column {column}); readers disagree on which copy counts, so it is refused."
    )]
    DuplicateKey { name: String, line: usize, column: usize },
    #[error(
        "The report holds more than one result for check(s) {ids}; one could hide another (a failure behind a pass), so it is refused."
    )]
    RepeatedResults { ids: String },
}

/// Reads a dockaudit report or a docker-bench-security log from its text.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    let mut warnings = Vec::new();
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            warnings
                .push("The file starts with a byte-order mark (added by some Windows editors); it was ignored.".into());
            rest
        }
        None => text,
    };
    if text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    let value: Value = crate::json::parse(text).map_err(json_error)?;
    let digest = digest::verify(&value);
    match detect(&value) {
        Kind::Dockaudit => {
            let signed_bytes = value
                .get(digest::SIGNATURE_MEMBER)
                .map(|_| digest::signed_bytes(&value));
            let (report, schema_version) = read_dockaudit(value, &mut warnings)?;
            Ok(Loaded {
                report,
                digest,
                format: SourceFormat::Dockaudit { schema_version },
                warnings,
                signed_bytes,
            })
        }
        Kind::DockerBench => {
            let outcome = import::dbs::import_dbs(&value)?;
            warnings.extend(outcome.notes);
            Ok(Loaded {
                report: outcome.report,
                digest,
                format: SourceFormat::DockerBenchSecurity,
                warnings,
                signed_bytes: None,
            })
        }
        Kind::Other => Err(LoadError::NotAReport {
            found: describe(&value),
        }),
    }
}

enum Kind {
    Dockaudit,
    DockerBench,
    Other,
}

/// Decides the format from the top-level keys. A report without `schema_version` is still treated
/// as ours when it has our other top-level members, so the error names the missing field.
fn detect(value: &Value) -> Kind {
    let Some(obj) = value.as_object() else {
        return Kind::Other;
    };
    let ours = obj.contains_key("schema_version") || ["tool", "run", "summary"].iter().any(|k| obj.contains_key(*k));
    if obj.contains_key("dockerbenchsecurity") {
        Kind::DockerBench
    } else if obj.contains_key("results") && ours {
        Kind::Dockaudit
    } else {
        Kind::Other
    }
}

fn json_error(e: serde_json::Error) -> LoadError {
    let (line, column) = (e.line(), e.column());
    if crate::json::is_duplicate_key(&e) {
        let full = e.to_string();
        return LoadError::DuplicateKey {
            name: full.split('"').nth(1).unwrap_or_default().to_string(),
            line,
            column,
        };
    }
    match e.classify() {
        serde_json::error::Category::Eof => LoadError::Truncated { line, column },
        _ => {
            // serde_json appends " at line L column C"; we say it in our own sentence instead.
            let full = e.to_string();
            let suffix = format!(" at line {line} column {column}");
            let detail = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
            LoadError::NotJson { line, column, detail }
        }
    }
}

/// Reads the schema version, upgrades older documents step by step, then parses the typed report.
fn read_dockaudit(value: Value, warnings: &mut Vec<String>) -> Result<(Report, u32), LoadError> {
    let version = match value.get("schema_version") {
        None | Some(Value::Null) => {
            return Err(invalid(
                "it has no schema_version field, which every dockaudit report carries (it may come from another tool or have been edited)",
            ))
        }
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) => v,
            None => return Err(invalid(format!("schema_version must be a whole number from 1 up, found {n}"))),
        },
        Some(other) => {
            return Err(invalid(format!("schema_version must be a whole number, found {}", describe(other))))
        }
    };
    let current = u64::from(SCHEMA_VERSION);
    if version > current {
        return Err(LoadError::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(invalid(
            "schema_version 0 was never written by dockaudit (versions start at 1)",
        ));
    }
    // `version` is between 1 and SCHEMA_VERSION here, so it fits in u32.
    let version = u32::try_from(version).unwrap_or(SCHEMA_VERSION);
    let upgraded = upgrade(value, version)?;
    if version != SCHEMA_VERSION {
        warnings.push(format!(
            "This report uses schema {version}; it was converted to schema {SCHEMA_VERSION} for display. Its digest covers the original."
        ));
    }
    let mut report = Report::deserialize(&upgraded).map_err(|e| invalid(locate(&upgraded, &e)))?;
    check_consistency(&mut report, warnings);
    Ok((report, version))
}

/// Rewrites a report of schema `from` into the current schema, one version at a time; each step
/// is a small, tested function.
fn upgrade(mut value: Value, from: u32) -> Result<Value, LoadError> {
    refuse_later_members(&value, from)?;
    let mut version = from;
    while version != SCHEMA_VERSION {
        value = match version {
            1 => migrate_v1(value)?,
            2 => migrate_v2(value)?,
            other => {
                return Err(invalid(format!(
                    "schema_version {other} is not one this program can convert"
                )))
            }
        };
        version += 1;
    }
    Ok(value)
}

/// Optional top-level members and the schema version that introduced them.
const LATER_MEMBERS: [(&str, u32); 2] = [("hardening", 2), ("target_labels", 3)];

/// A report that says it is of schema `version` but holds a member of a later one is refused
/// rather than half-read: an older reader would have rejected it, so it was not written that way.
fn refuse_later_members(value: &Value, version: u32) -> Result<(), LoadError> {
    let Some(obj) = value.as_object() else {
        return Err(invalid("a report is a JSON object"));
    };
    match LATER_MEMBERS
        .iter()
        .find(|(m, since)| version < *since && obj.contains_key(*m))
    {
        Some((member, since)) => Err(invalid(format!(
            "it says schema_version {version} but holds `{member}`, which only schema {since} and later carry"
        ))),
        None => Ok(()),
    }
}

/// Schema 1 → 2: version 2 only adds the optional `hardening` member.
fn migrate_v1(value: Value) -> Result<Value, LoadError> {
    set_version(value, 2)
}

/// Schema 2 → 3: version 3 only adds the optional `target_labels` member.
fn migrate_v2(value: Value) -> Result<Value, LoadError> {
    set_version(value, 3)
}

fn set_version(mut value: Value, to: u32) -> Result<Value, LoadError> {
    let Some(obj) = value.as_object_mut() else {
        return Err(invalid("a report is a JSON object"));
    };
    obj.insert("schema_version".into(), Value::from(to));
    Ok(value)
}

fn invalid(detail: impl Into<String>) -> LoadError {
    LoadError::InvalidReport { detail: detail.into() }
}

/// Finds the innermost part of the report that fails to parse, so the message names a path such as
/// `results[3] (id "2.1"): missing field `title``. serde_json alone only says "missing field".
fn locate(value: &Value, top: &serde_json::Error) -> String {
    fn fails<T: for<'de> Deserialize<'de>>(v: &Value) -> Option<String> {
        T::deserialize(v).err().map(|e| e.to_string())
    }
    let Some(obj) = value.as_object() else {
        return top.to_string();
    };

    if let Some(results) = obj.get("results").and_then(Value::as_array) {
        for (i, r) in results.iter().enumerate() {
            let Some(err) = fails::<CheckResult>(r) else {
                continue;
            };
            let label = match r.get("id").and_then(Value::as_str) {
                Some(id) => format!("results[{i}] (id \"{id}\")"),
                None => format!("results[{i}]"),
            };
            if let Some(findings) = r.get("findings").and_then(Value::as_array) {
                for (j, f) in findings.iter().enumerate() {
                    if let Some(err) = fails::<Finding>(f) {
                        return format!("{label}.findings[{j}]: {err}");
                    }
                }
            }
            return format!("{label}: {err}");
        }
    }
    if let Some(errors) = obj.get("errors").and_then(Value::as_array) {
        for (i, e) in errors.iter().enumerate() {
            if let Some(err) = fails::<CollectionError>(e) {
                return format!("errors[{i}]: {err}");
            }
        }
    }
    type Probe = fn(&Value) -> Option<String>;
    let members: [(&str, Probe); 5] = [
        ("tool", fails::<Tool>),
        ("run", fails::<Run>),
        ("host", fails::<Host>),
        ("summary", fails::<Summary>),
        ("derived_from", fails::<Option<DerivedFrom>>),
    ];
    for (key, probe) in members {
        if let Some(err) = obj.get(key).and_then(probe) {
            return format!("{key}: {err}");
        }
    }
    format!("top level: {top}")
}

/// Repairs and reports what a hand-edited or foreign-built report could get wrong without breaking
/// the format: a stale summary and missing or repeated check ids.
fn check_consistency(report: &mut Report, warnings: &mut Vec<String>) {
    let computed = Summary::compute(&report.results);
    if computed != report.summary {
        warnings.push(
            "The stored summary does not match the results (the file was probably edited); totals and score were recomputed from the results.".into(),
        );
        report.summary = computed;
    }
    let missing: Vec<&str> = catalog::all()
        .map(|c| c.id)
        .filter(|id| report.result(id).is_none())
        .collect();
    if !missing.is_empty() {
        warnings.push(format!(
            "The report has no result for {} catalogue check(s): {}.",
            missing.len(),
            list_preview(&missing, 12)
        ));
    }
    let repeated = repeated_ids(report);
    if !repeated.is_empty() {
        let refs: Vec<&str> = repeated.iter().map(String::as_str).collect();
        warnings.push(format!(
            "Some check ids appear more than once: {}.",
            list_preview(&refs, 12)
        ));
    }
}

fn list_preview(items: &[&str], max: usize) -> String {
    let mut text = items.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if items.len() > max {
        text.push_str(&format!(" and {} more", items.len() - max));
    }
    text
}

/// Describes a JSON value in a few words for error messages ("a JSON object with keys a, b, c…").
fn describe(value: &Value) -> String {
    const MAX_KEYS: usize = 8;
    match value {
        Value::Null => "JSON null".into(),
        Value::Bool(b) => format!("the JSON value {b}"),
        Value::Number(n) => format!("the JSON number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a JSON string".into(),
        Value::String(s) => format!("the JSON string \"{s}\""),
        Value::Array(items) if items.is_empty() => "an empty JSON array".into(),
        Value::Array(items) => format!("a JSON array of {} item(s)", items.len()),
        Value::Object(map) if map.is_empty() => "an empty JSON object".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(MAX_KEYS).map(|k| shorten(k, 40)).collect();
            let more = if map.len() > MAX_KEYS { "…" } else { "" };
            let hint = foreign_hint(map);
            format!("a JSON object with keys {}{more}{hint}", keys.join(", "))
        }
    }
}

/// Names formats people commonly confuse with ours, so the message says what the file really is.
fn foreign_hint(map: &serde_json::Map<String, Value>) -> &'static str {
    if map.contains_key("runs") && (map.contains_key("$schema") || map.contains_key("version")) {
        " (it looks like a SARIF log)"
    } else if map.contains_key("profiles") && map.contains_key("platform") {
        " (it looks like an InSpec/HDF result)"
    } else if map.contains_key("text") && map.contains_key("tests") && map.contains_key("node_type") {
        " (it looks like aquasecurity/docker-bench output, which is not supported)"
    } else {
        ""
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use crate::test_support::report_with;

    fn sealed_report() -> String {
        let report = report_with(vec![("2.1", Status::Pass, vec![]), ("5.4", Status::Fail, vec![])]);
        digest::seal(&report).unwrap().0
    }

    #[test]
    fn reads_a_sealed_report_with_a_valid_digest() {
        let loaded = load(&sealed_report()).unwrap();
        assert_eq!(
            loaded.format,
            SourceFormat::Dockaudit {
                schema_version: SCHEMA_VERSION
            }
        );
        assert!(loaded.digest.is_valid(), "{:?}", loaded.digest);
        assert_eq!(loaded.report.results.len(), 2);
        // A two-check test report lacks most catalogue ids; that is a warning, not an error.
        assert!(
            loaded.warnings.iter().any(|w| w.contains("115 catalogue check")),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn a_version_1_report_reads_as_version_2_without_hardening() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["schema_version"] = 1.into();
        let loaded = load(&v.to_string()).unwrap();
        assert_eq!(loaded.format, SourceFormat::Dockaudit { schema_version: 1 });
        assert_eq!(loaded.report.schema_version, SCHEMA_VERSION);
        assert_eq!(loaded.report.hardening, None);
        assert!(
            loaded.warnings.iter().any(|w| w.contains("uses schema 1")),
            "{:?}",
            loaded.warnings
        );

        v["hardening"] = serde_json::json!({"proposals": []});
        let err = load(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("only schema 2"), "{err}");
    }

    #[test]
    fn a_version_2_report_reads_as_version_3_without_labels_and_one_holding_them_is_refused() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["schema_version"] = 2.into();
        v["hardening"] = serde_json::json!({"proposals": []});
        let loaded = load(&v.to_string()).unwrap();
        assert_eq!(loaded.format, SourceFormat::Dockaudit { schema_version: 2 });
        assert_eq!(loaded.report.schema_version, 3);
        assert_eq!(loaded.report.target_labels, None);

        let labels =
            serde_json::json!([{"target": {"kind": "container", "id": "i", "name": "web"}, "labels": {"team": "pay"}}]);
        v["target_labels"] = labels.clone();
        let err = load(&v.to_string()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "This dockaudit report does not match its format: it says schema_version 2 but holds `target_labels`, which only schema 3 and later carry."
        );
        v["schema_version"] = 1.into();
        v.as_object_mut().unwrap().remove("hardening");
        let err = load(&v.to_string()).unwrap_err();
        assert!(
            err.to_string().contains("schema_version 1 but holds `target_labels`"),
            "{err}"
        );

        // Schema 3 carries them, sealed and read back.
        let mut r = report_with(vec![("5.4", Status::Fail, vec![])]);
        r.target_labels = Some(serde_json::from_value(labels).unwrap());
        let loaded = load(&digest::seal(&r).unwrap().0).unwrap();
        assert!(loaded.digest.is_valid());
        assert_eq!(loaded.report.target_labels, r.target_labels);
    }

    #[test]
    fn one_changed_byte_breaks_the_digest() {
        let text = sealed_report().replace("host-a", "host-b");
        let loaded = load(&text).unwrap();
        assert!(
            matches!(loaded.digest, DigestCheck::Mismatch { .. }),
            "{:?}",
            loaded.digest
        );
    }

    #[test]
    fn report_without_digest_is_missing() {
        let report = report_with(vec![("2.1", Status::Pass, vec![])]);
        let loaded = load(&serde_json::to_string(&report).unwrap()).unwrap();
        assert!(matches!(loaded.digest, DigestCheck::Missing { .. }));
    }

    #[test]
    fn unknown_fields_are_rejected_but_do_not_escape_the_digest() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["surprise"] = Value::Bool(true);
        let err = load(&v.to_string()).unwrap_err();
        assert!(
            matches!(&err, LoadError::InvalidReport { detail } if detail.contains("surprise")),
            "{err}"
        );
    }

    #[test]
    fn half_a_report_is_truncated() {
        let text = sealed_report();
        let half = &text[..text.len() / 2];
        let err = load(half).unwrap_err();
        assert!(matches!(err, LoadError::Truncated { line, .. } if line > 1), "{err:?}");
        assert!(err.to_string().contains("truncated"));
    }

    #[test]
    fn garbage_is_not_json_with_position() {
        let err = load("{\n  \"a\": 1,\n  oops\n}").unwrap_err();
        match &err {
            LoadError::NotJson { line, column, detail } => {
                assert_eq!((*line, *column), (3, 3));
                assert!(!detail.contains("line"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().starts_with("This file is not JSON: "));
        assert!(matches!(
            load("<html>").unwrap_err(),
            LoadError::NotJson { line: 1, column: 1, .. }
        ));
    }

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert_eq!(load("").unwrap_err(), LoadError::Empty);
        assert_eq!(load(" \n\t").unwrap_err(), LoadError::Empty);
        assert_eq!(load("\u{feff}").unwrap_err(), LoadError::Empty);
    }

    #[test]
    fn byte_order_mark_is_tolerated() {
        let loaded = load(&format!("\u{feff}{}", sealed_report())).unwrap();
        assert!(loaded.digest.is_valid());
        assert!(loaded.warnings.iter().any(|w| w.contains("byte-order mark")));
    }

    #[test]
    fn other_json_is_not_a_report() {
        let err = load("[]").unwrap_err();
        assert_eq!(
            err,
            LoadError::NotAReport {
                found: "an empty JSON array".into()
            }
        );
        let err = load(r#"{"b": 1, "a": 2, "c": [1]}"#).unwrap_err();
        assert_eq!(
            err,
            LoadError::NotAReport {
                found: "a JSON object with keys a, b, c".into()
            }
        );
        let err = load(r#"{"version": "2.1.0", "runs": []}"#).unwrap_err();
        assert!(err.to_string().contains("SARIF"), "{err}");
        let many = (0..20)
            .map(|i| format!("\"k{i:02}\": {i}"))
            .collect::<Vec<_>>()
            .join(",");
        let err = load(&format!("{{{many}}}")).unwrap_err();
        assert!(err.to_string().contains("k07…"), "{err}");
        assert!(matches!(load("42").unwrap_err(), LoadError::NotAReport { .. }));
    }

    #[test]
    fn newer_schema_asks_for_an_upgrade() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["schema_version"] = 99.into();
        let err = load(&v.to_string()).unwrap_err();
        assert_eq!(
            err,
            LoadError::NewerSchema {
                found: 99,
                supported: SCHEMA_VERSION
            }
        );
        assert!(err.to_string().contains("upgrade"));
    }

    #[test]
    fn schema_version_zero_missing_or_odd_is_explained() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["schema_version"] = 0.into();
        let err = load(&v.to_string()).unwrap_err();
        assert!(
            matches!(&err, LoadError::InvalidReport { detail } if detail.contains("schema_version 0")),
            "{err}"
        );

        v["schema_version"] = "1".into();
        let err = load(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("whole number"), "{err}");

        v.as_object_mut().unwrap().remove("schema_version");
        let err = load(&v.to_string()).unwrap_err();
        assert!(
            matches!(&err, LoadError::InvalidReport { detail } if detail.contains("no schema_version")),
            "{err}"
        );
    }

    #[test]
    fn missing_field_is_named_with_its_path() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["results"][1].as_object_mut().unwrap().remove("title");
        let err = load(&v.to_string()).unwrap_err();
        match &err {
            LoadError::InvalidReport { detail } => {
                assert!(detail.contains("results[1] (id \"5.4\")"), "{detail}");
                assert!(detail.contains("title"), "{detail}");
            }
            other => panic!("{other:?}"),
        }

        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v.as_object_mut().unwrap().remove("host");
        let err = load(&v.to_string()).unwrap_err();
        assert!(err.to_string().contains("top level: missing field `host`"), "{err}");

        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["results"][0]["status"] = "great".into();
        let err = load(&v.to_string()).unwrap_err();
        assert!(
            err.to_string().contains("results[0]") && err.to_string().contains("great"),
            "{err}"
        );
    }

    #[test]
    fn stale_summary_is_recomputed() {
        let mut v: Value = serde_json::from_str(&sealed_report()).unwrap();
        v["results"][1]["status"] = "pass".into();
        let loaded = load(&v.to_string()).unwrap();
        assert!(matches!(loaded.digest, DigestCheck::Mismatch { .. }));
        assert_eq!(loaded.report.summary.counts.pass, 2);
        assert!(loaded.warnings.iter().any(|w| w.contains("summary")));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let field = format!("\"schema_version\": {SCHEMA_VERSION},");
        let text = sealed_report().replacen(&field, &format!("{field} {field}"), 1);
        let err = load(&text).unwrap_err();
        assert!(
            matches!(&err, LoadError::DuplicateKey { name, .. } if name == "schema_version"),
            "{err:?}"
        );
        // A shadow copy of a result's status deep inside is found too.
        let text = sealed_report().replacen("\"status\": \"fail\"", "\"status\": \"fail\", \"status\": \"pass\"", 1);
        assert!(matches!(load(&text), Err(LoadError::DuplicateKey { .. })));
    }

    #[test]
    fn repeated_results_are_named_and_refused_where_it_matters() {
        let report = report_with(vec![("2.1", Status::Fail, vec![]), ("2.1", Status::Pass, vec![])]);
        let loaded = load(&digest::seal(&report).unwrap().0).unwrap();
        assert_eq!(loaded.repeated_ids(), ["2.1"]);
        assert!(loaded.warnings.iter().any(|w| w.contains("more than once: 2.1")));
        let err = require_unique_results(&loaded.report).unwrap_err();
        assert!(err.to_string().contains("check(s) 2.1"), "{err}");
    }

    #[test]
    fn docker_bench_log_is_imported() {
        let text = include_str!("../../tests/fixtures/dbs/docker-bench-log.json");
        let loaded = load(text).unwrap();
        assert_eq!(loaded.format, SourceFormat::DockerBenchSecurity);
        assert!(matches!(loaded.digest, DigestCheck::Missing { .. }));
        assert_eq!(loaded.report.tool.name, "docker-bench-security");
        assert!(!loaded.warnings.is_empty());
    }

    #[test]
    fn docker_bench_log_without_tests_is_explained() {
        let err = load(r#"{"dockerbenchsecurity": "1.6.0", "start": 1}"#).unwrap_err();
        assert!(matches!(err, LoadError::InvalidDockerBench { .. }), "{err:?}");
    }
}
