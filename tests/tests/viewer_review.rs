//! The reviewer's and the auditor's workflow in a real headless Chromium: "Fix first" and the
//! severity badges, the order by severity, remediation code rendered as code (and hostile text as
//! text), the integrity wording, the compare detail with its regression count, and the evidence
//! printed to PDF by Chromium itself with a running header and "page n / N" on every page (read
//! back with poppler's `pdfinfo` and `pdftotext`).
//!
//! `cargo test -p dockaudit-tests --test viewer_review -- --ignored screenshots` refreshes the
//! screenshots the README shows (docs/screenshots/fix-first-*.png, compare-detail-*.png,
//! evidence-*.png).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dockaudit_shared::digest;
use dockaudit_shared::report::{Report, Status};
use dockaudit_shared::test_support as fixtures;
use dockaudit_tests::browser;
use dockaudit_tests::TempDir;
use serde_json::Value;
use support::{with_session, Session};

mod support;

impl Session {
    /// The `data-check-id` of every element matching `selector`, in page order.
    async fn ids(&self, selector: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for e in self.client.find_all(support::css(selector)).await.unwrap_or_default() {
            ids.push(e.attr("data-check-id").await.ok().flatten().unwrap_or_default());
        }
        ids
    }

    async fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).await.attr(name).await.expect("attribute")
    }

    async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script")
    }
}

/// Badges and headings are upper-cased by CSS; compare the words.
fn lower(texts: &[String]) -> Vec<String> {
    texts.iter().map(|t| t.to_lowercase()).collect()
}

fn digest_of(text: &str) -> String {
    let value: Value = serde_json::from_str(text).expect("json");
    digest::compute(&value)
}

/// The host: fifteen audit-rule failures (1.1.3 … 1.1.17) ahead of 5.5, 5.6 and 5.32 in
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
                .js("return document.querySelectorAll('[data-testid=detail-remediation] *').length;")
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
                .js("const s = getComputedStyle(document.querySelector('[data-testid=digest-warning]')); return s.color;")
                .await;
            let fail = v
                .js("return getComputedStyle(document.documentElement).getPropertyValue('--fail').trim();")
                .await;
            assert_eq!(rgb(red.as_str().unwrap_or_default()), hex(fail.as_str().unwrap_or_default()), "{red} vs {fail}");

            // A load warning: shown open (no collapsed <details>), as an alert, in red.
            v.open("report=reports/short.json").await;
            let w = v.text("[data-testid=load-warnings]").await;
            assert!(w.contains("no result for 1 catalogue check(s): 6.2"), "{w}");
            assert_eq!(v.attr("[data-testid=load-warnings]", "role").await.as_deref(), Some("alert"));
            assert_eq!(v.count("[data-testid=report-header] details").await, 0);
            let visible = v
                .js("const e = document.querySelector('[data-testid=load-warning]'); return e.getBoundingClientRect().height > 0;")
                .await;
            assert_eq!(visible, Value::Bool(true));
            let color = v
                .js("return getComputedStyle(document.querySelector('[data-testid=load-warnings]')).color;")
                .await;
            let fail = v
                .js("return getComputedStyle(document.documentElement).getPropertyValue('--fail').trim();")
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
                .find_all(support::css(&format!("{still} [data-testid=diff-target-row]")))
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

/// Runs `cmd` (in its own process group) and kills the group when it outlives `limit`.
fn run_with_limit(cmd: &mut Command, limit: Duration) -> std::process::ExitStatus {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn output_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run poppler tool");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Chromium prints the evidence of a report with many findings; every page of the PDF carries
/// "host · report digest" and "page n / N", N is the PDF's page count, and the paper holds the
/// re-verification command and the appendix of passed and not-applicable checks.
#[test]
fn the_printed_evidence_has_a_header_and_page_numbers_on_every_page() {
    browser::require_browser();
    for tool in ["/usr/bin/pdftotext", "/usr/bin/pdfinfo"] {
        assert!(
            Path::new(tool).is_file(),
            "{tool} is required (Debian: apt-get install -y poppler-utils)"
        );
    }
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
    let out = TempDir::new("review-pdf");
    let profile = TempDir::new("review-pdf-profile");
    let pdf = out.join("evidence.pdf");
    let url = server.url("?report=reports/serious.json&view=evidence");
    let status = run_with_limit(
        Command::new(browser::chromium_path()).args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ]),
        Duration::from_secs(90),
    );
    assert!(status.success(), "chromium --print-to-pdf failed: {status}");
    let info = output_of(Command::new("/usr/bin/pdfinfo").arg(&pdf));
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in\n{info}"));
    assert!(pages >= 4, "expected several pages, got {pages}");
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let header = squash(&format!("node-7 · report {d}"));
    let mut all = String::new();
    for page in 1..=pages {
        let n = page.to_string();
        let text = output_of(
            Command::new("/usr/bin/pdftotext")
                .args(["-f", &n, "-l", &n])
                .arg(&pdf)
                .arg("-"),
        );
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

/// Writes the README's screenshots of these views, light and dark.
#[tokio::test]
#[ignore = "writes docs/screenshots/*.png; run on demand"]
async fn screenshots() {
    let report = serious_host();
    let (old, new) = compare_pair();
    let files = [
        ("serious.json", fixtures::sealed(&report)),
        ("old.json", fixtures::sealed(&old)),
        ("new.json", fixtures::sealed(&new)),
    ];
    with_session("review-shots", &files, |v| {
        Box::pin(async move {
            let out = dockaudit_tests::workspace_root().join("docs/screenshots");
            std::fs::create_dir_all(&out).expect("screenshot dir");
            v.client.set_window_size(1280, 900).await.expect("window size");
            for theme in ["light", "dark"] {
                let shots = [
                    ("fix-first", "report=reports/serious.json", "[data-testid=fix-item]", None),
                    (
                        "compare-detail",
                        "report=reports/old.json&report=reports/new.json&view=diff",
                        "[data-testid=diff-group-regressed]",
                        Some("[data-testid=diff-row][data-check-id='5.5'] [data-testid=diff-toggle]"),
                    ),
                    ("evidence", "report=reports/serious.json&view=evidence", "[data-testid=ev-verify]", None),
                ];
                for (name, query, ready, click) in shots {
                    v.open(query).await;
                    v.js(&format!(
                        "localStorage.setItem('dockaudit-viewer-theme', '{theme}'); document.documentElement.setAttribute('data-theme', '{theme}');"
                    ))
                    .await;
                    v.find(ready).await;
                    if let Some(c) = click {
                        v.click(c).await;
                        v.find("[data-testid=diff-detail]").await;
                    }
                    if name == "evidence" {
                        // The parts an auditor needs beyond the summary: re-verification and the appendix.
                        v.js("document.querySelector('[data-testid=ev-verify]').scrollIntoView({block: 'start'}); window.scrollBy(0, -8);")
                            .await;
                    }
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    let png = v.client.screenshot().await.expect("screenshot");
                    std::fs::write(out.join(format!("{name}-{theme}.png")), png).expect("write screenshot");
                }
            }
        })
    })
    .await;
}
