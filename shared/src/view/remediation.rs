//! Remediation text as the viewer shows it: plain text with `inline code` spans, and its first
//! sentence as the one-line fix of the "Fix first" panel.
//!
//! The catalogue writes commands between backticks. [`segments`] only *splits* the text there; the
//! viewer renders each piece as a text node (code inside `<code>`), so nothing in the text, from the
//! catalogue or from a report, is ever read as markup. An unmatched backtick stays literal text.

/// A piece of remediation text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// What stood between a pair of backticks (without them).
    Code(&'a str),
}

/// Splits `text` at pairs of backticks. Empty pieces are left out; a lone backtick (no closing
/// one) and everything after it is text.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else { break };
        if open > 0 {
            out.push(Segment::Text(&rest[..open]));
        }
        if close > 0 {
            out.push(Segment::Code(&after[..close]));
        }
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 4] = ["e.g.", "i.e.", "etc.", "vs."];

/// The first sentence of `text`: up to the first `.`, `!` or `?` followed by white space or the end,
/// outside inline code and not ending an abbreviation. The whole text when it has one sentence.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' | '!' | '?' if !in_code => {
                let end = i + c.len_utf8();
                let next = text[end..].chars().next();
                let abbreviation = ABBREVIATIONS.iter().any(|a| text[..end].ends_with(a));
                if next.is_none_or(char::is_whitespace) && !abbreviation {
                    return &text[..end];
                }
            }
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use Segment::{Code, Text};

    #[test]
    fn backtick_pairs_become_code() {
        assert_eq!(
            segments("Run `docker swarm leave` (a manager needs `--force`)."),
            [
                Text("Run "),
                Code("docker swarm leave"),
                Text(" (a manager needs "),
                Code("--force"),
                Text(").")
            ]
        );
        assert_eq!(segments("`a``b`"), [Code("a"), Code("b")]);
        assert_eq!(segments(""), []);
        assert_eq!(segments("``"), []);
    }

    #[test]
    fn a_lone_backtick_stays_text() {
        assert_eq!(segments("it's a `trap"), [Text("it's a `trap")]);
        assert_eq!(segments("`x` and `y"), [Code("x"), Text(" and `y")]);
    }

    /// Markup in the text is split like any other character: the pieces keep it verbatim for the
    /// viewer to render as text, and no piece can open an element by itself.
    #[test]
    fn hostile_text_is_only_split_never_interpreted() {
        let hostile = "Run `<img src=x onerror=alert(1)>` then </code><script>alert(2)</script> `&lt;b&gt;` ` ";
        let parts = segments(hostile);
        assert_eq!(
            parts,
            [
                Text("Run "),
                Code("<img src=x onerror=alert(1)>"),
                Text(" then </code><script>alert(2)</script> "),
                Code("&lt;b&gt;"),
                Text(" ` ")
            ]
        );
        let joined: String = parts
            .iter()
            .map(|p| match p {
                Text(t) => t.to_string(),
                Code(c) => format!("`{c}`"),
            })
            .collect();
        assert_eq!(joined, hostile, "nothing is lost or added");
    }

    #[test]
    fn first_sentences_stop_at_the_first_full_stop_outside_code() {
        assert_eq!(first_sentence("Do this. Then that."), "Do this.");
        assert_eq!(
            first_sentence("Run `docker run --cap-drop ALL`, e.g. for web. Later more."),
            "Run `docker run --cap-drop ALL`, e.g. for web."
        );
        assert_eq!(
            first_sentence("Edit `/etc/docker/daemon.json. x` now"),
            "Edit `/etc/docker/daemon.json. x` now"
        );
        assert_eq!(first_sentence("  one sentence  "), "one sentence");
        assert_eq!(
            first_sentence("Set it to 1.5 and restart."),
            "Set it to 1.5 and restart."
        );
    }

    #[test]
    fn every_catalogue_remediation_has_a_short_first_sentence() {
        for m in catalog::all() {
            let s = first_sentence(m.remediation);
            assert!(s.len() >= 25 && s.len() <= 320, "{}: {} chars: {s}", m.id, s.len());
            assert_eq!(s.matches('`').count() % 2, 0, "{}: code cut in half: {s}", m.id);
        }
    }
}
