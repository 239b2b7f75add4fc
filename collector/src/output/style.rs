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

/// Moves the cursor to the start of the line, so a progress line overwrites the previous one.
/// Only for standard error on a terminal.
pub const LINE_START: &str = "\r";

/// Clears a progress line. Only for standard error on a terminal.
pub const ERASE_LINE: &str = "\r\x1b[2K";

/// Makes an untrusted string safe to print on one line: control characters (including ESC and
/// newlines) and invisible characters that reorder or hide text become visible escapes, and very
/// long strings are shortened.
pub fn clean(s: &str) -> String {
    clean_to(s, 300)
}

/// [`clean`] for a whole message (an error chain, a warning), which may rightly be longer than a
/// field of a report and may quote a file's content.
pub fn clean_message(s: &str) -> String {
    clean_to(s, 2000)
}

/// Whether [`clean`] would change anything but the length.
pub fn needs_cleaning(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\n' | '\r' | '\t') || is_unsafe(c))
}

/// The one sanitiser behind [`clean`] and [`clean_message`]: escapes, then shortens to
/// `max_chars` characters.
fn clean_to(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars + 16));
    for (n, ch) in s.chars().enumerate() {
        if n >= max_chars {
            out.push_str(&format!("… (+{} chars)", s.chars().count() - max_chars));
            break;
        }
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Characters a terminal acts on or does not show: C0 and C1 controls and DEL (`Cc`), line and
/// paragraph separators, and the format characters (`Cf`): bidirectional overrides and marks,
/// zero-width spaces and joiners, the byte-order mark, soft hyphen, interlinear annotations and
/// tag characters.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
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
    fn invisible_and_reordering_characters_are_made_visible() {
        let cases = [
            ("\u{9b}31m", "\\u{9b}31m"),
            ("a\u{85}b", "a\\u{85}b"),
            ("del\x7f", "del\\u{7f}"),
            ("nul\0", "nul\\u{0}"),
            ("zero\u{200b}width", "zero\\u{200b}width"),
            ("join\u{200d}er", "join\\u{200d}er"),
            ("bom\u{feff}", "bom\\u{feff}"),
            ("line\u{2028}para\u{2029}", "line\\u{2028}para\\u{2029}"),
            ("isolate\u{2067}x\u{2069}", "isolate\\u{2067}x\\u{2069}"),
            ("arabic\u{61c}mark", "arabic\\u{61c}mark"),
            ("soft\u{ad}hyphen", "soft\\u{ad}hyphen"),
            ("tag\u{e0041}", "tag\\u{e0041}"),
        ];
        for (raw, shown) in cases {
            assert_eq!(clean(raw), shown);
            assert!(needs_cleaning(raw), "{shown}");
        }
        for fine in ["plain", "héllo wörld", "日本語", "emoji 🐳", "a\u{301}"] {
            assert_eq!(clean(fine), fine);
            assert!(!needs_cleaning(fine));
        }
    }

    #[test]
    fn messages_may_be_longer_than_fields() {
        let long = "y".repeat(1000);
        assert_eq!(clean_message(&long), long);
        assert!(clean_message(&"y".repeat(5000)).ends_with("(+3000 chars)"));
    }

    #[test]
    fn colour_is_only_emitted_when_on() {
        let on = Style { color: true };
        assert_eq!(on.bold("b"), "\x1b[1mb\x1b[0m");
        let off = Style::plain();
        for s in [off.bold("b"), off.dim("d"), off.status(Status::Fail)] {
            assert!(!s.contains('\x1b'), "{s:?}");
        }
    }

    #[test]
    fn long_strings_are_shortened() {
        let long = "x".repeat(1000);
        let c = clean(&long);
        assert!(c.len() < 400 && c.ends_with("(+700 chars)"));
    }
}
