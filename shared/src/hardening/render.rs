//! A proposal written as a `docker run` line or a Compose override: pure text, the same bytes in
//! the CLI and the viewer.
//!
//! Every value comes from the audited host (container names, image references, paths, variable
//! names, reasons) and is treated as hostile: shell words are single-quoted unless they consist
//! of characters no shell interprets, YAML scalars are double-quoted with escapes, and comment
//! text loses every character that could end the comment (newlines, other control and
//! line-separator characters). Environment variables appear by name only (`-e NAME`).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::proposal::{ComposeService, MountSpec, Proposal};

/// `s` as one shell word: unchanged when it holds only characters no shell treats specially,
/// else in single quotes (a `'` inside becomes `'\''`). A word holding characters a terminal
/// acts on or hides (controls, line separators, bidirectional and zero-width marks) is written
/// in ANSI-C quotes (`$'…'`, bash, zsh, ksh and POSIX.1-2024 sh) with those characters escaped,
/// so the printed command shows exactly what it runs.
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:,=+@%^".contains(c);
    // A leading `=` or `~` can be special (zsh's `=cmd`, tilde expansion): quote those too.
    if !s.is_empty() && s.chars().all(plain) && !s.starts_with(['=', '~']) {
        return Cow::Borrowed(s);
    }
    if !s.chars().any(is_invisible) {
        return Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")));
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x80 && is_invisible(c) => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if is_invisible(c) && u32::from(c) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if is_invisible(c) => {
                let _ = write!(out, "\\U{:08x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    Cow::Owned(out)
}

/// Characters a terminal acts on or does not show: controls, line and paragraph separators, and
/// the format characters that reorder or hide text (bidirectional marks and overrides, zero-width
/// characters, the byte-order mark, soft hyphen, tag characters).
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            u32::from(c),
            0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f | 0x2028..=0x202e
                | 0x2060..=0x206f | 0xfeff | 0xfff9..=0xfffb | 0xe0000..=0xe007f
        )
}

/// Text safe inside a one-line comment (shell `#` or YAML `#`): every character a terminal acts
/// on or hides, newlines included, becomes a space.
pub fn comment_text(s: &str) -> String {
    s.chars().map(|c| if is_invisible(c) { ' ' } else { c }).collect()
}

/// `s` as a YAML double-quoted scalar (valid YAML 1.1 and 1.2).
pub fn yaml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_invisible(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A byte count as Docker's `--memory` reads it: whole mebibytes (`64m`) or gibibytes (`2g`),
/// rounded up so the limit is never below `bytes`.
pub fn memory_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let mib = bytes.div_ceil(MIB).max(1);
    if mib % 1024 == 0 {
        format!("{}g", mib / 1024)
    } else {
        format!("{mib}m")
    }
}

/// A `--mount` value: Docker parses it as one CSV record, so a field holding a comma or a quote
/// is wrapped in double quotes (inner quotes doubled).
pub fn mount_value(m: &MountSpec) -> String {
    let field = |k: &str, v: &str| {
        let kv = format!("{k}={v}");
        if kv.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", kv.replace('"', "\"\""))
        } else {
            kv
        }
    };
    let mut parts = vec![field("type", &m.kind)];
    if !m.source.is_empty() {
        parts.push(field("source", &m.source));
    }
    parts.push(field("target", &m.target));
    if m.read_only {
        parts.push("readonly".to_string());
    }
    parts.join(",")
}

/// One line of a proposal for people: the flag (or what is not proposed) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub flag: String,
    pub reason: String,
    pub kind: RowKind,
}

/// What a [`Row`] says, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A flag to add.
    Add,
    /// A flag that is not proposed, or a capability found not needed.
    Keep,
    /// A setting of the current container to take away.
    Remove,
    /// A data path that needs a volume.
    Volume,
}

/// The proposal as flag/reason rows, in the order of the `docker run` line (the CLI's text and
/// the viewer's table show the same rows).
pub fn rows(p: &Proposal) -> Vec<Row> {
    let mut out = Vec::new();
    let mut row = |flag: String, reason: &str, kind: RowKind| {
        out.push(Row {
            flag,
            reason: reason.to_string(),
            kind,
        })
    };
    if p.read_only.enabled {
        row("--read-only".into(), &p.read_only.reason, RowKind::Add);
    } else {
        row(
            "(root filesystem stays writable)".into(),
            &p.read_only.reason,
            RowKind::Keep,
        );
    }
    for t in &p.tmpfs {
        row(format!("--tmpfs {}", t.path), &t.reason, RowKind::Add);
    }
    for v in &p.volumes {
        row(format!("needs a volume: {}", v.path), &v.reason, RowKind::Volume);
    }
    if p.capabilities.drop_all {
        row(
            "--cap-drop ALL".into(),
            "start from no capability; add back only what is used",
            RowKind::Add,
        );
    }
    for c in &p.capabilities.add {
        row(format!("--cap-add {}", c.name), &c.reason, RowKind::Add);
    }
    for c in &p.capabilities.not_needed {
        row(format!("not needed: {}", c.name), &c.reason, RowKind::Keep);
    }
    if p.no_new_privileges.enabled {
        row(
            "--security-opt no-new-privileges".into(),
            &p.no_new_privileges.reason,
            RowKind::Add,
        );
    } else {
        row(
            "(no no-new-privileges)".into(),
            &p.no_new_privileges.reason,
            RowKind::Keep,
        );
    }
    match &p.user.user {
        Some(u) => row(format!("--user {u}"), &p.user.reason, RowKind::Add),
        None => row("(no --user)".into(), &p.user.reason, RowKind::Keep),
    }
    match p.memory.value {
        Some(v) => row(format!("--memory {}", memory_size(v)), &p.memory.reason, RowKind::Add),
        None => row("(no --memory)".into(), &p.memory.reason, RowKind::Keep),
    }
    match p.pids_limit.value {
        Some(v) => row(format!("--pids-limit {v}"), &p.pids_limit.reason, RowKind::Add),
        None => row("(no --pids-limit)".into(), &p.pids_limit.reason, RowKind::Keep),
    }
    for r in &p.removals {
        row(format!("remove {}", r.setting), &r.reason, RowKind::Remove);
    }
    out
}

/// The hardened container as one `docker run` command, flags grouped one group per line. Lines
/// starting with `#` before it say what the command cannot carry (data paths, gaps).
pub fn docker_run(p: &Proposal) -> String {
    let q = |s: &str| shell_quote(s).into_owned();
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut head = vec!["docker".to_string(), "run".to_string(), "-d".to_string()];
    if !p.container.name.is_empty() {
        head.push("--name".into());
        head.push(q(&p.container.name));
    }
    groups.push(head);
    if p.read_only.enabled {
        groups.push(vec!["--read-only".into()]);
    }
    if !p.tmpfs.is_empty() {
        groups.push(p.tmpfs.iter().flat_map(|t| ["--tmpfs".into(), q(&t.path)]).collect());
    }
    if p.capabilities.drop_all {
        let mut caps = vec!["--cap-drop".to_string(), "ALL".to_string()];
        for c in &p.capabilities.add {
            caps.push("--cap-add".into());
            caps.push(q(&c.name));
        }
        groups.push(caps);
    }
    if p.no_new_privileges.enabled {
        groups.push(vec!["--security-opt".into(), "no-new-privileges".into()]);
    }
    if let Some(user) = &p.user.user {
        groups.push(vec!["--user".into(), q(user)]);
    }
    let mut limits = Vec::new();
    if let Some(bytes) = p.memory.value {
        limits.extend(["--memory".to_string(), memory_size(bytes)]);
    }
    if let Some(n) = p.pids_limit.value {
        limits.extend(["--pids-limit".to_string(), n.to_string()]);
    }
    if !limits.is_empty() {
        groups.push(limits);
    }
    if !p.run.env_names.is_empty() {
        groups.push(p.run.env_names.iter().flat_map(|n| ["-e".into(), q(n)]).collect());
    }
    if !p.run.publish.is_empty() {
        groups.push(p.run.publish.iter().flat_map(|n| ["-p".into(), q(n)]).collect());
    }
    // A data path gets an anonymous volume so the line runs as it is; the comment above it asks
    // for a named one holding the current data.
    let data: Vec<MountSpec> = p
        .volumes
        .iter()
        .map(|v| MountSpec {
            kind: "volume".into(),
            source: String::new(),
            target: v.path.clone(),
            read_only: false,
        })
        .collect();
    let mounts: Vec<String> = p
        .run
        .mounts
        .iter()
        .chain(&data)
        .flat_map(|m| ["--mount".into(), q(&mount_value(m))])
        .collect();
    if !mounts.is_empty() {
        groups.push(mounts);
    }
    if !p.run.devices.is_empty() {
        groups.push(p.run.devices.iter().flat_map(|d| ["--device".into(), q(d)]).collect());
    }
    let mut rest = Vec::new();
    if let Some(net) = &p.run.network {
        rest.extend(["--network".to_string(), q(net)]);
    }
    if let Some(restart) = &p.run.restart {
        rest.extend(["--restart".to_string(), q(restart)]);
    }
    let (entry, entry_args) = match &p.run.entrypoint {
        Some(e) if !e.is_empty() => (Some(&e[0]), &e[1..]),
        _ => (None, &[][..]),
    };
    if let Some(e) = entry {
        rest.extend(["--entrypoint".to_string(), q(e)]);
    }
    if !rest.is_empty() {
        groups.push(rest);
    }
    let mut tail = vec![q(&p.run.image)];
    tail.extend(entry_args.iter().chain(&p.run.command).map(|a| q(a)));
    groups.push(tail);

    let mut out = String::new();
    for v in &p.volumes {
        let _ = writeln!(
            out,
            "# {} needs a volume: {} (name the volume and copy the current data into it)",
            comment_text(&v.path),
            comment_text(&v.reason)
        );
    }
    if let Some(why) = &p.capabilities.incomplete {
        let _ = writeln!(out, "# capabilities may be incomplete: {}", comment_text(why));
    }
    if p.run
        .command
        .iter()
        .chain(p.run.entrypoint.iter().flatten())
        .any(|a| a.contains("***"))
    {
        out.push_str("# the command held credentials, shown as ***: put them back before running\n");
    }
    let lines: Vec<String> = groups.into_iter().map(|g| g.join(" ")).collect();
    out.push_str(&lines.join(" \\\n  "));
    out.push('\n');
    out
}

/// A Compose override file for a Compose-managed container, keyed by its service name; `None`
/// for containers Compose did not start. Settings an override cannot take away (a host network,
/// a Docker socket mount) are listed as comments to remove from the main file.
pub fn compose_override(p: &Proposal) -> Option<String> {
    compose_file(&[p])
}

/// One Compose override file for several services (those of `proposals` that Compose started,
/// in the given order); `None` when none is Compose-managed.
pub fn compose_file(proposals: &[&Proposal]) -> Option<String> {
    let managed: Vec<(&Proposal, &ComposeService)> = proposals
        .iter()
        .filter_map(|p| p.compose.as_ref().map(|c| (*p, c)))
        .collect();
    if managed.is_empty() {
        return None;
    }
    let mut out = String::new();
    for (p, compose) in &managed {
        let _ = writeln!(
            out,
            "# dockaudit harden: least privilege for service {} of project {}",
            comment_text(&compose.service),
            comment_text(&compose.project)
        );
        for r in &p.removals {
            let _ = writeln!(
                out,
                "# remove from the service: {} ({})",
                comment_text(&r.setting),
                comment_text(&r.reason)
            );
        }
        for v in &p.volumes {
            let _ = writeln!(
                out,
                "# {} needs a volume: {}",
                comment_text(&v.path),
                comment_text(&v.reason)
            );
        }
        if let Some(why) = &p.capabilities.incomplete {
            let _ = writeln!(out, "# capabilities may be incomplete: {}", comment_text(why));
        }
    }
    out.push_str("# use: docker compose -f compose.yaml -f THIS_FILE up -d\n");
    out.push_str("services:\n");
    for (p, compose) in &managed {
        service(&mut out, p, compose);
    }
    Some(out)
}

fn service(out: &mut String, p: &Proposal, compose: &ComposeService) {
    let _ = writeln!(out, "  {}:", yaml_string(&compose.service));
    if p.read_only.enabled {
        out.push_str("    read_only: true\n");
    }
    if !p.tmpfs.is_empty() {
        out.push_str("    tmpfs:\n");
        for t in &p.tmpfs {
            let _ = writeln!(out, "      - {}  # {}", yaml_string(&t.path), comment_text(&t.reason));
        }
    }
    if p.capabilities.drop_all {
        out.push_str("    cap_drop:\n      - ALL\n");
        if !p.capabilities.add.is_empty() {
            out.push_str("    cap_add:\n");
            for c in &p.capabilities.add {
                let _ = writeln!(out, "      - {}  # {}", yaml_string(&c.name), comment_text(&c.reason));
            }
        }
    }
    if p.no_new_privileges.enabled {
        out.push_str("    security_opt:\n      - \"no-new-privileges:true\"\n");
    }
    if let Some(user) = &p.user.user {
        let _ = writeln!(out, "    user: {}", yaml_string(user));
    }
    if let Some(bytes) = p.memory.value {
        let _ = writeln!(out, "    mem_limit: {}", yaml_string(&memory_size(bytes)));
    }
    if let Some(n) = p.pids_limit.value {
        let _ = writeln!(out, "    pids_limit: {n}");
    }
    if p.removals.iter().any(|r| r.setting == "--privileged") {
        out.push_str("    privileged: false\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardening::proposal::*;
    use crate::report::{Target, TargetKind};

    fn sample() -> Proposal {
        Proposal {
            container: Target::new(TargetKind::Container, "abc", "web"),
            run: RunSpec {
                image: "busybox:latest".into(),
                command: vec!["sh".into(), "-c".into(), "echo $HOME; sleep 1d".into()],
                env_names: vec!["PATH".into(), "API_TOKEN".into()],
                publish: vec!["127.0.0.1:8080:80/tcp".into()],
                ..RunSpec::default()
            },
            compose: Some(ComposeService {
                project: "demo".into(),
                service: "web".into(),
            }),
            read_only: Flag {
                enabled: true,
                reason: "writes only to ephemeral paths".into(),
            },
            tmpfs: vec![
                PathChoice {
                    path: "/run".into(),
                    reason: "A /run/web.pid".into(),
                },
                PathChoice {
                    path: "/tmp".into(),
                    reason: "A /tmp/cache".into(),
                },
            ],
            capabilities: Capabilities {
                drop_all: true,
                add: vec![CapabilityGrant {
                    name: "CHOWN".into(),
                    reason: "root changed owners".into(),
                }],
                ..Capabilities::default()
            },
            no_new_privileges: Flag {
                enabled: true,
                reason: "no setuid executables".into(),
            },
            user: UserChoice {
                user: Some("1000:1000".into()),
                reason: "runs as 1000".into(),
            },
            memory: Limit {
                value: Some(64 * 1024 * 1024),
                observed: Some(1 << 20),
                reason: "peak 1 MiB".into(),
            },
            pids_limit: Limit {
                value: Some(33),
                observed: Some(1),
                reason: "1 process".into(),
            },
            removals: vec![Removal {
                setting: "--privileged".into(),
                reason: "no device or capability beyond the list is used".into(),
            }],
            volumes: vec![],
            gaps: vec![],
        }
    }

    #[test]
    fn shell_words_are_quoted_unless_plain() {
        assert_eq!(shell_quote("busybox:1.36"), "busybox:1.36");
        assert_eq!(shell_quote("/run"), "/run");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(shell_quote("`id`;x&y|z>w"), "'`id`;x&y|z>w'");
        assert_eq!(shell_quote("~root"), "'~root'");
        assert_eq!(shell_quote("line\nbreak"), "$'line\\nbreak'");
        assert_eq!(shell_quote("a'\u{1b}[31m\u{202e}"), "$'a\\'\\x1b[31m\\u202e'");
        assert_eq!(shell_quote("*"), "'*'");
        assert_eq!(shell_quote("ünï"), "'ünï'");
    }

    /// Splits a rendered command the way a POSIX shell would (single quotes and backslash-newline
    /// only, which is all the renderer writes), to prove each hostile value stays one word.
    fn shell_words(cmd: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut in_word = false;
        let mut chars = cmd.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    in_word = true;
                    for d in chars.by_ref() {
                        if d == '\'' {
                            break;
                        }
                        cur.push(d);
                    }
                }
                '$' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    in_word = true;
                    while let Some(d) = chars.next() {
                        match d {
                            '\'' => break,
                            '\\' => match chars.next() {
                                Some('n') => cur.push('\n'),
                                Some('t') => cur.push('\t'),
                                Some('r') => cur.push('\r'),
                                Some(e @ ('x' | 'u' | 'U')) => {
                                    let len = match e {
                                        'x' => 2,
                                        'u' => 4,
                                        _ => 8,
                                    };
                                    let hex: String = chars.by_ref().take(len).collect();
                                    cur.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                                }
                                Some(other) => cur.push(other),
                                None => {}
                            },
                            d => cur.push(d),
                        }
                    }
                }
                '\\' => match chars.next() {
                    Some('\n') => {}
                    Some(d) => {
                        in_word = true;
                        cur.push(d);
                    }
                    None => {}
                },
                c if c.is_whitespace() => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                c => {
                    assert!(!"$`;&|<>()\"*?[]#~{}".contains(c), "unquoted special {c:?} in {cmd}");
                    in_word = true;
                    cur.push(c);
                }
            }
        }
        if in_word {
            words.push(cur);
        }
        words
    }

    #[test]
    fn docker_run_line_holds_every_flag_and_no_env_value() {
        let line = docker_run(&sample());
        let words = shell_words(&line);
        let expected = [
            "docker",
            "run",
            "-d",
            "--name",
            "web",
            "--read-only",
            "--tmpfs",
            "/run",
            "--tmpfs",
            "/tmp",
            "--cap-drop",
            "ALL",
            "--cap-add",
            "CHOWN",
            "--security-opt",
            "no-new-privileges",
            "--user",
            "1000:1000",
            "--memory",
            "64m",
            "--pids-limit",
            "33",
            "-e",
            "PATH",
            "-e",
            "API_TOKEN",
            "-p",
            "127.0.0.1:8080:80/tcp",
            "busybox:latest",
            "sh",
            "-c",
            "echo $HOME; sleep 1d",
        ];
        assert_eq!(words, expected, "{line}");
        assert!(!line.contains('='), "no NAME=value: {line}");
    }

    #[test]
    fn hostile_names_stay_single_words() {
        let mut p = sample();
        p.container.name = "x'; rm -rf / #".into();
        p.run.env_names = vec![
            "A B".into(),
            "$(id)".into(),
            "X'\nY".into(),
            "\u{1b}]0;pwned\u{7}".into(),
        ];
        p.run.image = "img`id`".into();
        p.tmpfs[0].path = "/run/a b".into();
        p.run.entrypoint = Some(vec!["/bin/sh".into(), "-c".into()]);
        p.run.command = vec!["echo 'hi'".into()];
        p.run.mounts = vec![MountSpec {
            kind: "bind".into(),
            source: "/srv/a,b\"c".into(),
            target: "/data x".into(),
            read_only: true,
        }];
        let line = docker_run(&p);
        let words = shell_words(&line);
        let at = |flag: &str, nth: usize| {
            let positions: Vec<usize> = words
                .iter()
                .enumerate()
                .filter(|(_, w)| *w == flag)
                .map(|(i, _)| i)
                .collect();
            words[positions[nth] + 1].clone()
        };
        assert_eq!(at("--name", 0), "x'; rm -rf / #");
        assert_eq!(at("-e", 0), "A B");
        assert_eq!(at("-e", 1), "$(id)");
        assert_eq!(at("-e", 2), "X'\nY");
        assert_eq!(at("-e", 3), "\u{1b}]0;pwned\u{7}");
        // Printed, the command shows what it runs: no character a terminal acts on or hides.
        assert!(!line.chars().any(|c| c != '\n' && is_invisible(c)), "{line:?}");
        assert_eq!(at("--tmpfs", 0), "/run/a b");
        assert_eq!(at("--entrypoint", 0), "/bin/sh");
        assert_eq!(
            at("--mount", 0),
            "type=bind,\"source=/srv/a,b\"\"c\",target=/data x,readonly"
        );
        let image_at = words.iter().position(|w| w == "img`id`").expect("image is one word");
        assert_eq!(&words[image_at + 1..], ["-c", "echo 'hi'"]);
    }

    #[test]
    fn comments_cannot_be_escaped() {
        let mut p = sample();
        p.volumes = vec![PathChoice {
            path: "/data\ndocker rm -f everything".into(),
            reason: "A /data/x\u{2028}evil".into(),
        }];
        p.capabilities.incomplete = Some("no /proc\r\nrm -rf /".into());
        let line = docker_run(&p);
        for l in line.lines() {
            assert!(
                l.starts_with('#') || l.starts_with("docker run") || l.starts_with("  "),
                "a line escaped its comment: {l:?}"
            );
        }
        assert!(line.contains("# /data docker rm -f everything needs a volume"));
        let yaml = compose_override(&p).unwrap();
        assert!(
            !yaml.lines().any(|l| l.starts_with("docker") || l.starts_with("rm")),
            "{yaml}"
        );
    }

    #[test]
    fn compose_override_is_keyed_by_service_and_quoted() {
        let mut p = sample();
        let yaml = compose_override(&p).unwrap();
        let expected = "\
# dockaudit harden: least privilege for service web of project demo
# remove from the service: --privileged (no device or capability beyond the list is used)
# use: docker compose -f compose.yaml -f THIS_FILE up -d
services:
  \"web\":
    read_only: true
    tmpfs:
      - \"/run\"  # A /run/web.pid
      - \"/tmp\"  # A /tmp/cache
    cap_drop:
      - ALL
    cap_add:
      - \"CHOWN\"  # root changed owners
    security_opt:
      - \"no-new-privileges:true\"
    user: \"1000:1000\"
    mem_limit: \"64m\"
    pids_limit: 33
    privileged: false
";
        assert_eq!(yaml, expected);
        p.compose.as_mut().unwrap().service = "a\"b\\c\nd: e".into();
        let yaml = compose_override(&p).unwrap();
        assert!(yaml.contains("  \"a\\\"b\\\\c\\nd: e\":\n"), "{yaml}");
        p.compose = None;
        assert_eq!(compose_override(&p), None);
    }

    #[test]
    fn memory_sizes_round_up() {
        assert_eq!(memory_size(1), "1m");
        assert_eq!(memory_size(64 * 1024 * 1024), "64m");
        assert_eq!(memory_size(64 * 1024 * 1024 + 1), "65m");
        assert_eq!(memory_size(2 * 1024 * 1024 * 1024), "2g");
        assert_eq!(memory_size(0), "1m");
    }

    #[test]
    fn yaml_strings_escape_breaks_and_separators() {
        assert_eq!(yaml_string("a"), "\"a\"");
        assert_eq!(yaml_string("x\u{2028}y\u{7}"), "\"x\\u2028y\\u0007\"");
        assert_eq!(comment_text("a\nb\u{85}c"), "a b c");
    }
}
