//! Sections of BENCHMARKS.md that separate benchmark commands own (`cargo xtask bench fleet`,
//! `… harden`, `… viewer-scale`): each writes its figures between its own markers and leaves the
//! rest of the file alone, and the main `cargo xtask bench` keeps them when it rewrites the file.
//! So every figure in the file still comes from one run of the command named above it.

use std::path::Path;

use anyhow::{Context, Result};

fn markers(name: &str) -> (String, String) {
    (format!("<!-- bench:{name} -->"), format!("<!-- /bench:{name} -->"))
}

/// `doc` with the section `name` set to `body` (replaced when present, appended otherwise).
pub fn replace_section(doc: &str, name: &str, body: &str) -> String {
    let (open, close) = markers(name);
    let block = format!("{open}\n{}\n{close}\n", body.trim_end());
    match (doc.find(&open), doc.find(&close)) {
        (Some(start), Some(end)) if end > start => {
            let after = &doc[end + close.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            format!("{}{block}{after}", &doc[..start])
        }
        _ => {
            let mut out = doc.trim_end().to_string();
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&block);
            out
        }
    }
}

/// Every marked section of `doc`, in order, markers included: what a full rewrite must carry over.
pub fn marked_sections(doc: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find("<!-- bench:") {
        let Some(name_end) = rest[start..].find(" -->") else {
            break;
        };
        let name = &rest[start + "<!-- bench:".len()..start + name_end];
        let (_, close) = markers(name);
        let Some(end) = rest[start..].find(&close) else { break };
        let end = start + end + close.len();
        found.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    found
}

/// Writes the section `name` of the file at `path` (created when missing).
pub fn write_section(path: &Path, name: &str, body: &str) -> Result<()> {
    let doc = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let updated = replace_section(&doc, name, body);
    std::fs::write(path, updated).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_in_place_and_appends_when_missing() {
        let doc = "# B\n\nintro\n";
        let one = replace_section(doc, "fleet", "## Fleet\nv1");
        assert!(one.starts_with("# B\n\nintro\n\n<!-- bench:fleet -->\n## Fleet\nv1\n"));
        let two = replace_section(&format!("{one}\ntail\n"), "fleet", "## Fleet\nv2");
        assert!(two.contains("v2") && !two.contains("v1") && two.ends_with("tail\n"));
        let both = replace_section(&two, "harden", "## Harden");
        let kept = marked_sections(&both);
        assert_eq!(kept.len(), 2);
        assert!(kept[0].contains("v2") && kept[1].contains("## Harden"));
    }
}
