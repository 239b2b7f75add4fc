//! The collector's layering, checked from its source: data flows one way.
//!
//! `facts` (the only I/O) → `snapshot` ← `interpret` ← `checks`: checks and interpretations never
//! reach for I/O, the snapshot depends on nothing around it, and no module of `collector/src`
//! is part of an import cycle. References are read from the code itself (`crate::…`, `super::…`
//! in `use` declarations and in paths), so a new import that breaks the rule fails this test.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file's module path, e.g. `checks::s5::mounts` for `src/checks/s5/mounts.rs`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code without comments (doc links are not imports) and without string literals.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let mut in_str = false;
        let mut prev = '\0';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = if prev == '\\' { '\0' } else { c };
        }
        out.push('\n');
    }
    out
}

/// Every module path a file refers to through `crate::` or `super::`, resolved to absolute
/// module paths (as far as the path's identifiers go; callers match by prefix).
fn references(module: &[String], is_mod_file: bool, code: &str) -> BTreeSet<Vec<String>> {
    let mut refs = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !ident(bytes[i - 1]) && bytes[i - 1] != ':';
        let rest: String = bytes[i..bytes.len().min(i + 6)].iter().collect();
        let (mut base, skip) = if starts_word && rest.starts_with("crate:") {
            (Vec::new(), 5)
        } else if starts_word && rest.starts_with("super:") {
            // `super` of a mod.rs file is its parent; of a leaf file, the directory's module.
            let mut b = module.to_vec();
            if is_mod_file || !b.is_empty() {
                b.pop();
            }
            (b, 5)
        } else {
            i += 1;
            continue;
        };
        i += skip;
        // Follow `::segment` (more `super`s climb) and `::{a::b, c}` groups one level deep.
        loop {
            let tail: String = bytes[i..bytes.len().min(i + 2)].iter().collect();
            if tail != "::" {
                break;
            }
            i += 2;
            if i < bytes.len() && bytes[i] == '{' {
                let close = bytes[i..].iter().position(|&c| c == '}').map_or(bytes.len(), |p| i + p);
                let group: String = bytes[i + 1..close].iter().collect();
                for item in group.split(',') {
                    let first: String = item.trim().chars().take_while(|&c| ident(c)).collect();
                    if !first.is_empty() && first != "self" {
                        let mut r = base.clone();
                        r.push(first);
                        refs.insert(r);
                    }
                }
                i = close;
                base.clear();
                break;
            }
            let seg: String = bytes[i..].iter().take_while(|&&c| ident(c)).collect();
            i += seg.len();
            if seg == "super" {
                base.pop();
            } else if !seg.is_empty() {
                base.push(seg);
            }
        }
        if !base.is_empty() {
            refs.insert(base);
        }
    }
    refs
}

struct Graph {
    /// file module → module paths it refers to
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        let is_mod_file = file.file_name().is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        edges.insert(module.clone(), references(&module, is_mod_file, &code));
    }
    Graph { edges }
}

fn top(path: &[String]) -> Option<&str> {
    path.first().map(String::as_str)
}

#[test]
fn layers_import_one_way() {
    let g = graph();
    // (layer, layers it must not reach)
    let rules: &[(&str, &[&str])] = &[
        (
            "snapshot",
            &["facts", "interpret", "checks", "commands", "output", "report", "cli"],
        ),
        ("interpret", &["facts", "checks", "commands", "output", "report", "cli"]),
        ("checks", &["facts", "commands", "output", "cli"]),
        ("facts", &["checks", "commands", "output", "report", "cli"]),
    ];
    let mut broken = Vec::new();
    for (module, refs) in &g.edges {
        for (layer, forbidden) in rules {
            if top(module) != Some(*layer) {
                continue;
            }
            for r in refs {
                if let Some(t) = top(r) {
                    if forbidden.contains(&t) {
                        broken.push(format!("{} uses {}", module.join("::"), r.join("::")));
                    }
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the layering:\n{}",
        broken.join("\n")
    );
    assert!(g.edges.keys().any(|m| top(m) == Some("checks")), "no source found");
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let g = graph();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in &g.edges {
        let Some(from) = top(module) else { continue };
        for r in refs {
            if let Some(to) = top(r) {
                if to != from && g.edges.keys().any(|m| top(m) == Some(to)) {
                    deps.entry(from.to_string()).or_default().insert(to.to_string());
                }
            }
        }
    }
    assert_no_cycle(&deps);
}

#[test]
fn no_import_cycle_between_files() {
    // A parent module naming its own children (`mod x;`, `x::item`) is how Rust nests files,
    // not an import back up; every other reference counts, including a child's `super::…`.
    let g = graph();
    let files: BTreeSet<&Vec<String>> = g.edges.keys().collect();
    let owner = |path: &Vec<String>| -> Option<String> {
        (0..=path.len())
            .rev()
            .map(|n| &path[..n])
            .find(|p| files.contains(&p.to_vec()))
            .map(|p| p.join("::"))
    };
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, refs) in &g.edges {
        let from = module.join("::");
        for r in refs {
            let Some(to) = owner(r) else { continue };
            let downward = r.starts_with(module);
            if to != from && !downward {
                deps.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    assert_no_cycle(&deps);
}

/// Fails with the cycle's members when the graph has one (depth-first search).
fn assert_no_cycle(deps: &BTreeMap<String, BTreeSet<String>>) {
    fn visit<'a>(
        n: &'a str,
        deps: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(true) => return None,
            Some(false) => {
                let at = stack.iter().position(|s| *s == n).unwrap_or(0);
                let mut cycle: Vec<String> = stack[at..].iter().map(|s| s.to_string()).collect();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            None => {}
        }
        state.insert(n, false);
        stack.push(n);
        for next in deps.get(n).into_iter().flatten() {
            if let Some(c) = visit(next, deps, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n, true);
        None
    }
    let mut state = BTreeMap::new();
    for n in deps.keys() {
        let mut stack = Vec::new();
        if let Some(cycle) = visit(n, deps, &mut state, &mut stack) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}
