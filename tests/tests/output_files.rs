//! How `-o`, `--json-out` and `--facts-out` write files (issue 15, "Files"): never through a
//! planted symlink, keeping an existing file's mode, owner-only for new files, never over one of
//! the command's inputs, and leaving nothing behind when the write fails.

use std::io::Write;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dockaudit_shared::digest;
use dockaudit_shared::signoff::{BoundReport, Decision, DecisionKind, OverallDecision, Reviewer, Signature, Signoff};
use dockaudit_shared::test_support as samples;
use dockaudit_tests::{dockaudit, dockaudit_bin, fixture, TempDir};

fn run(args: &[&str]) -> Output {
    dockaudit(args)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o7777
}

fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_symlink_planted_at_the_temporary_path_is_not_followed() {
    let dir = TempDir::new("planted");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let out = dir.join("out.json");
    // The process waits until the link is planted at the old temporary name for its pid
    // (`.<name>.tmp-<pid>`); `exec` keeps the pid.
    let mut child = Command::new("sh")
        .args(["-c", "read go; exec \"$0\" convert \"$1\" --to json -o \"$2\""])
        .args([s(&dockaudit_bin()), s(&fixture("reports/v1.json")), s(&out)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let link = dir.join(&format!(".out.json.tmp-{}", child.id()));
    symlink(&victim, &link).unwrap();
    child.stdin.take().unwrap().write_all(b"go\n").unwrap();
    let res = child.wait_with_output().unwrap();
    assert_exit(&res, 0, "convert -o");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&out).unwrap().is_file());
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"schema_version\""));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(names(dir.path()).len(), 3, "no temporary file is left");
}

#[test]
fn new_outputs_are_owner_only_and_replaced_ones_keep_their_mode() {
    let dir = TempDir::new("modes");
    let (report, text) = (dir.join("r.json"), dir.join("r.txt"));
    let snapshot = s(&fixture("facts/debian12-docker20.10.json"));
    let res = run(&[
        "scan",
        "--facts-in",
        &snapshot,
        "--fail-on",
        "never",
        "--json-out",
        &s(&report),
        "-o",
        &s(&text),
    ]);
    assert_exit(&res, 0, "scan");
    for new in [&report, &text] {
        assert_eq!(mode(new), 0o600, "{}", new.display());
    }
    for kept in [0o600, 0o640, 0o644] {
        let target = dir.join(&format!("kept-{kept:o}.csv"));
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(kept)).unwrap();
        let res = run(&["convert", &s(&report), "--to", "csv", "-o", &s(&target)]);
        assert_exit(&res, 0, "convert -o existing");
        assert_eq!(mode(&target), kept, "{}", target.display());
        assert_ne!(std::fs::read_to_string(&target).unwrap(), "old");
    }
}

/// A sealed report and a sign-off bound to it, signed with a fresh ed25519 key by
/// `dockaudit signoff sign`, and an allowed_signers file naming that key, in `dir`.
fn report_and_signoff(dir: &TempDir) -> (PathBuf, PathBuf, PathBuf) {
    let (text, d) = digest::seal(&samples::monday()).unwrap();
    let mut so = Signoff::new(BoundReport::of(&samples::monday(), &d));
    let mut decision = Decision::new("2.2", None, DecisionKind::CompensatingControl, "agreed");
    decision.recorded_at = Some("2026-01-07T09:00:00Z".into());
    so.record(decision);
    so.signature = Some(Signature {
        reviewer: Reviewer {
            name: "Ada Reviewer".into(),
            role: "Security lead".into(),
            email: None,
        },
        signed_at: "2026-01-07T12:00:00Z".into(),
        decision: OverallDecision::ApprovedWithExceptions,
        comment: String::new(),
    });
    let (r, sf) = (dir.join("r.json"), dir.join("s.json"));
    std::fs::write(&r, text).unwrap();
    std::fs::write(&sf, so.seal().0).unwrap();
    let key = dir.join("ada");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ada", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs");
    assert!(made.success());
    assert_exit(&run(&["signoff", "sign", &s(&sf), "--key", &s(&key)]), 0, "sign");
    let allowed = dir.join("allowed_signers");
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    std::fs::write(&allowed, format!("ada@example.org {}", public.trim())).unwrap();
    (r, sf, allowed)
}

#[test]
fn a_command_never_replaces_its_own_input() {
    let dir = TempDir::new("own-input");
    let (r, so, allowed) = report_and_signoff(&dir);
    let allowed = s(&allowed);
    let log = dir.join("log.json");
    std::fs::copy(fixture("dbs/docker-bench-log.json"), &log).unwrap();
    let facts = dir.join("facts.json");
    std::fs::copy(fixture("facts/debian12-docker20.10.json"), &facts).unwrap();
    let link = dir.join("link.json");
    symlink(&r, &link).unwrap();
    let hard = dir.join("hard.json");
    std::fs::hard_link(&r, &hard).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = [&r, &so, &log, &facts]
        .iter()
        .map(|p| (p.to_path_buf(), std::fs::read(p).unwrap()))
        .collect();
    let (r, so, log, facts) = (s(&r), s(&so), s(&log), s(&facts));
    let dotted = s(&dir.path().join(".").join("r.json"));
    let cases: Vec<Vec<&str>> = vec![
        vec!["signoff", "apply", &r, &so, "--allowed-signers", &allowed, "-o", &r],
        vec!["signoff", "apply", &r, &so, "--allowed-signers", &allowed, "-o", &so],
        vec![
            "signoff",
            "apply",
            &r,
            &so,
            "--allowed-signers",
            &allowed,
            "-o",
            &dotted,
        ],
        vec![
            "signoff",
            "apply",
            &r,
            &so,
            "--allowed-signers",
            &allowed,
            "-o",
            link.to_str().unwrap(),
        ],
        vec![
            "signoff",
            "apply",
            &r,
            &so,
            "--allowed-signers",
            &allowed,
            "-o",
            hard.to_str().unwrap(),
        ],
        vec!["convert", &r, "--to", "json", "-o", &r],
        vec!["convert", &r, "--to", "text", "-o", link.to_str().unwrap()],
        vec!["import", &log, "-o", &log],
        vec!["scan", "--facts-in", &facts, "-o", &facts],
        vec!["scan", "--facts-in", &facts, "--json-out", &facts],
    ];
    for args in cases {
        let out = run(&args);
        assert_exit(&out, 2, &args.join(" "));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("which this command reads"), "{args:?}: {err}");
    }
    for (path, bytes) in before {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{} changed", path.display());
    }
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    // Another file is fine.
    let applied = dir.join("applied.json");
    assert_exit(
        &run(&[
            "signoff",
            "apply",
            &r,
            &so,
            "--allowed-signers",
            &allowed,
            "-o",
            &s(&applied),
        ]),
        0,
        "apply elsewhere",
    );
    assert_eq!(mode(&applied), 0o600);
}

#[test]
fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
    let dir = TempDir::new("failed");
    let out = dir.join("out.json");
    std::fs::write(&out, "old").unwrap();
    // A file-size limit of 1 KiB stands in for a full disk: the write fails with EFBIG
    // (SIGXFSZ is ignored, as an ignored signal stays ignored across exec).
    let script = "ulimit -f 1; trap '' XFSZ; exec \"$0\" convert \"$1\" --to json -o \"$2\"";
    let res = Command::new("bash")
        .args([
            "-c",
            script,
            &s(&dockaudit_bin()),
            &s(&fixture("reports/v1.json")),
            &s(&out),
        ])
        .output()
        .expect("bash runs");
    assert_exit(&res, 2, "convert under a 1 KiB file-size limit");
    assert!(String::from_utf8_lossy(&res.stderr).contains("cannot write"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
    assert_eq!(names(dir.path()), ["out.json"], "no temporary file is left");
}
