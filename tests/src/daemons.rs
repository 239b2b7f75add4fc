//! Extra Docker daemons next to the test host's own, for the multi-daemon tests: a second rootful
//! dockerd with its own data root, exec root, pidfile and socket, and a rootless dockerd run by a
//! throw-away user through `dockerd-rootless.sh`. Each is stopped, and everything it created
//! removed, when its guard is dropped; every wait is bounded.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a daemon may take to answer, or to stop.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// `dockerd-rootless.sh` as Debian's docker.io ships it.
pub const ROOTLESS_SCRIPT: &str = "/usr/share/docker.io/contrib/dockerd-rootless.sh";

/// Whether this process runs as root (the rigs need it: dockerd, useradd, runuser).
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// Waits until `docker -H <endpoint> info` answers, or the deadline passes.
fn wait_for(endpoint: &str, child: &mut Child, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        let ok = Command::new("docker")
            .args(["-H", endpoint, "info", "--format", "{{.ID}}"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("the daemon exited ({status}): {}", tail(log)));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    Err(format!(
        "no answer on {endpoint} within {START_TIMEOUT:?}: {}",
        tail(log)
    ))
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// Stops a process group we started: SIGTERM, a bounded wait, then SIGKILL.
fn stop_group(child: &mut Child) {
    let pgid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", "--", &format!("-{pgid}")]).status();
    let deadline = Instant::now() + STOP_TIMEOUT;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pgid}")]).status();
    let _ = child.wait();
}

/// The PID in a daemon's pidfile, waiting for it to appear.
fn read_pidfile(path: &Path) -> Option<u32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(pid) = std::fs::read_to_string(path).ok().and_then(|t| t.trim().parse().ok()) {
            return Some(pid);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// A second rootful dockerd with its own directories and socket, in a network namespace of its
/// own (`unshare --net`): with `--bridge=none` dockerd deletes any `docker0` interface it sees
/// (dockerd 20.10 `removeDefaultBridgeInterface`), which in the host's namespace would be the
/// first daemon's bridge. Its bridge and iptables are off as well.
pub struct RootfulDaemon {
    child: Child,
    dir: PathBuf,
    /// `unix:///…/docker.sock`.
    pub endpoint: String,
    pub socket: String,
    pub pid: u32,
    pub config_file: String,
    /// The named network namespace of a daemon started with [`RootfulDaemon::start_tcp`].
    netns: Option<String>,
}

/// Where a daemon started with [`RootfulDaemon::start_tcp`] listens on TCP: an address in its
/// own network namespace, reachable from the test's namespace through a veth pair.
#[derive(Debug, Clone)]
pub struct TcpListen {
    /// The daemon's side of the veth pair, e.g. `10.213.57.2`.
    pub ip: String,
    pub port: u16,
}

impl TcpListen {
    /// `tcp://IP:PORT`.
    pub fn endpoint(&self) -> String {
        format!("tcp://{}:{}", self.ip, self.port)
    }
}

impl RootfulDaemon {
    /// Starts dockerd with `flags` after its own `--data-root`, `--exec-root`, `--pidfile`,
    /// `-H` and `--config-file` (holding `config`).
    pub fn start(tag: &str, flags: &[&str], config: &str) -> Result<Self, String> {
        Self::start_in(tag, flags, config, None, None)
    }

    /// Like [`RootfulDaemon::start`], in a UTS namespace of its own with `hostname`: the daemon
    /// reports that name (`/info` `Name`), so its reports are those of another host.
    pub fn start_with_hostname(tag: &str, hostname: &str, flags: &[&str], config: &str) -> Result<Self, String> {
        Self::start_in(tag, flags, config, None, Some(hostname))
    }

    /// Like [`RootfulDaemon::start`], in a named network namespace joined to the test's by a
    /// veth pair, listening on `tcp://<its address>:port` besides its socket. `flags` carry the
    /// TLS settings (`--tlsverify`, `--tlscacert`, …) when the listener should use TLS.
    pub fn start_tcp(tag: &str, port: u16, flags: &[&str], config: &str) -> Result<(Self, TcpListen), String> {
        let pid = std::process::id();
        let netns = format!("da-{tag}-{pid}");
        let short = format!("da{}{}", &tag[..tag.len().min(3)], pid % 100_000);
        let (host_if, ns_if) = (format!("{short}h"), format!("{short}n"));
        let (host_ip, ns_ip) = Self::tcp_addresses(tag);
        run("ip", &["netns", "add", &netns])?;
        let set_up = || -> Result<(), String> {
            run(
                "ip",
                &[
                    "link", "add", &host_if, "type", "veth", "peer", "name", &ns_if, "netns", &netns,
                ],
            )?;
            run("ip", &["addr", "add", &format!("{host_ip}/30"), "dev", &host_if])?;
            run("ip", &["link", "set", &host_if, "up"])?;
            let in_ns = |args: &[&str]| {
                let mut all = vec!["netns", "exec", netns.as_str(), "ip"];
                all.extend_from_slice(args);
                run("ip", &all)
            };
            in_ns(&["addr", "add", &format!("{ns_ip}/30"), "dev", &ns_if])?;
            in_ns(&["link", "set", &ns_if, "up"])?;
            in_ns(&["link", "set", "lo", "up"])
        };
        if let Err(e) = set_up() {
            let _ = run("ip", &["netns", "del", &netns]);
            return Err(e);
        }
        let listen = TcpListen { ip: ns_ip, port };
        let mut all = vec![format!("--host={}", listen.endpoint())];
        all.extend(flags.iter().map(|f| f.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        // A failed start drops the guard (which deletes the namespace) or never made one.
        let daemon = Self::start_in(tag, &all, config, Some(netns.clone()), None).inspect_err(|_| {
            let _ = run("ip", &["netns", "del", &netns]);
        })?;
        Ok((daemon, listen))
    }

    /// The test side's and the daemon's address for [`RootfulDaemon::start_tcp`] with `tag`
    /// (known before the start, for certificates): one /30 per test process and tag, in a
    /// range the host's own networks do not use.
    pub fn tcp_addresses(tag: &str) -> (String, String) {
        let subnet = (std::process::id() as usize + tag.bytes().map(usize::from).sum::<usize>()) % 200 + 20;
        (format!("10.213.{subnet}.1"), format!("10.213.{subnet}.2"))
    }

    fn start_in(
        tag: &str,
        flags: &[&str],
        config: &str,
        netns: Option<String>,
        hostname: Option<&str>,
    ) -> Result<Self, String> {
        // Short: unix socket paths are limited to 108 bytes.
        let dir = PathBuf::from(format!("/tmp/da-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let socket = dir.join("docker.sock").display().to_string();
        let config_file = dir.join("daemon.json").display().to_string();
        std::fs::write(&config_file, config).map_err(|e| e.to_string())?;
        let log_path = dir.join("dockerd.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let endpoint = format!("unix://{socket}");
        // `unshare` and `nsenter` exec dockerd, so the child's PID is dockerd's.
        let mut cmd = match (&netns, hostname) {
            // The shell sets the name in the new UTS namespace and execs dockerd (same PID).
            (None, Some(name)) => {
                let mut cmd = Command::new("unshare");
                cmd.args([
                    "--net",
                    "--uts",
                    "--",
                    "sh",
                    "-c",
                    "hostname \"$0\" && exec dockerd \"$@\"",
                    name,
                ]);
                cmd
            }
            (None, None) => {
                let mut cmd = Command::new("unshare");
                cmd.args(["--net", "--", "dockerd"]);
                cmd
            }
            (Some(name), _) => {
                let mut cmd = Command::new("nsenter");
                cmd.arg(format!("--net=/run/netns/{name}")).args(["--", "dockerd"]);
                cmd
            }
        };
        cmd.arg(format!("--data-root={}", dir.join("data").display()))
            .arg(format!("--exec-root={}", dir.join("exec").display()))
            .arg(format!("--pidfile={}", dir.join("docker.pid").display()))
            .arg(format!("--host={endpoint}"))
            .arg(format!("--config-file={config_file}"))
            .args(["--bridge=none", "--iptables=false", "--ip6tables=false"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .process_group(0);
        let child = cmd.spawn().map_err(|e| format!("dockerd: {e}"))?;
        // From here on, dropping the guard stops the daemon and removes its namespace.
        let mut daemon = RootfulDaemon {
            child,
            dir: dir.clone(),
            endpoint,
            socket,
            pid: 0,
            config_file,
            netns,
        };
        wait_for(&daemon.endpoint.clone(), &mut daemon.child, &log_path)?;
        daemon.pid = read_pidfile(&dir.join("docker.pid")).ok_or("no pidfile")?;
        Ok(daemon)
    }
}

impl Drop for RootfulDaemon {
    fn drop(&mut self) {
        stop_group(&mut self.child);
        // Deleting the namespace deletes the veth pair with it.
        if let Some(name) = &self.netns {
            let _ = run("ip", &["netns", "del", name]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A rootless dockerd run by a user created for it (with subordinate ids), through
/// `dockerd-rootless.sh` with host networking (this sandbox cannot create slirp4netns' tap
/// device). The user, its home and its runtime directory are removed on drop.
pub struct RootlessDaemon {
    child: Option<Child>,
    pub user: String,
    pub uid: u32,
    pub home: String,
    pub runtime_dir: String,
    pub endpoint: String,
    pub socket: String,
    pub pid: u32,
}

impl RootlessDaemon {
    /// Creates `user`, writes `config` to its `~/.config/docker/daemon.json` and starts its
    /// rootless daemon with `flags`.
    pub fn start(user: &str, flags: &[&str], config: &str) -> Result<Self, String> {
        if !Path::new(ROOTLESS_SCRIPT).exists() {
            return Err(format!("{ROOTLESS_SCRIPT} is missing (docker.io)"));
        }
        run("useradd", &["--create-home", "--shell", "/bin/sh", user])?;
        let mut daemon = RootlessDaemon {
            child: None,
            user: user.to_string(),
            uid: 0,
            home: format!("/home/{user}"),
            runtime_dir: String::new(),
            endpoint: String::new(),
            socket: String::new(),
            pid: 0,
        };
        let uid = output("id", &["-u", user])?;
        daemon.uid = uid.trim().parse().map_err(|_| format!("id -u {user}: {uid}"))?;
        // Debian's useradd assigns subordinate ids (SUB_UID_* in login.defs); make sure.
        for file in ["/etc/subuid", "/etc/subgid"] {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            if !text.lines().any(|l| l.starts_with(&format!("{user}:"))) {
                let flag = if file.ends_with("uid") {
                    "--add-subuids"
                } else {
                    "--add-subgids"
                };
                run("usermod", &[flag, "300000-365535", user])?;
            }
        }
        daemon.runtime_dir = format!("/run/user/{}", daemon.uid);
        daemon.socket = format!("{}/docker.sock", daemon.runtime_dir);
        daemon.endpoint = format!("unix://{}", daemon.socket);
        std::fs::create_dir_all(&daemon.runtime_dir).map_err(|e| e.to_string())?;
        run("chown", &[&format!("{user}:"), &daemon.runtime_dir])?;
        run("chmod", &["700", &daemon.runtime_dir])?;
        let config_dir = format!("{}/.config/docker", daemon.home);
        std::fs::create_dir_all(&config_dir).map_err(|e| e.to_string())?;
        std::fs::write(format!("{config_dir}/daemon.json"), config).map_err(|e| e.to_string())?;
        run(
            "chown",
            &["-R", &format!("{user}:"), &format!("{}/.config", daemon.home)],
        )?;

        let log_path = PathBuf::from(format!("{}/dockerd.log", daemon.home));
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", user, "--", "env"])
            .arg(format!("HOME={}", daemon.home))
            .arg(format!("XDG_RUNTIME_DIR={}", daemon.runtime_dir))
            .arg("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .args([
                "DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host",
                "DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=none",
                "sh",
                ROOTLESS_SCRIPT,
                "--bridge=none",
                "--iptables=false",
            ])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .process_group(0);
        let child = daemon.child.insert(cmd.spawn().map_err(|e| format!("runuser: {e}"))?);
        wait_for(&daemon.endpoint.clone(), child, &log_path)?;
        daemon.pid = read_pidfile(Path::new(&format!("{}/docker.pid", daemon.runtime_dir))).ok_or("no pidfile")?;
        Ok(daemon)
    }

    /// A command run as the daemon's user, with its runtime directory and `DOCKER_HOST` set.
    pub fn as_user(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", &self.user, "--", "env", "NO_COLOR=1"])
            .arg(format!("HOME={}", self.home))
            .arg(format!("XDG_RUNTIME_DIR={}", self.runtime_dir))
            .arg(format!("DOCKER_HOST={}", self.endpoint))
            .arg(program)
            .args(args);
        cmd
    }
}

impl Drop for RootlessDaemon {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            stop_group(child);
        }
        // Processes of the user we created that outlived the group (e.g. a re-parented
        // containerd), by pid.
        if self.uid != 0 {
            for pid in pids_of_uid(self.uid) {
                let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        let _ = run("userdel", &["--remove", &self.user]);
        if !self.runtime_dir.is_empty() {
            let _ = std::fs::remove_dir_all(&self.runtime_dir);
        }
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// PIDs whose real uid is `uid` (from `/proc/<pid>/status`).
fn pids_of_uid(uid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/status"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("Uid:"))
                        .and_then(|r| r.split_whitespace().next()?.parse::<u32>().ok())
                })
                == Some(uid)
        })
        .collect()
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

fn output(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
