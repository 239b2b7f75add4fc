//! Docker contexts against a context store the test writes (`DOCKER_CONFIG`): the context
//! dockaudit uses for each combination of `--host`, `DOCKER_HOST`, `--context`, `DOCKER_CONTEXT`
//! and `currentContext` is the one the docker CLI itself reports (`docker context show`), and an
//! unknown context exits 2 naming the known ones.

use std::path::Path;
use std::process::{Command, Output};

use dockaudit_tests::docker::require_daemon;
use dockaudit_tests::{dockaudit_bin, TempDir};

/// The daemon the shared tests use.
const DAEMON: &str = "unix:///var/run/docker.sock";

/// Sockets that do not exist, one per context, so an error message names the context used.
fn missing(name: &str) -> String {
    format!("unix:///nonexistent/da-ctx-{name}.sock")
}

/// A context store in `dir`: `good` reaches the test daemon, `alpha` and `beta` point at
/// missing sockets, and `beta` is the current context.
fn write_store(dir: &Path) {
    for (name, host) in [
        ("good", DAEMON.to_string()),
        ("alpha", missing("alpha")),
        ("beta", missing("beta")),
    ] {
        let id = sha256_hex(name);
        let meta = dir.join("contexts/meta").join(id);
        std::fs::create_dir_all(&meta).unwrap();
        let json = serde_json::json!({
            "Name": name,
            "Metadata": {"Description": "dockaudit test"},
            "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}
        });
        std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    }
    std::fs::write(
        dir.join("config.json"),
        r#"{"auths": {"registry.example": {"auth": "c2VjcmV0OnNlY3JldA=="}}, "currentContext": "beta"}"#,
    )
    .unwrap();
}

/// The store's directory name for a context, by the `sha256sum` command (not dockaudit's code).
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

/// One way of choosing: flags and environment.
struct Case {
    what: &'static str,
    host_flag: Option<String>,
    context_flag: Option<&'static str>,
    env_host: Option<String>,
    env_context: Option<&'static str>,
}

fn command(program: &Path, config: &Path, case: &Case, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("DOCKER_CONFIG", config)
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH");
    if let Some(h) = &case.env_host {
        cmd.env("DOCKER_HOST", h);
    }
    if let Some(c) = case.env_context {
        cmd.env("DOCKER_CONTEXT", c);
    }
    // The subcommand first: dockaudit's daemon flags belong to it.
    cmd.args(args);
    if let Some(h) = &case.host_flag {
        cmd.args(["--host", h]);
    }
    if let Some(c) = case.context_flag {
        cmd.args(["--context", c]);
    }
    cmd
}

/// What the docker CLI says the context is.
fn docker_cli_context(config: &Path, case: &Case) -> String {
    let mut cmd = Command::new("docker");
    cmd.env("DOCKER_CONFIG", config)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT");
    if let Some(h) = &case.env_host {
        cmd.env("DOCKER_HOST", h);
    }
    if let Some(c) = case.env_context {
        cmd.env("DOCKER_CONTEXT", c);
    }
    if let Some(h) = &case.host_flag {
        cmd.args(["--host", h]);
    }
    if let Some(c) = case.context_flag {
        cmd.args(["--context", c]);
    }
    let out = cmd.args(["context", "show"]).output().expect("the docker CLI runs");
    assert!(
        out.status.success(),
        "{}: docker context show: {}",
        case.what,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `dockaudit facts` for the case: the context it recorded, or the error it printed.
fn dockaudit_context(config: &Path, case: &Case) -> Result<Option<String>, String> {
    let out: Output = command(&dockaudit_bin(), config, case, &["facts"])
        .output()
        .expect("dockaudit runs");
    if !out.status.success() {
        assert_eq!(out.status.code(), Some(2), "{}", case.what);
        return Err(String::from_utf8_lossy(&out.stderr).to_string());
    }
    let facts: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a snapshot");
    Ok(facts["collection"]["connection"]["context"].as_str().map(String::from))
}

#[test]
fn contexts_are_chosen_as_the_docker_cli_chooses_them() {
    require_daemon();
    let tmp = TempDir::new("contexts");
    write_store(tmp.path());
    let config = tmp.path();
    let env_host = || Some(missing("env"));
    let cases = [
        Case {
            what: "currentContext alone",
            host_flag: None,
            context_flag: None,
            env_host: None,
            env_context: None,
        },
        Case {
            what: "DOCKER_CONTEXT over currentContext",
            host_flag: None,
            context_flag: None,
            env_host: None,
            env_context: Some("alpha"),
        },
        Case {
            what: "DOCKER_HOST over DOCKER_CONTEXT",
            host_flag: None,
            context_flag: None,
            env_host: env_host(),
            env_context: Some("good"),
        },
        Case {
            what: "--host over everything in the environment",
            host_flag: Some(DAEMON.to_string()),
            context_flag: None,
            env_host: None,
            env_context: Some("alpha"),
        },
        Case {
            what: "--context over DOCKER_HOST",
            host_flag: None,
            context_flag: Some("good"),
            env_host: env_host(),
            env_context: Some("alpha"),
        },
        Case {
            what: "--context default is the flags and environment",
            host_flag: None,
            context_flag: Some("default"),
            env_host: None,
            env_context: None,
        },
    ];
    for case in &cases {
        let cli = docker_cli_context(config, case);
        let ours = dockaudit_context(config, case);
        match cli.as_str() {
            // The default context: the host flag, DOCKER_HOST or the default socket.
            "default" => {
                let expected_socket = case.host_flag.clone().or(case.env_host.clone());
                match (ours, expected_socket) {
                    (Ok(None), None) => {}
                    (Ok(None), Some(h)) if h == DAEMON => {}
                    (Err(e), Some(h)) => assert!(e.contains(&h), "{}: {e}", case.what),
                    (other, h) => panic!(
                        "{}: dockaudit gave {other:?}, expected the default context ({h:?})",
                        case.what
                    ),
                }
            }
            "good" => assert_eq!(ours, Ok(Some("good".into())), "{}", case.what),
            name => {
                let err = ours.expect_err(case.what);
                assert!(
                    err.contains(&missing(name)),
                    "{}: docker chose {name}: {err}",
                    case.what
                );
            }
        }
    }
}

#[test]
fn conflicting_or_unknown_contexts_exit_2_with_one_clear_line() {
    let tmp = TempDir::new("contexts-bad");
    write_store(tmp.path());
    let run = |case: &Case| command(&dockaudit_bin(), tmp.path(), case, &["scan"]).output().unwrap();
    let out = run(&Case {
        what: "unknown",
        host_flag: None,
        context_flag: Some("nope"),
        env_host: None,
        env_context: None,
    });
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "dockaudit: error: context \"nope\" does not exist (chosen by --context); known contexts: default, alpha, beta, good"
    );
    let out = run(&Case {
        what: "unknown in the environment",
        host_flag: None,
        context_flag: None,
        env_host: None,
        env_context: Some("gone"),
    });
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"gone\" does not exist (chosen by DOCKER_CONTEXT)"));
    let out = run(&Case {
        what: "both",
        host_flag: Some(DAEMON.into()),
        context_flag: Some("good"),
        env_host: None,
        env_context: None,
    });
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("either specify --host or --context, not both"));
}
