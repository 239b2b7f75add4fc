//! Who may ask: the Host header and the token in the path.

/// A new random token: two UUIDv4s in hex, 244 random bits from the operating system.
pub(crate) fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// Whether `host` (the Host header) names this server on a loopback address. Any other name
/// is what a DNS-rebinding page sends.
pub(crate) fn host_allowed(host: &str, port: u16) -> bool {
    let Some((name, host_port)) = host.rsplit_once(':') else {
        return false;
    };
    host_port == port.to_string() && (name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost") || name == "[::1]")
}

/// The rest of `path` after `/<token>/`, or `None` when the token is missing or wrong.
pub(crate) fn strip_token<'a>(path: &'a str, token: &str) -> Option<&'a str> {
    let rest = path.strip_prefix('/')?;
    let (given, rest) = rest.split_once('/')?;
    constant_time_eq(given.as_bytes(), token.as_bytes()).then_some(rest)
}

/// Compares without stopping at the first difference, so timing does not reveal a prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_with_our_port_pass() {
        for ok in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080", "[::1]:8080"] {
            assert!(host_allowed(ok, 8080), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1.evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost",
            "",
            "[::1]:80800",
            "0.0.0.0:8080",
        ] {
            assert!(!host_allowed(bad, 8080), "{bad}");
        }
    }

    #[test]
    fn the_token_is_the_first_path_segment() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token());
        assert_eq!(strip_token(&format!("/{t}/"), &t), Some(""));
        assert_eq!(strip_token(&format!("/{t}/reports/a.json"), &t), Some("reports/a.json"));
        assert_eq!(strip_token(&format!("/{t}"), &t), None);
        assert_eq!(strip_token("/", &t), None);
        assert_eq!(strip_token("/index.html", &t), None);
        assert_eq!(strip_token(&format!("/{}/", &t[1..]), &t), None);
        assert_eq!(strip_token(&format!("/x{}/", &t[1..]), &t), None);
    }
}
