//! The evidence on paper: the line every printed page carries, the appendix of checks an auditor
//! can sample, and the commands that re-verify what was printed.
//!
//! Chromium prints CSS page-margin boxes (`@page { @top-left { … } }`, with `counter(page)` and
//! `counter(pages)`), so the viewer puts "host · report digest" at the top of every page and
//! "page n / N" at the bottom. The host and digest reach the stylesheet as a CSS custom property
//! set through the CSSOM (the CSP forbids inline styles), written by [`css_string`] as one CSS
//! string token whatever the host name holds.

use crate::report::{CheckResult, Report, Status};

/// "host · report digest": the running header of every printed page.
pub fn running_header(host: &str, digest: &str) -> String {
    format!("{host} · report {digest}")
}

/// `s` as a quoted CSS string. Everything but printable ASCII letters, digits, space and a few
/// harmless punctuation marks is written as a hex escape, so no character of `s` can end the
/// string or the declaration.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars().take(400) {
        if c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '.' | ',' | ':' | '-' | '_' | '/' | '+' | '=' | '@' | '(' | ')')
        {
            out.push(c);
        } else {
            // A space ends the escape, so a following hex digit is not read as part of it.
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// Passed and not-applicable checks, in report order: what an auditor samples to see that a pass
/// is a pass and that "does not apply" holds.
pub fn appendix(report: &Report) -> Vec<&CheckResult> {
    report
        .results
        .iter()
        .filter(|r| matches!(r.status, Status::Pass | Status::NotApplicable))
        .collect()
}

/// A word a POSIX shell reads literally: single-quoted unless it is plainly safe.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':' | '+' | '@' | ','))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The file name a link or upload gave the report, without its directories.
pub fn file_name(name: &str) -> &str {
    let name = name.split(['?', '#']).next().unwrap_or(name);
    name.rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("REPORT.json")
}

/// One way to re-check the printed evidence: the command, and what it must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyStep {
    pub command: String,
    pub expect: String,
}

/// How to re-verify: the report's digest and signature (its signer's key fingerprint when it is
/// signed) with `dockaudit verify`, and the sign-off with `dockaudit signoff verify` when one is
/// signed.
pub fn verify_steps(
    report_file: &str,
    digest: &str,
    report_signer: Option<&str>,
    signoff_signer: Option<&str>,
) -> Vec<VerifyStep> {
    let file = shell_word(file_name(report_file));
    let mut steps = vec![VerifyStep {
        command: format!("dockaudit verify {file} --allowed-signers allowed_signers"),
        expect: match report_signer {
            Some(fp) => format!(
                "VALID (exit 0): signed by the key {fp}, which allowed_signers must list for namespace dockaudit-report; the digest line reads {digest} (intact)"
            ),
            None => format!(
                "the report is not signed, so it prints UNSIGNED (exit 3); the digest line must read {digest} (intact)"
            ),
        },
    }];
    if let Some(fp) = signoff_signer {
        steps.push(VerifyStep {
            command: format!("dockaudit signoff verify {file} SIGNOFF.json --allowed-signers allowed_signers"),
            expect: format!("VALID: the sign-off is bound to {digest} and signed by the key {fp}"),
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::report_with;

    #[test]
    fn css_strings_cannot_be_escaped_from() {
        assert_eq!(
            css_string("node-1 · report jcs-sha256:ab"),
            "\"node-1 \\b7  report jcs-sha256:ab\""
        );
        let hostile = "x\"; } body { display:none } @import url(//evil) \\\n</style>";
        let q = css_string(hostile);
        let inner = &q[1..q.len() - 1];
        for c in ['"', ';', '{', '}', '\n', '<', '>', '\''] {
            assert!(!inner.contains(c), "{c:?} survives in {q}");
        }
        assert!(inner.contains("\\22 ") && inner.contains("\\5c "), "{q}");
        assert!(css_string(&"a".repeat(10_000)).len() <= 402);
    }

    #[test]
    fn the_appendix_holds_passes_and_not_applicable_in_order() {
        let r = report_with(vec![
            ("1.1.1", Status::Pass, vec![]),
            ("2.2", Status::Fail, vec![]),
            ("5.2", Status::NotApplicable, vec![]),
            ("5.4", Status::Manual, vec![]),
            ("5.5", Status::Pass, vec![]),
        ]);
        let ids: Vec<&str> = appendix(&r).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1.1.1", "5.2", "5.5"]);
    }

    #[test]
    fn commands_quote_hostile_file_names() {
        assert_eq!(shell_word("report-1.json"), "report-1.json");
        assert_eq!(shell_word("a b'; rm -rf ~"), r"'a b'\''; rm -rf ~'");
        assert_eq!(file_name("reports/1-mon.json?x=1"), "1-mon.json");
        assert_eq!(file_name("dir/"), "REPORT.json");
    }

    #[test]
    fn verification_names_the_signer_when_there_is_one() {
        let unsigned = verify_steps("reports/mon.json", "jcs-sha256:ab", None, None);
        assert_eq!(unsigned.len(), 1);
        assert_eq!(
            unsigned[0].command,
            "dockaudit verify mon.json --allowed-signers allowed_signers"
        );
        assert!(unsigned[0].expect.contains("UNSIGNED") && unsigned[0].expect.contains("jcs-sha256:ab"));
        let signed = verify_steps("mon.json", "jcs-sha256:ab", Some("SHA256:k1"), Some("SHA256:k2"));
        assert!(signed[0].expect.contains("SHA256:k1"), "{:?}", signed[0]);
        assert!(signed[1]
            .command
            .starts_with("dockaudit signoff verify mon.json SIGNOFF.json"));
        assert!(signed[1].expect.contains("SHA256:k2"));
    }
}
