//! SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.
//!
//! * One rule per check (all 117, whatever ran), with the title, rationale, remediation and the
//!   CIS level and evaluation as properties.
//! * One result per offending target of a `fail`, `warn`, `manual`, `info` or `error` check; `pass`,
//!   `not_applicable` and `skipped` give none, so a dashboard lists only what needs attention.
//! * Levels: `fail` and `error` → `error`, `warn` → `warning`, `manual` and `info` → `note`.
//! * Severity: each catalogue rule carries `properties.security-severity` (GitHub's numeric string:
//!   critical 9.5, high 8.0, medium 5.5, low 3.0) and `severity`; a rule dockaudit decides defaults to
//!   `error` when critical or high, `warning` when medium, `note` when low (review checks: `note`).
//! * Each result carries `partialFingerprints["dockauditTarget/v1"]` ([`super::fingerprint`]), so a
//!   re-upload of the next scan updates the same alert instead of opening a new one.
//! * Each result has one location: a physical one GitHub can show (a host file relative to the
//!   `HOSTROOT` base, `file:///`; otherwise `docker/<kind>/<key>`) and a logical one naming the
//!   target. Facts that could not be gathered become the invocation's tool notifications.

use serde_json::{json, Map, Value};

use super::{by_target, finding_text, fingerprint, is_rfc3339, texts};
use crate::catalog::{self, CheckMeta, Evaluation};
use crate::report::{CheckResult, Finding, Report, Status, Target, TargetKind};

/// `$schema` written into every log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Name of the fingerprint in `partialFingerprints` (versioned, so a change of recipe is visible).
pub const FINGERPRINT_KEY: &str = "dockauditTarget/v1";
/// Base id of host file locations.
pub const HOST_ROOT: &str = "HOSTROOT";

/// The SARIF level of a status, or `None` when the status produces no result.
pub fn level(status: Status) -> Option<&'static str> {
    match status {
        Status::Fail | Status::Error => Some("error"),
        Status::Warn => Some("warning"),
        Status::Manual | Status::Info => Some("note"),
        Status::Pass | Status::NotApplicable | Status::Skipped => None,
    }
}

/// The report as a SARIF 2.1.0 log with one run.
pub fn to_sarif(report: &Report) -> Value {
    let mut rule_ids: Vec<&str> = catalog::all().map(|m| m.id).collect();
    for r in &report.results {
        if !rule_ids.contains(&r.id.as_str()) {
            rule_ids.push(&r.id);
        }
    }
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| match catalog::get(id) {
            Some(meta) => catalogue_rule(meta),
            None => report_rule(id, report.result(id)),
        })
        .collect();

    let mut results = Vec::new();
    for r in &report.results {
        let Some(level) = level(r.status) else { continue };
        let index = rule_ids.iter().position(|id| *id == r.id).unwrap_or_default();
        let groups = by_target(r);
        if groups.is_empty() {
            results.push(result(r, index, level, None, &check_message(report, r)));
        } else {
            for (target, findings) in groups {
                let text = findings.iter().map(|f| finding_text(f)).collect::<Vec<_>>().join("\n");
                results.push(result(r, index, level, Some((target, &findings)), &text));
            }
        }
    }

    let mut driver = json!({
        "name": non_empty(&report.tool.name, "dockaudit"),
        "fullName": format!("{} (CIS Docker Benchmark {})", non_empty(&report.tool.name, "dockaudit"), report.benchmark.version),
        "version": non_empty(&report.tool.version, "unknown"),
        "rules": rules,
    });
    if is_semver(&report.tool.version) {
        driver["semanticVersion"] = json!(report.tool.version);
    }

    let host = report.host.hostname.as_deref().unwrap_or("unknown-host");
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            // GitHub keys alerts by category (the part before the last `/`): one per audited host.
            "automationDetails": {
                "id": format!("dockaudit/{}/{}", host.replace('/', "_"), report.run.id),
                "description": { "text": format!("CIS Docker Benchmark {} audit of {host}", report.benchmark.version) },
            },
            "invocations": [invocation(report)],
            "originalUriBaseIds": {
                HOST_ROOT: {
                    "uri": "file:///",
                    "description": { "text": "Root of the audited host's file system." },
                },
            },
            "results": results,
            "properties": run_properties(report),
        }],
    })
}

fn non_empty<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() {
        fallback
    } else {
        s
    }
}

/// `MAJOR.MINOR.PATCH` with an optional pre-release or build suffix.
fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn catalogue_rule(m: &CheckMeta) -> Value {
    let help_text = format!(
        "{}\n\nRationale: {}\n\nAudit: {}\n\nImpact: {}",
        m.remediation, m.rationale, m.audit, m.impact
    );
    let help_markdown = format!(
        "**Remediation.** {}\n\n**Rationale.** {}\n\n**How dockaudit audits it.** {}\n\n**Impact.** {}",
        m.remediation, m.rationale, m.audit, m.impact
    );
    let evaluation = match m.evaluation {
        Evaluation::Automatic => "automatic",
        Evaluation::Review => "review",
    };
    json!({
        "id": m.id,
        "name": format!("CIS-Docker-{}", m.id),
        "shortDescription": { "text": m.title },
        "fullDescription": { "text": m.rationale },
        "help": { "text": help_text, "markdown": help_markdown },
        "defaultConfiguration": { "level": rule_level(m) },
        "properties": {
            "tags": ["security", "cis-docker-1.6.0", format!("level-{}", m.level), format!("section-{}", m.section), evaluation],
            "security-severity": m.severity.sarif_score(),
            "severity": m.severity.as_str(),
            "cisId": m.id,
            "cisLevel": m.level,
            "section": m.section,
            "assessment": match m.assessment {
                catalog::Assessment::Automated => "automated",
                catalog::Assessment::Manual => "manual",
            },
            "evaluation": evaluation,
        },
    })
}

/// A catalogue rule's level: from its severity when dockaudit decides it, a note for review checks.
fn rule_level(m: &CheckMeta) -> &'static str {
    match m.evaluation {
        Evaluation::Automatic => m.severity.sarif_level(),
        Evaluation::Review => "note",
    }
}

/// Checks dockaudit decides are errors when they fail; review checks are notes for a person.
fn default_level(e: Evaluation) -> &'static str {
    match e {
        Evaluation::Automatic => "error",
        Evaluation::Review => "note",
    }
}

/// A rule for an id the catalogue does not know (hand-made or imported reports), from the report.
fn report_rule(id: &str, r: Option<&CheckResult>) -> Value {
    let title = r.map(|r| r.title.as_str()).filter(|t| !t.is_empty()).unwrap_or(id);
    let remediation = r.map(|r| r.remediation.as_str()).unwrap_or_default();
    let evaluation = r.map(|r| r.evaluation).unwrap_or(Evaluation::Review);
    let mut rule = json!({
        "id": id,
        "shortDescription": { "text": title },
        "fullDescription": { "text": title },
        "defaultConfiguration": { "level": default_level(evaluation) },
        "properties": { "tags": ["security", "cis-docker-1.6.0"], "cisId": id },
    });
    if !remediation.is_empty() {
        rule["help"] = json!({ "text": remediation });
    }
    rule
}

/// Message of a result without a target: the check's summary, and for `error` what was missing.
fn check_message(report: &Report, r: &CheckResult) -> String {
    let title = texts(r).title;
    let mut text = match r.status {
        Status::Error => format!("{} {title}: not evaluated. {}", r.id, r.summary),
        _ => format!("{} {title}: {}", r.id, r.summary),
    };
    for e in report.errors.iter().filter(|e| e.affects.contains(&r.id)) {
        text.push_str(&format!("\ncould not read {}: {}", e.source, e.reason));
    }
    text
}

fn result(r: &CheckResult, index: usize, level: &str, target: Option<(&Target, &[&Finding])>, text: &str) -> Value {
    let (kind, key) = target.map_or((TargetKind::Host, ""), |(t, _)| (t.kind, t.key()));
    let mut props = Map::new();
    props.insert("status".into(), json!(r.status.as_str()));
    props.insert("cisLevel".into(), json!(r.level));
    if let Some(severity) = catalog::severity::of(&r.id) {
        props.insert("severity".into(), json!(severity.as_str()));
    }
    if let Some((t, findings)) = target {
        props.insert(
            "target".into(),
            json!({ "kind": t.kind.as_str(), "id": t.id, "name": t.name }),
        );
        let facts: Vec<Value> = findings
            .iter()
            .map(|f| json!({ "observed": f.observed, "expected": f.expected, "remediation": f.remediation }))
            .collect();
        props.insert("findings".into(), Value::Array(facts));
    }
    json!({
        "ruleId": r.id,
        "ruleIndex": index,
        "level": level,
        "message": { "text": if text.is_empty() { r.summary.as_str() } else { text } },
        "locations": [location(kind, key, target.map(|(t, _)| t))],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(&r.id, kind, key) },
        "properties": props,
    })
}

fn location(kind: TargetKind, key: &str, target: Option<&Target>) -> Value {
    let artifact = match kind {
        TargetKind::File if !key.trim_start_matches('/').is_empty() => json!({
            "uri": encode_path(key.trim_start_matches('/')),
            "uriBaseId": HOST_ROOT,
        }),
        _ if key.is_empty() => json!({ "uri": format!("docker/{}", kind.as_str()) }),
        _ => json!({ "uri": format!("docker/{}/{}", kind.as_str(), encode_segment(key)) }),
    };
    let name = target.map_or("host", Target::display);
    json!({
        "physicalLocation": { "artifactLocation": artifact, "region": { "startLine": 1 } },
        "logicalLocations": [{
            "name": name,
            "fullyQualifiedName": format!("{}/{}", kind.as_str(), key),
            "kind": kind.as_str(),
        }],
        "message": { "text": format!("{} {name}", kind.as_str()) },
    })
}

/// Percent-encodes a path, keeping `/` between segments.
fn encode_path(path: &str) -> String {
    path.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
}

/// Percent-encodes everything but RFC 3986 unreserved characters, `:` and `@`. A leading `.` or
/// `..` segment is encoded too, so a name can never climb out of its base.
fn encode_segment(segment: &str) -> String {
    if segment == "." || segment == ".." {
        return segment.replace('.', "%2E");
    }
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn invocation(report: &Report) -> Value {
    let argv = &report.run.command_line;
    let mut inv = json!({
        "executionSuccessful": true,
        "commandLine": argv.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" "),
        "arguments": argv.iter().skip(1).collect::<Vec<_>>(),
        "toolExecutionNotifications": report.errors.iter().map(|e| json!({
            "level": "error",
            "message": { "text": format!("could not read {}: {}", e.source, e.reason) },
            "properties": { "source": e.source, "affects": e.affects },
        })).collect::<Vec<_>>(),
    });
    if is_rfc3339(&report.run.started_at) {
        inv["startTimeUtc"] = json!(report.run.started_at);
    }
    if is_rfc3339(&report.run.finished_at) {
        inv["endTimeUtc"] = json!(report.run.finished_at);
    }
    if let Some(host) = &report.host.hostname {
        inv["machine"] = json!(host);
    }
    inv
}

/// Quotes an argument for a POSIX shell when it needs it.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%^".contains(&b));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn run_properties(report: &Report) -> Value {
    let mut props = json!({
        "runId": report.run.id,
        "benchmark": { "id": report.benchmark.id, "version": report.benchmark.version },
        "host": report.host,
        "score": report.summary.score.value,
        "counts": report.summary.counts,
    });
    if let Some(d) = &report.digest {
        props["reportDigest"] = json!(d);
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::CollectionError;
    use crate::test_support::report_with;

    fn finding(kind: TargetKind, id: &str, name: &str) -> Finding {
        Finding {
            target: Target::new(kind, id, name),
            message: format!("{name} offends"),
            observed: "x".into(),
            expected: "y".into(),
            remediation: "fix it".into(),
        }
    }

    fn results(v: &Value) -> Vec<Value> {
        v["runs"][0]["results"].as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn convert_sarif_has_a_rule_per_check_and_results_only_where_needed() {
        let r = report_with(vec![
            ("1.1.1", Status::Pass, vec![]),
            ("2.2", Status::Fail, vec![finding(TargetKind::Daemon, "icc", "icc")]),
            ("2.1", Status::Warn, vec![]),
            ("4.2", Status::Manual, vec![]),
            ("5.1", Status::Info, vec![]),
            ("5.2", Status::NotApplicable, vec![]),
            ("5.3", Status::Error, vec![]),
            ("5.4", Status::Skipped, vec![]),
        ]);
        let v = to_sarif(&r);
        assert_eq!(v["version"], "2.1.0");
        let rules = v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(rules.len(), catalog::CHECK_COUNT);
        let levels: Vec<(String, String)> = results(&v)
            .iter()
            .map(|x| {
                (
                    x["ruleId"].as_str().unwrap().into(),
                    x["level"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expect = [
            ("2.2", "error"),
            ("2.1", "warning"),
            ("4.2", "note"),
            ("5.1", "note"),
            ("5.3", "error"),
        ];
        assert_eq!(levels, expect.map(|(a, b)| (a.to_string(), b.to_string())));
        for x in results(&v) {
            let index = x["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], x["ruleId"]);
        }
    }

    /// GitHub ranks alerts by the rule's `security-severity`, a number in a string.
    #[test]
    fn convert_sarif_rules_carry_security_severity_and_a_level_from_it() {
        let r = report_with(vec![(
            "5.5",
            Status::Fail,
            vec![finding(TargetKind::Container, "c1", "web")],
        )]);
        let v = to_sarif(&r);
        let rules = v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rule = |id: &str| rules.iter().find(|x| x["id"] == id).cloned().unwrap();
        for (id, score, severity, level) in [
            ("5.5", "9.5", "critical", "error"),
            ("5.4", "8.0", "high", "error"),
            ("2.2", "5.5", "medium", "warning"),
            ("1.1.3", "3.0", "low", "note"),
            ("4.2", "8.0", "high", "note"),
        ] {
            let x = rule(id);
            assert_eq!(x["properties"]["security-severity"], score, "{id}");
            assert_eq!(x["properties"]["severity"], severity, "{id}");
            assert_eq!(x["defaultConfiguration"]["level"], level, "{id}");
        }
        for x in &rules {
            let score: f64 = x["properties"]["security-severity"].as_str().unwrap().parse().unwrap();
            assert!((0.0..=10.0).contains(&score));
        }
        assert_eq!(results(&v)[0]["properties"]["severity"], "critical");
    }

    #[test]
    fn convert_sarif_gives_one_result_per_target_with_stable_fingerprints() {
        let findings = vec![
            finding(TargetKind::Container, "c1", "web"),
            finding(TargetKind::Container, "c2", "db"),
            finding(TargetKind::Container, "c1", "web"),
        ];
        let r = report_with(vec![("5.5", Status::Fail, findings)]);
        let v = to_sarif(&r);
        let res = results(&v);
        assert_eq!(res.len(), 2);
        let fp = &res[0]["partialFingerprints"][FINGERPRINT_KEY];
        assert_eq!(fp, &json!(fingerprint("5.5", TargetKind::Container, "web")));
        assert_eq!(
            res[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "docker/container/web"
        );
        assert_eq!(res[0]["locations"][0]["logicalLocations"][0]["kind"], "container");
        // Both findings about web are in its one result.
        assert_eq!(
            res[0]["message"]["text"]
                .as_str()
                .unwrap()
                .matches("web offends")
                .count(),
            2
        );
        // Same report again: same fingerprints.
        assert_eq!(to_sarif(&r), v);
    }

    #[test]
    fn convert_sarif_places_files_under_the_host_root() {
        let r = report_with(vec![(
            "3.1",
            Status::Fail,
            vec![finding(TargetKind::File, "/usr/lib/systemd/system/docker service", "x")],
        )]);
        let v = to_sarif(&r);
        let art = &results(&v)[0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(art["uri"], "usr/lib/systemd/system/docker%20service");
        assert_eq!(art["uriBaseId"], HOST_ROOT);
        assert_eq!(v["runs"][0]["originalUriBaseIds"][HOST_ROOT]["uri"], "file:///");
    }

    #[test]
    fn convert_sarif_reports_collection_errors() {
        let mut r = report_with(vec![("5.3", Status::Error, vec![])]);
        r.errors.push(CollectionError {
            source: "GET /info".into(),
            reason: "timeout".into(),
            affects: vec!["5.3".into()],
        });
        let v = to_sarif(&r);
        let notes = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert_eq!(notes[0]["message"]["text"], "could not read GET /info: timeout");
        let text = results(&v)[0]["message"]["text"].as_str().unwrap().to_string();
        assert!(text.contains("not evaluated") && text.contains("GET /info"), "{text}");
    }

    #[test]
    fn convert_sarif_encodes_uris() {
        assert_eq!(encode_segment("a b/<c>"), "a%20b%2F%3Cc%3E");
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment("sha256:ab"), "sha256:ab");
        assert_eq!(encode_segment("é"), "%C3%A9");
        assert_eq!(shell_quote("--format"), "--format");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
