//! RFC 8785 (JCS) bytes written straight from JSON text, for the sliced reading of large reports
//! ([`crate::view::chunked`]): a finding's canonical bytes without building a `serde_json::Value`
//! and serialising it again, which is most of the cost of a 100 MB report.
//!
//! The contract is narrow: for every text [`canonical`] accepts, its bytes are exactly what
//! `serde_json_canonicalizer::to_vec` gives for the [`crate::json::parse`] of that text (the
//! rule [`super::canonical_bytes`] uses). Whatever it is not sure of — a duplicate member name,
//! an escape it would have to judge, deep nesting, anything serde_json might read differently —
//! it answers `None`, and the caller reads the file the one-go way, whose verdict and messages
//! are the reference. Numbers other than small non-negative integers are handed to serde_json and
//! the canonicaliser themselves; escapes in strings are read here, and a test compares every
//! awkward case with the reference.

use serde_json::Value;

/// Nesting deeper than this is left to the one-go reader (serde_json stops at 128 levels, counted
/// from the document's root, which the caller's slice does not start at).
const MAX_DEPTH: u32 = 64;

/// The JCS bytes of one JSON value (the whole of `text`, surrounding whitespace allowed), or
/// `None` when the text is not one [`crate::json::parse`] reads the same way (see the module).
pub fn canonical(text: &[u8]) -> Option<Vec<u8>> {
    std::str::from_utf8(text).ok()?;
    let mut out = Vec::with_capacity(text.len());
    let mut reader = Reader { s: text, pos: 0 };
    reader.value(&mut out, 0)?;
    reader.skip_ws();
    (reader.pos == text.len()).then_some(out)
}

struct Reader<'a> {
    s: &'a [u8],
    pos: usize,
}

/// A member of an object being canonicalised: where its `"name":value` bytes sit in the object's
/// scratch buffer, and its name (the sort key) when the name's canonical form has an escape.
struct Member {
    start: usize,
    /// End of the canonical name's text (before its closing quote).
    name_end: usize,
    end: usize,
    escaped_name: Option<String>,
}

impl Member {
    /// The member's name: the canonical text between the quotes when it has no escape (then it is
    /// the name itself).
    fn name<'a>(&'a self, scratch: &'a [u8]) -> &'a str {
        match &self.escaped_name {
            Some(name) => name,
            None => std::str::from_utf8(&scratch[self.start + 1..self.name_end]).unwrap_or_default(),
        }
    }
}

/// JCS orders members by their names' UTF-16 code units; for names of ASCII (nearly all) that is
/// byte order.
fn jcs_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn value(&mut self, out: &mut Vec<u8>, depth: u32) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'{' => self.object(out, depth + 1),
            b'[' => self.array(out, depth + 1),
            b'"' => self.string(out).map(drop),
            b't' => self.literal(out, b"true"),
            b'f' => self.literal(out, b"false"),
            b'n' => self.literal(out, b"null"),
            b'-' | b'0'..=b'9' => self.number(out),
            _ => None,
        }
    }

    fn literal(&mut self, out: &mut Vec<u8>, word: &[u8]) -> Option<()> {
        if !self.s[self.pos..].starts_with(word) {
            return None;
        }
        self.pos += word.len();
        out.extend_from_slice(word);
        Some(())
    }

    fn array(&mut self, out: &mut Vec<u8>, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        out.push(b'[');
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            out.push(b']');
            return Some(());
        }
        loop {
            self.value(out, depth)?;
            self.skip_ws();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    out.push(b',');
                }
                b']' => {
                    self.pos += 1;
                    out.push(b']');
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, out: &mut Vec<u8>, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            out.extend_from_slice(b"{}");
            return Some(());
        }
        let mut scratch = Vec::with_capacity(256);
        let mut members: Vec<Member> = Vec::with_capacity(8);
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let start = scratch.len();
            let escaped = self.string(&mut scratch)?;
            let name_end = scratch.len() - 1;
            let escaped_name = if escaped {
                Some(serde_json::from_slice::<String>(&scratch[start..]).ok()?)
            } else {
                None
            };
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            scratch.push(b':');
            self.value(&mut scratch, depth)?;
            members.push(Member {
                start,
                name_end,
                end: scratch.len(),
                escaped_name,
            });
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        members.sort_by(|a, b| jcs_order(a.name(&scratch), b.name(&scratch)));
        // A name seen twice: the one-go reader refuses the file and says where.
        if members.windows(2).any(|w| w[0].name(&scratch) == w[1].name(&scratch)) {
            return None;
        }
        out.push(b'{');
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&scratch[m.start..m.end]);
        }
        out.push(b'}');
        Some(())
    }

    /// Writes the canonical form of the string at `pos`; returns whether that form has an escape.
    /// The text is valid UTF-8 (checked once for the whole input), so only escapes need work.
    fn string(&mut self, out: &mut Vec<u8>) -> Option<bool> {
        let start = self.pos + 1;
        let body = self.s.get(start..)?;
        // The common case: no escape up to the closing quote.
        let close = body.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if body[close] == b'"' {
            out.extend_from_slice(&self.s[start - 1..=start + close]);
            self.pos = start + close + 1;
            return Some(false);
        }
        out.push(b'"');
        out.extend_from_slice(&body[..close]);
        let mut i = start + close;
        let mut escaped = false;
        loop {
            let b = *self.s.get(i)?;
            match b {
                b'"' => break,
                // serde_json refuses raw control characters in strings.
                0..=0x1f => return None,
                b'\\' => {
                    let (c, used) = self.unescape(i)?;
                    i += used;
                    escaped |= write_escaped(out, c);
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out.push(b'"');
        self.pos = i + 1;
        Some(escaped)
    }

    /// The character an escape at `at` stands for, and the bytes it takes. Lone surrogates are
    /// refused, as serde_json refuses them.
    fn unescape(&self, at: usize) -> Option<(char, usize)> {
        let c = match *self.s.get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4(at + 2)?;
                if !(0xd800..0xe000).contains(&high) {
                    return Some((char::from_u32(high)?, 6));
                }
                if high >= 0xdc00 || self.s.get(at + 6..at + 8)? != b"\\u" {
                    return None;
                }
                let low = self.hex4(at + 8)?;
                if !(0xdc00..0xe000).contains(&low) {
                    return None;
                }
                let c = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                return Some((char::from_u32(c)?, 12));
            }
            _ => return None,
        };
        Some((c, 2))
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.s.get(at..at + 4)?;
        let text = std::str::from_utf8(digits).ok()?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u32::from_str_radix(text, 16).ok()
    }

    fn number(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let token = &self.s[start..self.pos];
        // Up to 15 digits without a leading zero: an integer a double holds exactly, which JCS
        // writes as it is.
        let plain = token.len() <= 15 && token.iter().all(u8::is_ascii_digit) && (token[0] != b'0' || token.len() == 1);
        if plain {
            out.extend_from_slice(token);
            return Some(());
        }
        let value: Value = serde_json::from_slice(token).ok()?;
        if !value.is_number() {
            return None;
        }
        out.extend(serde_json_canonicalizer::to_vec(&value).ok()?);
        Some(())
    }
}

/// Writes `c` as JCS writes it in a string (serde_json's escaping: `"` and `\`, and the control
/// characters, short forms where JSON has them); returns whether that is an escape.
fn write_escaped(out: &mut Vec<u8>, c: char) -> bool {
    let short = match c {
        '"' => b'"',
        '\\' => b'\\',
        '\u{8}' => b'b',
        '\u{c}' => b'f',
        '\n' => b'n',
        '\r' => b'r',
        '\t' => b't',
        c if (c as u32) < 0x20 => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let b = c as usize;
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[b >> 4], HEX[b & 0xf]]);
            return true;
        }
        c => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            return false;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> Option<Vec<u8>> {
        crate::json::parse(text)
            .ok()
            .and_then(|v| serde_json_canonicalizer::to_vec(&v).ok())
    }

    /// Every text either gives the reference bytes or is left to the one-go reader.
    fn agrees(text: &str) {
        match (canonical(text.as_bytes()), reference(text)) {
            (Some(ours), Some(theirs)) => assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs),
                "{text}"
            ),
            (Some(ours), None) => panic!("accepted {text:?} as {:?}", String::from_utf8_lossy(&ours)),
            (None, _) => {}
        }
    }

    #[test]
    fn writes_what_the_canonicaliser_writes() {
        let cases = [
            r#"{"b": 1, "a": {"z": [1, 2.5, "x"], "y": null}, "c": true, "d": false}"#,
            r#"{"target": {"kind": "container", "id": "abc", "name": "web \"1\""}, "message": "m\n\t\u0001é\u2028", "observed": "\/x"}"#,
            r#"{"é": 1, "e": 2, "\u00e9x": 3, "😀": 4, "\ud83d\ude00a": 5, "ﬀ": 6}"#,
            r#"[0, -0, 1.0, 100, 1e21, 1E-7, 0.1, -5, 123456789012345, 1234567890123456789, 18446744073709551615, -9223372036854775808, 3.0e2]"#,
            "  [ ]  ",
            "{ }",
            r#""plain""#,
            r#"{"a": "\u007f\u001f\b\f\r"}"#,
        ];
        for text in cases {
            assert!(canonical(text.as_bytes()).is_some(), "{text}");
            agrees(text);
        }
    }

    #[test]
    fn leaves_anything_doubtful_to_the_one_go_reader() {
        for text in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"a": 1, "\u0061": 2}"#,
            "{\"a\": \"raw\ncontrol\"}",
            r#"{"a": "\ud800"}"#,
            r#"{"a": 01}"#,
            r#"{"a": 1e999}"#,
            r#"{"a": 1,}"#,
            r#"[1 2]"#,
            r#"{"a" 1}"#,
            r#"{"a": tru}"#,
            r#"{"a": 1} x"#,
            r#"{"a": "unterminated"#,
            r#"{"a": "\"#,
            "",
            "-",
            "1.",
        ] {
            assert_eq!(canonical(text.as_bytes()), None, "{text}");
            agrees(text);
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(canonical(deep.as_bytes()), None);
        assert_eq!(canonical(b"{\"a\": \"\xff\"}"), None);
    }

    #[test]
    fn agrees_on_generated_documents() {
        // A deterministic walk over awkward pieces (splitmix64), so a failure reproduces.
        let pieces = [
            "0",
            "-1",
            "2.50",
            "1e3",
            "-0.0",
            "true",
            "null",
            r#""""#,
            r#""a\"b""#,
            r#""\\""#,
            r#""\u00e9""#,
            r#""é""#,
            r#""\u001f""#,
            r#""𝄞""#,
            r#""\ud834\udd1e""#,
            "[]",
            "{}",
        ];
        let keys = [
            r#""a""#,
            r#""b""#,
            r#""é""#,
            r#""\u00e8""#,
            r#""A""#,
            r#""𝄞""#,
            r#""ﬀ""#,
            r#""aa""#,
        ];
        let mut state: u64 = 7;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as usize
        };
        fn build(next: &mut dyn FnMut() -> usize, pieces: &[&str], keys: &[&str], depth: u32) -> String {
            match next() % if depth > 3 { 1 } else { 3 } {
                0 => pieces[next() % pieces.len()].to_string(),
                1 => {
                    let n = next() % 4;
                    let items: Vec<String> = (0..n).map(|_| build(next, pieces, keys, depth + 1)).collect();
                    format!("[ {} ]", items.join(" ,\n"))
                }
                _ => {
                    let n = next() % 4;
                    let items: Vec<String> = (0..n)
                        .map(|_| {
                            format!(
                                "{}: {}",
                                keys[next() % keys.len()],
                                build(next, pieces, keys, depth + 1)
                            )
                        })
                        .collect();
                    format!("{{{}}}", items.join(","))
                }
            }
        }
        for _ in 0..3000 {
            let text = build(&mut next, &pieces, &keys, 0);
            agrees(&text);
        }
    }
}
