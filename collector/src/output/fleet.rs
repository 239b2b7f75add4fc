//! The fleet audit's final table: one line per host (name, result, score, fails, duration, why
//! it was not audited) and the totals. Host names, labels and error messages come from the
//! inventory and the remote hosts, so every one is cleaned.

use std::fmt::Write as _;

use crate::fleet::{FleetSummary, HostResult, HostSummary};
use crate::output::style::{clean, Style};

/// Widest host name shown in the table (longer names are shortened; the JSON keeps them whole).
const MAX_NAME_WIDTH: usize = 40;

/// Renders the summary as a table followed by a totals line.
pub fn render(summary: &FleetSummary, style: Style) -> String {
    let names: Vec<String> = summary
        .hosts
        .iter()
        .map(|h| shorten(&clean(&h.name), MAX_NAME_WIDTH))
        .collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max(4);
    let mut out = String::new();
    let header = format!(
        "{:<name_width$}  {:<11}  {:>6}  {:>5}  {:>8}  ERROR",
        "HOST", "RESULT", "SCORE", "FAILS", "DURATION"
    );
    let _ = writeln!(out, "{}", style.bold(header.trim_end()));
    for (host, name) in summary.hosts.iter().zip(&names) {
        let result = format!("{:<11}", host.result.as_str());
        let result = match host.result {
            HostResult::Pass => result,
            _ => style.bold(&result),
        };
        let line = format!(
            "{name:<name_width$}  {result}  {:>6}  {:>5}  {:>8}  {}",
            score(host),
            host.fails.map(|f| f.to_string()).unwrap_or_else(|| "-".into()),
            seconds(host.duration_ms),
            problem(host),
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let t = &summary.totals;
    let not_published = if t.not_published > 0 {
        format!(", {} not published", t.not_published)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\n{} host{}: {} pass, {} fail, {} not audited{not_published} — {} with {} at once",
        t.hosts,
        if t.hosts == 1 { "" } else { "s" },
        t.pass,
        t.fail,
        t.not_audited,
        seconds(summary.duration_ms),
        summary.parallel
    );
    out
}

/// Why the host was not audited, or why its report was not published.
fn problem(host: &HostSummary) -> String {
    match (&host.error, &host.publish_error) {
        (Some(e), _) => clean(e),
        (None, Some(e)) => format!("not published: {}", clean(e)),
        (None, None) => String::new(),
    }
}

fn score(host: &HostSummary) -> String {
    match host.score {
        Some(s) => format!("{s:.1}"),
        None => "-".into(),
    }
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut short: String = s.chars().take(max - 1).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn host(name: &str, result: HostResult, error: Option<&str>) -> HostSummary {
        HostSummary {
            name: name.into(),
            daemon: "tcp://h:2375".into(),
            labels: BTreeMap::new(),
            result,
            score: result.audited().then_some(87.5),
            fails: result.audited().then_some(3),
            errors: result.audited().then_some(0),
            duration_ms: 1_234,
            error: error.map(str::to_string),
            report: None,
            published: None,
            publish_error: None,
        }
    }

    #[test]
    fn one_line_per_host_and_totals() {
        let s = FleetSummary::new(
            String::new(),
            String::new(),
            5_000,
            8,
            vec![
                host("web-1", HostResult::Pass, None),
                host("db", HostResult::Fail, None),
                host("gone", HostResult::Unreachable, Some("connection refused")),
            ],
        );
        let text = render(&s, Style::plain());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("HOST ") && lines[0].ends_with("ERROR"), "{text}");
        assert!(
            lines[1].starts_with("web-1  pass") && lines[1].contains("87.5"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("db     fail") && lines[2].contains("  3  "),
            "{text}"
        );
        assert!(
            lines[3].contains("unreachable") && lines[3].ends_with("connection refused"),
            "{text}"
        );
        assert!(
            text.contains("3 hosts: 1 pass, 1 fail, 1 not audited — 5.0 s with 8 at once"),
            "{text}"
        );

        // An audited host whose report the store refused says so, and the totals count it.
        let mut refused = host("web-2", HostResult::Pass, None);
        refused.publish_error = Some("s3://b/p/reports/x.json: 403 Forbidden".into());
        let s = FleetSummary::new(String::new(), String::new(), 1_000, 2, vec![refused]);
        let text = render(&s, Style::plain());
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .ends_with("not published: s3://b/p/reports/x.json: 403 Forbidden"),
            "{text}"
        );
        assert!(
            text.contains("1 host: 1 pass, 0 fail, 0 not audited, 1 not published"),
            "{text}"
        );
    }

    #[test]
    fn hostile_names_and_errors_are_cleaned_and_long_names_shortened() {
        let s = FleetSummary::new(
            String::new(),
            String::new(),
            0,
            1,
            vec![
                host(
                    "\x1b]0;pwned\x07evil\u{202e}",
                    HostResult::Error,
                    Some("bad\x1b[2J\nthing"),
                ),
                host(&"x".repeat(300), HostResult::Pass, None),
            ],
        );
        let text = render(&s, Style::plain());
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        assert!(!text.contains('\u{202e}'));
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.contains(&format!("{}…", "x".repeat(39))));
    }
}
