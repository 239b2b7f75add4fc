//! End-to-end tests of [`gather_host`] over a fake host root built in a temporary directory.

use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::net::UnixListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::root::HostRoot;
use super::*;
use crate::snapshot::{FileStat, Group, HostMount, ListenSocket};

/// A scratch host root, removed on drop.
struct FakeRoot(PathBuf);

impl FakeRoot {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // Short name: unix socket paths are limited to 108 bytes.
        let dir = std::env::temp_dir().join(format!("dah-{tag}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        FakeRoot(dir)
    }

    fn path(&self, host: &str) -> PathBuf {
        self.0.join(host.trim_start_matches('/'))
    }

    fn file(&self, host: &str, content: impl AsRef<[u8]>) -> &Self {
        let p = self.path(host);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, content).unwrap();
        self
    }

    fn mode(&self, host: &str, mode: u32) -> &Self {
        fs::set_permissions(self.path(host), fs::Permissions::from_mode(mode)).unwrap();
        self
    }

    fn link(&self, host: &str, target: &str) -> &Self {
        let p = self.path(host);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        symlink(target, p).unwrap();
        self
    }

    fn dir(&self, host: &str) -> &Self {
        fs::create_dir_all(self.path(host)).unwrap();
        self
    }

    fn socket(&self, host: &str) -> UnixListener {
        let p = self.path(host);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        UnixListener::bind(p).unwrap()
    }

    /// A process: its `exe` link, command line, status, start time and mount namespace.
    fn process(&self, pid: u32, exe: &str, argv: &[&str], uid: u32, start: u64, mnt_ns: &str) -> &Self {
        let base = format!("/proc/{pid}");
        self.link(&format!("{base}/exe"), exe);
        let mut cmdline = argv.join("\0");
        cmdline.push('\0');
        self.file(&format!("{base}/cmdline"), cmdline);
        self.file(
            &format!("{base}/status"),
            format!("Name:\tx\nUmask:\t0022\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n"),
        );
        let comm = exe.rsplit('/').next().unwrap();
        self.file(
            &format!("{base}/stat"),
            format!("{pid} ({comm}) S 1 {pid} {pid} 0 -1 4194560 1 0 0 0 5 6 0 0 20 0 10 0 {start} 1 2 3"),
        );
        self.link(&format!("{base}/ns/mnt"), mnt_ns);
        self
    }
}

impl Drop for FakeRoot {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const HOST_NS: &str = "mnt:[4026531841]";

/// A well-configured host with a few traps.
fn full_host() -> (FakeRoot, Vec<UnixListener>) {
    let r = FakeRoot::new("full");
    r.file("/etc/hostname", "testhost\n")
        .file("/usr/lib/os-release", "NAME=Test\nPRETTY_NAME=\"Test Linux 1 (fake)\"\n")
        .link("/etc/os-release", "../usr/lib/os-release")
        .file("/etc/group", "root:x:0:\nadm:x:4:\ndocker:x:998:alice,bob\nalice:x:1000:\n")
        .file(
            "/etc/passwd",
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nsvc:x:1002:998::/:/usr/sbin/nologin\n",
        );

    // PID 1 and the processes: the host's dockerd (100), a newer one (120), an older one in
    // another mount namespace (Docker-in-Docker, 80), and command lines that merely mention dockerd.
    r.link("/proc/1/ns/mnt", HOST_NS);
    r.process(
        100,
        "/usr/bin/dockerd",
        &[
            "/usr/bin/dockerd",
            "-H",
            "fd://",
            "--config-file",
            "/etc/docker/custom.json",
        ],
        0,
        500,
        HOST_NS,
    )
    .process(
        120,
        "/usr/bin/dockerd",
        &["/usr/bin/dockerd", "--validate"],
        0,
        900,
        HOST_NS,
    )
    .process(
        80,
        "/usr/local/bin/dockerd",
        &["dockerd", "--host=unix:///inner.sock"],
        0,
        100,
        "mnt:[4026532000]",
    )
    .process(
        90,
        "/usr/bin/vim.basic",
        &["vim", "/usr/bin/dockerd"],
        1000,
        50,
        HOST_NS,
    )
    .process(130, "/usr/bin/grep", &["grep", "-f", "dockerd"], 0, 40, HOST_NS)
    .process(
        140,
        "/usr/bin/dockerd-rootless.sh",
        &["dockerd-rootless.sh"],
        1000,
        30,
        HOST_NS,
    )
    .dir("/proc/self")
    .file("/proc/uptime", "1 1\n");
    // PID 100 holds the listening socket of /run/custom-docker.sock (inode 777); 120 listens on
    // the default socket, whose inode nobody visible holds.
    r.file(
        "/proc/100/net/unix",
        "Num       RefCount Protocol Flags    Type St Inode Path\n\
         0000000000000000: 00000002 00000000 00010000 0001 01 777 /run/custom-docker.sock\n\
         0000000000000000: 00000002 00000000 00010000 0001 01 778 /var/run/docker.sock\n",
    )
    .link("/proc/100/fd/0", "/dev/null")
    .link("/proc/100/fd/3", "socket:[777]")
    .link("/proc/120/fd/4", "socket:[12]");
    r.file(
        "/proc/1/mountinfo",
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n\
         30 22 8:17 / /var/lib/docker rw,relatime shared:7 master:1 - xfs /dev/sdb1 rw\n\
         31 22 0:44 / /srv/my\\040data rw - nfs4 server:/export\\040dir rw\n",
    );
    r.file(
        "/proc/1/net/tcp",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
         0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 10 0\n\
         1: 0100007F:0979 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 10 0\n\
         2: 0100007F:0979 0100007F:D0D0 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 10 0\n",
    );
    r.file(
        "/proc/1/net/tcp6",
        "  sl  local_address                         remote_address                        st\n\
         0: 00000000000000000000000000000000:0951 00000000000000000000000000000000:0000 0A 0\n\
         1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n",
    );

    r.file(
        "/etc/docker/custom.json",
        r#"{"icc": false, "http-proxy": "http://user:secret@proxy:3128",
            "proxies": {"https-proxy": "https://u:p@proxy:3129", "no-proxy": "localhost"}}"#,
    )
    .mode("/etc/docker/custom.json", 0o600)
    .file("/etc/docker/daemon.json", "{ not the file in use")
    .mode("/etc/docker", 0o755);

    r.file(
        "/lib/systemd/system/docker.service",
        "[Service]\nExecStart=/usr/bin/dockerd -H fd://\n",
    )
    .mode("/lib/systemd/system/docker.service", 0o644)
    .link(
        "/etc/systemd/system/docker.service",
        "/lib/systemd/system/docker.service",
    )
    .file(
        "/lib/systemd/system/docker.socket",
        "[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n",
    )
    .mode("/lib/systemd/system/docker.socket", 0o664)
    .file(
        "/usr/lib/systemd/system/docker.socket",
        "[Socket]\nListenStream=/lower/priority.sock\n",
    )
    .file(
        "/etc/systemd/system/docker.socket.d/10-custom.conf",
        "[Socket]\nListenStream=\nListenStream=/run/custom-docker.sock\n",
    )
    .file(
        "/lib/systemd/system/docker.socket.d/20-extra.conf",
        "[Socket]\nListenStream=%t/extra.sock\n",
    )
    .file(
        "/lib/systemd/system/docker.socket.d/10-custom.conf",
        "[Socket]\nListenStream=/hidden/by/etc.sock\n",
    );

    r.file(
        "/etc/containerd/config.toml",
        "version = 2\n[grpc]\n  address = \"/run/containerd/custom.sock\"\n",
    );
    r.file("/usr/bin/dockerd", "ELF").mode("/usr/bin/dockerd", 0o755);
    r.file("/usr/bin/containerd", "ELF").mode("/usr/bin/containerd", 0o4711);
    r.link("/var/run", "/run");
    r.dir("/run/containerd")
        .dir("/var/lib/docker")
        .mode("/var/lib/docker", 0o710);
    let sockets = vec![
        r.socket("/run/custom-docker.sock"),
        r.socket("/run/containerd/custom.sock"),
    ];

    r.file("/etc/docker/certs.d/registry.example:5000/ca.crt", "CA")
        .mode("/etc/docker/certs.d/registry.example:5000/ca.crt", 0o444)
        .file("/etc/docker/certs.d/registry.example:5000/client.key", "KEY")
        .mode("/etc/docker/certs.d/registry.example:5000/client.key", 0o600)
        .file("/etc/docker/certs.d/registry.example:5000/nested/deep/extra.cert", "C")
        .mode(
            "/etc/docker/certs.d/registry.example:5000/nested/deep/extra.cert",
            0o666,
        )
        .file("/etc/docker/certs.d/stray.crt", "not in a registry dir")
        .file("/opt/shared-ca.crt", "CA")
        .link("/etc/docker/certs.d/other.example/ca.crt", "/opt/shared-ca.crt");

    r.file(
        "/etc/audit/rules.d/docker.rules",
        "# Docker\n\n-w /usr/bin/dockerd -p rwxa -k docker\n  -w /etc/docker -k docker  \n",
    )
    .file(
        "/etc/audit/audit.rules",
        "## compiled\n-D\n-w /usr/bin/dockerd -p rwxa -k docker\n-w /etc/docker -k docker\n",
    );
    (r, sockets)
}

fn ok<T: std::fmt::Debug>(f: &Fact<T>) -> &T {
    match f {
        Fact::Ok(v) => v,
        Fact::Unavailable(u) => panic!("unexpectedly unavailable: {u}"),
    }
}

fn stat_of<'a>(host: &'a HostFacts, path: &str) -> &'a FileStat {
    match host.files.get(path) {
        Some(Fact::Ok(Some(s))) => s,
        other => panic!("{path}: {other:?}"),
    }
}

fn my_uid(r: &FakeRoot) -> u32 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(&r.0).unwrap().uid()
}

#[test]
fn full_host_facts() {
    let (r, _sockets) = full_host();
    let info = Info {
        docker_root_dir: Some("/var/lib/docker".into()),
        ..Info::default()
    };
    let host = gather_host(&r.0, "unix:///var/run/custom-docker.sock", Some(&info));

    assert_eq!(host.hostname.as_deref(), Some("testhost"));
    let binding = host.binding.as_ref().expect("binding");
    assert_eq!(binding.socket.as_deref(), Some("/run/custom-docker.sock"));
    assert!(
        binding.evidence[0].contains("inode 777") && binding.evidence[0].contains("PID 100"),
        "{:?}",
        binding.evidence
    );
    assert!(
        binding.evidence[1].contains("names /run/custom-docker.sock too (from its -H/--host flags)"),
        "{:?}",
        binding.evidence
    );
    assert!(
        binding.evidence.iter().any(|e| e.contains("DockerRootDir")),
        "{:?}",
        binding.evidence
    );
    assert_eq!(binding.others.iter().map(|d| d.pid).collect::<Vec<_>>(), [120, 80]);
    assert_eq!(host.os_pretty_name.as_deref(), Some("Test Linux 1 (fake)"));

    let d = ok(&host.dockerd).as_ref().expect("dockerd found");
    assert_eq!(d.pid, 100);
    assert_eq!(d.exe.as_deref(), Some("/usr/bin/dockerd"));
    assert_eq!(
        d.args,
        [
            "/usr/bin/dockerd",
            "-H",
            "fd://",
            "--config-file",
            "/etc/docker/custom.json"
        ]
    );
    assert_eq!(d.uid, Some(0));
    assert_eq!(
        (
            d.rootless,
            d.user.as_deref(),
            d.config_file.as_deref(),
            d.data_root.as_deref()
        ),
        (
            false,
            Some("root"),
            Some("/etc/docker/custom.json"),
            Some("/var/lib/docker")
        )
    );
    assert_eq!(d.sockets, ["/run/custom-docker.sock", "/run/extra.sock"]);

    let j = ok(&host.daemon_json).as_ref().expect("daemon.json");
    assert_eq!(j.path, "/etc/docker/custom.json");
    assert_eq!(
        j.content,
        json!({"icc": false, "http-proxy": "http://***@proxy:3128",
               "proxies": {"https-proxy": "https://***@proxy:3129", "no-proxy": "localhost"}})
    );

    let mounts = ok(&host.mounts);
    assert_eq!(mounts.len(), 3);
    assert_eq!(
        mounts[1],
        HostMount {
            mount_point: "/var/lib/docker".into(),
            fs_type: "xfs".into(),
            source: "/dev/sdb1".into()
        }
    );
    assert_eq!(mounts[2].mount_point, "/srv/my data");
    assert_eq!(mounts[2].source, "server:/export dir");

    let audit = ok(&host.audit_rules);
    assert_eq!(
        audit.lines,
        [
            "-w /usr/bin/dockerd -p rwxa -k docker",
            "-w /etc/docker -k docker",
            "-D"
        ]
    );
    assert!(
        audit.source.contains("/etc/audit/rules.d/docker.rules"),
        "{}",
        audit.source
    );
    assert!(audit.source.contains("/etc/audit/audit.rules"), "{}", audit.source);

    assert_eq!(
        ok(&host.docker_group),
        &Some(Group {
            gid: 998,
            members: vec!["alice".into(), "bob".into()],
            primary_members: vec!["svc".into()]
        })
    );

    let units = ok(&host.systemd);
    assert_eq!(
        units.docker_service.as_deref(),
        Some("/lib/systemd/system/docker.service")
    );
    assert_eq!(
        units.docker_socket.as_deref(),
        Some("/lib/systemd/system/docker.socket")
    );
    assert_eq!(units.socket_listen, ["/run/custom-docker.sock", "/run/extra.sock"]);

    assert_eq!(
        ok(&host.containerd_grpc_address).as_deref(),
        Some("/run/containerd/custom.sock")
    );

    if cfg!(target_endian = "little") {
        let l = |proto: &str, addr: &str, port| ListenSocket {
            proto: proto.into(),
            addr: addr.into(),
            port,
        };
        assert_eq!(
            ok(&host.listening),
            &[
                l("tcp", "0.0.0.0", 22),
                l("tcp", "127.0.0.1", 2425),
                l("tcp6", "::", 2385),
                l("tcp6", "::1", 8080)
            ]
        );
    }

    // Files: the paths come from HostPaths, so they follow the dockerd, unit and config facts.
    let me = my_uid(&r);
    let dockerd = stat_of(&host, "/usr/bin/dockerd");
    assert_eq!((dockerd.kind.as_str(), dockerd.mode, dockerd.uid), ("file", 0o755, me));
    assert_eq!(dockerd.resolved, None);
    assert_eq!(stat_of(&host, "/usr/bin/containerd").mode, 0o4711);
    assert_eq!(stat_of(&host, "/etc/docker/custom.json").mode, 0o600);
    assert_eq!(stat_of(&host, "/etc/docker").kind, "dir");
    assert_eq!(stat_of(&host, "/var/lib/docker").mode, 0o710);
    assert_eq!(stat_of(&host, "/lib/systemd/system/docker.service").mode, 0o644);
    assert_eq!(stat_of(&host, "/lib/systemd/system/docker.socket").mode, 0o664);
    assert_eq!(stat_of(&host, "/run/custom-docker.sock").kind, "socket");
    assert_eq!(stat_of(&host, "/run/containerd/custom.sock").kind, "socket");
    assert_eq!(host.files.get("/etc/default/docker"), Some(&Fact::Ok(None)));
    assert_eq!(
        host.files.get("/run/docker/containerd/containerd.sock"),
        Some(&Fact::Ok(None))
    );
    assert!(
        !host.files.contains_key("/etc/docker/daemon.json"),
        "the file not in use is not audited"
    );
    if me == 0 {
        assert_eq!(
            (dockerd.owner.as_deref(), dockerd.group.as_deref()),
            (Some("root"), Some("root"))
        );
    }

    let certs = ok(&host.registry_certs);
    let got: Vec<(&str, u32, Option<&str>)> = certs
        .iter()
        .map(|c| (c.path.as_str(), c.mode, c.resolved.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "/etc/docker/certs.d/other.example/ca.crt",
                0o644,
                Some("/opt/shared-ca.crt")
            ),
            ("/etc/docker/certs.d/registry.example:5000/ca.crt", 0o444, None),
            ("/etc/docker/certs.d/registry.example:5000/client.key", 0o600, None),
            (
                "/etc/docker/certs.d/registry.example:5000/nested/deep/extra.cert",
                0o666,
                None
            ),
        ]
    );
    assert!(certs.iter().all(|c| c.kind == "file"));

    // The snapshot round-trips.
    let text = serde_json::to_string(&host).unwrap();
    assert_eq!(serde_json::from_str::<HostFacts>(&text).unwrap(), host);
}

#[test]
fn ownership_and_names_through_chown() {
    let r = FakeRoot::new("own");
    if my_uid(&r) != 0 {
        return; // chown needs root
    }
    r.file("/etc/passwd", "root:x:0:0::/:/bin/sh\nalice:x:1000:1000::/:/bin/sh\n")
        .file("/etc/group", "root:x:0:\ndocker:x:998:\n")
        .file("/usr/bin/runc", "ELF");
    std::os::unix::fs::chown(r.path("/usr/bin/runc"), Some(1000), Some(998)).unwrap();
    std::os::unix::fs::chown(r.path("/etc/group"), Some(4242), Some(4242)).unwrap();
    let fs = HostRoot::new(&r.0);
    let accounts = etc::Accounts::read(&fs);
    let s = files::stat(&fs, &accounts, "/usr/bin/runc").unwrap().unwrap();
    assert_eq!(
        (s.uid, s.gid, s.owner.as_deref(), s.group.as_deref()),
        (1000, 998, Some("alice"), Some("docker"))
    );
    let s = files::stat(&fs, &accounts, "/etc/group").unwrap().unwrap();
    assert_eq!((s.uid, s.owner, s.group), (4242, None, None));
}

#[test]
fn empty_root_is_absent_not_failed() {
    let r = FakeRoot::new("empty");
    let host = gather_host(&r.0, "unix:///var/run/docker.sock", None);
    assert!(
        matches!(host.dockerd, Fact::Unavailable(_)),
        "no /proc at all: {:?}",
        host.dockerd
    );
    // No process is visible at all (not a choice between daemons): the default location is read.
    assert_eq!(host.daemon_json, Fact::Ok(None));
    assert_eq!(host.binding.as_ref().and_then(|b| b.unidentified.clone()), None);
    assert!(matches!(host.mounts, Fact::Unavailable(_)));
    assert!(matches!(host.listening, Fact::Unavailable(_)));
    let audit = ok(&host.audit_rules);
    assert!(audit.lines.is_empty());
    assert!(
        audit.source.contains("no audit rules found") && audit.source.contains("/etc/audit absent"),
        "{}",
        audit.source
    );
    assert_eq!(host.docker_group, Fact::Ok(None));
    assert_eq!(host.systemd, Fact::Ok(Default::default()));
    assert_eq!(host.containerd_grpc_address, Fact::Ok(None));
    assert_eq!(host.registry_certs, Fact::Ok(vec![]));
    assert_eq!(host.hostname, None);
    assert!(!host.files.is_empty());
    assert!(host.files.values().all(|f| *f == Fact::Ok(None)), "{:?}", host.files);
    // Without dockerd, the default daemon.json and the binary directories are looked at.
    assert!(host.files.contains_key("/etc/docker/daemon.json"));
    assert!(host.files.contains_key("/usr/sbin/dockerd"));
}

#[test]
fn proc_without_dockerd_is_none() {
    let r = FakeRoot::new("nodockerd");
    r.process(1, "/usr/lib/systemd/systemd", &["/sbin/init"], 0, 1, HOST_NS)
        .process(7, "/usr/bin/bash", &["bash", "-c", "dockerd"], 0, 2, HOST_NS);
    // A zombie dockerd has an empty command line and is skipped.
    r.process(9, "/usr/bin/dockerd", &[], 0, 3, HOST_NS)
        .file("/proc/9/cmdline", "");
    assert_eq!(proc::dockerds(&HostRoot::new(&r.0)), Fact::Ok(vec![]));
}

#[test]
fn dockerd_found_by_comm_when_exe_is_unreadable() {
    let r = FakeRoot::new("comm");
    r.file("/proc/55/comm", "dockerd\n")
        .file("/proc/55/cmdline", "dockerd\0--rootless\0");
    r.file("/proc/56/comm", "dockerd-rootles\n")
        .file("/proc/56/cmdline", "x\0");
    let d = ok(&proc::dockerds(&HostRoot::new(&r.0)))[0].clone();
    assert_eq!(
        (d.pid, d.exe, d.args, d.uid),
        (55, None, vec!["dockerd".into(), "--rootless".into()], None)
    );
}

#[test]
fn daemon_json_states() {
    let r = FakeRoot::new("json");
    let fs = HostRoot::new(&r.0);
    assert_eq!(daemon_json::read(&fs, "/etc/docker/daemon.json"), Fact::Ok(None));

    r.file(
        "/etc/docker/daemon.json",
        "{\n  \"icc\": false,\n  \"log-level\": \"info\",\n}\n",
    );
    let Fact::Unavailable(u) = daemon_json::read(&fs, "/etc/docker/daemon.json") else {
        panic!("invalid JSON accepted")
    };
    assert_eq!(u.source, "/etc/docker/daemon.json");
    assert!(
        u.reason.starts_with("not valid JSON at line 4 column 1: "),
        "{}",
        u.reason
    );

    r.file(
        "/etc/docker/daemon.json",
        r#"{"https-proxy": "user:pw@proxy:8080", "icc": true}"#,
    );
    let j = ok(&daemon_json::read(&fs, "/etc/docker/daemon.json")).clone().unwrap();
    assert_eq!(j.content, json!({"https-proxy": "***@proxy:8080", "icc": true}));

    // A daemon.json that is a directory cannot be read.
    r.dir("/etc/docker/dir.json");
    assert!(matches!(
        daemon_json::read(&fs, "/etc/docker/dir.json"),
        Fact::Unavailable(_)
    ));
}

#[test]
fn masked_and_dangling_units() {
    let r = FakeRoot::new("units");
    r.link("/etc/systemd/system/docker.service", "/dev/null")
        .file("/lib/systemd/system/docker.service", "[Service]\n")
        .link("/etc/systemd/system/docker.socket", "/nowhere/docker.socket")
        .file(
            "/usr/lib/systemd/system/docker.socket",
            "[Socket]\nListenStream=%t/docker.sock\n",
        );
    let units = ok(&systemd::units(&HostRoot::new(&r.0))).clone();
    assert_eq!(units.docker_service, None, "masked");
    assert_eq!(
        units.docker_socket.as_deref(),
        Some("/usr/lib/systemd/system/docker.socket")
    );
    assert_eq!(units.socket_listen, ["/run/docker.sock"]);
}

#[test]
fn resolver_stays_inside_the_root() {
    let r = FakeRoot::new("resolve");
    r.file("/etc/hostname", "inside\n")
        .link("/etc/abs", "/etc/hostname")
        .link("/etc/climb", "../../../../../../etc/hostname")
        .link("/etc/dirlink", "/usr/share")
        .file("/usr/share/doc/x", "x")
        .link("/loop/a", "b")
        .link("/loop/b", "a")
        .link("/dangling", "/missing/target");
    let fs = HostRoot::new(&r.0);
    assert_eq!(fs.resolve("/etc/abs", true).unwrap(), "/etc/hostname");
    assert_eq!(fs.read_text("/etc/abs").unwrap(), "inside\n");
    assert_eq!(fs.resolve("/etc/climb", true).unwrap(), "/etc/hostname");
    assert_eq!(fs.read_text("/etc/climb").unwrap(), "inside\n");
    assert_eq!(
        fs.resolve("/etc/dirlink/doc/../doc/x", true).unwrap(),
        "/usr/share/doc/x"
    );
    assert_eq!(fs.resolve("/etc/abs", false).unwrap(), "/etc/abs");
    assert_eq!(fs.resolve("/../../etc/./hostname", true).unwrap(), "/etc/hostname");
    assert_eq!(fs.resolve("/", true).unwrap(), "/");
    assert_eq!(fs.resolve("/no/such/../file", true).unwrap(), "/no/file");
    assert!(fs
        .resolve("/loop/a", true)
        .unwrap_err()
        .to_string()
        .contains("too many levels"));

    let accounts = etc::Accounts::default();
    let s = files::stat(&fs, &accounts, "/etc/abs").unwrap().unwrap();
    assert_eq!(
        (s.kind.as_str(), s.resolved.as_deref()),
        ("file", Some("/etc/hostname"))
    );
    assert_eq!(files::stat(&fs, &accounts, "/dangling").unwrap(), None);
    assert_eq!(files::stat(&fs, &accounts, "/etc/hostname/below").unwrap(), None);
    assert_eq!(files::stat(&fs, &accounts, "/nothing").unwrap(), None);
    let facts = files::stat_all(&fs, &accounts, &["/loop/a".to_string()]);
    assert!(matches!(facts.get("/loop/a"), Some(Fact::Unavailable(_))));
}

#[test]
fn audit_rule_files_absent_but_dir_present() {
    let r = FakeRoot::new("audit");
    r.dir("/etc/audit/rules.d")
        .file("/etc/audit/rules.d/README", "not a rules file");
    let a = ok(&audit::audit_rules(&HostRoot::new(&r.0))).clone();
    assert!(a.lines.is_empty());
    assert!(a.source.contains("no rule files in /etc/audit"), "{}", a.source);
}

#[test]
fn empty_proc_is_not_mounted() {
    let r = FakeRoot::new("noproc");
    r.dir("/proc");
    let Fact::Unavailable(u) = proc::dockerds(&HostRoot::new(&r.0)) else {
        panic!("an empty /proc is not 'no dockerd'")
    };
    assert!(u.reason.contains("not mounted"), "{}", u.reason);
}

/// Two rootful daemons and a rootless one: (PID, argv, uid, listening socket inode, path).
fn three_daemons(readable_fds: bool) -> FakeRoot {
    let r = FakeRoot::new("multi");
    r.file(
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/bash\nrl:x:1001:1001::/home/rl:/bin/sh\n",
    )
    .link("/var/run", "/run")
    .link("/proc/1/ns/mnt", HOST_NS)
    .file("/etc/docker/daemon.json", r#"{"icc": false}"#)
    .file(
        "/etc/docker-b.json",
        r#"{"hosts": ["unix:///run/docker-b.sock"], "data-root": "/srv/docker-b"}"#,
    )
    .file("/home/rl/.config/docker/daemon.json", r#"{"log-level": "debug"}"#);
    r.process(200, "/usr/sbin/dockerd", &["dockerd"], 0, 10, HOST_NS)
        .process(
            300,
            "/usr/sbin/dockerd",
            &[
                "dockerd",
                "--config-file=/etc/docker-b.json",
                "--pidfile=/run/docker-b.pid",
            ],
            0,
            20,
            HOST_NS,
        )
        .process(
            399,
            "/usr/bin/rootlesskit",
            &["rootlesskit", "dockerd-rootless.sh"],
            1001,
            29,
            HOST_NS,
        )
        .process(
            400,
            "/usr/sbin/dockerd",
            &["dockerd", "--experimental"],
            1001,
            30,
            "mnt:[4026532999]",
        )
        .file(
            "/proc/399/status",
            "Name:\trootlesskit\nPPid:\t1\nUid:\t1001\t1001\t1001\t1001\n",
        )
        .file(
            "/proc/400/status",
            "Name:\tdockerd\nPPid:\t399\nUid:\t1001\t1001\t1001\t1001\nGid:\t1001\t1001\t1001\t1001\n",
        )
        .file(
            "/proc/400/environ",
            "HOME=/home/rl\0XDG_RUNTIME_DIR=/run/user/1001\0SECRET=x\0",
        );
    let table = "Num       RefCount Protocol Flags    Type St Inode Path\n\
                 0000000000000000: 00000002 00000000 00010000 0001 01 2001 /var/run/docker.sock\n\
                 0000000000000000: 00000002 00000000 00010000 0001 01 3001 /run/docker-b.sock\n\
                 0000000000000000: 00000002 00000000 00010000 0001 01 4001 /run/user/1001/docker.sock\n";
    for pid in [200, 300, 400] {
        r.file(&format!("/proc/{pid}/net/unix"), table);
        if readable_fds {
            r.link(&format!("/proc/{pid}/fd/5"), &format!("socket:[{pid}1]"));
        }
    }
    r
}

fn info_of(root: &str, rootless: bool) -> Info {
    Info {
        docker_root_dir: Some(root.into()),
        security_options: if rootless {
            vec!["name=seccomp,profile=default".into(), "name=rootless".into()]
        } else {
            vec!["name=seccomp,profile=default".into()]
        },
        ..Info::default()
    }
}

#[test]
fn each_endpoint_is_bound_to_the_daemon_holding_its_socket() {
    let r = three_daemons(true);
    let cases = [
        ("unix:///var/run/docker.sock", info_of("/var/lib/docker", false), 200),
        ("unix:///run/docker-b.sock", info_of("/srv/docker-b", false), 300),
        (
            "unix:///run/user/1001/docker.sock",
            info_of("/home/rl/.local/share/docker", true),
            400,
        ),
    ];
    for (endpoint, info, pid) in cases {
        let host = gather_host(&r.0, endpoint, Some(&info));
        let d = ok(&host.dockerd)
            .as_ref()
            .unwrap_or_else(|| panic!("{endpoint}: no daemon"));
        assert_eq!(d.pid, pid, "{endpoint}");
        let b = host.binding.as_ref().unwrap();
        assert!(b.evidence[0].contains(&format!("inode {pid}1")), "{:?}", b.evidence);
        assert_eq!(b.others.len(), 2);
        assert!(b.others.iter().all(|o| o.pid != pid));
    }
    // The rootless daemon's own files: config in its home, socket and data root its defaults,
    // and its user units; nothing of its environment but the placement variables is kept.
    let host = gather_host(
        &r.0,
        "unix:///run/user/1001/docker.sock",
        Some(&info_of("/home/rl/.local/share/docker", true)),
    );
    let d = ok(&host.dockerd).clone().unwrap();
    assert!(d.rootless);
    assert_eq!((d.uid, d.gid, d.user.as_deref()), (Some(1001), Some(1001), Some("rl")));
    assert_eq!(d.config_file.as_deref(), Some("/home/rl/.config/docker/daemon.json"));
    assert_eq!(d.data_root.as_deref(), Some("/home/rl/.local/share/docker"));
    assert_eq!(d.sockets, ["/run/user/1001/docker.sock"]);
    let j = ok(&host.daemon_json).clone().unwrap();
    assert_eq!(j.content, json!({"log-level": "debug"}));
    assert!(!serde_json::to_string(&host).unwrap().contains("SECRET"));
    // The second rootful daemon's sockets and data root come from its own config file.
    let host = gather_host(
        &r.0,
        "unix:///run/docker-b.sock",
        Some(&info_of("/srv/docker-b", false)),
    );
    let d = ok(&host.dockerd).clone().unwrap();
    assert_eq!(d.sockets, ["/run/docker-b.sock"]);
    assert_eq!(ok(&host.daemon_json).as_ref().unwrap().path, "/etc/docker-b.json");
}

#[test]
fn without_readable_fds_the_configured_socket_decides() {
    let r = three_daemons(false);
    let host = gather_host(
        &r.0,
        "unix:///run/docker-b.sock",
        Some(&info_of("/srv/docker-b", false)),
    );
    let d = ok(&host.dockerd).as_ref().unwrap();
    assert_eq!(d.pid, 300);
    let b = host.binding.as_ref().unwrap();
    assert!(b.evidence[0].contains("hosts"), "{:?}", b.evidence);
}

#[test]
fn a_contradiction_or_an_unknown_socket_is_never_another_daemons_facts() {
    let r = three_daemons(true);
    // /info describes a rootless daemon, but the socket's holder runs as root.
    let host = gather_host(
        &r.0,
        "unix:///var/run/docker.sock",
        Some(&info_of("/home/rl/.local/share/docker", true)),
    );
    let Fact::Unavailable(u) = &host.dockerd else {
        panic!("bound despite the contradiction: {:?}", host.dockerd)
    };
    assert!(u.reason.contains("rootless"), "{}", u.reason);
    assert!(matches!(host.daemon_json, Fact::Unavailable(_)));
    assert_eq!(
        host.binding.as_ref().unwrap().unidentified.as_deref(),
        Some(u.reason.as_str())
    );
    assert_eq!(host.binding.as_ref().unwrap().others.len(), 3);
    // A data root that is not the one /info reports.
    let host = gather_host(
        &r.0,
        "unix:///run/docker-b.sock",
        Some(&info_of("/var/lib/docker", false)),
    );
    assert!(matches!(&host.dockerd, Fact::Unavailable(u) if u.reason.contains("DockerRootDir")));
    // A socket nobody is known to serve.
    let r = three_daemons(false);
    let host = gather_host(&r.0, "unix:///run/elsewhere.sock", None);
    assert!(matches!(&host.dockerd, Fact::Unavailable(u) if u.reason.contains("none of the 3")));
}

#[test]
fn a_tcp_endpoint_is_bound_through_its_listening_port() {
    let r = three_daemons(false);
    // PID 300 also listens on TCP 2376 (0x0948), inode 3002, and holds that socket.
    r.file(
        "/proc/300/net/tcp",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
         0: 00000000:0948 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3002 1 0 10 0\n",
    )
    .link("/proc/300/fd/7", "socket:[3002]");
    let host = gather_host(&r.0, "tcp://10.0.0.5:2376", Some(&info_of("/srv/docker-b", false)));
    let d = ok(&host.dockerd).as_ref().unwrap();
    assert_eq!(d.pid, 300);
    let b = host.binding.as_ref().unwrap();
    assert_eq!(b.socket, None);
    assert!(b.evidence[0].contains("TCP port 2376"), "{:?}", b.evidence);
}
