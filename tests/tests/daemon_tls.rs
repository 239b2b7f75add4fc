//! A second, independent dockerd (own data root, exec root, pidfile, socket and network
//! namespace, joined to the test's by a veth pair) reached over tcp://: with TLS certificates
//! the test makes with openssl (client certificate, wrong CA, no client certificate, from
//! DOCKER_CERT_PATH, from a docker context's TLS material), and without TLS, where dockaudit's own
//! plain connection makes 2.7 a `fail`. Needs root; skipped otherwise.

use std::path::Path;
use std::process::{Command, Output};

use dockaudit_shared::report::{Report, Status};
use dockaudit_tests::daemons::{is_root, RootfulDaemon};
use dockaudit_tests::tls::TestPki;
use dockaudit_tests::{dockaudit_bin, TempDir};

fn run(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(dockaudit_bin());
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env("DOCKER_CONFIG", "/nonexistent/dockaudit-test")
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("dockaudit runs")
}

fn report(out: &Output, what: &str) -> Report {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{what}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: not a report ({e}): {stderr}"))
}

fn refused(out: &Output, what: &str, mentions: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
    assert!(stderr.contains(mentions), "{what}: expected {mentions:?} in {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{what}: {stderr}");
}

fn connection(facts_out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(facts_out).expect("facts-out written");
    let facts: serde_json::Value = serde_json::from_str(&text).expect("a snapshot");
    facts["collection"]["connection"].clone()
}

#[test]
fn a_tls_daemon_is_reached_with_its_certificates_and_a_plain_one_fails_2_7() {
    if !is_root() {
        eprintln!("skipped: starting a second dockerd needs root");
        return;
    }
    let (_, ip) = RootfulDaemon::tcp_addresses("tls");
    let pki = TestPki::create(&ip).unwrap_or_else(|e| panic!("certificates: {e}"));
    let path = |p: std::path::PathBuf| p.display().to_string();
    let (ca, cert, key) = (path(pki.ca()), path(pki.client_cert()), path(pki.client_key()));
    let tls_flags = pki.server_flags();
    let tls_flags: Vec<&str> = tls_flags.iter().map(String::as_str).collect();
    let (daemon, listen) =
        RootfulDaemon::start_tcp("tls", 2376, &tls_flags, "{}").unwrap_or_else(|e| panic!("TLS dockerd: {e}"));
    let endpoint = listen.endpoint();
    let tmp = TempDir::new("daemon-tls");
    let facts_out = tmp.join("facts.json");
    let fo = facts_out.to_str().unwrap();

    // With the client certificate: reached, and the snapshot says so.
    let r = report(
        &run(
            &[
                "scan",
                "--host",
                &endpoint,
                "--tlsverify",
                "--tlscacert",
                &ca,
                "--tlscert",
                &cert,
                "--tlskey",
                &key,
                "--format",
                "json",
                "--facts-out",
                fo,
            ],
            &[],
        ),
        "mutual TLS",
    );
    let c = connection(&facts_out);
    assert_eq!(c["transport"], "tcp");
    assert_eq!(c["address"], endpoint.as_str());
    assert_eq!(c["tls"]["server_verified"], true);
    assert_eq!(c["tls"]["client_certificate"], true);
    assert_eq!(r.host.daemon, None, "a tcp:// daemon's host is not read");
    // Mutual TLS proves nothing against the daemon; without its host files 2.7 stays undecided.
    assert_eq!(r.result("2.7").unwrap().status, Status::Error);
    assert_eq!(r.result("2.6").unwrap().status, Status::Pass);
    // The same daemon, independent of the test host's: no containers, its own id.
    assert!(
        r.host.docker.server_version.is_some(),
        "the TLS daemon answered /version"
    );

    // The certificate directory from the environment, as the docker CLI reads it.
    let certs = tmp.join("certs");
    std::fs::create_dir_all(&certs).unwrap();
    for (from, to) in [
        (pki.ca(), "ca.pem"),
        (pki.client_cert(), "cert.pem"),
        (pki.client_key(), "key.pem"),
    ] {
        std::fs::copy(from, certs.join(to)).unwrap();
    }
    let out = run(
        &["scan", "--format", "json", "--check", "2"],
        &[
            ("DOCKER_HOST", Path::new(&endpoint)),
            ("DOCKER_TLS_VERIFY", Path::new("1")),
            ("DOCKER_CERT_PATH", &certs),
        ],
    );
    report(&out, "DOCKER_CERT_PATH");

    // A docker context holding the same material.
    let config = tmp.join("docker-config");
    let id = sha256_hex("tls-test");
    let meta = config.join("contexts/meta").join(&id);
    let tls_dir = config.join("contexts/tls").join(&id).join("docker");
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::create_dir_all(&tls_dir).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        serde_json::json!({"Name": "tls-test", "Metadata": {}, "Endpoints": {"docker": {"Host": endpoint, "SkipTLSVerify": false}}})
            .to_string(),
    )
    .unwrap();
    for name in ["ca.pem", "cert.pem", "key.pem"] {
        std::fs::copy(certs.join(name), tls_dir.join(name)).unwrap();
    }
    let out = run(
        &[
            "scan",
            "--context",
            "tls-test",
            "--format",
            "json",
            "--check",
            "2",
            "--facts-out",
            fo,
        ],
        &[("DOCKER_CONFIG", &config)],
    );
    report(&out, "context");
    let c = connection(&facts_out);
    assert_eq!(c["context"], "tls-test");
    assert_eq!(c["tls"]["client_certificate"], true);

    // A CA that did not sign the daemon's certificate, and no client certificate at all.
    refused(
        &run(
            &[
                "scan",
                "--host",
                &endpoint,
                "--tlsverify",
                "--tlscacert",
                &path(pki.other_ca()),
                "--tlscert",
                &cert,
                "--tlskey",
                &key,
            ],
            &[],
        ),
        "wrong CA",
        "not signed by the given CA",
    );
    let no_client = tmp.join("ca-only");
    std::fs::create_dir_all(&no_client).unwrap();
    std::fs::copy(pki.ca(), no_client.join("ca.pem")).unwrap();
    refused(
        &run(
            &["scan", "--host", &endpoint, "--tlsverify"],
            &[("DOCKER_CERT_PATH", &no_client)],
        ),
        "no client certificate",
        "TLS problem",
    );
    drop(daemon);

    // A daemon listening on plain tcp://: dockaudit's own connection is the evidence.
    let (plain, listen) =
        RootfulDaemon::start_tcp("plain", 2375, &[], "{}").unwrap_or_else(|e| panic!("plain dockerd: {e}"));
    let endpoint = listen.endpoint();
    let r = report(
        &run(
            &["scan", "--host", &endpoint, "--format", "json", "--facts-out", fo],
            &[],
        ),
        "plain tcp",
    );
    let c = connection(&facts_out);
    assert_eq!(c["transport"], "tcp");
    assert_eq!(c["tls"], serde_json::Value::Null);
    let tls = r.result("2.7").unwrap();
    assert_eq!(tls.status, Status::Fail, "{}", tls.summary);
    assert!(
        tls.summary.contains(&format!("{endpoint} over plain TCP without TLS")),
        "{}",
        tls.summary
    );
    assert_eq!(tls.findings.len(), 1);
    assert_eq!(tls.findings[0].target.id, endpoint);
    drop(plain);
}

/// The context store's directory name, by `sha256sum` (not dockaudit's code).
fn sha256_hex(name: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", &format!("printf %s '{name}' | sha256sum")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}
