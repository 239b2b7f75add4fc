//! The headers every response carries, and content types.

use std::path::Path;

use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The page's own meta CSP (viewer/static/index.html), plus `frame-ancestors 'none'`, which
/// only works as a header. A test keeps the two in step.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     object-src 'none'; frame-ancestors 'none'";

/// Every security header with its value, as sent on every response (errors included).
pub const SECURITY_HEADERS: [(&str, &str); 7] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    // Reports change between runs and may be confidential: never keep a copy.
    ("cache-control", "no-store"),
    // The token is in the path: never send it to anyone in a Referer.
    ("referrer-policy", "no-referrer"),
    ("cross-origin-resource-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// Adds [`SECURITY_HEADERS`].
pub(crate) fn secure(headers: &mut HeaderMap) {
    for (name, value) in SECURITY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
}

/// Sets the content type.
pub(crate) fn set_content_type(headers: &mut HeaderMap, value: &'static str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
}

/// The content type of a served file, by extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Directive name → value, from a CSP.
    fn directives(csp: &str) -> std::collections::BTreeMap<String, String> {
        csp.split(';')
            .filter_map(|d| {
                let d = d.split_whitespace().collect::<Vec<_>>();
                let (name, values) = d.split_first()?;
                Some((name.to_string(), values.join(" ")))
            })
            .collect()
    }

    #[test]
    fn the_header_csp_is_the_page_csp_and_forbids_framing() {
        let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../viewer/static/index.html"))
            .expect("viewer/static/index.html");
        let start = page.find("Content-Security-Policy").expect("the page has a meta CSP");
        let content = &page[start..];
        let content = &content[content.find("content=\"").expect("content attribute") + 9..];
        let meta = &content[..content.find('"').expect("end of content")];
        let mut header = directives(CONTENT_SECURITY_POLICY);
        assert_eq!(header.remove("frame-ancestors").as_deref(), Some("'none'"));
        assert_eq!(
            header,
            directives(meta),
            "the header CSP must match the page's meta CSP"
        );
    }
}
