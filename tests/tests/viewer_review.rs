//! The reviewer's and the auditor's workflow in a real headless Chromium: "Fix first" and the
//! severity badges, the order by severity, remediation code rendered as code (and hostile text as
//! text), the integrity wording, the compare detail with its regression count, and the evidence
//! printed to PDF by Chromium itself with a running header and "page n / N" on every page (read
//! back with poppler's `pdfinfo` and `pdftotext`).
//!
//! `cargo test -p dockaudit-tests --test viewer_review -- --ignored screenshots` refreshes the
//! screenshots the README shows (docs/screenshots/fix-first-*.png, check-detail-*.png,
//! decisions-table-*.png, compare-detail-*.png, evidence-page-*.png).

use dockaudit_shared::report::{Report, Status};
use dockaudit_shared::test_support as fixtures;
use dockaudit_shared::test_support::large;
use dockaudit_tests::browser;
use dockaudit_tests::browser::pdf::{require_poppler, Printed};
use dockaudit_tests::browser::reports::digest_of;
use dockaudit_tests::TempDir;
use fantoccini::key::Key;
use serde_json::Value;
use support::{css, with_session};

mod support;

/// Badges and headings are upper-cased by CSS; compare the words.
fn lower(texts: &[String]) -> Vec<String> {
    texts.iter().map(|t| t.to_lowercase()).collect()
}

/// The issue's host: fifteen audit-rule failures (1.1.3 … 1.1.17) ahead of 5.5, 5.6 and 5.32 in
/// benchmark order, plus a few more failing checks of lower severity with more offenders.
fn serious_host() -> Report {
    let c = |name: &str, observed: &str| fixtures::container(name, &format!("{name}: {observed}"), observed, "not set");
    let mut overrides: Vec<_> = (3..=17)
        .map(|i| {
            fixtures::result(
                &format!("1.1.{i}"),
                Status::Fail,
                "No audit rule covers this path.",
                vec![],
            )
        })
        .collect();
    overrides.extend([
        fixtures::result(
            "5.5",
            Status::Fail,
            "1 container runs privileged.",
            vec![c("api", "HostConfig.Privileged=true")],
        ),
        fixtures::result(
            "5.6",
            Status::Fail,
            "2 containers mount sensitive host directories.",
            vec![
                c("backup", "/ mounted at /host"),
                c("logs", "/etc mounted at /etc-host"),
            ],
        ),
        fixtures::result(
            "5.32",
            Status::Fail,
            "1 container mounts the Docker socket.",
            vec![c("ci-runner", "/var/run/docker.sock mounted")],
        ),
        fixtures::result(
            "5.11",
            Status::Fail,
            "4 containers have no memory limit.",
            ["web", "db", "cache", "queue"]
                .map(|n| c(n, "HostConfig.Memory=0"))
                .to_vec(),
        ),
        fixtures::result(
            "5.13",
            Status::Fail,
            "3 containers have a writable root filesystem.",
            ["web", "db", "cache"].map(|n| c(n, "ReadonlyRootfs=false")).to_vec(),
        ),
    ]);
    fixtures::report("node-7", "2026-02-02T09:00:00Z", "run-serious", overrides)
}

#[tokio::test]
async fn fix_first_puts_the_escapes_above_the_audit_rules() {
    let report = serious_host();
    with_session("review-fix", &[("serious.json", fixtures::sealed(&report))], |v| {
        Box::pin(async move {
            v.open("report=reports/serious.json").await;
            v.find("[data-testid=fix-first] [data-testid=fix-item]").await;
            // Five on the first screen: the three critical escapes (most offenders first), then the
            // medium memory limits and the low read-only root filesystems; no audit rule.
            let first = v.ids("[data-testid=fix-item]").await;
            assert_eq!(first, ["5.6", "5.5", "5.32", "5.11", "5.13"]);
            let severities = v.texts("[data-testid=fix-item] [data-testid=severity-badge]").await;
            assert_eq!(
                lower(&severities),
                ["critical", "critical", "critical", "medium", "low"]
            );
            assert_eq!(
                v.texts("[data-testid=fix-offenders]").await[..2],
                ["2 offending", "1 offending"]
            );
            // The one-line fix is the remediation's first sentence, its commands as code.
            let fix = v
                .text("[data-testid=fix-item][data-check-id='5.5'] [data-testid=fix-text]")
                .await;
            assert!(fix.starts_with("Recreate the container without --privileged"), "{fix}");
            assert_eq!(
                v.texts("[data-testid=fix-item][data-check-id='5.5'] [data-testid=fix-text] code")
                    .await,
                ["--privileged", "--cap-add", "--device"]
            );
            // All 20 failing checks behind "show all"; the audit rules come last.
            v.click("[data-testid=fix-first-toggle]").await;
            v.wait_count("[data-testid=fix-item]", 20).await;
            let all = v.ids("[data-testid=fix-item]").await;
            assert_eq!(all[5..].iter().filter(|id| id.starts_with("1.1.")).count(), 15);

            // A click opens the check, whose header shows the same severity.
            v.click("[data-testid=fix-item][data-check-id='5.32']").await;
            v.find("[data-testid=check-detail][data-check-id='5.32']").await;
            assert_eq!(
                v.attr(
                    "[data-testid=check-detail] .detail-head [data-testid=severity-badge]",
                    "data-severity"
                )
                .await
                .as_deref(),
                Some("critical")
            );
            assert!(v.query().await.contains("check=5.32"));
        })
    })
    .await;
}

#[tokio::test]
async fn the_tree_can_be_ordered_by_severity_and_the_link_keeps_it() {
    let report = serious_host();
    with_session("review-order", &[("serious.json", fixtures::sealed(&report))], |v| {
        Box::pin(async move {
            v.open("report=reports/serious.json").await;
            v.find("[data-testid=check-tree]").await;
            v.click("[data-testid=order-severity]").await;
            v.find("[data-testid=severity-list]").await;
            assert_eq!(v.count("[data-testid=check-tree]").await, 0);
            assert_eq!(v.count("[data-testid=severity-row]").await, 117);
            let rows = v.ids("[data-testid=severity-row]").await;
            assert_eq!(rows[..3], ["5.6", "5.5", "5.32"], "failing critical checks first");
            let critical = v
                .ids("[data-testid=severity-group-critical] [data-testid=severity-row]")
                .await;
            assert_eq!(critical, ["5.6", "5.5", "5.32", "2.7", "5.10", "5.16"]);
            let groups: Vec<String> = v.texts(".severity-head [data-testid=severity-badge]").await;
            assert_eq!(lower(&groups), ["critical", "high", "medium", "low"]);
            assert!(v.query().await.contains("order=severity"), "{}", v.query().await);
            assert_eq!(
                v.attr("[data-testid=order-severity]", "aria-pressed").await.as_deref(),
                Some("true")
            );
            // The keyboard follows the order shown.
            v.find("body").await.send_keys("j").await.expect("keys");
            v.find(".severity-list .check-row.selected[data-check-id='5.6']").await;

            // Reloading the link restores the order; the filters still apply.
            let q = v.query().await;
            v.open(&format!("{q}&status=pass")).await;
            v.find("[data-testid=severity-list]").await;
            let rows = v.ids("[data-testid=severity-row]").await;
            assert_eq!(rows[..2], ["2.7", "5.10"], "{rows:?}");
            v.click("[data-testid=order-benchmark]").await;
            v.find("[data-testid=check-tree]").await;
            assert!(!v.query().await.contains("order="));
        })
    })
    .await;
}

/// The key named `key`, as WebDriver sends it.
fn key(k: Key) -> String {
    char::from(k).to_string()
}

#[tokio::test]
async fn the_checks_by_severity_are_the_same_keyboard_tree_as_the_sections() {
    let report = serious_host();
    with_session(
        "review-severity-keys",
        &[("serious.json", fixtures::sealed(&report))],
        |v| {
            Box::pin(async move {
                v.open("report=reports/serious.json&order=severity").await;
                v.find("[data-testid=severity-list] [role=tree]").await;
                // One tab stop among the 4 groups and 117 checks.
                assert_eq!(v.count("[role=tree] [role=treeitem]").await, 4 + 117);
                assert_eq!(v.count("[role=tree] [role=treeitem][tabindex='0']").await, 1);
                assert_eq!(
                    v.count("[data-testid=severity-list] button").await,
                    0,
                    "rows are no tab stops"
                );
                // The skip link leads into the tree, on the first group.
                v.eval("document.querySelector('[data-testid=skip-check-tree]').focus(); return 1;")
                    .await;
                v.keys(&key(Key::Enter)).await;
                assert_eq!(v.focused().await.0, "g:critical");
                assert_eq!(
                    v.attr("[data-node='g:critical']", "aria-level").await.as_deref(),
                    Some("1")
                );
                assert_eq!(
                    v.attr("[data-node='g:critical']", "aria-expanded").await.as_deref(),
                    Some("true")
                );
                // Arrows move the focus, and the tab stop with it.
                v.keys(&key(Key::Down)).await;
                assert_eq!(v.focused().await.0, "c:5.6");
                assert_eq!(v.attr("[data-node='c:5.6']", "aria-level").await.as_deref(), Some("2"));
                v.keys(&key(Key::Down)).await;
                assert_eq!(v.focused().await.0, "c:5.5");
                assert_eq!(v.count("[role=tree] [role=treeitem][tabindex='0']").await, 1);
                assert_eq!(v.attr("[data-node='c:5.5']", "tabindex").await.as_deref(), Some("0"));
                v.keys(&key(Key::Up)).await;
                assert_eq!(v.focused().await.0, "c:5.6");
                // ← goes to the group, ← again closes it, → opens it.
                v.keys(&key(Key::Left)).await;
                assert_eq!(v.focused().await.0, "g:critical");
                v.keys(&key(Key::Left)).await;
                v.wait_attr("[data-node='g:critical']", "aria-expanded", "false").await;
                v.keys(&key(Key::Down)).await;
                assert_eq!(v.focused().await.0, "g:high", "a closed group's checks are skipped");
                v.keys(&key(Key::Up)).await;
                v.keys(&key(Key::Right)).await;
                v.wait_attr("[data-node='g:critical']", "aria-expanded", "true").await;
                v.keys(&key(Key::End)).await;
                let last = v.focused().await.0;
                assert!(last.starts_with("c:"), "{last}");
                v.keys(&key(Key::Home)).await;
                assert_eq!(v.focused().await.0, "g:critical");
                // Enter on a check opens it and moves the focus into its detail.
                v.keys(&key(Key::Right)).await;
                v.keys(&key(Key::Down)).await;
                assert_eq!(v.focused().await.0, "c:5.5");
                v.keys(&key(Key::Enter)).await;
                v.find("[data-testid=check-detail][data-check-id='5.5']").await;
                v.eventually("the focus in the detail", || async {
                    (v.focused().await.1 == "check-detail").then_some(())
                })
                .await;
                assert_eq!(
                    v.attr("[data-node='c:5.5']", "aria-selected").await.as_deref(),
                    Some("true")
                );
                assert!(v.query().await.contains("check=5.5"));
                // Back in the tree, the tab stop is the open check; the skip links lead to either.
                assert_eq!(v.attr("[data-node='c:5.5']", "tabindex").await.as_deref(), Some("0"));
                v.eval("document.querySelector('[data-testid=skip-check-tree]').focus(); return 1;")
                    .await;
                v.keys(&key(Key::Enter)).await;
                assert_eq!(v.focused().await.0, "c:5.5");
                v.eval("document.querySelector('[data-testid=skip-check-detail]').focus(); return 1;")
                    .await;
                v.keys(&key(Key::Enter)).await;
                assert_eq!(v.focused().await.1, "check-detail");
                // The same keys in the benchmark's order: both orders behave alike.
                v.click("[data-testid=order-benchmark]").await;
                v.find("[data-testid=check-tree] [role=tree]").await;
                assert_eq!(v.count("[role=tree] [role=treeitem][tabindex='0']").await, 1);
                assert_eq!(v.attr("[data-node='c:5.5']", "tabindex").await.as_deref(), Some("0"));
            })
        },
    )
    .await;
}

/// Words of table cells (split at spaces, hyphens and slashes, where a line may break) that the
/// page shows broken across two lines. Tokens longer than 40 characters (ids, digests) are left
/// out: they must wrap somewhere on a narrow screen.
const MID_WORD_BREAKS: &str = r#"
const broken = [];
for (const cell of document.querySelectorAll('table th, table td')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const words = /[^\s\-\/]+/g;
    let m;
    while ((m = words.exec(node.data))) {
      if (m[0].length < 2 || m[0].length > 40) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
}
return broken.slice(0, 20);
"#;

#[tokio::test]
async fn tables_break_between_words_only_and_the_section_bars_have_a_legend_and_words() {
    let day1 = large::host_report(300, 1).expect("large report");
    let day2 = large::host_report(300, 2).expect("large report");
    let files = [
        ("day1.json", fixtures::sealed(&day1)),
        ("day2.json", fixtures::sealed(&day2)),
    ];
    with_session("review-tables", &files, |v| {
        Box::pin(async move {
            v.client.set_window_size(1100, 900).await.expect("window size");
            let views = [
                ("report=reports/day1.json&check=5.4", "[data-testid=findings-table]"),
                ("report=reports/day1.json&view=targets&target=web-0000", "[data-testid=findings-table]"),
                ("report=reports/day1.json&report=reports/day2.json&view=diff", "[data-testid=diff-group-regressed]"),
                ("report=reports/day1.json&view=evidence", "[data-testid=evidence-view]"),
            ];
            for (query, ready) in views {
                v.open(query).await;
                v.find(ready).await;
                if query.contains("view=diff") {
                    v.click("[data-testid=diff-group-regressed] [data-testid=diff-row] [data-testid=diff-toggle]")
                        .await;
                    v.find("[data-testid=diff-detail] table").await;
                }
                assert!(v.count("table td").await > 0, "{query}: no table");
                let broken = v.eval(MID_WORD_BREAKS).await;
                assert_eq!(broken, Value::Array(vec![]), "{query}: words broken mid-word");
                if query.contains("view=targets") {
                    // Every sheet is loaded on every page: the fleet heatmap's vertical counts
                    // once turned "23 offending" in this list on its side.
                    let sideways = v
                        .eval(
                            "return Array.from(document.querySelectorAll('[data-testid=target-item] *'))\
                             .filter(e => getComputedStyle(e).writingMode !== 'horizontal-tb').length;",
                        )
                        .await;
                    assert_eq!(sideways, Value::from(0), "{query}: text in the target list set sideways");
                }
            }

            // The probe sees a break when there is one: a narrow cell that breaks anywhere.
            v.eval(
                "const t = document.createElement('table'); t.id = 'probe'; const td = t.insertRow().insertCell(); \
                 td.textContent = 'HostConfig.CapAdd CONTAINER'; td.style.wordBreak = 'break-all'; td.style.width = '30px'; \
                 t.style.width = '30px'; t.style.tableLayout = 'fixed'; document.body.appendChild(t); return 1;",
            )
            .await;
            let probe = v.eval(MID_WORD_BREAKS).await;
            assert!(
                probe.as_array().is_some_and(|a| a.contains(&Value::from("HostConfig.CapAdd"))),
                "the probe misses a break: {probe}"
            );
            v.eval("document.getElementById('probe').remove(); return 1;").await;

            // The section bars: a legend, and each bar in words for screen readers.
            v.open("report=reports/day1.json").await;
            v.find("[data-testid=bar-legend] li").await;
            let legend = v.texts("[data-testid=bar-legend] li").await;
            assert!(legend.len() >= 3, "{legend:?}");
            for status in ["pass", "fail"] {
                assert!(legend.iter().any(|l| l.to_lowercase().contains(status)), "{status} missing from {legend:?}");
            }
            let words = v.texts("[data-testid=section-bar-text]").await;
            assert_eq!(words.len(), 7, "{words:?}");
            let section_5 = v
                .eval("return document.querySelector('[data-testid=section-bar-5] [data-testid=section-bar-text]').textContent;")
                .await;
            let section_5 = section_5.as_str().unwrap_or_default().to_string();
            assert!(section_5.contains("fail") && section_5.contains("checks"), "{section_5}");
        })
    })
    .await;
}

#[tokio::test]
async fn remediation_code_is_code_and_hostile_remediation_is_text() {
    let mut report = serious_host();
    let hostile = "Run `<img src=x onerror=\"window.__pwned=11\">` then <b>bold</b> </code><script>window.__pwned=12</script> and `docker update --memory 512m web`.";
    if let Some(r) = report.results.iter_mut().find(|r| r.id == "5.11") {
        r.remediation = hostile.into();
    }
    with_session("review-remediation", &[("r.json", fixtures::sealed(&report))], |v| {
        Box::pin(async move {
            // The catalogue's remediation: its inline commands become <code>.
            v.open("report=reports/r.json&check=5.5").await;
            v.find("[data-testid=check-detail][data-check-id='5.5']").await;
            assert_eq!(
                v.texts("[data-testid=detail-remediation] code").await,
                ["--privileged", "--cap-add", "--device"]
            );
            let text = v.text("[data-testid=detail-remediation]").await;
            assert!(!text.contains('`'), "backticks are replaced by code: {text}");

            // A report's hostile remediation: split at its backticks, every piece shown as text.
            v.open("report=reports/r.json&check=5.11").await;
            v.find("[data-testid=check-detail][data-check-id='5.11']").await;
            let codes = v.texts("[data-testid=detail-remediation] code").await;
            assert_eq!(codes, ["<img src=x onerror=\"window.__pwned=11\">", "docker update --memory 512m web"]);
            let shown = v.text("[data-testid=detail-remediation]").await;
            assert!(shown.contains("<b>bold</b> </code><script>window.__pwned=12</script>"), "{shown}");
            let elements = v
                .eval("return document.querySelectorAll('[data-testid=detail-remediation] *').length;")
                .await;
            assert_eq!(elements, Value::from(2), "only the two <code> elements");
            assert_eq!(v.count("[data-testid=detail-remediation] img, [data-testid=detail-remediation] b, [data-testid=detail-remediation] script").await, 0);
            assert_eq!(v.pwned().await, Value::Null);
        })
    })
    .await;
}

#[tokio::test]
async fn integrity_wording_says_intact_and_shows_problems_open_in_red() {
    let monday = fixtures::monday();
    let intact = fixtures::sealed(&monday);
    let tampered = intact.replace("icc is true", "icc is fine");
    // A report without one catalogue check: it loads, with a warning about the missing result.
    let mut short = fixtures::monday();
    short.results.retain(|r| r.id != "6.2");
    short.refresh_summary();
    let files = [
        ("intact.json", intact),
        ("tampered.json", tampered),
        ("short.json", fixtures::sealed(&short)),
    ];
    with_session("review-wording", &files, |v| {
        Box::pin(async move {
            v.open("report=reports/intact.json").await;
            let status = v.text("[data-testid=digest-status]").await;
            assert_eq!(status, "intact (digest matches)");
            let header = v.text("[data-testid=report-header]").await;
            assert!(!header.to_lowercase().contains("verified"), "{header}");
            assert!(!header.contains("signed by"), "{header}");
            assert_eq!(v.count("[data-testid=report-warnings]").await, 0);
            // The evidence says intact too, and the unsigned report is not "signed by" anyone.
            v.open("report=reports/intact.json&view=evidence").await;
            let state = v.text("[data-testid=ev-digest-state]").await;
            assert!(state.starts_with("intact:"), "{state}");
            assert!(!v.text("[data-testid=evidence-view]").await.contains("signed by"));

            // A digest mismatch: a red alert, open.
            v.open("report=reports/tampered.json").await;
            let warning = v.find("[data-testid=digest-warning]").await;
            assert_eq!(warning.attr("role").await.expect("role").as_deref(), Some("alert"));
            assert_eq!(v.text("[data-testid=digest-status]").await, "digest MISMATCH");
            let red = v
                .eval("const s = getComputedStyle(document.querySelector('[data-testid=digest-warning]')); return s.color;")
                .await;
            let fail = v
                .eval("return getComputedStyle(document.documentElement).getPropertyValue('--fail').trim();")
                .await;
            assert_eq!(rgb(red.as_str().unwrap_or_default()), hex(fail.as_str().unwrap_or_default()), "{red} vs {fail}");

            // A load warning: shown open (no collapsed <details>), as an alert, in red.
            v.open("report=reports/short.json").await;
            let w = v.text("[data-testid=load-warnings]").await;
            assert!(w.contains("no result for 1 catalogue check(s): 6.2"), "{w}");
            assert_eq!(v.attr("[data-testid=load-warnings]", "role").await.as_deref(), Some("alert"));
            assert_eq!(v.count("[data-testid=report-header] details").await, 0);
            let visible = v
                .eval("const e = document.querySelector('[data-testid=load-warning]'); return e.getBoundingClientRect().height > 0;")
                .await;
            assert_eq!(visible, Value::Bool(true));
            let color = v
                .eval("return getComputedStyle(document.querySelector('[data-testid=load-warnings]')).color;")
                .await;
            let fail = v
                .eval("return getComputedStyle(document.documentElement).getPropertyValue('--fail').trim();")
                .await;
            assert_eq!(rgb(color.as_str().unwrap_or_default()), hex(fail.as_str().unwrap_or_default()));
        })
    })
    .await;
}

/// "rgb(192, 38, 45)" → (192, 38, 45).
fn rgb(css: &str) -> (u8, u8, u8) {
    let n: Vec<u8> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    (n[0], n[1], n[2])
}

/// "#c0262d" → (192, 38, 45).
fn hex(css: &str) -> (u8, u8, u8) {
    let h = css.trim_start_matches('#');
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).expect("hex colour");
    (byte(0), byte(2), byte(4))
}

/// Monday and a later run where 5.4 and 5.5 go pass → fail and 1.1.11 not_applicable → fail.
fn compare_pair() -> (Report, Report) {
    let mut old = fixtures::monday();
    if let Some(r) = old.results.iter_mut().find(|r| r.id == "1.1.11") {
        r.status = Status::NotApplicable;
        r.summary = "/etc/docker/daemon.json does not exist.".into();
    }
    old.refresh_summary();
    let mut new = fixtures::tuesday();
    new.run.id = "run-wednesday".into();
    for (id, summary) in [
        ("1.1.11", "No audit rule watches /etc/docker/daemon.json."),
        ("5.4", "1 container adds capabilities."),
    ] {
        if let Some(r) = new.results.iter_mut().find(|r| r.id == id) {
            r.status = Status::Fail;
            r.summary = summary.into();
        }
    }
    if let Some(r) = new.results.iter_mut().find(|r| r.id == "5.4") {
        r.findings = vec![fixtures::container(
            "api",
            "api adds SYS_ADMIN",
            "HostConfig.CapAdd=[SYS_ADMIN]",
            "no capability beyond the defaults",
        )];
    }
    new.refresh_summary();
    (old, new)
}

#[tokio::test]
async fn compare_counts_every_new_failure_and_opens_to_old_and_new_values() {
    let (old, new) = compare_pair();
    let files = [
        ("old.json", fixtures::sealed(&old)),
        ("new.json", fixtures::sealed(&new)),
    ];
    with_session("review-compare", &files, |v| {
        Box::pin(async move {
            v.open("report=reports/old.json&report=reports/new.json&view=diff")
                .await;
            v.find("[data-testid=diff-group-regressed]").await;
            let regressed = v.ids("[data-testid=diff-group-regressed] [data-testid=diff-row]").await;
            assert_eq!(regressed, ["1.1.11", "5.4", "5.5"]);
            assert_eq!(v.count("[data-testid=diff-group-changed]").await, 0);
            let counts = v.text("[data-testid=diff-counts]").await;
            assert!(counts.contains("3 regressed · 1 fixed"), "{counts}");
            let heading = v.text("[data-testid=diff-group-regressed] h3").await;
            assert_eq!(heading.to_lowercase(), "regressions (newly failing) — 3");

            // Closed rows show no detail; opening one shows per target what each run observed.
            assert_eq!(v.count("[data-testid=diff-detail]").await, 0);
            let row = "[data-testid=diff-group-regressed] [data-testid=diff-row][data-check-id='5.5']";
            v.click(&format!("{row} [data-testid=diff-toggle]")).await;
            v.find(&format!("{row} [data-testid=diff-detail]")).await;
            assert_eq!(
                v.attr(&format!("{row} [data-testid=diff-toggle]"), "aria-expanded")
                    .await
                    .as_deref(),
                Some("true")
            );
            assert_eq!(
                v.text(&format!("{row} [data-testid=diff-new-summary]")).await,
                "1 container runs privileged."
            );
            let target = format!("{row} [data-testid=diff-target-row][data-target='api']");
            assert_eq!(
                v.text(&format!("{target} [data-testid=diff-old]")).await,
                "(no finding)"
            );
            assert_eq!(
                v.text(&format!("{target} [data-testid=diff-new]")).await,
                "HostConfig.Privileged=true"
            );

            // Still failing: web resolved, cache new, db kept; the changed ones are listed first.
            let still = "[data-testid=diff-group-still-failing] [data-testid=diff-row][data-check-id='5.11']";
            v.click(&format!("{still} [data-testid=diff-toggle]")).await;
            v.find(&format!("{still} [data-testid=diff-detail]")).await;
            let mut targets = Vec::new();
            for e in v
                .client
                .find_all(css(&format!("{still} [data-testid=diff-target-row]")))
                .await
                .unwrap_or_default()
            {
                targets.push(e.attr("data-target").await.ok().flatten().unwrap_or_default());
            }
            assert_eq!(targets, ["cache", "web", "db"]);
            assert_eq!(
                v.text(&format!(
                    "{still} [data-testid=diff-target-row][data-target='web'] [data-testid=diff-new]"
                ))
                .await,
                "(no finding)"
            );
            assert_eq!(
                v.text(&format!(
                    "{still} [data-testid=diff-target-row][data-target='web'] [data-testid=diff-old]"
                ))
                .await,
                "HostConfig.Memory=0"
            );
            // n/a → fail without targets says so.
            let na = "[data-testid=diff-group-regressed] [data-testid=diff-row][data-check-id='1.1.11']";
            v.click(&format!("{na} [data-testid=diff-toggle]")).await;
            assert_eq!(
                v.text(&format!("{na} [data-testid=diff-old-summary]")).await,
                "/etc/docker/daemon.json does not exist."
            );
            v.find(&format!("{na} [data-testid=diff-no-targets]")).await;
        })
    })
    .await;
}

/// Chromium prints the evidence of a report with many findings; every page of the PDF carries
/// "host · report digest" and "page n / N", N is the PDF's page count, and the paper holds the
/// re-verification command and the appendix of passed and not-applicable checks.
#[test]
fn the_printed_evidence_has_a_header_and_page_numbers_on_every_page() {
    browser::require_browser();
    require_poppler();
    let _one_at_a_time = browser::browser_lock();
    // Enough findings for several pages.
    let mut report = serious_host();
    if let Some(r) = report.results.iter_mut().find(|r| r.id == "5.11") {
        r.findings = (0..120)
            .map(|i| {
                fixtures::container(
                    &format!("svc-{i:03}"),
                    "no memory limit",
                    "HostConfig.Memory=0",
                    "HostConfig.Memory>0",
                )
            })
            .collect();
    }
    if let Some(r) = report.results.iter_mut().find(|r| r.id == "5.2") {
        r.status = Status::NotApplicable;
        r.summary = "AppArmor is not enabled on this host.".into();
    }
    report.refresh_summary();
    let text = fixtures::sealed(&report);
    let d = digest_of(&text);
    let reports = TempDir::new("review-pdf-reports");
    std::fs::write(reports.join("serious.json"), &text).unwrap();
    let server = browser::serve(&browser::viewer_dist(), reports.path()).unwrap();
    let printed = Printed::print(&server.url("?report=reports/serious.json&view=evidence"), "review-pdf");
    let pages = printed.pages();
    assert!(pages >= 4, "expected several pages, got {pages}");
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let header = squash(&format!("node-7 · report {d}"));
    let mut all = String::new();
    for page in 1..=pages {
        let text = printed.page_text(page);
        let flat = squash(&text);
        assert!(
            flat.contains(&header),
            "page {page} lacks the running header {header}:\n{text}"
        );
        assert!(
            flat.contains(&squash(&format!("page {page} / {pages}"))),
            "page {page} lacks \"page {page} / {pages}\":\n{text}"
        );
        all.push_str(&text);
    }
    let flat = squash(&all);
    for part in [
        "How to re-verify",
        "dockaudit verify serious.json --allowed-signers allowed_signers",
        "UNSIGNED",
        "Appendix: passed and not-applicable checks",
        "AppArmor is not enabled on this host.",
        "svc-119",
    ] {
        assert!(flat.contains(&squash(part)), "{part:?} missing from the PDF:\n{all}");
    }
    drop(server);
}

/// Writes the README's screenshots (docs/screenshots/) from a realistic large host (2,000
/// containers, `test_support::large`): the first screen with "Fix first", a check's detail, the
/// decisions table after a bulk and a per-target decision, the compare detail of two days, each
/// light and dark; and a whole printed evidence page (Chromium's PDF, rendered by `pdftoppm`),
/// with its running header "host · report digest" and "page n / N".
#[tokio::test]
#[ignore = "writes docs/screenshots/*.png; run on demand"]
async fn screenshots() {
    require_poppler();
    let day1 = large::host_report(2000, 1).expect("large report");
    let day2 = large::host_report(2000, 2).expect("large report");
    let files = [
        ("host-day1.json", fixtures::sealed(&day1)),
        ("host-day2.json", fixtures::sealed(&day2)),
    ];
    let out = dockaudit_tests::workspace_root().join("docs/screenshots");
    with_session("review-shots", &files, |v| {
        let out = out.clone();
        Box::pin(async move {
            v.client.set_window_size(1280, 900).await.expect("window size");
            let one = "report=reports/host-day1.json";
            // The first screen.
            v.open(one).await;
            v.find("[data-testid=fix-item]").await;
            v.shots_in(&out, "fix-first").await;
            // A check's detail, its findings and the decision form.
            v.open(&format!("{one}&check=5.5")).await;
            let detail = v.find("[data-testid=check-detail]").await;
            v.client
                .execute(
                    "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -8); return 1;",
                    vec![serde_json::to_value(&detail).expect("element")],
                )
                .await
                .expect("scroll");
            v.shots_in(&out, "check-detail").await;
            // Decisions: every web-* offender of 5.11 at once, and one container's false positive.
            v.open(&format!("{one}&check=5.11")).await;
            v.click("[data-testid=decision-scope] option[value=pattern]").await;
            v.type_into("[data-testid=decision-pattern]", "web-*").await;
            v.wait_contains("[data-testid=decision-pattern-count]", "matches").await;
            v.type_into("[data-testid=decision-justification]", "web tier: memory is capped by the VM")
                .await;
            v.set_date("[data-testid=decision-expires]", "2027-06-30").await;
            v.click("[data-testid=decision-record]").await;
            v.wait_count("[data-testid=decision-item]", 1).await;
            v.open(&format!("{one}&check=5.5")).await;
            v.click("[data-testid=decision-scope] option[value='0']").await;
            v.click("[data-testid=decision-kind] option[value=false_positive]").await;
            v.type_into("[data-testid=decision-justification]", "a build sandbox: no host access, checked by hand")
                .await;
            v.click("[data-testid=decision-record]").await;
            v.wait_count("[data-testid=decision-item]", 1).await;
            v.open(&format!("{one}&view=signoff")).await;
            v.click("[data-testid=step-review]").await;
            let table = v.find("[data-testid=decisions-table]").await;
            v.client
                .execute(
                    "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -8); return 1;",
                    vec![serde_json::to_value(&table).expect("element")],
                )
                .await
                .expect("scroll");
            v.shots_in(&out, "decisions-table").await;
            // Compare: the second day, a regression opened to its targets.
            v.open("report=reports/host-day1.json&report=reports/host-day2.json&view=diff")
                .await;
            v.find("[data-testid=diff-group-regressed]").await;
            v.click("[data-testid=diff-group-regressed] [data-testid=diff-row] [data-testid=diff-toggle]")
                .await;
            let open = v.find("[data-testid=diff-detail]").await;
            v.client
                .execute(
                    "arguments[0].closest('[data-testid=diff-row]').scrollIntoView({block: 'start'}); window.scrollBy(0, -8); return 1;",
                    vec![serde_json::to_value(&open).expect("element")],
                )
                .await
                .expect("scroll");
            v.shots_in(&out, "compare-detail").await;
        })
    })
    .await;

    // The printed evidence of a smaller host of the same kind (every finding is printed): its
    // first page and a page of the appendix, whole.
    let host = large::host_report(40, 1).expect("report");
    let reports = TempDir::new("review-shots-pdf");
    std::fs::write(reports.join("host.json"), fixtures::sealed(&host)).unwrap();
    let _turn = browser::browser_lock();
    let server = browser::serve(&browser::viewer_dist(), reports.path()).unwrap();
    let printed = Printed::print(
        &server.url("?report=reports/host.json&view=evidence"),
        "review-shots-print",
    );
    let pages = printed.pages();
    printed.page_png(1, 90, &out.join("evidence-page-1.png"));
    let appendix = (1..=pages)
        .find(|p| printed.page_text(*p).contains("Appendix"))
        .unwrap_or(pages);
    printed.page_png(appendix, 90, &out.join("evidence-page-appendix.png"));
    eprintln!("evidence: {pages} pages, appendix from page {appendix}");
}
