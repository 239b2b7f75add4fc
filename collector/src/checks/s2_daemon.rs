//! Section 2: Docker daemon configuration.
//!
//! Where the Engine API exposes the effective value (GET /info, /version, /networks) it is used:
//! it is what the daemon actually does, whatever file set it. Settings the API does not expose come
//! from [`DaemonConfig`](super::DaemonConfig) (command line first, then daemon.json, as dockerd reads
//! them); a source that could not be read makes the check `error`, never a pass on the default.

use dockaudit_shared::report::{Finding, Target, TargetKind};

use super::file_checks::or_return;
use super::outcome::finding;
use super::{Ctx, Outcome};
use crate::interpret::host_paths::DEFAULT_DAEMON_JSON;
use crate::interpret::{Lookup, Setting, SettingSource};
use crate::snapshot::{HostFacts, Info};

pub(super) const EVALUATORS: &[(&str, super::Eval)] = &[
    ("2.1", check_2_1),
    ("2.2", check_2_2),
    ("2.3", check_2_3),
    ("2.4", check_2_4),
    ("2.5", check_2_5),
    ("2.6", check_2_6),
    ("2.7", check_2_7),
    ("2.8", check_2_8),
    ("2.9", check_2_9),
    ("2.10", check_2_10),
    ("2.11", check_2_11),
    ("2.12", check_2_12),
    ("2.13", check_2_13),
    ("2.14", check_2_14),
    ("2.15", check_2_15),
    ("2.16", check_2_16),
    ("2.17", check_2_17),
    ("2.18", check_2_18),
];

// ---- helpers -------------------------------------------------------------------------------

fn info<'a>(ctx: &Ctx<'a>) -> Result<&'a Info, Outcome> {
    ctx.facts
        .info
        .get()
        .map_err(|u| Outcome::unavailable("the daemon info (GET /info)", u))
}

/// A configured setting; `Err(error)` when a source that could set it was unreadable.
fn setting(ctx: &Ctx, flag: &str, key: &str) -> Result<Option<Setting>, Outcome> {
    match ctx.daemon.lookup(flag, key) {
        Lookup::Set(s) => Ok(Some(s)),
        Lookup::Unset => Ok(None),
        Lookup::Unknown(reason) => Err(Outcome::error(format!(
            "Cannot tell whether --{flag} or \"{key}\" is configured: {reason}."
        ))),
    }
}

/// A boolean setting with its value; an unreadable value is an `error`.
fn bool_setting(ctx: &Ctx, flag: &str, key: &str) -> Result<Option<(bool, Setting)>, Outcome> {
    match setting(ctx, flag, key)? {
        None => Ok(None),
        Some(s) => match s.as_bool() {
            Some(b) => Ok(Some((b, s))),
            None => Err(Outcome::error(format!(
                "{} is not a boolean value dockaudit understands.",
                shown(ctx, flag, key, &s)
            ))),
        },
    }
}

/// The setting as written in its source: `--log-level=debug (from dockerd command line)` or
/// `"log-level": "debug" (from /etc/docker/daemon.json)`.
fn shown(ctx: &Ctx, flag: &str, key: &str, s: &Setting) -> String {
    match &s.source {
        SettingSource::CommandLine => format!("{} (from {})", cli_text(flag, s), s.source),
        SettingSource::DaemonJson(path) => {
            let value = ctx
                .daemon
                .json()
                .and_then(|j| j.get(key))
                .map_or_else(|| s.values.join(", "), serde_json::Value::to_string);
            format!("\"{key}\": {value} (from {path})")
        }
    }
}

fn cli_text(flag: &str, s: &Setting) -> String {
    s.values
        .iter()
        .map(|v| {
            if v.is_empty() {
                format!("--{flag}")
            } else {
                format!("--{flag}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The daemon.json dockerd reads, for remediation text.
fn daemon_json_path(ctx: &Ctx) -> String {
    match (
        ctx.daemon.json_path(),
        ctx.paths
            .as_ref()
            .and_then(|p| p.daemon_json.first())
            .map(String::as_str),
    ) {
        (Some(p), _) | (None, Some(p)) => p.to_string(),
        (None, None) => DEFAULT_DAEMON_JSON.to_string(),
    }
}

/// How to change a setting where it is set: on the command line when it came from there, else
/// in daemon.json.
fn fix(ctx: &Ctx, current: Option<&Setting>, flag: &str, want_cli: &str, key: &str, want_json: &str) -> String {
    match current {
        Some(s) if s.source == SettingSource::CommandLine => format!(
            "replace `{}` with `{want_cli}` on the dockerd command line (docker.service or its drop-in) \
             and restart Docker",
            cli_text(flag, s)
        ),
        _ => format!(
            "set \"{key}\": {want_json} in {} and restart Docker",
            daemon_json_path(ctx)
        ),
    }
}

fn daemon_target(id: &str, name: &str) -> Target {
    Target::new(TargetKind::Daemon, id, name)
}

fn daemon_finding(id: &str, name: &str, observed: String, expected: &str, remediation: String) -> Finding {
    finding(
        daemon_target(id, name),
        format!("{name}: {observed}"),
        observed,
        expected,
        remediation,
    )
}

fn swarm_active(info: &Info) -> bool {
    matches!(
        info.swarm.local_node_state.as_deref(),
        Some("active" | "locked" | "pending")
    )
}

// ---- checks --------------------------------------------------------------------------------

/// 2.1: rootless mode (`name=rootless` in GET /info SecurityOptions) passes; otherwise warn, since
/// CIS only asks for it "if possible". docker-bench-security only prints a note.
fn check_2_1(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if info.has_security_option("rootless") {
        return Outcome::pass("The daemon runs in rootless mode (SecurityOptions has name=rootless).");
    }
    let uid = ctx
        .facts
        .host
        .as_ref()
        .and_then(|h| h.dockerd.ok())
        .and_then(|d| d.as_ref())
        .and_then(|d| d.uid)
        .map_or(String::new(), |uid| format!("; dockerd runs as uid {uid}"));
    Outcome::warn(
        "The daemon runs as root, not in rootless mode.",
        vec![daemon_finding(
            "rootless",
            "rootless mode",
            format!("SecurityOptions has no name=rootless (from GET /info){uid}"),
            "dockerd running in rootless mode where the workload allows it",
            "run the daemon in rootless mode (dockerd-rootless-setuptool.sh install as an unprivileged user) if its \
             workloads allow it"
                .into(),
        )],
    )
}

/// 2.2: inter-container communication must be off on the default bridge.
///
/// Reads the effective bridge option `com.docker.network.bridge.enable_icc` (GET /networks), which
/// reflects `--icc` however it was set; falls back to `--icc`/`"icc"` only when the network is not
/// readable. docker-bench-security without jq matches "icc" anywhere in daemon.json.
fn check_2_2(ctx: &Ctx) -> Outcome {
    const OPTION: &str = "com.docker.network.bridge.enable_icc";
    let remediation = |current: Option<&Setting>| fix(ctx, current, "icc", "--icc=false", "icc", "false");
    let networks_note = match ctx.facts.networks.get() {
        Ok(networks) => {
            let Some(bridge) = networks.iter().find(|n| n.name == "bridge") else {
                return Outcome::not_applicable(
                    "There is no default bridge network (dockerd runs with --bridge=none), so no traffic uses it.",
                );
            };
            match bridge.options.get(OPTION).map(String::as_str) {
                Some("false") => {
                    return Outcome::pass(format!(
                        "The default bridge network has {OPTION}=false (from GET /networks)."
                    ))
                }
                Some(other) => {
                    let current = ctx.daemon.lookup("icc", "icc");
                    let current = if let Lookup::Set(s) = &current { Some(s) } else { None };
                    return Outcome::fail(
                        "Containers on the default bridge can talk to each other (icc is enabled).",
                        vec![daemon_finding(
                            "icc",
                            "inter-container communication on the default bridge",
                            format!("{OPTION}={other} on network bridge (from GET /networks)"),
                            &format!("{OPTION}=false"),
                            remediation(current),
                        )],
                    );
                }
                None => "the default bridge network does not report the option".to_string(),
            }
        }
        Err(u) => format!("the networks could not be read ({u})"),
    };
    match or_return!(bool_setting(ctx, "icc", "icc")) {
        Some((false, s)) => Outcome::pass(format!(
            "icc is disabled: {} ({networks_note}).",
            shown(ctx, "icc", "icc", &s)
        )),
        current => {
            let (observed, s) = match &current {
                Some((_, s)) => (shown(ctx, "icc", "icc", s), Some(s)),
                None => ("icc not configured; dockerd enables it by default".to_string(), None),
            };
            Outcome::fail(
                "Containers on the default bridge can talk to each other (icc is enabled).",
                vec![daemon_finding(
                    "icc",
                    "inter-container communication on the default bridge",
                    format!("{observed} ({networks_note})"),
                    "icc disabled (--icc=false or \"icc\": false)",
                    remediation(s),
                )],
            )
        }
    }
}

/// 2.3: the log level must be unset (dockerd's default is info) or `info`.
///
/// The command line wins over daemon.json, so `--log-level=debug` fails even when daemon.json says
/// info (docker-bench-security with jq only reads daemon.json). Debug mode (`-D`, `"debug": true`,
/// GET /info Debug) forces the debug level and fails too.
fn check_2_3(ctx: &Ctx) -> Outcome {
    let level = or_return!(setting(ctx, "log-level", "log-level"));
    let want = "log level info (or unset)";
    if let Some(s) = &level {
        if !s.value().eq_ignore_ascii_case("info") {
            return Outcome::fail(
                format!("The daemon's log level is {}, not info.", s.value()),
                vec![daemon_finding(
                    "log-level",
                    "log level",
                    shown(ctx, "log-level", "log-level", s),
                    want,
                    fix(ctx, Some(s), "log-level", "--log-level=info", "log-level", "\"info\""),
                )],
            );
        }
    }
    let debug_setting = or_return!(bool_setting(ctx, "debug", "debug"));
    let debug_evidence = match (&debug_setting, ctx.facts.info.ok().and_then(|i| i.debug)) {
        (Some((true, s)), _) => Some((shown(ctx, "debug", "debug", s), Some(s))),
        (_, Some(true)) => Some(("Debug: true (from GET /info)".to_string(), None)),
        _ => None,
    };
    if let Some((observed, s)) = debug_evidence {
        return Outcome::fail(
            "The daemon runs in debug mode, which logs at debug level.",
            vec![daemon_finding(
                "debug",
                "debug mode",
                observed,
                want,
                match s {
                    Some(s) if s.source == SettingSource::CommandLine => format!(
                        "remove `{}` from the dockerd command line (docker.service or its drop-in) and restart Docker",
                        cli_text("debug", s)
                    ),
                    _ => format!("set \"debug\": false in {} and restart Docker", daemon_json_path(ctx)),
                },
            )],
        );
    }
    match level {
        Some(s) => Outcome::pass(format!(
            "The log level is info: {}.",
            shown(ctx, "log-level", "log-level", &s)
        )),
        None => Outcome::pass("No log level is configured, so dockerd logs at its default level, info."),
    }
}

/// 2.4: Docker must manage iptables: passes unless `--iptables=false` / `"iptables": false`.
fn check_2_4(ctx: &Ctx) -> Outcome {
    match or_return!(bool_setting(ctx, "iptables", "iptables")) {
        None => Outcome::pass("iptables is not configured, so Docker manages iptables rules (the default)."),
        Some((true, s)) => Outcome::pass(format!(
            "Docker manages iptables: {}.",
            shown(ctx, "iptables", "iptables", &s)
        )),
        Some((false, s)) => Outcome::fail(
            "Docker is not allowed to manage iptables rules.",
            vec![daemon_finding(
                "iptables",
                "iptables management",
                shown(ctx, "iptables", "iptables", &s),
                "iptables enabled (the default)",
                fix(ctx, Some(&s), "iptables", "--iptables=true", "iptables", "true"),
            )],
        ),
    }
}

/// The range dockerd always lists as insecure; not a user choice.
const BUILTIN_INSECURE_CIDR: &str = "127.0.0.0/8";

/// 2.5: no insecure registries in effect.
///
/// Uses the effective registry configuration (GET /info): InsecureRegistryCIDRs minus the built-in
/// 127.0.0.0/8 that every daemon reports, plus IndexConfigs entries with Secure=false. Counting the
/// built-in range would fail every host.
fn check_2_5(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    let mut findings = Vec::new();
    let remediation = format!(
        "remove it from --insecure-registry / \"insecure-registries\" in {} and restart Docker; give the registry a \
         TLS certificate instead",
        daemon_json_path(ctx)
    );
    for cidr in info
        .insecure_registry_cidrs
        .iter()
        .filter(|c| c.as_str() != BUILTIN_INSECURE_CIDR)
    {
        findings.push(finding(
            daemon_target(&format!("insecure-registry:{cidr}"), cidr),
            format!("registries in {cidr} are trusted without TLS verification"),
            format!("{cidr} in RegistryConfig.InsecureRegistryCIDRs (from GET /info)"),
            "no insecure registries besides the built-in 127.0.0.0/8",
            remediation.clone(),
        ));
    }
    for index in info.index_configs.iter().filter(|i| i.secure == Some(false)) {
        findings.push(finding(
            daemon_target(&format!("insecure-registry:{}", index.name), &index.name),
            format!("registry {} is used without TLS verification", index.name),
            format!("IndexConfigs[{}].Secure = false (from GET /info)", index.name),
            "no insecure registries besides the built-in 127.0.0.0/8",
            remediation.clone(),
        ));
    }
    if findings.is_empty() {
        return Outcome::pass("No insecure registries are configured (only the built-in 127.0.0.0/8 range).");
    }
    let names: Vec<&str> = findings.iter().map(|f| f.target.name.as_str()).collect();
    Outcome::fail(
        format!("Insecure registries are configured: {}.", names.join(", ")),
        findings,
    )
}

/// 2.6: the storage driver (GET /info Driver) must not be aufs.
fn check_2_6(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    match info.driver.as_deref() {
        None => Outcome::error("The daemon did not report its storage driver (GET /info Driver)."),
        Some("aufs") => Outcome::fail(
            "The daemon uses the aufs storage driver.",
            vec![daemon_finding(
                "storage-driver",
                "storage driver",
                "aufs (from GET /info)".into(),
                "a supported driver such as overlay2",
                format!(
                    "set \"storage-driver\": \"overlay2\" in {} (existing images and containers must be \
                     re-created) and \
                     restart Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
        Some(driver) => Outcome::pass(format!("The storage driver is {driver}, not aufs.")),
    }
}

/// The scheme of a `-H` value as dockerd parses it: no scheme means tcp.
fn host_scheme(host: &str) -> &str {
    match host.split_once("://") {
        Some((scheme, _)) => scheme,
        None if host.is_empty() => "unix",
        None => "tcp",
    }
}

/// A TLS file setting is satisfied when configured, or when dockerd's default file exists.
fn tls_file(ctx: &Ctx, host: Option<&HostFacts>, flag: &str, default_file: &str) -> Result<Option<String>, Outcome> {
    if let Some(s) = setting(ctx, flag, flag)? {
        return Ok(Some(shown(ctx, flag, flag, &s)));
    }
    let default = format!("/root/.docker/{default_file}");
    let exists = host
        .and_then(|h| h.files.get(&default))
        .and_then(|f| f.ok())
        .is_some_and(Option::is_some);
    Ok(exists.then(|| format!("--{flag} unset; dockerd's default {default} exists")))
}

/// 2.7: every TCP listener must require client certificates.
///
/// Listeners come from `-H` and `"hosts"` (a JSON array of any layout; docker-bench-security misses
/// multi-line arrays). No tcp:// listener is not applicable (aquasecurity fails it). A listener
/// passes only with tlsverify on and CA, certificate and key configured (dockerd's default files
/// under /root/.docker count when they exist, since dockerd uses them).
fn check_2_7(ctx: &Ctx) -> Outcome {
    let hosts = or_return!(setting(ctx, "host", "hosts"));
    let tcp: Vec<&String> = hosts
        .as_ref()
        .map(|s| s.values.iter().filter(|h| host_scheme(h) == "tcp").collect())
        .unwrap_or_default();
    let Some(hosts) = hosts.as_ref().filter(|_| !tcp.is_empty()) else {
        return Outcome::not_applicable("The daemon does not listen on TCP (no tcp:// in -H / \"hosts\").");
    };
    let source = match &hosts.source {
        SettingSource::CommandLine => "dockerd command line".to_string(),
        SettingSource::DaemonJson(p) => p.clone(),
    };
    let verify = or_return!(bool_setting(ctx, "tlsverify", "tlsverify"));
    let tls = or_return!(bool_setting(ctx, "tls", "tls"));
    let host = ctx.facts.host.as_ref();
    let ca = or_return!(tls_file(ctx, host, "tlscacert", "ca.pem"));
    let cert = or_return!(tls_file(ctx, host, "tlscert", "cert.pem"));
    let key = or_return!(tls_file(ctx, host, "tlskey", "key.pem"));
    let verify_on = matches!(verify, Some((true, _)));
    let tls_on = verify_on || matches!(tls, Some((true, _)));
    let mut problems = Vec::new();
    if !tls_on {
        problems.push("no TLS".to_string());
    } else {
        if !verify_on {
            problems.push("TLS without client verification (--tls but no --tlsverify)".to_string());
        }
        for (name, value) in [("tlscacert", &ca), ("tlscert", &cert), ("tlskey", &key)] {
            if value.is_none() {
                problems.push(format!("{name} not set"));
            }
        }
    }
    if problems.is_empty() {
        let files: Vec<&str> = [&ca, &cert, &key].into_iter().flatten().map(String::as_str).collect();
        return Outcome::pass(format!(
            "The TCP listener(s) {} require client certificates: tlsverify on; {}.",
            tcp.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
            files.join("; ")
        ));
    }
    let findings = tcp
        .iter()
        .map(|listener| {
            finding(
                daemon_target(listener, &format!("TCP listener {listener}")),
                format!("{listener} accepts connections without verified client certificates"),
                format!("{listener} (from {source}) with {}", problems.join(", ")),
                "--tlsverify with --tlscacert, --tlscert and --tlskey",
                format!(
                    "set \"tlsverify\": true, \"tlscacert\", \"tlscert\" and \"tlskey\" in {} (or the \
                     matching flags), or stop listening on {listener}, and restart Docker",
                    daemon_json_path(ctx)
                ),
            )
        })
        .collect();
    Outcome::fail(
        format!(
            "{} TCP listener(s) of the daemon lack TLS client verification.",
            tcp.len()
        ),
        findings,
    )
}

/// 2.8: default ulimits (`--default-ulimit` / `"default-ulimits"`). Unset warns rather than fails:
/// CIS asks for values "as appropriate", which depend on the workload.
fn check_2_8(ctx: &Ctx) -> Outcome {
    let current = or_return!(setting(ctx, "default-ulimit", "default-ulimits"));
    let configured = current
        .as_ref()
        .filter(|s| s.values.iter().any(|v| !v.is_empty() && v != "{}"));
    match configured {
        Some(s) => Outcome::pass(format!(
            "Default ulimits are configured: {}.",
            shown(ctx, "default-ulimit", "default-ulimits", s)
        )),
        None => Outcome::warn(
            "No default ulimits are configured for containers.",
            vec![daemon_finding(
                "default-ulimits",
                "default ulimits",
                match current {
                    Some(s) => format!("empty: {}", shown(ctx, "default-ulimit", "default-ulimits", &s)),
                    None => "neither --default-ulimit nor \"default-ulimits\" is set".to_string(),
                },
                "default ulimits suited to the workload (e.g. nofile, nproc)",
                format!(
                    "set \"default-ulimits\" (e.g. {{\"nofile\": {{\"Name\": \"nofile\", \"Soft\": 64000, \
                     \"Hard\": 64000}}}}) \
                     in {} and restart Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
    }
}

/// 2.9: user-namespace remapping must be active: `name=userns` in GET /info SecurityOptions, the
/// effective state rather than the configuration docker-bench-security reads.
fn check_2_9(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if info.has_security_option("userns") {
        return Outcome::pass("User-namespace remapping is active (SecurityOptions has name=userns).");
    }
    let configured = match ctx.daemon.lookup("userns-remap", "userns-remap") {
        Lookup::Set(s) => {
            format!(
                "; {} is configured but not in effect",
                shown(ctx, "userns-remap", "userns-remap", &s)
            )
        }
        _ => String::new(),
    };
    Outcome::fail(
        "User-namespace remapping is not enabled.",
        vec![daemon_finding(
            "userns-remap",
            "user-namespace remapping",
            format!("SecurityOptions has no name=userns (from GET /info){configured}"),
            "userns-remap enabled",
            format!(
                "set \"userns-remap\": \"default\" in {} and restart Docker",
                daemon_json_path(ctx)
            ),
        )],
    )
}

/// 2.10: a daemon-wide cgroup parent is allowed but must be confirmed, so a set value warns.
/// docker-bench-security never sees the daemon.json form (`grep -v ''`).
fn check_2_10(ctx: &Ctx) -> Outcome {
    match or_return!(setting(ctx, "cgroup-parent", "cgroup-parent")) {
        None => Outcome::pass("No daemon-wide cgroup parent is configured; containers use the default cgroup."),
        Some(s) => Outcome::warn(
            format!(
                "The daemon places containers under cgroup parent {}; confirm this is intended.",
                s.value()
            ),
            vec![daemon_finding(
                "cgroup-parent",
                "default cgroup parent",
                shown(ctx, "cgroup-parent", "cgroup-parent", &s),
                "the default cgroup parent, or a deliberate, documented choice",
                "confirm the cgroup parent is intended; otherwise remove --cgroup-parent / \"cgroup-parent\" \
                 and restart Docker"
                    .into(),
            )],
        ),
    }
}

/// 2.11: with devicemapper, `dm.basesize` must not be changed in the storage options. Other
/// drivers have no base device (devicemapper was removed in Docker 25).
fn check_2_11(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    match info.driver.as_deref() {
        None => return Outcome::error("The daemon did not report its storage driver (GET /info Driver)."),
        Some("devicemapper") => {}
        Some(driver) => {
            return Outcome::not_applicable(format!(
                "The storage driver is {driver}; only devicemapper has a base device size."
            ))
        }
    }
    let opts = or_return!(setting(ctx, "storage-opt", "storage-opts"));
    let basesize = opts.as_ref().and_then(|s| {
        s.values.iter().find(|v| {
            v.split('=')
                .next()
                .is_some_and(|k| k.trim().eq_ignore_ascii_case("dm.basesize"))
        })
    });
    match (basesize, &opts) {
        (Some(v), Some(s)) => Outcome::fail(
            format!("The devicemapper base device size is changed ({v})."),
            vec![daemon_finding(
                "storage-opts",
                "devicemapper base size",
                shown(ctx, "storage-opt", "storage-opts", s),
                "no dm.basesize storage option",
                "remove dm.basesize from --storage-opt / \"storage-opts\" unless the larger size is needed, \
                 and restart Docker"
                    .into(),
            )],
        ),
        _ => Outcome::pass("The devicemapper base device size is not changed (no dm.basesize storage option)."),
    }
}

/// 2.12: at least one authorization plugin active (GET /info Plugins.Authorization). aquasecurity
/// passes when the setting is merely absent.
fn check_2_12(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if !info.authorization_plugins.is_empty() {
        return Outcome::pass(format!(
            "Authorization plugins are active: {}.",
            info.authorization_plugins.join(", ")
        ));
    }
    Outcome::fail(
        "No authorization plugin controls access to the Docker API.",
        vec![daemon_finding(
            "authorization-plugins",
            "authorization plugins",
            "Plugins.Authorization is empty (from GET /info)".into(),
            "at least one authorization plugin",
            format!(
                "install an authorization plugin and list it in \"authorization-plugins\" in {}, then restart Docker",
                daemon_json_path(ctx)
            ),
        )],
    )
}

/// Log drivers that keep logs on the host.
const LOCAL_LOG_DRIVERS: &[&str] = &["json-file", "local", "none"];

/// 2.13: the default log driver (GET /info LoggingDriver) must ship logs off the host. journald
/// warns (it can be forwarded, which a person must confirm); json-file, local and none fail.
/// Anything else is a remote driver or a logging plugin. docker-bench-security flags only json-file.
fn check_2_13(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    let Some(driver) = info.logging_driver.as_deref().filter(|d| !d.is_empty()) else {
        return Outcome::error("The daemon did not report its logging driver (GET /info LoggingDriver).");
    };
    let observed = format!("LoggingDriver {driver} (from GET /info)");
    let remediation = format!(
        "set \"log-driver\" to a remote driver (syslog, gelf, fluentd, …) with its \"log-opts\" in {} \
         and restart Docker",
        daemon_json_path(ctx)
    );
    let expected = "a log driver that ships logs off the host";
    if driver == "journald" {
        return Outcome::warn(
            "Container logs go to journald; confirm the journal is forwarded to a central log host.",
            vec![daemon_finding(
                "log-driver",
                "default log driver",
                observed,
                expected,
                format!(
                "forward the journal to a central log host (e.g. systemd-journal-upload or rsyslog), or {remediation}"
            ),
            )],
        );
    }
    if LOCAL_LOG_DRIVERS.contains(&driver) {
        return Outcome::fail(
            format!("Container logs stay on the host (log driver {driver})."),
            vec![daemon_finding(
                "log-driver",
                "default log driver",
                observed,
                expected,
                remediation,
            )],
        );
    }
    Outcome::pass(format!(
        "Container logs are shipped off the host by the {driver} log driver."
    ))
}

/// 2.14: `no-new-privileges` daemon-wide, read from the command line (bare flag or `=true`) or
/// daemon.json. `--no-new-privileges=false` fails (docker-bench-security's grep accepts it).
fn check_2_14(ctx: &Ctx) -> Outcome {
    let current = or_return!(bool_setting(ctx, "no-new-privileges", "no-new-privileges"));
    let flag = "no-new-privileges";
    match current {
        Some((true, s)) => Outcome::pass(format!(
            "no-new-privileges is on for all containers: {}.",
            shown(ctx, flag, flag, &s)
        )),
        other => {
            let s = other.map(|(_, s)| s);
            Outcome::fail(
                "Containers may gain new privileges (no-new-privileges is not set daemon-wide).",
                vec![daemon_finding(
                    flag,
                    "no-new-privileges",
                    s.as_ref().map_or_else(
                        || "not configured (default false)".to_string(),
                        |s| shown(ctx, flag, flag, s),
                    ),
                    "no-new-privileges true",
                    fix(ctx, s.as_ref(), flag, "--no-new-privileges", flag, "true"),
                )],
            )
        }
    }
}

/// 2.15: live restore (GET /info LiveRestoreEnabled). Not applicable in swarm mode, which it is
/// incompatible with (docker-bench-security counts that as a pass).
fn check_2_15(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    if swarm_active(info) {
        return Outcome::not_applicable("Swarm mode is active, and live restore is incompatible with it.");
    }
    match info.live_restore_enabled {
        None => Outcome::error("The daemon did not report LiveRestoreEnabled (GET /info)."),
        Some(true) => Outcome::pass("Live restore is enabled (LiveRestoreEnabled true)."),
        Some(false) => Outcome::fail(
            "Live restore is disabled: restarting the daemon stops every container.",
            vec![daemon_finding(
                "live-restore",
                "live restore",
                "LiveRestoreEnabled false (from GET /info)".into(),
                "LiveRestoreEnabled true",
                format!(
                    "set \"live-restore\": true in {} and reload Docker",
                    daemon_json_path(ctx)
                ),
            )],
        ),
    }
}

/// 2.16: the userland proxy must be disabled (`--userland-proxy=false` / `"userland-proxy": false`);
/// the engine API does not expose it. dockerd enables it by default.
fn check_2_16(ctx: &Ctx) -> Outcome {
    let flag = "userland-proxy";
    match or_return!(bool_setting(ctx, flag, flag)) {
        Some((false, s)) => Outcome::pass(format!(
            "The userland proxy is disabled: {}.",
            shown(ctx, flag, flag, &s)
        )),
        other => {
            let s = other.map(|(_, s)| s);
            Outcome::fail(
                "The userland proxy (docker-proxy) is enabled.",
                vec![daemon_finding(
                    flag,
                    "userland proxy",
                    s.as_ref().map_or_else(
                        || "not configured (default true)".to_string(),
                        |s| shown(ctx, flag, flag, s),
                    ),
                    "userland-proxy false",
                    fix(ctx, s.as_ref(), flag, "--userland-proxy=false", flag, "false"),
                )],
            )
        }
    }
}

/// 2.17: seccomp active daemon-wide (GET /info `name=seccomp,profile=…`): the built-in profile
/// ("default", or "builtin" on newer engines, which docker-bench-security does not recognise) or a
/// custom one passes; "unconfined" or no seccomp at all on Linux fails.
fn check_2_17(ctx: &Ctx) -> Outcome {
    let info = or_return!(info(ctx));
    let remediation = format!(
        "remove \"seccomp-profile\": \"unconfined\" (or --seccomp-profile=unconfined) from {} so the default profile \
         applies, or set a custom profile, and restart Docker",
        daemon_json_path(ctx)
    );
    match info.security_option("seccomp") {
        Some(opts) => {
            let profile = opts.get("profile").map_or("default", String::as_str);
            if profile == "unconfined" {
                Outcome::fail(
                    "Seccomp is disabled daemon-wide (profile unconfined).",
                    vec![daemon_finding(
                        "seccomp-profile",
                        "daemon seccomp profile",
                        "name=seccomp,profile=unconfined (from GET /info)".into(),
                        "the default seccomp profile or a custom one",
                        remediation,
                    )],
                )
            } else {
                Outcome::pass(format!("Seccomp is enabled daemon-wide with the {profile} profile."))
            }
        }
        None if info.os_type.as_deref() == Some("windows") => {
            Outcome::not_applicable("Seccomp is a Linux feature; this is a Windows daemon.")
        }
        None => Outcome::fail(
            "The daemon does not apply seccomp to containers.",
            vec![daemon_finding(
                "seccomp-profile",
                "daemon seccomp profile",
                format!(
                    "SecurityOptions has no seccomp entry: {:?} (from GET /info)",
                    info.security_options
                ),
                "the default seccomp profile or a custom one",
                "use a kernel with CONFIG_SECCOMP and a dockerd built with seccomp support".into(),
            )],
        ),
    }
}

/// 2.18: experimental features off. GET /version omits Experimental when false; GET /info
/// ExperimentalBuild is the fallback. Any source reporting true fails.
fn check_2_18(ctx: &Ctx) -> Outcome {
    let version = ctx.facts.version.ok();
    let info = ctx.facts.info.ok();
    let on = if version.and_then(|v| v.experimental) == Some(true) {
        Some("Experimental true (from GET /version)")
    } else if info.and_then(|i| i.experimental_build) == Some(true) {
        Some("ExperimentalBuild true (from GET /info)")
    } else {
        None
    };
    if let Some(observed) = on {
        return Outcome::fail(
            "Experimental features are enabled on the daemon.",
            vec![daemon_finding(
                "experimental",
                "experimental features",
                observed.into(),
                "experimental false",
                "remove --experimental / \"experimental\": true from the daemon configuration and restart Docker"
                    .into(),
            )],
        );
    }
    if version.is_some() || info.and_then(|i| i.experimental_build).is_some() {
        return Outcome::pass("Experimental features are off.");
    }
    match ctx.facts.version.get() {
        Err(u) => Outcome::unavailable("the engine version (GET /version)", u),
        Ok(_) => Outcome::error("The daemon did not report whether experimental features are on."),
    }
}

#[cfg(test)]
mod tests {
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
        let tls =
            "--tlsverify --tlscacert=/etc/docker/ca.pem --tlscert=/etc/docker/cert.pem --tlskey=/etc/docker/key.pem";
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
}
