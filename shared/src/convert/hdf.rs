//! HDF, the Heimdall Data Format (InSpec "exec JSON"), which MITRE Heimdall and its tools load.
//!
//! One profile for the benchmark, a group per section, and one control per check with its CIS
//! tags, descriptions (`default`/`rationale`, `check` = how dockaudit audits it, `fix`) and
//! results:
//!
//! | dockaudit | HDF results | Heimdall shows |
//! |---|---|---|
//! | `pass` | one `passed` | Passed |
//! | `fail`, `warn` | one `failed` per finding | Failed |
//! | `error` | one `error` naming what could not be read | Profile Error |
//! | `manual`, `info` | one `skipped` saying a person must review, findings in `message` | Not Reviewed |
//! | `not_applicable` | one `skipped` with the reason, and impact 0 | Not Applicable |
//! | `skipped` | one `skipped`: not selected for this run | Not Reviewed |
//!
//! Impact follows the catalogue's severity in Heimdall's bands: 0.9 critical, 0.7 high, 0.5 medium,
//! 0.3 low, and 0.0 when the recommendation does not apply (Heimdall's marker for "not
//! applicable"). Ids the catalogue does not know fall back to their CIS level (0.7 for level 1,
//! 0.5 for level 2). The severity is also a tag.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{finding_text, findings_text, hex, texts};
use crate::catalog::{self, Assessment, Evaluation};
use crate::report::{CheckResult, Finding, Report, Status};

/// Name of the HDF profile.
pub const PROFILE_NAME: &str = "cis-docker-benchmark";

/// HDF impact of a check: from its severity (its CIS level for unknown ids), 0 when it does not apply.
pub fn impact(id: &str, level: u8, status: Status) -> f64 {
    match (status, catalog::severity::of(id), level) {
        (Status::NotApplicable, _, _) => 0.0,
        (_, Some(severity), _) => severity.hdf_impact(),
        (_, None, 2..) => 0.5,
        _ => 0.7,
    }
}

/// The report in HDF (exec JSON).
pub fn to_hdf(report: &Report) -> Value {
    let controls: Vec<Value> = report.results.iter().map(|r| control(report, r)).collect();
    let mut groups: Vec<Value> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut order: Vec<&str> = catalog::TOP_SECTIONS.to_vec();
    for r in &report.results {
        if !order.contains(&r.section.as_str()) {
            order.push(&r.section);
        }
    }
    for section in order {
        let mut ids: Vec<&str> = Vec::new();
        for r in report.results.iter().filter(|r| r.section == section) {
            if !seen.contains(&r.id.as_str()) && !ids.contains(&r.id.as_str()) {
                ids.push(&r.id);
            }
        }
        seen.extend(ids.iter().copied());
        if !ids.is_empty() {
            groups.push(json!({
                "id": section,
                "title": catalog::section_title(section).map_or_else(|| format!("Section {section}"), str::to_string),
                "controls": ids,
            }));
        }
    }

    let (mut passed, mut failed, mut skipped) = (0u32, 0u32, 0u32);
    for r in &report.results {
        match r.status {
            Status::Pass => passed += 1,
            Status::Fail | Status::Warn | Status::Error => failed += 1,
            _ => skipped += 1,
        }
    }
    let host = report.host.hostname.as_deref().unwrap_or("unknown host");
    let mut profile = json!({
        "name": PROFILE_NAME,
        "title": format!("CIS Docker Benchmark v{}", report.benchmark.version),
        "version": report.benchmark.version,
        "maintainer": "dockaudit",
        "summary": format!(
            "{} {} audit of {host}: score {} ({} of {} decided checks pass)",
            report.tool.name,
            report.tool.version,
            report.summary.score.display(),
            report.summary.score.passed,
            report.summary.score.scored
        ),
        "license": "Apache-2.0",
        "supports": [{ "platform-family": "linux", "platform-name": "docker" }],
        "sha256": catalogue_sha256(),
        "status": "loaded",
        "attributes": [{
            "name": "selection",
            "options": { "value": report.run.selection, "description": "What dockaudit was asked to audit (--check, --skip, --level, container filters)." },
        }],
        "groups": groups,
        "controls": controls,
        "depends": [],
    });
    if let Some(d) = &report.digest {
        profile["description"] = json!(format!("Converted from dockaudit report {d} (run {}).", report.run.id));
    }
    json!({
        "platform": {
            "name": "docker",
            "release": report.host.docker.server_version.as_deref().unwrap_or("unknown"),
            "target_id": host,
        },
        "version": report.tool.version,
        "statistics": {
            "duration": report.run.duration_ms as f64 / 1000.0,
            "controls": {
                "passed": { "total": passed },
                "failed": { "total": failed },
                "skipped": { "total": skipped },
            },
        },
        "profiles": [profile],
        "passthrough": {
            "tool": report.tool.name,
            "run_id": report.run.id,
            "command_line": report.run.command_line,
            "host": report.host,
            "score": report.summary.score.value,
            "errors": report.errors,
        },
    })
}

/// Checksum of the profile: SHA-256 over the catalogue's ids, titles, levels, severities and texts, so it
/// changes exactly when the profile (not the result) changes.
fn catalogue_sha256() -> String {
    let mut h = Sha256::new();
    h.update(format!("{} {}\n", catalog::BENCHMARK_ID, catalog::BENCHMARK_VERSION).as_bytes());
    for m in catalog::all() {
        for part in [m.id, m.title, m.rationale, m.audit, m.remediation, m.impact] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update([m.level]);
        h.update(m.severity.as_str().as_bytes());
    }
    hex(&h.finalize())
}

fn control(report: &Report, r: &CheckResult) -> Value {
    let t = texts(r);
    let mut descriptions = Vec::new();
    for (label, data) in [
        ("default", t.rationale),
        ("rationale", t.rationale),
        ("check", t.audit),
        ("fix", t.remediation),
        ("impact", t.impact),
    ] {
        if !data.is_empty() {
            descriptions.push(json!({ "label": label, "data": data }));
        }
    }
    json!({
        "id": r.id,
        "title": t.title,
        "desc": if t.rationale.is_empty() { r.summary.as_str() } else { t.rationale },
        "descriptions": descriptions,
        "impact": impact(&r.id, r.level, r.status),
        "refs": [{ "ref": format!("CIS Docker Benchmark v{}, recommendation {}", report.benchmark.version, r.id) }],
        "tags": {
            "cis_id": r.id,
            "cis_level": r.level,
            "cis_section": r.section,
            "assessment": match r.assessment { Assessment::Automated => "automated", Assessment::Manual => "manual" },
            "evaluation": match r.evaluation { Evaluation::Automatic => "automatic", Evaluation::Review => "review" },
            "dockaudit_status": r.status.as_str(),
            "severity": catalog::severity::of(&r.id).map(|s| s.as_str()),
            "summary": r.summary,
        },
        "source_location": { "ref": format!("dockaudit catalogue, CIS Docker Benchmark v{}", report.benchmark.version) },
        "results": results(report, r),
    })
}

fn results(report: &Report, r: &CheckResult) -> Vec<Value> {
    let start = report.run.started_at.as_str();
    let run_time = r.duration_us as f64 / 1_000_000.0;
    let skipped = |why: String| {
        let mut v = json!({
            "status": "skipped",
            "code_desc": format!("{} {}", r.id, r.summary),
            "skip_message": why,
            "start_time": start,
            "run_time": run_time,
        });
        let findings = findings_text(r);
        if !findings.is_empty() {
            v["message"] = json!(findings);
        }
        v
    };
    match r.status {
        Status::Pass => vec![json!({
            "status": "passed",
            "code_desc": format!("{} {}", r.id, r.summary),
            "start_time": start,
            "run_time": run_time,
        })],
        Status::Fail | Status::Warn if r.findings.is_empty() => vec![json!({
            "status": "failed",
            "code_desc": format!("{} {}", r.id, r.summary),
            "message": r.summary,
            "start_time": start,
            "run_time": run_time,
        })],
        Status::Fail | Status::Warn => {
            let share = run_time / r.findings.len() as f64;
            r.findings.iter().map(|f| failed(r, f, start, share)).collect()
        }
        Status::Error => {
            let mut message = format!("Not evaluated: {}", r.summary);
            for e in report.errors.iter().filter(|e| e.affects.contains(&r.id)) {
                message.push_str(&format!("\ncould not read {}: {}", e.source, e.reason));
            }
            vec![json!({
                "status": "error",
                "code_desc": format!("{} {}", r.id, r.summary),
                "message": message,
                "exception": "fact not gathered",
                "start_time": start,
                "run_time": run_time,
            })]
        }
        Status::Manual => vec![skipped(format!("A person must review this: {}", r.summary))],
        Status::Info => vec![skipped(format!("Informational, no verdict: {}", r.summary))],
        Status::NotApplicable => vec![skipped(format!("Not applicable: {}", r.summary))],
        Status::Skipped => vec![skipped("Not selected for this run.".to_string())],
    }
}

fn failed(r: &CheckResult, f: &Finding, start: &str, run_time: f64) -> Value {
    let mut message = finding_text(f);
    if r.status == Status::Warn {
        message.push_str("\n(warn: a conditional recommendation; confirm whether it is needed)");
    }
    json!({
        "status": "failed",
        "code_desc": format!("{} {} {}: {}", r.id, f.target.kind.as_str(), f.target.display(), f.message),
        "message": message,
        "resource": f.target.kind.as_str(),
        "resource_id": f.target.key(),
        "start_time": start,
        "run_time": run_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Target, TargetKind};
    use crate::test_support::report_with;

    #[test]
    fn convert_hdf_maps_statuses_to_results_and_impact() {
        let f = |name: &str| Finding {
            target: Target::new(TargetKind::Container, format!("id-{name}"), name),
            message: format!("{name} is privileged"),
            observed: "true".into(),
            expected: "false".into(),
            remediation: String::new(),
        };
        let r = report_with(vec![
            ("2.2", Status::Pass, vec![]),
            ("5.5", Status::Fail, vec![f("web"), f("db")]),
            ("5.3", Status::Error, vec![]),
            ("5.4", Status::Manual, vec![]),
            ("5.2", Status::NotApplicable, vec![]),
            ("5.6", Status::Skipped, vec![]),
        ]);
        let v = to_hdf(&r);
        let controls = v["profiles"][0]["controls"].as_array().cloned().unwrap_or_default();
        let statuses: Vec<Vec<&str>> = controls
            .iter()
            .map(|c| {
                c["results"]
                    .as_array()
                    .map(|rs| rs.iter().filter_map(|x| x["status"].as_str()).collect())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            statuses,
            vec![
                vec!["passed"],
                vec!["failed", "failed"],
                vec!["error"],
                vec!["skipped"],
                vec!["skipped"],
                vec!["skipped"]
            ]
        );
        assert_eq!(controls[1]["results"][1]["resource_id"], "db");
        assert_eq!(controls[0]["impact"], 0.5, "2.2 is medium");
        assert_eq!(controls[1]["impact"], 0.9, "5.5 is critical");
        assert_eq!(controls[1]["tags"]["severity"], "critical");
        assert_eq!(controls[3]["impact"], 0.7, "5.4 is high");
        assert_eq!(controls[4]["impact"], 0.0, "not applicable");
        assert_eq!(
            impact("9.1", 2, Status::Fail),
            0.5,
            "unknown ids fall back to their CIS level"
        );
        assert_eq!(impact("9.1", 1, Status::Fail), 0.7);
        assert_eq!(controls[1]["tags"]["cis_level"], 1);
        let labels: Vec<&str> = controls[1]["descriptions"]
            .as_array()
            .map(|d| d.iter().filter_map(|x| x["label"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(labels, ["default", "rationale", "check", "fix", "impact"]);
        assert_eq!(v["profiles"][0]["groups"][0]["controls"], json!(["2.2"]));
        assert_eq!(v["statistics"]["controls"]["failed"]["total"], 2);
    }
}
