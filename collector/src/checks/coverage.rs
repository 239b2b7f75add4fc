//! Every check has unit tests that show it passing and failing.
//!
//! The check tests evaluate through [`super::testing::eval_with`], which records each outcome
//! when `DOCKAUDIT_RECORD_OUTCOMES` names a file. The test below runs this test binary again
//! with that variable set (every unit test under `checks::` except itself), then requires, for
//! each registered check: an automatic check was seen passing and failing (`fail` or `warn`);
//! a review check, which never decides, was seen reporting (`manual`, `info` or `warn`). Running the tests again in a child process makes the result
//! independent of test order and threads.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use dockaudit_shared::catalog::Evaluation;
use dockaudit_shared::report::Status;

/// Environment variable naming the file outcomes are appended to.
pub const RECORD_VAR: &str = "DOCKAUDIT_RECORD_OUTCOMES";

/// Appends one evaluated outcome to the record file, when recording.
pub fn record(id: &str, status: Status) {
    use std::io::Write as _;
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let Some(path) = std::env::var_os(RECORD_VAR) else {
        return;
    };
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("the outcome record file can be opened");
    writeln!(file, "{id}\t{status}").expect("the outcome record file can be written");
}

/// What a check needs to have been seen doing, and whether it was.
fn missing(evaluation: Evaluation, seen: &BTreeSet<String>) -> Vec<&'static str> {
    let any = |statuses: &[Status]| statuses.iter().any(|s| seen.contains(&s.to_string()));
    let mut out = Vec::new();
    match evaluation {
        Evaluation::Automatic => {
            if !any(&[Status::Pass]) {
                out.push("a passing test");
            }
            if !any(&[Status::Fail, Status::Warn]) {
                out.push("a failing test");
            }
        }
        Evaluation::Review => {
            if !any(&[Status::Manual, Status::Info, Status::Warn]) {
                out.push("a test where it reports for review");
            }
        }
    }
    out
}

#[test]
fn every_check_has_a_passing_and_a_failing_unit_test() {
    if std::env::var_os(RECORD_VAR).is_some() {
        return; // the child run: only the check tests record
    }
    let dir = std::env::temp_dir().join(format!("dockaudit-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let record_file = dir.join("outcomes.tsv");
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new(exe)
        .args(["checks::", "--skip", "checks::coverage", "--test-threads", "2"])
        .env(RECORD_VAR, &record_file)
        .output()
        .expect("the test binary runs again");
    let recorded = std::fs::read_to_string(&record_file).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "the check tests failed in the recording run:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in recorded.lines() {
        if let Some((id, status)) = line.split_once('\t') {
            seen.entry(id.to_string()).or_default().insert(status.to_string());
        }
    }
    let empty = BTreeSet::new();
    let gaps: Vec<String> = super::all()
        .filter_map(|check| {
            let lacking = missing(check.meta.evaluation, seen.get(check.meta.id).unwrap_or(&empty));
            (!lacking.is_empty()).then(|| format!("{} lacks {}", check.meta.id, lacking.join(" and ")))
        })
        .collect();
    assert!(gaps.is_empty(), "checks without unit tests:\n{}", gaps.join("\n"));
}
