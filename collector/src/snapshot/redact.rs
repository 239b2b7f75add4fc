//! [`Facts::redacted`]: every string of a snapshot passed through [`super::secrets`].
//!
//! Each type lists all its fields (no `..`), so adding a field to the model does not compile
//! until this file says how the field is redacted. Argument vectors (dockerd's command line,
//! health-check commands) are redacted as a whole; label-like maps hide the values of
//! credential-like keys; everything else is redacted as text.

use std::collections::BTreeMap;

use super::fact::{Fact, Unavailable};
use super::model::*;
use super::secrets::{redact, redact_args, redact_json, redact_named};

impl Facts {
    /// This snapshot with every credential in it replaced by `***` (see [`super::secrets`]).
    /// Redacting an already redacted snapshot changes nothing.
    pub fn redacted(mut self) -> Facts {
        self.redact();
        self
    }
}

/// In-place redaction of one part of the snapshot.
trait Redact {
    fn redact(&mut self);
}

impl Redact for String {
    fn redact(&mut self) {
        let redacted = redact(self);
        if redacted != *self {
            *self = redacted;
        }
    }
}

impl<T: Redact> Redact for Option<T> {
    fn redact(&mut self) {
        if let Some(v) = self {
            v.redact();
        }
    }
}

impl<T: Redact> Redact for Vec<T> {
    fn redact(&mut self) {
        self.iter_mut().for_each(Redact::redact);
    }
}

impl<A: Redact, B: Redact> Redact for (A, B) {
    fn redact(&mut self) {
        self.0.redact();
        self.1.redact();
    }
}

impl<T: Redact> Redact for Fact<T> {
    fn redact(&mut self) {
        match self {
            Fact::Ok(v) => v.redact(),
            Fact::Unavailable(Unavailable { source, reason }) => {
                source.redact();
                reason.redact();
            }
        }
    }
}

/// An argument vector, redacted with each option next to its value.
fn argv(args: &mut Vec<String>) {
    *args = redact_args(args);
}

/// A map whose keys name what the values are (labels, options): the value of a credential-like
/// key is hidden entirely.
fn named(map: &mut BTreeMap<String, String>) {
    *map = std::mem::take(map)
        .into_iter()
        .map(|(k, v)| {
            let value = redact_named(&k, &v);
            (redact(&k), value)
        })
        .collect();
}

/// A map from a name to a part of the snapshot.
fn values<V: Redact>(map: &mut BTreeMap<String, V>) {
    *map = std::mem::take(map)
        .into_iter()
        .map(|(mut k, mut v)| {
            k.redact();
            v.redact();
            (k, v)
        })
        .collect();
}

impl Redact for Facts {
    fn redact(&mut self) {
        let Facts {
            facts_version: _,
            collection,
            version,
            info,
            containers,
            images,
            networks,
            swarm,
            host,
        } = self;
        collection.redact();
        version.redact();
        info.redact();
        containers.redact();
        images.redact();
        networks.redact();
        swarm.redact();
        host.redact();
    }
}

impl Redact for Collection {
    fn redact(&mut self) {
        let Collection {
            started_at,
            finished_at,
            duration_ms: _,
            endpoint,
            host_root,
            host_skipped_reason,
            self_container,
            content_trust,
            api_requests: _,
            connection,
        } = self;
        connection.redact();
        started_at.redact();
        finished_at.redact();
        endpoint.redact();
        host_root.redact();
        host_skipped_reason.redact();
        self_container.redact();
        content_trust.redact();
    }
}

impl Redact for Connection {
    fn redact(&mut self) {
        let Connection {
            transport: _,
            address,
            tls: _,
            context,
            remote,
        } = self;
        address.redact();
        context.redact();
        if let Some(RemoteGather { gathered: _, detail }) = remote {
            detail.redact();
        }
    }
}

impl Redact for SelfContainer {
    fn redact(&mut self) {
        let SelfContainer { id, name, evidence } = self;
        id.redact();
        name.redact();
        evidence.redact();
    }
}

impl Redact for Version {
    fn redact(&mut self) {
        let Version {
            version,
            api_version,
            negotiated_api_version,
            min_api_version,
            os,
            arch,
            kernel_version,
            experimental: _,
            git_commit,
            go_version,
            components,
        } = self;
        for s in [
            version,
            api_version,
            negotiated_api_version,
            min_api_version,
            os,
            arch,
            kernel_version,
            git_commit,
            go_version,
        ] {
            s.redact();
        }
        named(components);
    }
}

impl Redact for Info {
    fn redact(&mut self) {
        let Info {
            id,
            name,
            operating_system,
            os_type,
            os_version,
            kernel_version,
            architecture,
            docker_root_dir,
            driver,
            driver_status,
            logging_driver,
            cgroup_driver,
            cgroup_version,
            security_options,
            live_restore_enabled: _,
            debug: _,
            experimental_build: _,
            insecure_registry_cidrs,
            index_configs,
            authorization_plugins,
            log_plugins,
            runtimes,
            default_runtime,
            containers: _,
            containers_running: _,
            containers_paused: _,
            containers_stopped: _,
            images: _,
            swarm,
        } = self;
        for s in [
            id,
            name,
            operating_system,
            os_type,
            os_version,
            kernel_version,
            architecture,
            docker_root_dir,
            driver,
            logging_driver,
            cgroup_driver,
            cgroup_version,
            default_runtime,
        ] {
            s.redact();
        }
        driver_status.redact();
        security_options.redact();
        insecure_registry_cidrs.redact();
        index_configs.redact();
        authorization_plugins.redact();
        log_plugins.redact();
        named(runtimes);
        swarm.redact();
    }
}

impl Redact for IndexConfig {
    fn redact(&mut self) {
        let IndexConfig {
            name,
            secure: _,
            mirrors,
        } = self;
        name.redact();
        mirrors.redact();
    }
}

impl Redact for SwarmInfo {
    fn redact(&mut self) {
        let SwarmInfo {
            local_node_state,
            node_id,
            node_addr,
            control_available: _,
            managers: _,
            nodes: _,
            node_cert_expiry_ns: _,
            remote_managers,
        } = self;
        local_node_state.redact();
        node_id.redact();
        node_addr.redact();
        remote_managers.redact();
    }
}

impl Redact for Container {
    fn redact(&mut self) {
        let Container {
            id,
            name,
            image,
            image_id,
            created,
            state,
            user,
            healthcheck,
            labels,
            env_names,
            host_config,
            mounts,
            ports,
            networks,
            app_armor_profile,
            process_label,
            processes,
        } = self;
        id.redact();
        name.redact();
        image.redact();
        image_id.redact();
        created.redact();
        state.redact();
        user.redact();
        if let Some(test) = healthcheck {
            argv(test);
        }
        named(labels);
        env_names.redact();
        host_config.redact();
        mounts.redact();
        ports.redact();
        values(networks);
        app_armor_profile.redact();
        process_label.redact();
        processes.redact();
    }
}

impl Redact for ContainerState {
    fn redact(&mut self) {
        let ContainerState {
            status,
            running: _,
            pid: _,
            started_at,
            health,
        } = self;
        status.redact();
        started_at.redact();
        health.redact();
    }
}

impl Redact for HostConfig {
    fn redact(&mut self) {
        let HostConfig {
            privileged: _,
            network_mode,
            pid_mode,
            ipc_mode,
            uts_mode,
            userns_mode,
            cgroupns_mode,
            cap_add,
            cap_drop,
            security_opt,
            readonly_rootfs: _,
            memory: _,
            memory_swap: _,
            cpu_shares: _,
            nano_cpus: _,
            cpu_quota: _,
            cpu_period: _,
            cpuset_cpus,
            pids_limit: _,
            restart_policy,
            cgroup_parent,
            devices,
            device_cgroup_rules,
            device_requests,
            ulimits,
            port_bindings,
            publish_all_ports: _,
        } = self;
        for s in [
            network_mode,
            pid_mode,
            ipc_mode,
            uts_mode,
            userns_mode,
            cgroupns_mode,
            cpuset_cpus,
            cgroup_parent,
        ] {
            s.redact();
        }
        cap_add.redact();
        cap_drop.redact();
        security_opt.redact();
        restart_policy.redact();
        devices.redact();
        device_cgroup_rules.redact();
        device_requests.redact();
        ulimits.redact();
        port_bindings.redact();
    }
}

impl Redact for RestartPolicy {
    fn redact(&mut self) {
        let RestartPolicy {
            name,
            maximum_retry_count: _,
        } = self;
        name.redact();
    }
}

impl Redact for Device {
    fn redact(&mut self) {
        let Device {
            path_on_host,
            path_in_container,
            cgroup_permissions,
        } = self;
        path_on_host.redact();
        path_in_container.redact();
        cgroup_permissions.redact();
    }
}

impl Redact for Ulimit {
    fn redact(&mut self) {
        let Ulimit { name, soft: _, hard: _ } = self;
        name.redact();
    }
}

impl Redact for Mount {
    fn redact(&mut self) {
        let Mount {
            kind,
            source,
            destination,
            rw: _,
            mode,
            propagation,
            name,
        } = self;
        for s in [kind, source, destination, mode, propagation] {
            s.redact();
        }
        name.redact();
    }
}

impl Redact for PortBinding {
    fn redact(&mut self) {
        let PortBinding {
            container_port,
            host_ip,
            host_port,
        } = self;
        container_port.redact();
        host_ip.redact();
        host_port.redact();
    }
}

impl Redact for Process {
    fn redact(&mut self) {
        let Process { pid, user, command } = self;
        pid.redact();
        user.redact();
        command.redact();
    }
}

impl Redact for Image {
    fn redact(&mut self) {
        let Image {
            id,
            repo_tags,
            repo_digests,
            created,
            size: _,
            user,
            healthcheck,
            env_names,
            volumes,
            labels,
            history,
        } = self;
        id.redact();
        repo_tags.redact();
        repo_digests.redact();
        created.redact();
        user.redact();
        if let Some(test) = healthcheck {
            argv(test);
        }
        env_names.redact();
        volumes.redact();
        named(labels);
        history.redact();
    }
}

impl Redact for HistoryStep {
    fn redact(&mut self) {
        let HistoryStep {
            created_by,
            created: _,
            empty_layer: _,
            comment,
        } = self;
        created_by.redact();
        comment.redact();
    }
}

impl Redact for Network {
    fn redact(&mut self) {
        let Network {
            id,
            name,
            driver,
            scope,
            internal: _,
            ingress: _,
            options,
            containers,
        } = self;
        for s in [id, name, driver, scope] {
            s.redact();
        }
        named(options);
        containers.redact();
    }
}

impl Redact for Swarm {
    fn redact(&mut self) {
        let Swarm {
            is_manager: _,
            nodes,
            autolock_managers,
            services,
            secrets,
            data_path_port: _,
        } = self;
        nodes.redact();
        if let Fact::Unavailable(u) = autolock_managers {
            u.source.redact();
            u.reason.redact();
        }
        services.redact();
        secrets.redact();
    }
}

impl Redact for SwarmNode {
    fn redact(&mut self) {
        let SwarmNode {
            id,
            hostname,
            role,
            addr,
            manager_addr,
            leader: _,
        } = self;
        for s in [id, hostname, role, addr] {
            s.redact();
        }
        manager_addr.redact();
    }
}

impl Redact for SwarmService {
    fn redact(&mut self) {
        let SwarmService {
            id,
            name,
            restart_condition,
            restart_max_attempts: _,
        } = self;
        id.redact();
        name.redact();
        restart_condition.redact();
    }
}

impl Redact for HostFacts {
    fn redact(&mut self) {
        let HostFacts {
            hostname,
            os_pretty_name,
            dockerd,
            binding,
            daemon_json,
            mounts,
            audit_rules,
            docker_group,
            systemd,
            containerd_grpc_address,
            listening,
            files,
            registry_certs,
        } = self;
        hostname.redact();
        os_pretty_name.redact();
        dockerd.redact();
        binding.redact();
        daemon_json.redact();
        mounts.redact();
        audit_rules.redact();
        docker_group.redact();
        systemd.redact();
        containerd_grpc_address.redact();
        listening.redact();
        values(files);
        registry_certs.redact();
    }
}

impl Redact for DaemonProcess {
    fn redact(&mut self) {
        let DaemonProcess {
            pid: _,
            exe,
            args,
            uid: _,
            gid: _,
            user,
            rootless: _,
            home,
            config_file,
            data_root,
            sockets,
            mapped_gids: _,
        } = self;
        exe.redact();
        argv(args);
        user.redact();
        home.redact();
        config_file.redact();
        data_root.redact();
        sockets.redact();
    }
}

impl Redact for DaemonBinding {
    fn redact(&mut self) {
        let DaemonBinding {
            socket,
            evidence,
            others,
            unidentified,
        } = self;
        socket.redact();
        evidence.redact();
        others.redact();
        unidentified.redact();
    }
}

impl Redact for DaemonJson {
    fn redact(&mut self) {
        let DaemonJson { path, content } = self;
        path.redact();
        redact_json(content);
    }
}

impl Redact for HostMount {
    fn redact(&mut self) {
        let HostMount {
            mount_point,
            fs_type,
            source,
        } = self;
        mount_point.redact();
        fs_type.redact();
        source.redact();
    }
}

impl Redact for AuditRules {
    /// Rule lines are kept as read: they are the kernel's rule syntax (no credentials), and
    /// `key=docker` there is a search tag the evidence should show, not a secret.
    fn redact(&mut self) {
        let AuditRules { source, lines: _ } = self;
        source.redact();
    }
}

impl Redact for Group {
    fn redact(&mut self) {
        let Group {
            gid: _,
            members,
            primary_members,
        } = self;
        members.redact();
        primary_members.redact();
    }
}

impl Redact for SystemdUnits {
    fn redact(&mut self) {
        let SystemdUnits {
            docker_service,
            docker_socket,
            socket_listen,
        } = self;
        docker_service.redact();
        docker_socket.redact();
        socket_listen.redact();
    }
}

impl Redact for ListenSocket {
    fn redact(&mut self) {
        let ListenSocket { proto, addr, port: _ } = self;
        proto.redact();
        addr.redact();
    }
}

impl Redact for FileStat {
    fn redact(&mut self) {
        let FileStat {
            path,
            kind,
            uid: _,
            gid: _,
            mode: _,
            owner,
            group,
            resolved,
        } = self;
        path.redact();
        kind.redact();
        owner.redact();
        group.redact();
        resolved.redact();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loading_a_snapshot_redacts_it() {
        let saved = r#"{
            "facts_version": 1,
            "containers": {"ok": [{
                "name": "db",
                "labels": {"db.password": "hunter2", "note": "curl -u a:hunter3 x"},
                "healthcheck": ["CMD", "mysqladmin", "ping", "-phunter4"],
                "processes": {"ok": [{"pid": "1", "user": "root", "command": "app --token hunter5"}]}
            }]},
            "host": {"dockerd": {"ok": {"pid": 1, "args": ["dockerd", "--log-opt", "splunk-token=hunter6"]}}}
        }"#;
        let facts = crate::snapshot::load(saved).expect("loads");
        let text = serde_json::to_string(&facts).unwrap();
        for n in 2..=6 {
            assert!(!text.contains(&format!("hunter{n}")), "hunter{n} in {text}");
        }
        let c = &facts.containers.ok().unwrap()[0];
        assert_eq!(c.labels["db.password"], "***");
        assert_eq!(c.labels["note"], "curl -u a:*** x");
        assert_eq!(facts.clone().redacted(), facts);
    }
}
