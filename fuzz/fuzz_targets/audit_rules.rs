//! Audit rules as `auditctl -l` or the rules files print them:
//! `dockaudit::interpret::audit_rules::parse_line` on every line and `parse_all` on the whole text,
//! then matched against a file as check 1.1.x does.
//!
//! Besides not panicking: `parse_all` is `parse_line` over every line, each rule keeps its line
//! trimmed, and rule paths are normalised (no trailing `/` except the root itself).
#![no_main]

use dockaudit::interpret::audit_rules::{covers, near_misses, normalize, parse_all, parse_line, spellings};
use dockaudit::snapshot::{FileStat, HostFacts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let single: Vec<_> = lines.iter().flat_map(|l| parse_line(l)).collect();
    let rules = parse_all(&lines);
    assert_eq!(rules, single);
    for rule in &rules {
        assert_eq!(rule.text, rule.text.trim());
        assert!(rule.path == "/" || !rule.path.ends_with('/'), "{:?}", rule.path);
        assert_eq!(normalize(&rule.path), rule.path);
    }
    let host = HostFacts::default();
    let stat = FileStat {
        path: "/usr/bin/dockerd".into(),
        ..FileStat::default()
    };
    for rule in &rules {
        let _ = covers(rule, &stat, &host);
    }
    let _ = near_misses(&rules, &stat, &host);
    let _ = spellings(&stat);
    for line in &lines {
        let _ = normalize(line);
    }
});
