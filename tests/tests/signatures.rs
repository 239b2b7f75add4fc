//! Evidence an auditor can trust (issue 11): SSH signatures interoperating with the real
//! `ssh-keygen` both ways, one exit code per outcome, the forged sign-off that never verifies,
//! `dockaudit verify`, `scan --sign-key`, `convert --accept-modified`, `diff` on repeated results,
//! and the canonical bytes checked against an independent RFC 8785 implementation (npm
//! `canonicalize`, installed by `scripts/setup.sh test`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dockaudit_shared::digest;
use dockaudit_shared::signoff::{BoundReport, Decision, OverallDecision, Reviewer, Signature, Signoff};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::{dockaudit, fixture, workspace_root, TempDir};
use serde_json::{json, Value};

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn out(o: &Output) -> String {
    format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// A new key pair made by `ssh-keygen` (`kind`: ed25519, ecdsa, rsa); returns the private key's path.
fn keygen(dir: &TempDir, name: &str, kind: &str) -> PathBuf {
    let path = dir.join(name);
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", kind, "-N", "", "-C", name, "-f"]).arg(&path);
    if kind == "ecdsa" {
        cmd.args(["-b", "256"]);
    }
    if kind == "rsa" {
        cmd.args(["-b", "2048"]);
    }
    assert!(cmd.status().expect("ssh-keygen runs").success());
    path
}

fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub"))
        .unwrap()
        .trim()
        .to_string()
}

/// `ssh-keygen -Y verify` of `sig_armour` over `bytes`.
fn keygen_verify(dir: &TempDir, allowed: &Path, principal: &str, ns: &str, sig_armour: &str, bytes: &[u8]) -> Output {
    let sig = dir.join("check.sig");
    std::fs::write(&sig, sig_armour).unwrap();
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-f"])
        .arg(allowed)
        .args(["-I", principal, "-n", ns, "-s"])
        .arg(&sig)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), bytes).unwrap();
    child.wait_with_output().unwrap()
}

/// A scanned report from the checked-in facts snapshot, signed with `key` when given.
fn scan(dir: &TempDir, key: Option<&Path>) -> PathBuf {
    let report = dir.join("report.json");
    let facts = s(&fixture("facts/debian12-docker20.10.json"));
    let mut args = vec!["scan", "--facts-in", &facts, "--format", "json", "--fail-on", "never"];
    let (r, k);
    r = s(&report);
    args.extend(["-o", &r]);
    if let Some(key) = key {
        k = s(key);
        args.extend(["--sign-key", &k]);
    }
    let o = dockaudit(&args);
    assert_eq!(code(&o), 0, "{}", out(&o));
    report
}

/// The reviewer's exported sign-off (statement, no SSH signature) for the report at `report`.
fn export_signoff(report: &Path, dir: &TempDir, decisions: Vec<Decision>) -> PathBuf {
    let loaded = dockaudit_shared::load::load(&std::fs::read_to_string(report).unwrap()).unwrap();
    let mut so = Signoff::new(BoundReport::of(&loaded.report, loaded.digest.computed()));
    for d in decisions {
        so.record(d);
    }
    so.signature = Some(Signature {
        reviewer: Reviewer {
            name: "Ada Reviewer".into(),
            role: "Security lead".into(),
            email: None,
        },
        signed_at: "2026-06-01T12:00:00Z".into(),
        decision: OverallDecision::Rejected,
        comment: String::new(),
    });
    let path = dir.join("signoff.json");
    std::fs::write(&path, so.seal().0).unwrap();
    path
}

fn verify_signoff(report: &Path, signoff: &Path, allowed: &Path) -> Output {
    dockaudit(&[
        "signoff",
        "verify",
        &s(report),
        &s(signoff),
        "--allowed-signers",
        &s(allowed),
    ])
}

#[test]
fn ssh_keygen_verifies_what_dockaudit_signs() {
    // RSA keys are verified (below) but not signed with by `--key`: ssh-key 0.6 fails to sign with
    // RSA keys ssh-keygen writes; sign with them through `--agent`, i.e. ssh-keygen itself.
    for kind in ["ed25519", "ecdsa"] {
        let dir = TempDir::new(&format!("sig-out-{kind}"));
        let (ada, ci) = (keygen(&dir, "ada", kind), keygen(&dir, "ci", kind));
        let allowed = dir.join("allowed_signers");
        std::fs::write(
            &allowed,
            format!(
                "ada@example.org namespaces=\"dockaudit-signoff\" {}\nci@example.org {}\n",
                public(&ada),
                public(&ci)
            ),
        )
        .unwrap();

        // The report, signed by the collector's key.
        let report = scan(&dir, Some(&ci));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let canonical = dockaudit(&["signoff", "canonical", &s(&report)]);
        assert_eq!(code(&canonical), 0);
        let sig = v["ssh_signature"]["signature"].as_str().unwrap();
        let o = keygen_verify(
            &dir,
            &allowed,
            "ci@example.org",
            "dockaudit-report",
            sig,
            &canonical.stdout,
        );
        assert_eq!(code(&o), 0, "{kind} report: {}", out(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("Good \"dockaudit-report\" signature for ci@example.org"));

        // The sign-off, signed by the reviewer with `dockaudit signoff sign`.
        let signoff = export_signoff(&report, &dir, vec![]);
        let o = dockaudit(&["signoff", "sign", &s(&signoff), "--key", &s(&ada)]);
        assert_eq!(code(&o), 0, "{kind}: {}", out(&o));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&signoff).unwrap()).unwrap();
        assert_eq!(v["schema_version"], 2);
        let canonical = dockaudit(&["signoff", "canonical", &s(&signoff)]);
        let sig = v["ssh_signature"]["signature"].as_str().unwrap();
        let o = keygen_verify(
            &dir,
            &allowed,
            "ada@example.org",
            "dockaudit-signoff",
            sig,
            &canonical.stdout,
        );
        assert_eq!(code(&o), 0, "{kind} sign-off: {}", out(&o));
        // …and not in the other namespace, nor over other bytes.
        let o = keygen_verify(
            &dir,
            &allowed,
            "ada@example.org",
            "dockaudit-report",
            sig,
            &canonical.stdout,
        );
        assert_ne!(code(&o), 0);
        let mut changed = canonical.stdout.clone();
        changed[10] ^= 1;
        let o = keygen_verify(&dir, &allowed, "ada@example.org", "dockaudit-signoff", sig, &changed);
        assert_ne!(code(&o), 0);

        // dockaudit agrees, and names both signers.
        let o = verify_signoff(&report, &signoff, &allowed);
        assert_eq!(code(&o), 1, "{kind}: {}", out(&o)); // valid; the report has failures
        let text = out(&o);
        assert!(text.contains("VALID — signed by ada@example.org (SHA256:"), "{text}");
        assert!(text.contains("signed by ci@example.org"), "{text}");
    }
}

#[test]
fn dockaudit_accepts_what_ssh_keygen_signs() {
    for kind in ["ed25519", "ecdsa", "rsa"] {
        let dir = TempDir::new(&format!("sig-in-{kind}"));
        let ada = keygen(&dir, "ada", kind);
        let allowed = dir.join("allowed_signers");
        std::fs::write(&allowed, format!("ada@example.org {}\n", public(&ada))).unwrap();
        let report = scan(&dir, None);
        let signoff = export_signoff(&report, &dir, vec![]);

        // The reviewer signs the documented bytes with plain ssh-keygen and puts the signature in.
        let canonical = dockaudit(&["signoff", "canonical", &s(&signoff)]);
        let bytes = dir.join("signoff.bytes");
        std::fs::write(&bytes, &canonical.stdout).unwrap();
        let st = Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", "dockaudit-signoff", "-f"])
            .arg(&ada)
            .arg(&bytes)
            .status()
            .unwrap();
        assert!(st.success());
        let armour = std::fs::read_to_string(dir.join("signoff.bytes.sig")).unwrap();
        let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&signoff).unwrap()).unwrap();
        v["ssh_signature"] = json!({"public_key": public(&ada), "signature": armour});
        v.as_object_mut().unwrap().remove("digest");
        std::fs::write(&signoff, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let o = verify_signoff(&report, &signoff, &allowed);
        assert_eq!(code(&o), 1, "{kind}: {}", out(&o));
        assert!(
            out(&o).contains("VALID — signed by ada@example.org"),
            "{kind}: {}",
            out(&o)
        );
    }
}

#[test]
fn the_forged_signoff_of_the_issue_never_verifies() {
    let dir = TempDir::new("sig-forged");
    let ada = keygen(&dir, "ada", "ed25519");
    let mallory = keygen(&dir, "mallory", "ed25519");
    let allowed = dir.join("allowed_signers");
    std::fs::write(&allowed, format!("ada@example.org {}\n", public(&ada))).unwrap();
    let report = scan(&dir, None);
    let loaded = dockaudit_shared::load::load(&std::fs::read_to_string(&report).unwrap()).unwrap();
    // Hand-written from the README's format: reviewer "CISO", signed in 2099, every open check a
    // false positive.
    let decisions: Vec<Value> = loaded
        .report
        .results
        .iter()
        .filter(|r| matches!(r.status.as_str(), "fail" | "warn" | "error" | "manual"))
        .map(|r| json!({"check": r.id, "kind": "false_positive", "justification": "not an issue"}))
        .collect();
    let forged = json!({
        "format": "dockaudit-signoff", "schema_version": 1,
        "report": {"digest": loaded.digest.computed(), "run_id": loaded.report.run.id, "started_at": loaded.report.run.started_at},
        "decisions": decisions,
        "signature": {"reviewer": {"name": "CISO", "role": "CISO"}, "signed_at": "2099-01-01T00:00:00Z", "decision": "approved"}
    });
    let path = dir.join("signoff.json");
    std::fs::write(&path, digest::seal_value(forged.clone()).unwrap().0).unwrap();
    let o = verify_signoff(&report, &path, &allowed);
    assert_eq!(code(&o), 3, "{}", out(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("VALID"), "{}", out(&o));
    assert!(out(&o).contains("UNSIGNED"), "{}", out(&o));

    // Signing it is refused (signed in the future)…
    let o = dockaudit(&["signoff", "sign", &s(&path), "--key", &s(&mallory)]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("in the future"), "{}", out(&o));
    // …and dated today but signed by a key not in allowed_signers, it is not allowed.
    let mut today = forged;
    today["signature"]["signed_at"] = "2026-06-01T00:00:00Z".into();
    std::fs::write(&path, digest::seal_value(today).unwrap().0).unwrap();
    let o = dockaudit(&["signoff", "sign", &s(&path), "--key", &s(&mallory)]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let o = verify_signoff(&report, &path, &allowed);
    assert_eq!(code(&o), 5, "{}", out(&o));
    assert!(out(&o).contains("NOT-ALLOWED"), "{}", out(&o));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("VALID"), "{}", out(&o));
}

#[test]
fn each_outcome_has_its_exit_code() {
    let dir = TempDir::new("sig-outcomes");
    let ada = keygen(&dir, "ada", "ed25519");
    let report = scan(&dir, None);
    let signoff = export_signoff(&report, &dir, vec![]);
    let allowed = dir.join("allowed_signers");
    let allow = |line: &str| std::fs::write(&allowed, format!("{line} {}\n", public(&ada))).unwrap();
    allow("ada@example.org");

    // 3: unsigned.
    assert_eq!(code(&verify_signoff(&report, &signoff, &allowed)), 3);
    let o = dockaudit(&["signoff", "sign", &s(&signoff), "--key", &s(&ada)]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    // 1: valid (the report has failures).
    assert_eq!(code(&verify_signoff(&report, &signoff, &allowed)), 1);
    // 6: outside the key's validity window (signed 2026-06-01).
    allow("ada@example.org valid-after=\"20260701\"");
    let o = verify_signoff(&report, &signoff, &allowed);
    assert_eq!(code(&o), 6, "{}", out(&o));
    assert!(out(&o).contains("OUTSIDE-VALIDITY"), "{}", out(&o));
    // 5: allowed, but not to sign off.
    allow("ada@example.org namespaces=\"dockaudit-report\"");
    assert_eq!(code(&verify_signoff(&report, &signoff, &allowed)), 5);
    allow("ada@example.org");
    // 4: one changed byte of the sign-off.
    let text = std::fs::read_to_string(&signoff).unwrap();
    let changed = dir.join("changed.json");
    std::fs::write(&changed, text.replacen("Ada Reviewer", "Ada Reviewes", 1)).unwrap();
    let o = verify_signoff(&report, &changed, &allowed);
    assert_eq!(code(&o), 4, "{}", out(&o));
    // 7: one changed byte of the report.
    let rtext = std::fs::read_to_string(&report).unwrap();
    let other = dir.join("other.json");
    std::fs::write(&other, rtext.replacen("\"vm\"", "\"vn\"", 1)).unwrap();
    let o = verify_signoff(&other, &signoff, &allowed);
    assert_eq!(code(&o), 7, "{}", out(&o));
    // 2: a sign-off hiding a second copy of a member.
    std::fs::write(
        &changed,
        text.replacen("\"decision\":", "\"decision\": \"approved\", \"decision\":", 1),
    )
    .unwrap();
    let o = verify_signoff(&report, &changed, &allowed);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("two members named \"decision\""), "{}", out(&o));
    // A cert-authority line is refused with a clear message.
    allow("ada@example.org cert-authority");
    let o = verify_signoff(&report, &signoff, &allowed);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(
        out(&o).contains("cert-authority entries are not supported"),
        "{}",
        out(&o)
    );
}

#[test]
fn reports_are_signed_by_the_collector_and_verified_on_their_own() {
    let dir = TempDir::new("sig-report");
    let ci = keygen(&dir, "ci", "ed25519");
    let allowed = dir.join("allowed_signers");
    std::fs::write(&allowed, format!("ci@example.org {}\n", public(&ci))).unwrap();
    let verify = |p: &Path| dockaudit(&["verify", &s(p), "--allowed-signers", &s(&allowed)]);

    let signed = scan(&dir, Some(&ci));
    let o = verify(&signed);
    assert_eq!(code(&o), 0, "{}", out(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("VALID "), "{}", out(&o));
    assert!(out(&o).contains("signed by ci@example.org (SHA256:"), "{}", out(&o));

    let text = std::fs::read_to_string(&signed).unwrap();
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, text.replacen("\"vm\"", "\"vn\"", 1)).unwrap();
    assert_eq!(code(&verify(&tampered)), 4);

    let plain_dir = TempDir::new("sig-report-plain");
    let plain = scan(&plain_dir, None);
    assert_eq!(code(&verify(&plain)), 3);
    let ptext = std::fs::read_to_string(&plain).unwrap();
    std::fs::write(&tampered, ptext.replacen("\"vm\"", "\"vn\"", 1)).unwrap();
    let o = verify(&tampered);
    assert_eq!(code(&o), 7, "{}", out(&o));

    // The old v1 fixture (legacy digest) still loads, is intact and unsigned.
    let o = verify(&fixture("reports/v1.json"));
    assert_eq!(code(&o), 3, "{}", out(&o));
    assert!(
        out(&o).contains("sha256:") && out(&o).contains("(intact)"),
        "{}",
        out(&o)
    );
}

#[test]
fn converting_a_modified_report_to_json_is_refused_unless_accepted() {
    let dir = TempDir::new("sig-convert");
    let report = scan(&dir, None);
    let text = std::fs::read_to_string(&report).unwrap();
    let claimed: Value = serde_json::from_str(&text).unwrap();
    let claimed = claimed["digest"].as_str().unwrap().to_string();
    let tampered = dir.join("tampered.json");
    std::fs::write(&tampered, text.replacen("\"vm\"", "\"vn\"", 1)).unwrap();
    let output = dir.join("out.json");
    let o = dockaudit(&["convert", &s(&tampered), "--to", "json", "-o", &s(&output)]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("--accept-modified"), "{}", out(&o));
    assert!(!output.exists());
    let o = dockaudit(&[
        "convert",
        &s(&tampered),
        "--to",
        "json",
        "--accept-modified",
        "-o",
        &s(&output),
    ]);
    assert_eq!(code(&o), 0, "{}", out(&o));
    let converted = dockaudit_shared::load::load(&std::fs::read_to_string(&output).unwrap()).unwrap();
    let derived = converted.report.derived_from.unwrap();
    assert_eq!(derived.kind, "modified");
    assert_eq!(derived.digest.as_deref(), Some(claimed.as_str()));
}

#[test]
fn diff_refuses_two_results_for_one_check() {
    let dir = TempDir::new("sig-diff");
    let mut r = fixtures::monday();
    let dup = r.results[0].clone();
    r.results.push(dup);
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, fixtures::sealed(&fixtures::monday())).unwrap();
    std::fs::write(&b, digest::seal(&r).unwrap().0).unwrap();
    let o = dockaudit(&["diff", &s(&a), &s(&b)]);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("more than one result for check"), "{}", out(&o));
}

/// The npm `canonicalize` package (RFC 8785, by one of its authors), installed by setup.sh.
fn canonicalize_js() -> Option<PathBuf> {
    let module = workspace_root().join("target/tools/jcs/node_modules/canonicalize");
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("skipped: node is not installed");
        return None;
    }
    assert!(
        module.exists(),
        "{} is missing: run scripts/setup.sh test",
        module.display()
    );
    Some(module)
}

fn jcs_js(module: &Path, json: &str) -> Vec<u8> {
    let script = format!(
        "const c = require({:?}); const fs = require('fs'); process.stdout.write(c(JSON.parse(fs.readFileSync(0, 'utf8'))));",
        module.display().to_string()
    );
    let mut child = Command::new("node")
        .args(["-e", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), json.as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    o.stdout
}

#[test]
fn canonical_bytes_match_an_independent_jcs_implementation() {
    let Some(module) = canonicalize_js() else { return };
    let tricky = r#"{"numbers": [100.0, 1e21, 1e-7, 0.1, -0.0, 5e-324, 1.7976931348623157e308, 123456789012345680000, 4.5, 333333333.33333329],
        "strings": ["\u2028\u2029", "é", "😀", "\u0000\u001f\u007f", "\"\\/"],
        "ü": 1, "a": {"b": [], "A": {}}, "\ud800\udc00": 1, "\uff61": 2, "€": 3, "\r": 4}"#;
    let value: Value = serde_json::from_str(tricky).unwrap();
    assert_eq!(
        String::from_utf8(digest::canonical_bytes(&value)).unwrap(),
        String::from_utf8(jcs_js(&module, tricky)).unwrap()
    );
    // A whole report, as `dockaudit signoff canonical` prints it.
    let dir = TempDir::new("sig-jcs");
    let report = scan(&dir, None);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("digest");
    let ours = dockaudit(&["signoff", "canonical", &s(&report)]).stdout;
    assert_eq!(ours, jcs_js(&module, &v.to_string()));
    // And the digest is SHA-256 over exactly those bytes.
    let loaded = dockaudit_shared::load::load(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(loaded.digest.computed().starts_with("jcs-sha256:"));
}

/// `ssh-agent` on a socket of its own, stopped when dropped.
struct Agent {
    child: std::process::Child,
    socket: PathBuf,
}

impl Agent {
    fn start(dir: &TempDir) -> Agent {
        let socket = dir.join("agent.sock");
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent runs (openssh-client)");
        let agent = Agent { child, socket };
        for _ in 0..100 {
            if agent.socket.exists() {
                return agent;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("ssh-agent did not create {}", agent.socket.display());
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_key_held_only_by_ssh_agent_signs_with_agent() {
    let dir = TempDir::new("sig-agent");
    let key = keygen(&dir, "ada", "ed25519");
    let allowed = dir.join("allowed_signers");
    std::fs::write(
        &allowed,
        format!("ada@example.org namespaces=\"dockaudit-signoff\" {}\n", public(&key)),
    )
    .unwrap();
    let agent = Agent::start(&dir);
    let added = Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &agent.socket)
        .output()
        .expect("ssh-add runs");
    assert!(added.status.success(), "{}", out(&added));
    // From here on only the agent holds the private key.
    std::fs::remove_file(&key).unwrap();

    let report = scan(&dir, None);
    let signoff = export_signoff(&report, &dir, vec![]);
    let pubkey = key.with_extension("pub");
    let sign = |sock: Option<&Path>| {
        let mut cmd = Command::new(dockaudit_tests::dockaudit_bin());
        cmd.args(["signoff", "sign", &s(&signoff), "--agent", "--key", &s(&pubkey)])
            .env("NO_COLOR", "1")
            .env_remove("SSH_AUTH_SOCK");
        if let Some(sock) = sock {
            cmd.env("SSH_AUTH_SOCK", sock);
        }
        cmd.output().expect("dockaudit runs")
    };
    // Without an agent: a clear error, nothing signed.
    let o = sign(None);
    assert_eq!(code(&o), 2, "{}", out(&o));
    assert!(out(&o).contains("SSH_AUTH_SOCK"), "{}", out(&o));

    let o = sign(Some(&agent.socket));
    assert_eq!(code(&o), 0, "{}", out(&o));
    let o = verify_signoff(&report, &signoff, &allowed);
    assert_eq!(code(&o), 1, "{}", out(&o)); // valid; the report has failures
    assert!(
        out(&o).contains("VALID — signed by ada@example.org (SHA256:"),
        "{}",
        out(&o)
    );
}
