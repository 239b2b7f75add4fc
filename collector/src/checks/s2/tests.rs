//! Unit tests of this section's checks: pass and fail cases from hand-built facts.

use dockaudit_shared::report::Status;
use serde_json::json;

use super::super::file_checks::ok_mut;
use super::super::testing::{empty_host, eval, target_names};
use crate::snapshot::*;

/// `empty_host` with dockerd's arguments (after argv[0]) and daemon.json content.
fn daemon(args: &str, json: Option<serde_json::Value>) -> Facts {
    let mut f = empty_host();
    let host = f.host.as_mut().unwrap();
    let process = ok_mut(&mut host.dockerd).as_mut().unwrap();
    process.args = std::iter::once("/usr/sbin/dockerd")
        .chain(args.split_whitespace())
        .map(String::from)
        .collect();
    host.daemon_json = Fact::Ok(json.map(|content| DaemonJson {
        path: "/etc/docker/daemon.json".into(),
        content,
    }));
    f
}

fn status(id: &str, f: &Facts) -> Status {
    eval(id, f).status
}

#[test]
fn rootless() {
    assert_eq!(status("2.1", &empty_host()), Status::Warn);
    let mut f = empty_host();
    ok_mut(&mut f.info).security_options.push("name=rootless".into());
    assert_eq!(status("2.1", &f), Status::Pass);
    // A rootless daemon already maps container root to its unprivileged user.
    let o = eval("2.9", &f);
    assert_eq!(o.status, Status::NotApplicable);
    assert!(o.summary.contains("rootless"), "{}", o.summary);
}

#[test]
fn an_unidentified_daemon_makes_flag_checks_error_never_another_daemons_flags() {
    let mut f = daemon("--no-new-privileges --icc=false", None);
    let host = f.host.as_mut().unwrap();
    host.binding = Some(DaemonBinding {
        unidentified: Some("none of the 2 dockerd processes found is known to serve it".into()),
        ..DaemonBinding::default()
    });
    host.dockerd = Fact::unavailable(
        "the dockerd process serving unix:///var/run/docker.sock",
        "none of the 2 dockerd processes found is known to serve it",
    );
    host.daemon_json = Fact::unavailable("the audited daemon's configuration file", "unknown");
    for id in ["2.14", "2.16", "2.3"] {
        let o = eval(id, &f);
        assert_eq!(o.status, Status::Error, "{id}: {}", o.summary);
        assert!(o.summary.contains("could not be identified"), "{id}: {}", o.summary);
    }
}

#[test]
fn icc_prefers_bridge_network_option() {
    let o = eval("2.2", &empty_host());
    assert_eq!(o.status, Status::Fail);
    assert!(o.findings[0].observed.contains("enable_icc=true"));

    // The effective option wins over daemon.json.
    let mut f = daemon("-H fd://", Some(json!({"icc": false})));
    assert_eq!(status("2.2", &f), Status::Fail);
    ok_mut(&mut f.networks)[0]
        .options
        .insert("com.docker.network.bridge.enable_icc".into(), "false".into());
    assert_eq!(status("2.2", &f), Status::Pass);

    // Networks unreadable: configuration decides.
    let mut f = daemon("-H fd:// --icc=false", None);
    f.networks = Fact::unavailable("GET /networks", "timeout");
    assert_eq!(status("2.2", &f), Status::Pass);
    let mut f = daemon("-H fd://", Some(json!({"log-opts": {"tag": "icc"}})));
    f.networks = Fact::unavailable("GET /networks", "timeout");
    assert_eq!(status("2.2", &f), Status::Fail, "icc inside another value is not icc");
    f.host.as_mut().unwrap().dockerd = Fact::unavailable("/proc", "denied");
    assert_eq!(status("2.2", &f), Status::Error);
}

#[test]
fn log_level() {
    let cases = [
        ("-H fd://", None, Status::Pass),
        ("-H fd:// --log-level=info", None, Status::Pass),
        ("-H fd:// -l warn", None, Status::Fail),
        ("-H fd://", Some(json!({"log-level": "debug"})), Status::Fail),
        // The command line wins over daemon.json.
        ("--log-level=debug", Some(json!({"log-level": "info"})), Status::Fail),
        ("-H fd:// -D", None, Status::Fail),
        ("-H fd://", Some(json!({"debug": true})), Status::Fail),
    ];
    for (args, json, want) in cases {
        let o = eval("2.3", &daemon(args, json.clone()));
        assert_eq!(o.status, want, "{args} {json:?}: {o:?}");
    }
    let o = eval("2.3", &daemon("--log-level=debug", Some(json!({"log-level": "info"}))));
    assert_eq!(o.findings[0].observed, "--log-level=debug (from dockerd command line)");
    let mut f = empty_host();
    f.host.as_mut().unwrap().daemon_json = Fact::unavailable("/etc/docker/daemon.json", "EACCES");
    assert_eq!(status("2.3", &f), Status::Error);
}

#[test]
fn iptables() {
    assert_eq!(status("2.4", &empty_host()), Status::Pass);
    assert_eq!(status("2.4", &daemon("--iptables=false", None)), Status::Fail);
    assert_eq!(
        status("2.4", &daemon("", Some(json!({"iptables": false})))),
        Status::Fail
    );
    assert_eq!(
        status("2.4", &daemon("", Some(json!({"iptables": true})))),
        Status::Pass
    );
}

#[test]
fn insecure_registries_ignore_builtin_loopback() {
    assert_eq!(
        status("2.5", &empty_host()),
        Status::Pass,
        "127.0.0.0/8 alone is the default"
    );
    let mut f = empty_host();
    let info = ok_mut(&mut f.info);
    info.insecure_registry_cidrs.push("10.0.0.0/8".into());
    info.index_configs = vec![
        IndexConfig {
            name: "docker.io".into(),
            secure: Some(true),
            ..IndexConfig::default()
        },
        IndexConfig {
            name: "registry.local:5000".into(),
            secure: Some(false),
            ..IndexConfig::default()
        },
    ];
    let o = eval("2.5", &f);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["10.0.0.0/8", "registry.local:5000"]);
    f.info = Fact::unavailable("GET /info", "timeout");
    assert_eq!(status("2.5", &f), Status::Error);
}

#[test]
fn aufs() {
    assert_eq!(status("2.6", &empty_host()), Status::Pass);
    let mut f = empty_host();
    ok_mut(&mut f.info).driver = Some("aufs".into());
    assert_eq!(status("2.6", &f), Status::Fail);
}

#[test]
fn tls_on_tcp_listeners() {
    let tls = "--tlsverify --tlscacert=/etc/docker/ca.pem --tlscert=/etc/docker/cert.pem --tlskey=/etc/docker/key.pem";
    let cases = [
        ("-H fd://", None, Status::NotApplicable),
        ("-H unix:///run/docker.sock", None, Status::NotApplicable),
        ("-H fd:// -H tcp://0.0.0.0:2375", None, Status::Fail),
        ("-H 0.0.0.0:2375", None, Status::Fail),
        (&*format!("-H tcp://0.0.0.0:2376 {tls}"), None, Status::Pass),
        (
            "-H tcp://0.0.0.0:2376 --tls --tlscert=/c --tlskey=/k --tlscacert=/ca",
            None,
            Status::Fail,
        ),
    ];
    for (args, json, want) in cases {
        let o = eval("2.7", &daemon(args, json));
        assert_eq!(o.status, want, "{args}: {o:?}");
    }
    let o = eval("2.7", &daemon("-H tcp://0.0.0.0:2375 -H tcp://127.0.0.1:2375", None));
    assert_eq!(
        target_names(&o),
        ["TCP listener tcp://0.0.0.0:2375", "TCP listener tcp://127.0.0.1:2375"]
    );
    assert!(o.findings[0].observed.contains("no TLS"), "{}", o.findings[0].observed);
}

#[test]
fn tls_hosts_from_multiline_json_array() {
    let content: serde_json::Value = serde_json::from_str(
        r#"{
  "hosts": [
"unix:///var/run/docker.sock",
"tcp://0.0.0.0:2376"
  ],
  "tlsverify": true
}"#,
    )
    .unwrap();
    // dockerd refuses -H together with "hosts", so the command line has none here.
    let o = eval("2.7", &daemon("", Some(content)));
    assert_eq!(o.status, Status::Fail, "{o:?}");
    assert_eq!(target_names(&o), ["TCP listener tcp://0.0.0.0:2376"]);
    assert!(o.findings[0].observed.contains("tlscacert not set"));

    let verified = json!({"hosts": ["tcp://0.0.0.0:2376"], "tlsverify": true,
        "tlscacert": "/etc/docker/ca.pem", "tlscert": "/etc/docker/cert.pem", "tlskey": "/etc/docker/key.pem"});
    assert_eq!(status("2.7", &daemon("", Some(verified))), Status::Pass);
}

/// `f` as reached over `tcp://10.0.0.5:2375`, with the given TLS session.
fn reached_over_tcp(mut f: Facts, tls: Option<TlsSession>) -> Facts {
    f.collection.connection = Some(Connection {
        transport: Transport::Tcp,
        address: "tcp://10.0.0.5:2375".into(),
        tls,
        ..Connection::default()
    });
    f
}

#[test]
fn tls_is_failed_by_dockaudits_own_plain_tcp_connection() {
    // A remote daemon: no host files, so the configuration cannot tell (an error before).
    let mut remote = empty_host();
    remote.host = None;
    remote.collection.host_skipped_reason = Some("the daemon at tcp://10.0.0.5:2375 is not on this machine".into());
    assert_eq!(status("2.7", &remote), Status::Error);

    let o = eval("2.7", &reached_over_tcp(remote.clone(), None));
    assert_eq!(o.status, Status::Fail, "{o:?}");
    assert!(
        o.summary.contains("tcp://10.0.0.5:2375 over plain TCP without TLS"),
        "{}",
        o.summary
    );
    assert_eq!(target_names(&o), ["API endpoint tcp://10.0.0.5:2375"]);
    assert!(o.findings[0].remediation.contains("tlsverify"));

    // TLS without a client certificate proves the daemon does not verify clients.
    let no_client = Some(TlsSession {
        server_verified: true,
        client_certificate: false,
    });
    let o = eval("2.7", &reached_over_tcp(remote.clone(), no_client));
    assert_eq!(o.status, Status::Fail, "{o:?}");
    assert!(o.findings[0]
        .observed
        .contains("without presenting a client certificate"));

    // Mutual TLS proves nothing against the daemon: its other behaviour is unchanged.
    let mutual = Some(TlsSession {
        server_verified: true,
        client_certificate: true,
    });
    assert_eq!(status("2.7", &reached_over_tcp(remote.clone(), mutual)), Status::Error);
    let tls = "-H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/ca --tlscert=/c --tlskey=/k";
    assert_eq!(
        status("2.7", &reached_over_tcp(daemon(tls, None), mutual)),
        Status::Pass
    );
    // Unix sockets and SSH prove nothing either way.
    let mut unix = daemon("-H fd://", None);
    unix.collection.connection = Some(Connection::default());
    assert_eq!(status("2.7", &unix), Status::NotApplicable);
    let mut ssh = remote;
    ssh.collection.connection = Some(Connection {
        transport: Transport::Ssh,
        address: "ssh://me@box".into(),
        ..Connection::default()
    });
    assert_eq!(status("2.7", &ssh), Status::Error);
}

#[test]
fn plain_tcp_connection_joins_the_configured_listeners() {
    // Configured listeners lack TLS and dockaudit came in over one of them: both are findings.
    let o = eval("2.7", &reached_over_tcp(daemon("-H tcp://0.0.0.0:2375", None), None));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        target_names(&o),
        ["TCP listener tcp://0.0.0.0:2375", "API endpoint tcp://10.0.0.5:2375"]
    );
    // A configuration that claims TLS everywhere does not outweigh the plain connection (a
    // forwarder or proxy exposes the API).
    let tls = "-H tcp://0.0.0.0:2376 --tlsverify --tlscacert=/ca --tlscert=/c --tlskey=/k";
    let o = eval("2.7", &reached_over_tcp(daemon(tls, None), None));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(target_names(&o), ["API endpoint tcp://10.0.0.5:2375"]);
}

#[test]
fn default_ulimits() {
    assert_eq!(status("2.8", &empty_host()), Status::Warn);
    assert_eq!(
        status("2.8", &daemon("--default-ulimit nofile=1024:2048", None)),
        Status::Pass
    );
    let j = json!({"default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}});
    assert_eq!(status("2.8", &daemon("", Some(j))), Status::Pass);
    assert_eq!(
        status("2.8", &daemon("", Some(json!({"default-ulimits": {}})))),
        Status::Warn
    );
    assert_eq!(
        status("2.8", &daemon("", Some(json!({"default-ulimits": null})))),
        Status::Warn
    );
}

#[test]
fn userns_from_security_options() {
    let o = eval("2.9", &daemon("", Some(json!({"userns-remap": "default"}))));
    assert_eq!(o.status, Status::Fail);
    assert!(o.findings[0].observed.contains("not in effect"));
    let mut f = empty_host();
    ok_mut(&mut f.info).security_options.push("name=userns".into());
    assert_eq!(status("2.9", &f), Status::Pass);
}

#[test]
fn cgroup_parent() {
    assert_eq!(status("2.10", &empty_host()), Status::Pass);
    assert_eq!(status("2.10", &daemon("--cgroup-parent=/foo", None)), Status::Warn);
    assert_eq!(
        status("2.10", &daemon("", Some(json!({"cgroup-parent": "/foo"})))),
        Status::Warn
    );
}

#[test]
fn devicemapper_basesize() {
    assert_eq!(status("2.11", &empty_host()), Status::NotApplicable);
    let mut f = daemon("--storage-opt dm.basesize=20G", None);
    ok_mut(&mut f.info).driver = Some("devicemapper".into());
    assert_eq!(status("2.11", &f), Status::Fail);
    let mut f = daemon("", Some(json!({"storage-opts": ["dm.thinpooldev=/dev/mapper/thin"]})));
    ok_mut(&mut f.info).driver = Some("devicemapper".into());
    assert_eq!(status("2.11", &f), Status::Pass);
}

#[test]
fn authorization_plugins() {
    assert_eq!(status("2.12", &empty_host()), Status::Fail);
    let mut f = empty_host();
    ok_mut(&mut f.info).authorization_plugins = vec!["opa-docker-authz".into()];
    assert_eq!(status("2.12", &f), Status::Pass);
}

#[test]
fn log_driver() {
    let cases = [
        ("json-file", Status::Fail),
        ("local", Status::Fail),
        ("none", Status::Fail),
        ("journald", Status::Warn),
        ("syslog", Status::Pass),
        ("fluentd", Status::Pass),
        ("loki", Status::Pass),
    ];
    for (driver, want) in cases {
        let mut f = empty_host();
        ok_mut(&mut f.info).logging_driver = Some(driver.into());
        assert_eq!(status("2.13", &f), want, "{driver}");
    }
}

#[test]
fn no_new_privileges() {
    let cases = [
        ("-H fd://", None, Status::Fail),
        ("--no-new-privileges", None, Status::Pass),
        ("--no-new-privileges=true", None, Status::Pass),
        ("--no-new-privileges=false", None, Status::Fail),
        ("", Some(json!({"no-new-privileges": true})), Status::Pass),
        ("", Some(json!({"no-new-privileges": false})), Status::Fail),
    ];
    for (args, json, want) in cases {
        assert_eq!(status("2.14", &daemon(args, json.clone())), want, "{args} {json:?}");
    }
    let mut f = empty_host();
    f.host.as_mut().unwrap().dockerd = Fact::Ok(None);
    assert_eq!(status("2.14", &f), Status::Error, "command line unknown");
}

#[test]
fn live_restore() {
    assert_eq!(status("2.15", &empty_host()), Status::Fail);
    let mut f = empty_host();
    ok_mut(&mut f.info).live_restore_enabled = Some(true);
    assert_eq!(status("2.15", &f), Status::Pass);
    ok_mut(&mut f.info).swarm.local_node_state = Some("active".into());
    assert_eq!(status("2.15", &f), Status::NotApplicable);
}

#[test]
fn userland_proxy() {
    assert_eq!(status("2.16", &empty_host()), Status::Fail);
    assert_eq!(status("2.16", &daemon("--userland-proxy=false", None)), Status::Pass);
    assert_eq!(
        status("2.16", &daemon("", Some(json!({"userland-proxy": false})))),
        Status::Pass
    );
    assert_eq!(status("2.16", &daemon("--userland-proxy=true", None)), Status::Fail);
}

#[test]
fn seccomp() {
    let cases: &[(&[&str], Status)] = &[
        (&["name=seccomp,profile=default"], Status::Pass),
        (&["name=seccomp,profile=builtin"], Status::Pass),
        (&["name=seccomp,profile=/etc/docker/seccomp.json"], Status::Pass),
        (&["name=seccomp,profile=unconfined"], Status::Fail),
        (&["name=apparmor"], Status::Fail),
    ];
    for (opts, want) in cases {
        let mut f = empty_host();
        ok_mut(&mut f.info).security_options = opts.iter().map(|s| s.to_string()).collect();
        assert_eq!(status("2.17", &f), *want, "{opts:?}");
    }
}

#[test]
fn experimental() {
    assert_eq!(status("2.18", &empty_host()), Status::Pass);
    let mut f = empty_host();
    ok_mut(&mut f.version).experimental = Some(true);
    assert_eq!(status("2.18", &f), Status::Fail);
    let mut f = empty_host();
    f.version = Fact::unavailable("GET /version", "timeout");
    ok_mut(&mut f.info).experimental_build = Some(true);
    assert_eq!(status("2.18", &f), Status::Fail);
    f.info = Fact::unavailable("GET /info", "timeout");
    assert_eq!(status("2.18", &f), Status::Error);
}

#[test]
fn missing_info_is_error() {
    let mut f = empty_host();
    f.info = Fact::unavailable("GET /info", "timeout");
    for id in ["2.1", "2.5", "2.6", "2.9", "2.11", "2.12", "2.13", "2.15", "2.17"] {
        assert_eq!(status(id, &f), Status::Error, "{id}");
    }
}
