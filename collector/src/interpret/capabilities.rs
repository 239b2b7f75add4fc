//! Linux capability names as Docker accepts them, and the set Docker grants by default.
//!
//! Docker accepts `SYS_ADMIN`, `sys_admin` and `CAP_SYS_ADMIN` alike, so names are compared only
//! after [`normalize`].

/// Capabilities a non-privileged container gets without any `--cap-add` (Docker's default set).
pub const DOCKER_DEFAULT: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Upper case without the `CAP_` prefix: `cap_sys_admin` → `SYS_ADMIN`.
pub fn normalize(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// Whether Docker grants the capability by default.
pub fn is_default(name: &str) -> bool {
    DOCKER_DEFAULT.contains(&normalize(name).as_str())
}

/// Added capabilities that widen the default set: `ALL` or any non-default name, normalized and
/// deduplicated, in the order given.
pub fn beyond_default(cap_add: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cap in cap_add.iter().map(|c| normalize(c)).filter(|c| !c.is_empty()) {
        if !DOCKER_DEFAULT.contains(&cap.as_str()) && !out.contains(&cap) {
            out.push(cap);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized_before_comparison() {
        for name in ["chown", "CAP_CHOWN", "cap_chown", " Chown "] {
            assert!(is_default(name), "{name}");
        }
        assert!(!is_default("cap_sys_admin"));
        assert_eq!(normalize("cap_net_admin"), "NET_ADMIN");
    }

    #[test]
    fn beyond_default_keeps_all_and_unknown_names_once() {
        let add: Vec<String> = ["CAP_NET_RAW", "all", "sys_admin", "CAP_SYS_ADMIN", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(beyond_default(&add), vec!["ALL".to_string(), "SYS_ADMIN".to_string()]);
        assert!(beyond_default(&["KILL".to_string()]).is_empty());
    }
}
