//! containerd's configured gRPC socket, from `/etc/containerd/config.toml`.
//!
//! Only a TOML subset is understood, enough for this one key: `[table]` headers and
//! `key = "string"` / `key = 'string'` pairs, with `#` comments. Anything else is skipped.

use super::root::{describe, HostRoot};
use crate::snapshot::Fact;

pub const CONFIG: &str = "/etc/containerd/config.toml";

/// `[grpc] address`; `Ok(None)` when the file or the key is absent (containerd then uses
/// `/run/containerd/containerd.sock`, which the path list covers anyway).
pub fn grpc_address(fs: &HostRoot) -> Fact<Option<String>> {
    match fs.read_text_opt(CONFIG) {
        Ok(Some(text)) => Fact::Ok(toml_string(&text, "grpc", "address")),
        Ok(None) => Fact::Ok(None),
        Err(e) => Fact::unavailable(CONFIG, describe(&e)),
    }
}

/// The string value of `key` in `[table]`, also accepting the dotted form `table.key = …` at
/// the top level. A key given twice is invalid TOML; the first is kept.
fn toml_string(text: &str, table: &str, key: &str) -> Option<String> {
    let dotted = format!("{table}.{key}");
    let mut current = String::new();
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            // `[[array]]` tables never hold the key we want; record them so their keys are skipped.
            let end = header.find(']').unwrap_or(header.len());
            current = normalize_table(&header[..end]);
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        let k = unquote_key(k.trim());
        let wanted = (current == table && k == key) || (current.is_empty() && k == dotted);
        if wanted {
            if let Some(value) = string_value(v.trim_start()) {
                return Some(value);
            }
        }
    }
    None
}

/// `[ grpc ]`, `["grpc"]` → `grpc`; dotted parts keep their dots.
fn normalize_table(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('[')
        .split('.')
        .map(|p| unquote_key(p.trim()))
        .collect::<Vec<_>>()
        .join(".")
}

fn unquote_key(k: &str) -> String {
    let k = k.trim();
    k.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| k.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(k)
        .to_string()
}

/// A basic (`"…"`, with escapes) or literal (`'…'`) string at the start of `v`; trailing
/// comments are ignored.
fn string_value(v: &str) -> Option<String> {
    let mut chars = v.chars();
    match chars.next()? {
        '"' => {
            let mut out = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => return Some(out),
                    '\\' => match chars.next()? {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'u' => {
                            let hex: String = chars.by_ref().take(4).collect();
                            out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        }
                        other => out.push(other),
                    },
                    c => out.push(c),
                }
            }
            None
        }
        '\'' => {
            let rest: String = chars.collect();
            rest.find('\'').map(|end| rest[..end].to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_address_in_table() {
        let cfg = "version = 2\n# [grpc]\n# address = \"/commented\"\n\
                   [plugins.\"io.containerd.grpc.v1.cri\"]\n  address = \"/wrong\"\n\
                   [grpc]\n  uid = 0\n  address = \"/run/containerd/containerd.sock\" # default\n[ttrpc]\n  address = \"\"\n";
        assert_eq!(
            toml_string(cfg, "grpc", "address").as_deref(),
            Some("/run/containerd/containerd.sock")
        );
    }

    #[test]
    fn other_spellings() {
        assert_eq!(
            toml_string("[ \"grpc\" ]\naddress='/x/y.sock'\n", "grpc", "address").as_deref(),
            Some("/x/y.sock")
        );
        assert_eq!(
            toml_string("grpc.address = \"/dotted\"\n", "grpc", "address").as_deref(),
            Some("/dotted")
        );
        assert_eq!(
            toml_string("[grpc]\n\"address\" = \"/q\\u0041\"\n", "grpc", "address").as_deref(),
            Some("/qA")
        );
        assert_eq!(toml_string("[grpc]\naddress = 5\n", "grpc", "address"), None);
        assert_eq!(
            toml_string("[grpc]\naddress = \"unterminated\n", "grpc", "address"),
            None
        );
        assert_eq!(toml_string("[grpc.tcp]\naddress = \"x\"\n", "grpc", "address"), None);
        assert_eq!(toml_string("", "grpc", "address"), None);
    }
}
