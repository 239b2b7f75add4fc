//! The daemon.json dockerd reads, parsed, with credentials removed.

use serde_json::Value;

use super::root::{describe, is_missing, HostRoot};
use crate::snapshot::{DaemonJson, Fact};

/// Reads and parses the daemon.json at `path` (a host path).
///
/// Like dockerd, an empty (whitespace-only) file counts as `{}` and a leading UTF-8 BOM is
/// ignored; anything else that is not a JSON object would stop dockerd from starting, so it is
/// reported as unreadable rather than as "no settings".
pub fn read(fs: &HostRoot, path: &str) -> Fact<Option<DaemonJson>> {
    let raw = match fs.read(path) {
        Ok(b) => b,
        Err(e) if is_missing(&e) => return Fact::Ok(None),
        Err(e) => return Fact::unavailable(path, describe(&e)),
    };
    match parse(&raw) {
        Ok(mut content) => {
            redact(&mut content);
            Fact::Ok(Some(DaemonJson {
                path: path.to_string(),
                content,
            }))
        }
        Err(reason) => Fact::unavailable(path, reason),
    }
}

fn parse(raw: &[u8]) -> Result<Value, String> {
    let text = decode(raw)?;
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        // serde_json appends " at line L column C" itself; state the position once, up front.
        let text = e.to_string();
        let message = text.split(" at line ").next().unwrap_or(&text);
        format!("not valid JSON at line {} column {}: {message}", e.line(), e.column())
    })?;
    if !value.is_object() {
        return Err("not a JSON object (dockerd refuses to start with it)".into());
    }
    Ok(value)
}

/// Text of the file. dockerd (23.0 and later) honours a byte-order mark, so Windows editors'
/// UTF-8 and UTF-16 files are read as it reads them; without one the file must be UTF-8.
fn decode(raw: &[u8]) -> Result<String, String> {
    let utf16 = |body: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = body.chunks(2).map(|c| from([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16(&units).map_err(|_| "not valid UTF-16 text".to_string())
    };
    if let Some(body) = raw.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8(body.to_vec())
            .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to() + 3))
    } else if let Some(body) = raw.strip_prefix(b"\xFF\xFE") {
        utf16(body, u16::from_le_bytes)
    } else if let Some(body) = raw.strip_prefix(b"\xFE\xFF") {
        utf16(body, u16::from_be_bytes)
    } else {
        String::from_utf8(raw.to_vec()).map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
    }
}

/// Keys whose values are proxy URLs, which may carry `user:password@`.
const PROXY_KEYS: &[&str] = &["http-proxy", "https-proxy", "no-proxy"];

/// Removes secrets so a snapshot can be shared: the user-info part of every URL (proxies,
/// mirrors, logging endpoints) and log options that are tokens or passwords.
fn redact(content: &mut Value) {
    let Some(obj) = content.as_object_mut() else {
        return;
    };
    for key in PROXY_KEYS {
        if let Some(Value::String(s)) = obj.get_mut(*key) {
            *s = redact_userinfo(s, true);
        }
    }
    if let Some(Value::Object(proxies)) = obj.get_mut("proxies") {
        for v in proxies.values_mut() {
            if let Value::String(s) = v {
                *s = redact_userinfo(s, true);
            }
        }
    }
    if let Some(Value::Object(opts)) = obj.get_mut("log-opts") {
        for (k, v) in opts.iter_mut() {
            let k = k.to_ascii_lowercase();
            if ["token", "password", "secret"].iter().any(|w| k.contains(w)) {
                *v = Value::String("***".into());
            }
        }
    }
    redact_urls(content);
}

/// Any string that looks like `scheme://user@host…` anywhere in the document.
fn redact_urls(v: &mut Value) {
    match v {
        Value::String(s) if s.contains("://") => *s = redact_userinfo(s, false),
        Value::Array(items) => items.iter_mut().for_each(redact_urls),
        Value::Object(map) => map.values_mut().for_each(redact_urls),
        _ => {}
    }
}

/// `http://user:pass@proxy:3128` → `http://***@proxy:3128`. Proxy settings may omit the
/// scheme (`user:pass@proxy:3128`), so `schemeless` also treats a bare authority as a URL.
/// Comma-separated lists (`no-proxy`) are handled item by item.
pub fn redact_userinfo(value: &str, schemeless: bool) -> String {
    value
        .split(',')
        .map(|item| redact_one(item, schemeless))
        .collect::<Vec<_>>()
        .join(",")
}

fn redact_one(item: &str, schemeless: bool) -> String {
    let (prefix, rest) = match item.find("://") {
        Some(i) => item.split_at(i + 3),
        None if schemeless => item.split_at(item.len() - item.trim_start().len()),
        None => return item.to_string(),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{prefix}***{}", &rest[at..]),
        None => item.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn userinfo_is_redacted() {
        assert_eq!(
            redact_userinfo("http://user:pa:ss@proxy:3128/x", true),
            "http://***@proxy:3128/x"
        );
        assert_eq!(redact_userinfo("user:pass@proxy:3128", true), "***@proxy:3128");
        assert_eq!(redact_userinfo("user:pass@proxy:3128", false), "user:pass@proxy:3128");
        assert_eq!(redact_userinfo("http://proxy:3128/a@b", true), "http://proxy:3128/a@b");
        assert_eq!(redact_userinfo("localhost,.corp", true), "localhost,.corp");
        assert_eq!(redact_userinfo("", true), "");
    }

    #[test]
    fn document_is_redacted() {
        let mut v = json!({
            "http-proxy": "http://u:p@proxy:3128",
            "https-proxy": "u:p@proxy:3129",
            "proxies": {"http-proxy": "http://a:b@p", "no-proxy": "*.local"},
            "registry-mirrors": ["https://m:tok@mirror.example"],
            "log-opts": {"splunk-token": "abc", "max-size": "10m"},
            "icc": false
        });
        redact(&mut v);
        assert_eq!(
            v,
            json!({
                "http-proxy": "http://***@proxy:3128",
                "https-proxy": "***@proxy:3129",
                "proxies": {"http-proxy": "http://***@p", "no-proxy": "*.local"},
                "registry-mirrors": ["https://***@mirror.example"],
                "log-opts": {"splunk-token": "***", "max-size": "10m"},
                "icc": false
            })
        );
    }

    #[test]
    fn parse_errors_name_the_position() {
        let err = parse(b"{\n  \"icc\": false,\n}").unwrap_err();
        assert!(err.starts_with("not valid JSON at line 3 column 1: "), "{err}");
        assert!(!err.contains(" at line 3 column 1 at"), "{err}");
        assert_eq!(parse(b"  \n").unwrap(), json!({}));
        assert_eq!(parse(b"\xEF\xBB\xBF{\"a\":1}").unwrap(), json!({"a": 1}));
        assert!(parse(b"[1]").unwrap_err().contains("not a JSON object"));
        assert_eq!(parse(b"\xFF\xFE{\0}\0").unwrap(), json!({}));
        assert_eq!(parse(b"\xFE\xFF\0{\0}").unwrap(), json!({}));
        assert!(parse(b"{\"a\": \"\xFF\"}")
            .unwrap_err()
            .contains("not valid UTF-8 at byte 7"));
    }
}
