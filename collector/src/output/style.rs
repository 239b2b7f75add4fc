//! Terminal styling and escaping of untrusted strings.
//!
//! Container names, labels and file paths come from the audited host. Printed raw, a name
//! holding escape sequences could rewrite the auditor's terminal, so every such string goes
//! through [`clean`] before it is printed.

use dockaudit_shared::report::Status;

/// Whether to emit ANSI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// Colours only on a terminal and when `NO_COLOR` is unset or empty.
    pub fn detect(is_terminal: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            color: is_terminal && !no_color,
        }
    }

    pub fn plain() -> Self {
        Style { color: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    /// A fixed-width status tag such as `[FAIL]`.
    pub fn status(&self, status: Status) -> String {
        let (label, code) = match status {
            Status::Pass => ("PASS", "32"),
            Status::Fail => ("FAIL", "1;31"),
            Status::Warn => ("WARN", "33"),
            Status::Info => ("INFO", "36"),
            Status::Manual => ("MANUAL", "35"),
            Status::NotApplicable => ("N/A", "2"),
            Status::Error => ("ERROR", "1;35"),
            Status::Skipped => ("SKIP", "2"),
        };
        self.paint(code, &format!("[{label:^6}]"))
    }
}

/// Makes an untrusted string safe to print on one line: control characters (including ESC and
/// newlines) become visible escapes, and very long strings are shortened.
pub fn clean(s: &str) -> String {
    const MAX: usize = 300;
    let mut out = String::with_capacity(s.len().min(MAX + 16));
    for (n, ch) in s.chars().enumerate() {
        if n >= MAX {
            out.push_str(&format!("… (+{} chars)", s.chars().count() - MAX));
            break;
        }
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(clean("a\x1b[31mb\nc"), "a\\u{1b}[31mb\\nc");
        assert_eq!(clean("web\u{202e}gpj.exe"), "web\\u{202e}gpj.exe");
        assert_eq!(clean("héllo <b>"), "héllo <b>");
    }

    #[test]
    fn long_strings_are_shortened() {
        let long = "x".repeat(1000);
        let c = clean(&long);
        assert!(c.len() < 400 && c.ends_with("(+700 chars)"));
    }
}
