//! Section 3: certificates.

use crate::checks::file_checks::{self, or_return, Located};
use crate::checks::{Ctx, Outcome};
use crate::interpret::host_paths::HostPaths;
use crate::interpret::Lookup;
use crate::snapshot::FileStat;

use super::*;

/// A check on every file below /etc/docker/certs.d/<registry>/ (directories excluded: the
/// 0444 mask is meant for certificates, and aquasecurity's use of it on directories always fails).
pub(super) fn registry_certs_check(ctx: &Ctx, want: Want) -> Outcome {
    let host = or_return!(ctx.host());
    let certs = or_return!(host
        .registry_certs
        .get()
        .map_err(|u| Outcome::unavailable("/etc/docker/certs.d", u)));
    let found: Vec<&FileStat> = certs.iter().filter(|s| s.kind != "dir").collect();
    if found.is_empty() {
        return Outcome::not_applicable("There are no registry certificate files under /etc/docker/certs.d.");
    }
    judge(
        &Located {
            found,
            ..Located::default()
        },
        want,
    )
}

/// A check on a TLS file the daemon is configured with (`--tlscacert`, `--tlscert`, `--tlskey`, or
/// dockerd's default under /root/.docker when TLS is on without one).
pub(super) fn tls_check(ctx: &Ctx, flag: &str, select: fn(&HostPaths) -> &Vec<String>, want: Want) -> Outcome {
    let (host, paths) = or_return!(ctx.host_paths());
    let candidates = select(paths);
    if candidates.is_empty() {
        for f in [flag, "tls", "tlsverify"] {
            if let Lookup::Unknown(reason) = ctx.daemon.lookup(f, f) {
                return Outcome::error(format!("Cannot tell whether the daemon uses TLS: {reason}."));
            }
        }
        return Outcome::not_applicable(format!(
            "The daemon does not use TLS (no --{flag}, --tls or --tlsverify)."
        ));
    }
    judge(&file_checks::first_existing(host, candidates), want)
}

/// Evaluates [`cat::REGISTRY_CERTS_OWNER`] (3.7); the catalogue entry describes the audit.
pub(super) fn registry_certs_owner(ctx: &Ctx) -> Outcome {
    registry_certs_check(ctx, Want::RootOwned)
}

/// Evaluates [`cat::REGISTRY_CERTS_MODE`] (3.8); the catalogue entry describes the audit.
pub(super) fn registry_certs_mode(ctx: &Ctx) -> Outcome {
    registry_certs_check(ctx, Want::ModeWithin(0o444))
}

/// Evaluates [`cat::TLS_CA_OWNER`] (3.9); the catalogue entry describes the audit.
pub(super) fn tls_ca_owner(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscacert", |p| &p.tls_ca, Want::RootOwned)
}

/// Evaluates [`cat::TLS_CA_MODE`] (3.10); the catalogue entry describes the audit.
pub(super) fn tls_ca_mode(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscacert", |p| &p.tls_ca, Want::ModeWithin(0o444))
}

/// Evaluates [`cat::SERVER_CERT_OWNER`] (3.11); the catalogue entry describes the audit.
pub(super) fn server_cert_owner(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscert", |p| &p.tls_cert, Want::RootOwned)
}

/// Evaluates [`cat::SERVER_CERT_MODE`] (3.12); the catalogue entry describes the audit.
pub(super) fn server_cert_mode(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlscert", |p| &p.tls_cert, Want::ModeWithin(0o444))
}

/// Evaluates [`cat::SERVER_KEY_OWNER`] (3.13); the catalogue entry describes the audit.
pub(super) fn server_key_owner(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlskey", |p| &p.tls_key, Want::RootOwned)
}

/// Evaluates [`cat::SERVER_KEY_MODE`] (3.14); the catalogue entry describes the audit.
pub(super) fn server_key_mode(ctx: &Ctx) -> Outcome {
    tls_check(ctx, "tlskey", |p| &p.tls_key, Want::ModeWithin(0o400))
}
