//! Section 7: cluster.

use dockaudit_shared::report::{Target, TargetKind};

use crate::checks::outcome::finding;
use crate::checks::{Ctx, Outcome};

use crate::checks::file_checks::or_return;

use super::*;

/// Evaluates [`cat::MANAGER_COUNT`] (7.1); the catalogue entry describes the audit.
pub(super) fn manager_count(ctx: &Ctx) -> Outcome {
    let s = or_return!(manager(ctx, "the manager count"));
    let from_nodes = s.nodes.ok().map(|nodes| {
        let managers: Vec<&str> = nodes
            .iter()
            .filter(|n| n.role == "manager")
            .map(|n| n.hostname.as_str())
            .collect();
        (managers.len() as i64, managers.join(", "))
    });
    let (count, names) = match from_nodes {
        Some((n, names)) if n > 0 => (n, names),
        _ => match ctx.facts.info.ok().and_then(|i| i.swarm.managers) {
            Some(n) => (n, String::new()),
            None => {
                return match s.nodes.get() {
                    Err(u) => Outcome::unavailable("the swarm node list", u),
                    Ok(_) => Outcome::error("Neither the node list nor /info reports the swarm's managers."),
                }
            }
        },
    };
    let observed = if names.is_empty() {
        format!("{count} managers")
    } else {
        format!("{count} managers: {names}")
    };
    if count % 2 == 1 && count <= 7 {
        return Outcome::pass(format!("The swarm has {count} managers (odd, at most 7)."));
    }
    let remediation = if count > 7 {
        "Demote managers until at most 7 remain, keeping the count odd (`docker node demote <node>`)"
    } else {
        "Promote or demote one node so the manager count is odd (`docker node promote|demote <node>`)"
    };
    Outcome::fail(
        format!("The swarm has {count} managers; use an odd number, at most 7."),
        vec![finding(
            swarm_target(ctx),
            "Unsuitable number of swarm managers",
            observed,
            "an odd number of managers, at most 7",
            remediation,
        )],
    )
}

/// Evaluates [`cat::SWARM_SECRETS`] (7.4); the catalogue entry describes the audit.
pub(super) fn swarm_secrets(ctx: &Ctx) -> Outcome {
    let s = or_return!(manager(ctx, "the secret list"));
    let secrets = match s.secrets.get() {
        Ok(list) => list,
        Err(u) => return Outcome::unavailable("the swarm secret list", u),
    };
    let services = s
        .services
        .ok()
        .map(|v| format!(" and {} services", v.len()))
        .unwrap_or_default();
    let findings = secrets
        .iter()
        .map(|name| {
            finding(
                Target::new(TargetKind::Swarm, format!("secret:{name}"), name.clone()),
                format!("Swarm secret \"{name}\""),
                "secret (data not read)",
                "sensitive data handed to services as swarm secrets",
                "Confirm the services that need it mount it with `--secret`",
            )
        })
        .collect();
    Outcome::manual(
        format!(
            "The swarm has {} secrets{services}; confirm that services receive passwords, keys and certificates as \
             secrets rather than environment variables or image files.",
            secrets.len()
        ),
        findings,
    )
}

/// Evaluates [`cat::MANAGER_AUTOLOCK`] (7.5); the catalogue entry describes the audit.
pub(super) fn manager_autolock(ctx: &Ctx) -> Outcome {
    let s = or_return!(manager(ctx, "the auto-lock setting"));
    match s.autolock_managers.get() {
        Err(u) => Outcome::unavailable("the swarm specification", u),
        Ok(None) => Outcome::error("GET /swarm did not report Spec.EncryptionConfig.AutoLockManagers."),
        Ok(Some(true)) => Outcome::pass("Swarm managers are auto-locked."),
        Ok(Some(false)) => Outcome::fail(
            "Swarm managers are not auto-locked.",
            vec![finding(
                swarm_target(ctx),
                "Auto-lock is disabled: the Raft encryption key is stored unprotected on each manager",
                "AutoLockManagers = false",
                "true",
                "Run `docker swarm update --autolock=true` and keep the unlock key in a password manager",
            )],
        ),
    }
}

/// Evaluates [`cat::AUTOLOCK_KEY_ROTATION`] (7.6); the catalogue entry describes the audit.
pub(super) fn autolock_key_rotation(ctx: &Ctx) -> Outcome {
    let s = or_return!(manager(ctx, "the auto-lock setting"));
    match s.autolock_managers.get() {
        Err(u) => Outcome::unavailable("the swarm specification", u),
        Ok(None) => Outcome::error("GET /swarm did not report Spec.EncryptionConfig.AutoLockManagers."),
        Ok(Some(false)) => {
            Outcome::not_applicable("Auto-lock is disabled (see 7.5), so there is no unlock key to rotate.")
        }
        Ok(Some(true)) => Outcome::manual(
            "Auto-lock is enabled; confirm the unlock key is rotated periodically (the API does not tell its age).",
            vec![finding(
                swarm_target(ctx),
                "Swarm unlock key in use",
                "AutoLockManagers = true",
                "the unlock key rotated as the key-management policy requires",
                "Rotate it with `docker swarm unlock-key --rotate` and store the new key safely",
            )],
        ),
    }
}

/// `2160h0m0s (90 days)` style rendering of nanoseconds.
pub(super) fn describe_duration(ns: i64) -> String {
    let hours = ns / 3_600_000_000_000;
    let days = hours as f64 / 24.0;
    if hours % 24 == 0 {
        format!("{hours}h ({} days)", hours / 24)
    } else {
        format!("{hours}h ({days:.1} days)")
    }
}

/// Evaluates [`cat::NODE_CERT_ROTATION`] (7.7); the catalogue entry describes the audit.
pub(super) fn node_cert_rotation(ctx: &Ctx) -> Outcome {
    if let Err(o) = manager(ctx, "the certificate settings") {
        return o;
    }
    let info = match ctx.facts.info.get() {
        Ok(i) => i,
        Err(u) => return Outcome::unavailable("the daemon info", u),
    };
    let Some(ns) = info.swarm.node_cert_expiry_ns else {
        return Outcome::error("GET /info did not report Swarm.Cluster.Spec.CAConfig.NodeCertExpiry.");
    };
    Outcome::manual(
        format!(
            "Node certificates are valid for {}; confirm this matches the rotation policy.",
            describe_duration(ns)
        ),
        vec![finding(
            swarm_target(ctx),
            "Node certificate validity",
            format!("NodeCertExpiry = {}", describe_duration(ns)),
            "a validity that matches the certificate rotation policy",
            "Set it with `docker swarm update --cert-expiry <duration>`",
        )],
    )
}

/// Evaluates [`cat::CA_CERT_ROTATION`] (7.8); the catalogue entry describes the audit.
pub(super) fn ca_cert_rotation(ctx: &Ctx) -> Outcome {
    if let Err(o) = swarm(ctx) {
        return o;
    }
    let root = ctx
        .facts
        .info
        .ok()
        .and_then(|i| i.docker_root_dir.clone())
        .unwrap_or_else(|| "/var/lib/docker".to_string());
    let path = format!("{}/swarm/certificates/swarm-root-ca.crt", root.trim_end_matches('/'));
    Outcome::manual(
        "dockaudit does not read certificate dates: check when the swarm root CA certificate was issued and \
         rotate it as the policy requires.",
        vec![finding(
            Target::new(TargetKind::File, path.clone(), path.clone()),
            "Swarm root CA certificate (dates not read)",
            "not inspected",
            "a root CA rotated as the policy requires",
            format!("Check it with `openssl x509 -noout -dates -in {path}` and rotate with `docker swarm ca --rotate`"),
        )],
    )
}
