//! Section 2: network.

use crate::checks::file_checks::or_return;
use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};
use crate::interpret::{Lookup, Setting, SettingSource};
use crate::snapshot::{HostFacts, Transport};

use super::*;

/// Evaluates [`cat::DEFAULT_BRIDGE_ICC`] (2.2); the catalogue entry describes the audit.
pub(super) fn default_bridge_icc(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::IPTABLES_MANAGED`] (2.4); the catalogue entry describes the audit.
pub(super) fn iptables_managed(ctx: &Ctx) -> Outcome {
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
pub(super) const BUILTIN_INSECURE_CIDR: &str = "127.0.0.0/8";

/// Evaluates [`cat::INSECURE_REGISTRIES`] (2.5); the catalogue entry describes the audit.
pub(super) fn insecure_registries(ctx: &Ctx) -> Outcome {
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

/// The scheme of a `-H` value as dockerd parses it: no scheme means tcp.
pub(super) fn host_scheme(host: &str) -> &str {
    match host.split_once("://") {
        Some((scheme, _)) => scheme,
        None if host.is_empty() => "unix",
        None => "tcp",
    }
}

/// A TLS file setting is satisfied when configured, or when dockerd's default file exists.
pub(super) fn tls_file(
    ctx: &Ctx,
    host: Option<&HostFacts>,
    flag: &str,
    default_file: &str,
) -> Result<Option<String>, Outcome> {
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

/// Evaluates [`cat::DAEMON_TLS`] (2.7); the catalogue entry describes the audit.
///
/// What dockaudit's own connection proved comes first: a daemon that answered it over plain
/// `tcp://`, or over TLS without a client certificate, accepts unauthenticated API clients,
/// whatever its configuration files could or could not tell.
pub(super) fn daemon_tls(ctx: &Ctx) -> Outcome {
    let configured = daemon_tls_configured(ctx);
    let Some(reached) = reached_without_client_certificate(ctx) else {
        return configured;
    };
    let summary = format!(
        "dockaudit reached the daemon at {} {}, so it accepts API clients without a verified client certificate.",
        reached.target.id, reached.observed
    );
    match configured.status {
        dockaudit_shared::report::Status::Fail => {
            let mut findings = configured.findings;
            findings.push(reached);
            Outcome::fail(format!("{summary} {}", configured.summary), findings)
        }
        _ => Outcome::fail(summary, vec![reached]),
    }
}

/// The finding for a connection that proves the daemon does not verify clients, if it does.
fn reached_without_client_certificate(ctx: &Ctx) -> Option<Finding> {
    let connection = ctx.facts.collection.connection.as_ref()?;
    if connection.transport != Transport::Tcp {
        return None;
    }
    let observed = match connection.tls {
        None => "over plain TCP without TLS".to_string(),
        Some(tls) if !tls.client_certificate => "over TLS without presenting a client certificate".to_string(),
        Some(_) => return None,
    };
    let address = &connection.address;
    Some(finding(
        daemon_target(address, &format!("API endpoint {address}")),
        format!("{address} answered dockaudit {observed}"),
        observed,
        "--tlsverify with --tlscacert, --tlscert and --tlskey",
        format!(
            "set \"tlsverify\": true, \"tlscacert\", \"tlscert\" and \"tlskey\" in {} (or the matching flags) \
             and restart Docker, or stop exposing the API at {address}; reach remote daemons over ssh:// instead",
            daemon_json_path(ctx)
        ),
    ))
}

/// 2.7 from the daemon's configured listeners and TLS settings.
fn daemon_tls_configured(ctx: &Ctx) -> Outcome {
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

/// Evaluates [`cat::USERLAND_PROXY`] (2.16); the catalogue entry describes the audit.
pub(super) fn userland_proxy(ctx: &Ctx) -> Outcome {
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
