//! Host facts, read through a host root.
//!
//! `root` is `/` when dockaudit runs on the host, or e.g. `/host` when it runs in a container
//! with the host's `/` mounted read-only. Every read is `root` + host path, symlinks are
//! resolved inside the root ([`root::HostRoot`]), and every path stored in the facts is a host
//! path. Nothing here writes; the only program run is `auditctl -l`, and only on our own `/`.

mod audit;
mod containerd;
mod daemon_json;
mod daemons;
mod etc;
mod files;
mod own_container;
mod proc;
mod processes;
mod root;
mod sockdiag;
mod systemd;
#[cfg(test)]
mod tests;
mod workload;

use std::path::Path;

use crate::interpret::host_paths::{config_file_path, HostPaths};
use crate::interpret::DaemonConfig;
use crate::snapshot::{Fact, HostFacts, Info};

pub use own_container::own_container_ids;
pub use proc::{parse_mountinfo, parse_proc_net_tcp, parse_proc_net_unix, unescape_octal};
pub use processes::ProcessReader;
pub use workload::{without_host, WorkloadReader};

/// Reads every host fact. Blocking; never fails as a whole: each part that cannot be read is
/// `Unavailable` with its reason. `endpoint` is the daemon address dockaudit is connected to
/// (`unix:///…` or `tcp://…`): the daemon facts are those of the process serving it.
pub fn gather_host(root: &Path, endpoint: &str, info: Option<&Info>) -> HostFacts {
    let fs = root::HostRoot::new(root);
    let accounts = etc::Accounts::read(&fs);
    let system_units = systemd::units(&fs);
    let audited = daemons::bind(&fs, &accounts, endpoint, info, &system_units);
    let mut host = HostFacts {
        hostname: etc::hostname(&fs),
        os_pretty_name: etc::os_pretty_name(&fs),
        dockerd: audited.dockerd,
        binding: Some(audited.binding),
        // A rootless daemon is a user service: its units are the user's.
        systemd: match &audited.user_dirs {
            Some((config_home, runtime_dir)) => systemd::user_units(&fs, config_home, runtime_dir),
            None => system_units,
        },
        ..HostFacts::default()
    };
    // The configuration file is the audited daemon's; when dockerd processes are visible but
    // none is provably that daemon, its file is unknown too. (When no process is visible at all,
    // the default location is read, as for a daemon in another PID namespace.)
    host.daemon_json = match host.binding.as_ref().and_then(|b| b.unidentified.as_ref()) {
        Some(reason) => Fact::unavailable(
            "the audited daemon's configuration file",
            format!("unknown, because the daemon's process is: {reason}"),
        ),
        None => daemon_json::read(&fs, &config_file_path(&host)),
    };
    host.mounts = proc::mounts(&fs);
    host.audit_rules = audit::audit_rules(&fs);
    host.docker_group = etc::docker_group(&fs);
    host.containerd_grpc_address = containerd::grpc_address(&fs);
    host.listening = proc::listening(&fs);

    let args: Option<Vec<String>> = match &host.dockerd {
        Fact::Ok(Some(d)) => Some(d.args.get(1..).unwrap_or_default().to_vec()),
        _ => None,
    };
    let json = match &host.daemon_json {
        Fact::Ok(Some(j)) => Some((j.path.as_str(), j.content.clone())),
        _ => None,
    };
    let daemon = DaemonConfig::from_parts(args.as_deref(), json);
    let mut paths = HostPaths::resolve(info, &host, &daemon).all();
    // Paths named by audit rules are examined too, so a rule written with another spelling of a
    // file (`/lib/…` for `/usr/lib/…`, `/var/run/…` for `/run/…`) is matched after resolution.
    if let Fact::Ok(rules) = &host.audit_rules {
        for rule in crate::interpret::audit_rules::parse_all(&rules.lines) {
            if !paths.contains(&rule.path) {
                paths.push(rule.path);
            }
        }
    }
    host.files = files::stat_all(&fs, &accounts, &paths);
    host.registry_certs = files::registry_certs(&fs, &accounts);
    host
}
