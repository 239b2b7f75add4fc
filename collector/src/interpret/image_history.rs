//! Reading Dockerfile instructions back out of `GET /images/{id}/history`.
//!
//! `CreatedBy` comes in two shapes. The classic builder records RUN as the shell command line
//! (`/bin/sh -c apt-get update`, with `|2 A=1 B=2 ` in front when build args were set) and every
//! other instruction as a no-op (`/bin/sh -c #(nop)  ADD file:… in / `). BuildKit records the
//! instruction itself (`RUN /bin/sh -c …`, `ADD src /dst`) followed by `# buildkit`. Everything
//! here is a heuristic over that text; it never panics on odd input.

use regex::Regex;
use std::sync::OnceLock;

use crate::snapshot::secrets;
/// Credential-like names are judged by the same rule that redacts snapshots.
pub use crate::snapshot::secrets::secret_like;

/// What one history step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    /// A RUN step: the command the shell executed.
    Run(String),
    /// An ADD step: its arguments (options, sources, destination).
    Add(Vec<String>),
    /// Any other instruction (ENV, COPY, CMD, …), by keyword.
    Other(String),
    /// Nothing recognisable (imported images have an empty `CreatedBy`; some base images put a comment there).
    Unknown,
}

impl Instruction {
    /// The destination of an ADD step: the word after `in` (classic) or the last argument (BuildKit).
    pub fn add_destination(&self) -> Option<&str> {
        let Instruction::Add(args) = self else {
            return None;
        };
        match args.iter().position(|a| a == "in") {
            Some(i) => args.get(i + 1).map(String::as_str),
            None => args.last().map(String::as_str),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "ksh",
    "mksh",
    "cmd",
    "powershell",
    "pwsh",
];

/// Parses one step's `CreatedBy`.
pub fn parse(created_by: &str) -> Instruction {
    let mut text = created_by.trim();
    if let Some(t) = text.strip_suffix("# buildkit") {
        text = t.trim_end();
    }
    if let Some((word, rest)) = next_word(text) {
        if KEYWORDS.contains(&word) {
            return instruction(word, rest);
        }
    }
    let body = shell_body(text);
    if let Some(nop) = body.strip_prefix("#(nop)") {
        return match next_word(nop.trim_start()) {
            Some((word, rest)) => instruction(&word.to_ascii_uppercase(), rest),
            None => Instruction::Unknown,
        };
    }
    if body.is_empty() || body.starts_with('#') {
        return Instruction::Unknown;
    }
    Instruction::Run(body.to_string())
}

fn instruction(keyword: &str, rest: &str) -> Instruction {
    match keyword {
        "RUN" => Instruction::Run(shell_body(rest).to_string()),
        "ADD" => Instruction::Add(rest.split_whitespace().map(str::to_string).collect()),
        other => Instruction::Other(other.to_string()),
    }
}

/// The first whitespace-separated word and the text after it (leading whitespace removed).
fn next_word(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Some((&s[..end], s[end..].trim_start()))
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Strips the build-arg prefix (`|2 A=1 B=2`) and the shell invocation (`/bin/sh -c`,
/// `/bin/bash -o pipefail -c`, `cmd /S /C`), leaving the command the shell ran.
fn shell_body(text: &str) -> &str {
    let mut rest = text.trim();
    if let Some(after_bar) = rest.strip_prefix('|') {
        if let Some((count, after)) = next_word(after_bar) {
            if let Ok(n) = count.parse::<usize>() {
                rest = after;
                // The count is outside input: stop when the words run out, not after n steps.
                for _ in 0..n {
                    if rest.is_empty() {
                        break;
                    }
                    rest = next_word(rest).map_or("", |(_, r)| r);
                }
            }
        }
    }
    let Some((first, after_shell)) = next_word(rest) else {
        return rest;
    };
    if !SHELLS.contains(&basename(first).trim_end_matches(".exe")) {
        return rest;
    }
    let mut body = after_shell;
    while let Some((word, after)) = next_word(body) {
        let lower = word.to_ascii_lowercase();
        if lower == "/c" || lower == "-command" || is_sh_command_flag(word) {
            return after;
        }
        if word == "-o" || word == "+o" {
            body = next_word(after).map_or("", |(_, r)| r);
        } else if word.starts_with('-') || word.starts_with('+') || (word.starts_with('/') && word.len() == 2) {
            body = after;
        } else {
            break;
        }
    }
    body
}

/// `-c`, `-ec`, `-xc`: a bundle of single-letter shell flags that includes `c`.
fn is_sh_command_flag(word: &str) -> bool {
    word.strip_prefix('-')
        .is_some_and(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphabetic()) && f.contains('c'))
}

/// What a single shell command does with a package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageAction {
    /// Refreshes the package index only (`apt-get update`, `apk update`, `zypper refresh`, `yum makecache`).
    RefreshIndex,
    /// Installs or upgrades packages.
    Install,
}

/// Splits a shell command line into simple commands at `&&`, `||`, `;`, `|`, `&` and newlines.
pub fn split_commands(cmd: &str) -> Vec<&str> {
    cmd.split(['\n', ';', '|', '&'])
        .map(|s| s.trim().trim_end_matches('\\').trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Words that may precede the actual program in a simple command.
const PREFIXES: &[&str] = &[
    "sudo", "env", "exec", "nohup", "time", "nice", "command", "then", "do", "else", "!",
];

/// The package-manager action of one simple command, if it is one.
pub fn package_action(command: &str) -> Option<PackageAction> {
    let mut words = command.split_whitespace().map(|w| w.trim_start_matches(['(', '{']));
    let program = loop {
        let w = words.next()?;
        if w.is_empty() || PREFIXES.contains(&w) || is_assignment(w) {
            continue;
        }
        break basename(w);
    };
    let apt_like = matches!(program, "apt-get" | "apt" | "aptitude");
    let mut subcommand = None;
    while let Some(w) = words.next() {
        if apt_like && matches!(w, "-o" | "-c" | "-t") {
            words.next();
        } else if !w.starts_with('-') {
            subcommand = Some(w);
            break;
        }
    }
    let sub = subcommand?;
    use PackageAction::*;
    match program {
        "apt-get" | "apt" | "aptitude" => match sub {
            "update" => Some(RefreshIndex),
            "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "reinstall" | "build-dep" | "safe-upgrade" => {
                Some(Install)
            }
            _ => None,
        },
        // On yum and dnf, `update` is a synonym of `upgrade`: it installs packages.
        "yum" | "dnf" | "microdnf" | "tdnf" => match sub {
            "makecache" => Some(RefreshIndex),
            "install" | "update" | "upgrade" | "reinstall" | "groupinstall" | "localinstall" | "distro-sync"
            | "update-minimal" | "upgrade-minimal" => Some(Install),
            _ => None,
        },
        "apk" => match sub {
            "update" => Some(RefreshIndex),
            "add" | "upgrade" | "fix" => Some(Install),
            _ => None,
        },
        "zypper" => match sub {
            "refresh" | "ref" => Some(RefreshIndex),
            "install" | "in" | "update" | "up" | "dist-upgrade" | "dup" | "patch" => Some(Install),
            _ => None,
        },
        _ => None,
    }
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The first index refresh in a RUN command that no install or upgrade follows, if any.
pub fn lone_index_refresh(cmd: &str) -> Option<String> {
    let commands = split_commands(cmd);
    let actions: Vec<Option<PackageAction>> = commands.iter().map(|c| package_action(c)).collect();
    actions.iter().enumerate().find_map(|(i, a)| {
        let refresh = *a == Some(PackageAction::RefreshIndex);
        let installs_later = actions[i + 1..].contains(&Some(PackageAction::Install));
        (refresh && !installs_later).then(|| commands[i].to_string())
    })
}

/// Commands of a RUN step that install or upgrade packages.
pub fn install_commands(cmd: &str) -> Vec<String> {
    split_commands(cmd)
        .into_iter()
        .filter(|c| package_action(c) == Some(PackageAction::Install))
        .map(|c| clip(&redact(c), 160))
        .collect()
}

/// Options and idioms that switch off package or download verification.
const UNVERIFIED: &[&str] = &[
    "--allow-unauthenticated",
    "--allow-insecure-repositories",
    "--allow-downgrades",
    "--force-yes",
    "AllowUnauthenticated",
    "trusted=yes",
    "--nogpgcheck",
    "gpgcheck=0",
    "gpgcheck=false",
    "sslverify=0",
    "sslverify=false",
    "--no-gpg-checks",
    "--allow-untrusted",
    "--no-check-certificate",
    "--insecure",
    "--trusted-host",
];

/// Verification-disabling markers in a step's text, plus `curl … | sh` style installs.
pub fn unverified_markers(created_by: &str) -> Vec<String> {
    let mut found: Vec<String> = UNVERIFIED
        .iter()
        .filter(|m| created_by.contains(*m))
        .map(|m| m.to_string())
        .collect();
    if pipe_to_shell_re().is_some_and(|re| re.is_match(created_by)) {
        found.push("download piped into a shell".into());
    }
    found
}

fn pipe_to_shell_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(/\S*/)?(ba|z|da|k)?sh\b").ok())
        .as_ref()
}

fn assignment_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?:^|[\s|;&(])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)=").ok())
        .as_ref()
}

/// Names assigned in a step (`ENV A=…`, `|1 TOKEN=…`, `--password=…`), in order, without values.
pub fn assigned_names(created_by: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(re) = assignment_re() else {
        return out;
    };
    for cap in re.captures_iter(created_by) {
        if let Some(m) = cap.get(1) {
            let name = m.as_str().to_string();
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// A step's text for evidence: credential-like values hidden, clipped to 200 characters.
pub fn display_step(created_by: &str) -> String {
    clip(&redact(created_by), 200)
}

/// The text with every credential in it replaced by `***` (see [`crate::snapshot::secrets`]).
///
/// Snapshots are redacted already; this keeps evidence safe when a step's text comes from
/// anywhere else.
pub fn redact(created_by: &str) -> String {
    secrets::redact(created_by)
}

/// Whitespace collapsed and cut to `max` characters, for evidence.
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_build_arg_count_ends_with_the_text() {
        // Found by fuzzing: `|n` is a count of build-arg words, taken from the image's history.
        let step = "|18446744073709551615 /bin/sh -c true";
        assert_eq!(shell_body(step), "");
        let _ = parse(step); // finishes at once instead of counting to 2^64
    }

    #[test]
    fn parses_classic_and_buildkit_steps() {
        let cases: &[(&str, Instruction)] = &[
            ("/bin/sh -c apt-get update", Instruction::Run("apt-get update".into())),
            (
                "|2 A=1 B=2 /bin/sh -c make install",
                Instruction::Run("make install".into()),
            ),
            (
                "/bin/bash -o pipefail -c curl x | tar x",
                Instruction::Run("curl x | tar x".into()),
            ),
            (
                "RUN /bin/sh -c apk add curl # buildkit",
                Instruction::Run("apk add curl".into()),
            ),
            (
                "RUN |1 TOKEN=x /bin/sh -c echo hi # buildkit",
                Instruction::Run("echo hi".into()),
            ),
            (
                "/bin/sh -c #(nop) ADD file:abc123 in / ",
                Instruction::Add(vec!["file:abc123".into(), "in".into(), "/".into()]),
            ),
            (
                "ADD app.tar.gz /srv # buildkit",
                Instruction::Add(vec!["app.tar.gz".into(), "/srv".into()]),
            ),
            ("/bin/sh -c #(nop)  CMD [\"sh\"]", Instruction::Other("CMD".into())),
            ("ENV PATH=/usr/bin # buildkit", Instruction::Other("ENV".into())),
            ("COPY . /app # buildkit", Instruction::Other("COPY".into())),
            ("", Instruction::Unknown),
            ("# debian.sh --arch 'amd64' out/ 'bookworm'", Instruction::Unknown),
            ("apt-get update", Instruction::Run("apt-get update".into())),
        ];
        for (text, want) in cases {
            assert_eq!(&parse(text), want, "{text}");
        }
        assert_eq!(
            parse("/bin/sh -c #(nop) ADD file:abc in / ").add_destination(),
            Some("/")
        );
        assert_eq!(
            parse("ADD --chown=1 a b /dst # buildkit").add_destination(),
            Some("/dst")
        );
    }

    #[test]
    fn lone_index_refresh_needs_a_later_install() {
        let flagged = [
            "apt-get update",
            "apt-get -y update",
            "apt update; echo done",
            "apk update",
            "zypper --non-interactive refresh",
            "yum makecache",
            "apt-get install -y curl && apt-get update",
            "DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 update",
            "set -eux; \\\n apt-get update",
        ];
        for cmd in flagged {
            assert!(lone_index_refresh(cmd).is_some(), "{cmd}");
        }
        let fine = [
            "apt-get update && apt-get install -y curl",
            "apt-get update\n apt-get install -y curl",
            "apt-get update && apt-get -y upgrade",
            "apk update && apk add curl",
            "update-ca-certificates",
            "yum -y update && yum clean all",
            "dnf update -y",
            "zypper ref && zypper in -y curl",
            "pip install --upgrade pip",
            "echo update",
        ];
        for cmd in fine {
            assert_eq!(lone_index_refresh(cmd), None, "{cmd}");
        }
    }

    #[test]
    fn assigned_names_never_include_values() {
        let names = assigned_names("|2 API_TOKEN=s3cr3t X=1 /bin/sh -c mysql --password=hunter2 -e 'a=b'");
        assert_eq!(names, vec!["API_TOKEN", "X", "--password"]);
    }

    #[test]
    fn unverified_markers_and_pipe_to_shell() {
        assert_eq!(
            unverified_markers("apt-get install -y --allow-unauthenticated x"),
            vec!["--allow-unauthenticated"]
        );
        assert_eq!(
            unverified_markers("curl -fsSL https://x/install.sh | bash"),
            vec!["download piped into a shell"]
        );
        assert!(unverified_markers("curl -fsSLO https://x/a.tgz && sha256sum -c a.sha").is_empty());
    }

    #[test]
    fn display_step_hides_credential_values() {
        let shown = display_step("|2 API_TOKEN=s3cr3t MODE=fast /bin/sh -c mysql --password=hunter2 db");
        assert!(!shown.contains("s3cr3t") && !shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("MODE=fast") && shown.contains("API_TOKEN=***"),
            "{shown}"
        );
    }

    #[test]
    fn clip_is_char_safe() {
        assert_eq!(clip("ä  b\n c", 10), "ä b c");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
