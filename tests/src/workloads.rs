//! The workloads of the least-privilege tests (`dockaudit harden`), built offline from
//! busybox-static (images through [`TestImage::import_dir`]) and run on the real daemon; every
//! image and container is removed on drop.
//!
//! Each workload is small but does what a real service does at start: write a pid file and a
//! cache, change a file's owner, drop from root to another uid, keep data, run unprivileged, or
//! come from Compose (the six of the issue, [`Kind::ALL`]), and, for the trial's judgement, report
//! health through the image's `HEALTHCHECK` or need a network. [`Kind`] describes one (its image,
//! `docker run` flags and command) so the trial tests can re-create it; [`Workloads::start`] runs
//! the ones asked for and waits until each is in its steady state, so what is observed
//! afterwards is what the service does, not its start-up.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::docker::{busybox, docker, docker_ok, Containers, TestImage};

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
    /// Its image's `HEALTHCHECK` passes once `/run/healthy` exists, which the service creates
    /// only when giving `/run/app` to uid 1000 worked: without CHOWN it keeps running, unhealthy.
    Healthy,
    /// Exits 1 at start unless it has a network interface besides `lo` (network `none` has not).
    NeedsNetwork,
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
            Kind::Healthy => "healthy",
            Kind::NeedsNetwork => "network",
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
            Kind::Healthy => &[
                "sh",
                "-c",
                "mkdir -p /run/app; chown 1000:1000 /run/app && touch /run/healthy; exec sleep 1d",
            ],
            Kind::NeedsNetwork => &["sh", "-c", "set -e; test -e /sys/class/net/eth0; exec sleep 1d"],
        }
    }

    /// `docker import --change` instructions of its image besides `ENV PATH=/bin`.
    pub fn image_changes(self) -> &'static [&'static str] {
        match self {
            Kind::Healthy => &["HEALTHCHECK --interval=1s --timeout=2s --retries=2 CMD test -f /run/healthy"],
            _ => &[],
        }
    }

    /// What shows the workload reached its steady state.
    fn ready(self) -> Ready {
        match self {
            Kind::PidAndCache => Ready::Added("/tmp/.ready"),
            Kind::Chown => Ready::Added("/run/.ready"),
            Kind::Data => Ready::Added("/data/.ready"),
            Kind::DropRoot => Ready::Processes(2),
            Kind::Uid1000 | Kind::Compose | Kind::NeedsNetwork => Ready::Processes(1),
            Kind::Healthy => Ready::Healthy,
        }
    }
}

enum Ready {
    /// `docker diff` lists this path as added.
    Added(&'static str),
    /// `docker top` lists at least this many processes.
    Processes(usize),
    /// Its health check passed.
    Healthy,
}

/// The busybox image the workloads run, with every applet linked, `/etc/passwd` naming root and
/// `app` (1000), and `/run`, `/tmp` and `/www` present as in a real image; `changes` are more
/// `docker import --change` instructions (a `HEALTHCHECK`). Removed on drop.
pub fn workload_image(tag: &str, changes: &[&str]) -> TestImage {
    let busybox = busybox();
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
    let all: Vec<&str> = ["ENV PATH=/bin"].into_iter().chain(changes.iter().copied()).collect();
    TestImage::import_dir(tag, root.path(), &all)
}

/// Workloads, running. Dropping it removes the containers, then the images.
pub struct Workloads {
    // Field order matters: containers are removed before their images.
    containers: Containers,
    /// The workload image (`image`), and one with a health check when a [`Kind::Healthy`] runs.
    pub image: TestImage,
    health_image: Option<TestImage>,
    /// `da-harden-<tag>-<pid>-`: the prefix of this set's container names.
    pub prefix: String,
}

impl Workloads {
    /// Builds the image and starts `kinds`, named `da-harden-<tag>-<pid>-<suffix>`, then waits
    /// (up to a minute) until each is in its steady state.
    pub fn start(tag: &str, kinds: &[Kind]) -> Workloads {
        let prefix = format!("{PREFIX}{tag}-{}-", std::process::id());
        let image = workload_image(&format!("{prefix}image:latest"), &[]);
        let health_image = kinds
            .contains(&Kind::Healthy)
            .then(|| workload_image(&format!("{prefix}health:latest"), Kind::Healthy.image_changes()));
        let mut workloads = Workloads {
            containers: Containers::default(),
            image,
            health_image,
            prefix,
        };
        for kind in kinds {
            let name = workloads.name(*kind);
            let image = workloads.image_of(*kind).to_string();
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

    /// The image tag a workload runs.
    pub fn image_of(&self, kind: Kind) -> &str {
        match (&self.health_image, kind.image_changes().is_empty()) {
            (Some(health), false) => &health.tag,
            _ => &self.image.tag,
        }
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
                Ready::Healthy => docker_ok(&["inspect", "-f", "{{.State.Health.Status}}", &name]) == "healthy",
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
