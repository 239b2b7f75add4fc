//! Section 1: auditing.

use crate::checks::file_checks::{self, or_return, Located};
use crate::checks::s3::unit_paths;
use crate::checks::{Ctx, Outcome};
use crate::interpret::audit_rules;
use crate::interpret::host_paths::HostPaths;
use crate::snapshot::{FileStat, HostFacts};

use super::*;

/// Shared body of 1.1.3–1.1.18: locate the file(s), then require an exact audit rule on each.
pub(super) fn audit_check(ctx: &Ctx, host: &HostFacts, located: Located, alternatives: &[FileStat]) -> Outcome {
    if let Some(o) = located.nothing_found() {
        return o;
    }
    let rules_fact = or_return!(host
        .audit_rules
        .get()
        .map_err(|u| Outcome::unavailable("the audit rules", u)));
    let alternatives: Vec<&FileStat> = alternatives.iter().collect();
    located.judge("have no audit rule", |stat| {
        file_checks::audited(stat, &ctx.audit_rules, host, &rules_fact.source, &alternatives)
    })
}

/// An audit check over alternative paths of [`HostPaths`] (preference order): the first that
/// exists is audited.
pub(super) fn audit_paths(ctx: &Ctx, select: fn(&HostPaths) -> &Vec<String>) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    audit_check(ctx, host, file_checks::first_existing(host, select(paths)), &[])
}

/// Evaluates [`cat::DOCKERD_AUDITED`] (1.1.3); the catalogue entry describes the audit.
pub(super) fn dockerd_audited(ctx: &Ctx) -> Outcome {
    or_return!(bound(ctx));
    audit_paths(ctx, |p| &p.dockerd)
}

/// `error` when the audited daemon's process (so its binary or configuration file) is unknown.
fn bound(ctx: &Ctx) -> Result<(), Outcome> {
    let (_, paths) = ctx.host_paths()?;
    match &paths.unbound {
        Some(reason) => Err(Outcome::error(format!(
            "The file to audit belongs to the audited daemon, and {reason}."
        ))),
        None => Ok(()),
    }
}

/// Evaluates [`cat::RUN_CONTAINERD_AUDITED`] (1.1.4); the catalogue entry describes the audit.
pub(super) fn run_containerd_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.run_containerd)
}

/// Evaluates [`cat::DOCKER_ROOT_AUDITED`] (1.1.5); the catalogue entry describes the audit.
pub(super) fn docker_root_audited(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::first_existing(host, &paths.docker_root);
    if let Err(u) = ctx.facts.info.get() {
        located
            .unknown
            .push(format!("the Docker root directory is unknown ({u})"));
    }
    let mut alternatives = Vec::new();
    if let (Some(info), Some(stat)) = (ctx.facts.info.ok(), located.found.first()) {
        let parent = data_root(info, &stat.path);
        if parent != audit_rules::normalize(&stat.path) {
            alternatives.push(FileStat {
                path: parent,
                kind: "dir".into(),
                ..FileStat::default()
            });
        }
    }
    audit_check(ctx, host, located, &alternatives)
}

/// Evaluates [`cat::ETC_DOCKER_AUDITED`] (1.1.6); the catalogue entry describes the audit.
pub(super) fn etc_docker_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_docker)
}

/// Evaluates [`cat::DOCKER_SERVICE_AUDITED`] (1.1.7); the catalogue entry describes the audit.
pub(super) fn docker_service_audited(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(unit_paths(host, paths, "docker.service", &paths.docker_service));
    audit_check(ctx, host, file_checks::first_existing(host, &units), &[])
}

/// Evaluates [`cat::CONTAINERD_SOCKET_AUDITED`] (1.1.8); the catalogue entry describes the audit.
pub(super) fn containerd_socket_audited(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::all_existing(host, &paths.containerd_sockets);
    if let Err(u) = host.containerd_grpc_address.get() {
        located
            .unknown
            .push(format!("containerd's configured socket is unknown ({u})"));
    }
    audit_check(ctx, host, located, &[])
}

/// Evaluates [`cat::DOCKER_SOCKET_UNIT_AUDITED`] (1.1.9); the catalogue entry describes the audit.
pub(super) fn docker_socket_unit_audited(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let units = or_return!(unit_paths(host, paths, "docker.socket", &paths.docker_socket_unit));
    let listen: Vec<String> = host
        .systemd
        .ok()
        .map(|s| s.socket_listen.iter().filter(|l| l.starts_with('/')).cloned().collect())
        .unwrap_or_default();
    let alternatives: Vec<FileStat> = listen
        .iter()
        .map(|path| match host.files.get(path).and_then(|f| f.ok()) {
            Some(Some(stat)) => stat.clone(),
            _ => FileStat {
                path: path.clone(),
                kind: "socket".into(),
                ..FileStat::default()
            },
        })
        .collect();
    audit_check(ctx, host, file_checks::first_existing(host, &units), &alternatives)
}

/// Evaluates [`cat::ETC_DEFAULT_DOCKER_AUDITED`] (1.1.10); the catalogue entry describes the audit.
pub(super) fn etc_default_docker_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_default_docker)
}

/// Evaluates [`cat::DAEMON_JSON_AUDITED`] (1.1.11); the catalogue entry describes the audit.
pub(super) fn daemon_json_audited(ctx: &Ctx) -> Outcome {
    or_return!(bound(ctx));
    audit_paths(ctx, |p| &p.daemon_json)
}

/// Evaluates [`cat::CONTAINERD_CONFIG_AUDITED`] (1.1.12); the catalogue entry describes the audit.
pub(super) fn containerd_config_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_config)
}

/// Evaluates [`cat::ETC_SYSCONFIG_DOCKER_AUDITED`] (1.1.13); the catalogue entry describes the audit.
pub(super) fn etc_sysconfig_docker_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.etc_sysconfig_docker)
}

/// Evaluates [`cat::CONTAINERD_BINARY_AUDITED`] (1.1.14); the catalogue entry describes the audit.
pub(super) fn containerd_binary_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd)
}

/// Evaluates [`cat::CONTAINERD_SHIM_AUDITED`] (1.1.15); the catalogue entry describes the audit.
pub(super) fn containerd_shim_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim)
}

/// Evaluates [`cat::CONTAINERD_SHIM_RUNC_V1_AUDITED`] (1.1.16); the catalogue entry describes the audit.
pub(super) fn containerd_shim_runc_v1_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim_runc_v1)
}

/// Evaluates [`cat::CONTAINERD_SHIM_RUNC_V2_AUDITED`] (1.1.17); the catalogue entry describes the audit.
pub(super) fn containerd_shim_runc_v2_audited(ctx: &Ctx) -> Outcome {
    audit_paths(ctx, |p| &p.containerd_shim_runc_v2)
}

/// Evaluates [`cat::RUNC_AUDITED`] (1.1.18); the catalogue entry describes the audit.
pub(super) fn runc_audited(ctx: &Ctx) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let mut located = file_checks::first_existing(host, &paths.runc);
    if let Err(u) = ctx.facts.info.get() {
        located
            .unknown
            .push(format!("the runc binary the daemon uses is unknown ({u})"));
    }
    audit_check(ctx, host, located, &[])
}
