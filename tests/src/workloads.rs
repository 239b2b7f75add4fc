//! The six workloads of the least-privilege tests (`dockaudit harden`), built offline from
//! busybox-static and run on the real daemon; every image and container is removed on drop.
//!
//! Each workload is small but does what a real service does at start: write a pid file and a
//! cache, change a file's owner, drop from root to another uid, keep data, run unprivileged, or
//! come from Compose. [`Kind`] describes one (its `docker run` flags and command) so the trial
//! tests can re-create it; [`Workloads::start`] runs all six and waits until each is in its
//! steady state, so what is observed afterwards is what the service does, not its start-up.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::docker::{docker, docker_ok, require_daemon, Containers};

/// Prefix of every image and container these helpers create.
pub const PREFIX: &str = "da-harden-";

/// One of the test workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Root service writing a pid file under `/run` and a cache under `/tmp`
    /// (→ `--read-only` with two tmpfs, no capability).
    PidAndCache,
    /// Creates `/run/app` and gives it to uid 1000 at start (→ CHOWN).
    Chown,
    /// Root parent starting a worker as uid 1000 (`start-stop-daemon -c 1000:1000`; busybox-static
    /// has no `chpst`) (→ SETUID, SETGID).
    DropRoot,
    /// Appends to `/data/log` (→ "needs a volume" `/data`).
    Data,
    /// Runs as uid 1000 from the start (→ `--cap-drop ALL`, nothing added).
    Uid1000,
    /// A Compose-labelled web server (project `da-harden`, service `web`) listening on port 80.
    Compose,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::PidAndCache,
        Kind::Chown,
        Kind::DropRoot,
        Kind::Data,
        Kind::Uid1000,
        Kind::Compose,
    ];

    /// Short name, the last part of the container name.
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::PidAndCache => "pidcache",
            Kind::Chown => "chown",
            Kind::DropRoot => "droproot",
            Kind::Data => "data",
            Kind::Uid1000 => "uid1000",
            Kind::Compose => "compose",
        }
    }

    /// `docker run` flags besides name and image.
    pub fn run_args(self) -> &'static [&'static str] {
        match self {
            Kind::Uid1000 => &["--user", "1000:1000"],
            Kind::Compose => &[
                "--label",
                "com.docker.compose.project=da-harden",
                "--label",
                "com.docker.compose.service=web",
                "--label",
                "com.docker.compose.oneoff=False",
            ],
            _ => &[],
        }
    }

    /// The command. `set -e` makes a start-up step that fails (a missing capability) end the
    /// container, as a real service would.
    pub fn command(self) -> &'static [&'static str] {
        match self {
            Kind::PidAndCache => &[
                "sh",
                "-c",
                "set -e; echo $$ > /run/service.pid; date > /tmp/cache; touch /tmp/.ready; while :; do date > /tmp/cache; sleep 5; done",
            ],
            Kind::Chown => &[
                "sh",
                "-c",
                "set -e; mkdir -p /run/app; chown 1000:1000 /run/app; touch /run/.ready; exec sleep 1d",
            ],
            Kind::DropRoot => &[
                "sh",
                "-c",
                "start-stop-daemon -S -c 1000:1000 -x /bin/sleep -- 1d & wait $!",
            ],
            Kind::Data => &[
                "sh",
                "-c",
                "set -e; mkdir -p /data; date >> /data/log; touch /data/.ready; while :; do date >> /data/log; sleep 5; done",
            ],
            Kind::Uid1000 => &["sleep", "1d"],
            Kind::Compose => &["httpd", "-f", "-p", "80", "-h", "/www"],
        }
    }

    /// What shows the workload reached its steady state.
    fn ready(self) -> Ready {
        match self {
            Kind::PidAndCache => Ready::Added("/tmp/.ready"),
            Kind::Chown => Ready::Added("/run/.ready"),
            Kind::Data => Ready::Added("/data/.ready"),
            Kind::DropRoot => Ready::Processes(2),
            Kind::Uid1000 | Kind::Compose => Ready::Processes(1),
        }
    }
}

enum Ready {
    /// `docker diff` lists this path as added.
    Added(&'static str),
    /// `docker top` lists at least this many processes.
    Processes(usize),
}

/// The busybox image the workloads run, with every applet linked, `/etc/passwd` naming root and
/// `app` (1000), and `/run`, `/tmp` and `/www` present as in a real image.
pub struct WorkloadImage {
    pub tag: String,
}

impl WorkloadImage {
    pub fn build(tag: &str) -> WorkloadImage {
        require_daemon();
        let busybox = Path::new("/bin/busybox");
        assert!(
            busybox.exists(),
            "/bin/busybox is missing: install Debian's busybox-static"
        );
        let root = crate::TempDir::new("harden-rootfs");
        for dir in ["bin", "etc", "run", "tmp", "www"] {
            std::fs::create_dir_all(root.join(dir)).expect("rootfs dir");
        }
        std::fs::copy(busybox, root.join("bin/busybox")).expect("copy busybox");
        let list = Command::new(busybox).arg("--list").output().expect("busybox --list");
        for applet in String::from_utf8_lossy(&list.stdout).lines() {
            if !applet.is_empty() && applet != "busybox" && !applet.contains('/') {
                std::os::unix::fs::symlink("busybox", root.join("bin").join(applet)).expect("applet link");
            }
        }
        std::fs::write(
            root.join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n",
        )
        .expect("passwd");
        std::fs::write(root.join("etc/group"), "root:x:0:\napp:x:1000:\n").expect("group");
        std::fs::write(root.join("www/index.html"), "ok\n").expect("index");
        // `/tmp` is world-writable with the sticky bit, as in every real image.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root.join("tmp"), std::fs::Permissions::from_mode(0o1777)).expect("chmod /tmp");
        let tar = Command::new("tar")
            .args([
                "-C",
                &root.path().to_string_lossy(),
                "--owner=0",
                "--group=0",
                "-cf",
                "-",
                ".",
            ])
            .output()
            .expect("tar runs");
        assert!(tar.status.success(), "tar failed");
        let mut child = Command::new("docker")
            .args(["import", "--change", "ENV PATH=/bin", "-", tag])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("docker import runs");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(&tar.stdout).expect("write rootfs");
        }
        assert!(child.wait().expect("docker import").success(), "docker import failed");
        WorkloadImage { tag: tag.to_string() }
    }
}

impl Drop for WorkloadImage {
    fn drop(&mut self) {
        let _ = docker(&["rmi", "-f", &self.tag]);
    }
}

/// The six workloads, running. Dropping it removes the containers, then the image.
pub struct Workloads {
    // Field order matters: containers are removed before their image.
    containers: Containers,
    pub image: WorkloadImage,
    /// `da-harden-<tag>-<pid>-`: the prefix of this set's container names.
    pub prefix: String,
}

impl Workloads {
    /// Builds the image and starts `kinds`, named `da-harden-<tag>-<pid>-<suffix>`, then waits
    /// (up to a minute) until each is in its steady state.
    pub fn start(tag: &str, kinds: &[Kind]) -> Workloads {
        let prefix = format!("{PREFIX}{tag}-{}-", std::process::id());
        let image = WorkloadImage::build(&format!("{prefix}image:latest"));
        let mut workloads = Workloads {
            containers: Containers::default(),
            image,
            prefix,
        };
        for kind in kinds {
            let name = workloads.name(*kind);
            let image = workloads.image.tag.clone();
            workloads.containers.run(&name, kind.run_args(), &image, kind.command());
        }
        for kind in kinds {
            workloads.wait_ready(*kind);
        }
        workloads
    }

    /// The container name of a workload.
    pub fn name(&self, kind: Kind) -> String {
        format!("{}{}", self.prefix, kind.suffix())
    }

    fn wait_ready(&self, kind: Kind) {
        let name = self.name(kind);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let state = docker_ok(&["inspect", "-f", "{{.State.Status}}", &name]);
            assert!(
                state == "running",
                "workload {name} is {state}: {}",
                String::from_utf8_lossy(&docker(&["logs", &name]).stderr)
            );
            let ready = match kind.ready() {
                Ready::Added(path) => {
                    let diff = docker_ok(&["diff", &name]);
                    diff.lines().any(|l| l == format!("A {path}"))
                }
                Ready::Processes(n) => {
                    let top = docker_ok(&["top", &name]);
                    top.lines().count() > n
                }
            };
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "workload {name} did not become ready within a minute"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Names of containers (running or not) whose name starts with `prefix`: what a test leaves
/// behind, which must be nothing.
pub fn leftovers(prefix: &str) -> Vec<String> {
    let out = docker_ok(&["ps", "-a", "--format", "{{.Names}}"]);
    out.lines()
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect()
}
